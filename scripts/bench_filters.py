"""Benchmark and parity check of the text-quality filters against datatrove.

Speed: our ``language_id -> gopher_repetition -> gopher_quality -> c4_quality`` chain against
datatrove's ``LanguageFilter -> GopherRepetitionFilter -> GopherQualityFilter ->
C4QualityFilter`` on the first ``--limit`` documents of the corpus, in this process, single
worker each, taking turns on ``--slices`` consecutive slices of the documents. Both sides get the documents already in memory; as in a
pipeline, a document rejected by one filter is not shown to the next. Both language filters
use the same model file (the lid.176.ftz shipped with language_id; datatrove's own loader would
download lid.176.bin, so the model is handed to it).

Parity: each of our Gopher/C4/FineWeb filters against datatrove's with the same thresholds,
on the English documents of the corpus (all of them unless ``--parity-docs``), printing the
share of documents on which both make the same keep/drop decision.

The last line printed is ``filters_speedup_vs_datatrove=<x>`` (docs/s ours / docs/s theirs).

    .venv/bin/python scripts/bench_filters.py --limit 10000
    .venv/bin/python scripts/bench_filters.py --limit 2000 --parity-docs 2000
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "web_en_zh.jsonl.zst"


def read_corpus(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    import zstandard

    docs: list[dict[str, Any]] = []
    with path.open("rb") as fh:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(fh), encoding="utf-8")
        for line in reader:
            docs.append(json.loads(line))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def to_batches(docs: list[dict[str, Any]], batch_size: int) -> list[pa.Table]:
    tables = []
    for start in range(0, len(docs), batch_size):
        part = docs[start : start + batch_size]
        n = len(part)
        tables.append(
            pa.table(
                {
                    "id": pa.array([d["id"] for d in part], pa.string()),
                    "text": pa.array([d["text"] for d in part], pa.string()),
                    "source": pa.array([d.get("source", "") for d in part], pa.string()),
                    "sensitivity": pa.array(["public"] * n, pa.string()),
                    "meta": pa.array(["{}"] * n, pa.string()),
                }
            )
        )
    return tables


# ------------------------------------------------------------------------------ ours


def our_chain() -> list[Any]:
    from stages.heuristic.c4 import C4QualityFilter
    from stages.heuristic.gopher_quality import GopherQualityFilter
    from stages.heuristic.gopher_repetition import GopherRepetitionFilter
    from stages.quality.lang_id import LanguageIdFilter

    stages = [
        LanguageIdFilter(),
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(),
    ]
    for stage in stages:
        stage.setup()
    return stages


def run_ours(stages: list[Any], batches: list[pa.Table]) -> tuple[int, dict[str, float]]:
    """Run the chain like the runtime does: rejected rows are hidden from later stages."""
    seconds = {stage.name: 0.0 for stage in stages}
    kept = 0
    for batch in batches:
        for stage in stages:
            if batch.num_rows == 0:
                break
            start = time.perf_counter()
            out = stage(batch)
            keep = pc.is_null(out["reject_reason"])
            batch = out.filter(keep).drop_columns(["reject_reason"])
            seconds[stage.name] += time.perf_counter() - start
        kept += batch.num_rows
    return kept, seconds


# ------------------------------------------------------------------------- datatrove


def datatrove_chain() -> list[Any]:
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
        LanguageFilter,
    )
    from fasttext.FastText import _FastText

    from stages.quality.lang_id import default_model_path

    class LocalModelLanguageFilter(LanguageFilter):  # type: ignore[misc]
        """datatrove's LanguageFilter with its model handed in from a local file.

        Its own loader downloads lid.176.bin (and needs `fasteners` for the download lock);
        nothing else changes.
        """

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return object.__new__(cls)

    language = LocalModelLanguageFilter(languages=["en", "zh"], language_threshold=0.65)
    language.model._model = _FastText(model_path=default_model_path())
    return [language, GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter()]


def run_datatrove(filters: list[Any], docs: list[dict[str, Any]]) -> int:
    from datatrove.data import Document

    data: Any = iter([Document(text=d["text"], id=d["id"]) for d in docs])
    for dt_filter in filters:
        data = dt_filter.run(data)
    return sum(1 for _ in data)


# ---------------------------------------------------------------------------- parity


def parity(docs: list[dict[str, Any]], batch_size: int) -> None:
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    from stages.heuristic.c4 import C4QualityFilter as OurC4
    from stages.heuristic.fineweb import FineWebQualityFilter as OurFineWeb
    from stages.heuristic.gopher_quality import GopherQualityFilter as OurQuality
    from stages.heuristic.gopher_repetition import GopherRepetitionFilter as OurRepetition

    pairs = {
        "gopher_repetition": (OurRepetition(), GopherRepetitionFilter()),
        "gopher_quality": (OurQuality(), GopherQualityFilter()),
        "c4_quality": (OurC4(), C4QualityFilter()),
        "fineweb_quality": (OurFineWeb(), FineWebQualityFilter()),
    }
    batches = to_batches(docs, batch_size)
    ours: dict[str, list[str | None]] = {}
    for name, (stage, _) in pairs.items():
        ours[name] = [r for b in batches for r in stage(b)["reject_reason"].to_pylist()]
    theirs: dict[str, list[str | None]] = {name: [] for name in pairs}
    # one document through every datatrove filter in a row: its tokenizer cache is shared
    for doc in docs:
        for name, (_, dt_filter) in pairs.items():
            result = dt_filter.filter(Document(text=doc["text"], id=doc["id"]))
            if result is True or (isinstance(result, tuple) and result[0]):
                theirs[name].append(None)
            else:
                theirs[name].append(result[1] if isinstance(result, tuple) else "dropped")
    n = len(docs)
    for name in pairs:
        same = sum(
            (a is None) == (b is None) for a, b in zip(ours[name], theirs[name], strict=True)
        )
        kept_ours = sum(r is None for r in ours[name])
        kept_theirs = sum(r is None for r in theirs[name])
        flips = Counter(
            (a or "keep", b or "keep")
            for a, b in zip(ours[name], theirs[name], strict=True)
            if (a is None) != (b is None)
        )
        print(
            f"parity {name}: agreement={same / n:.4f} docs={n} kept_ours={kept_ours} "
            f"kept_datatrove={kept_theirs} disagreements={n - same} top={flips.most_common(3)}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=10_000, help="documents for the speed run")
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per Arrow batch")
    parser.add_argument(
        "--slices", type=int, default=10, help="turns the two sides take on the documents"
    )
    parser.add_argument(
        "--parity-docs",
        type=int,
        default=None,
        help="English documents for the parity check (default: all; 0 skips it)",
    )
    args = parser.parse_args(argv)

    # Speed first, on cold caches: the parity pass would warm both sides' tokenizer caches
    # with the whole corpus (and datatrove's spaCy cache more than ours).
    docs = read_corpus(args.corpus, args.limit)
    megabytes = sum(len(d["text"].encode("utf-8")) for d in docs) / 1e6
    batches = to_batches(docs, args.batch_size)
    stages = our_chain()
    filters = datatrove_chain()

    # CPU time of this process is the measure: the machine may be shared, and wall time
    # would charge either side for other people's work. The sides take turns on consecutive
    # slices of the documents (same order, same caches as one pass each), so that a drift in
    # the machine's speed during the run weighs on both alike. Wall time is printed too.
    ours_s = theirs_s = ours_wall = theirs_wall = 0.0
    kept_ours = kept_theirs = 0
    seconds = {stage.name: 0.0 for stage in stages}
    per_slice = max(1, -(-len(batches) // args.slices))
    for first in range(0, len(batches), per_slice):
        part = batches[first : first + per_slice]
        part_docs = docs[first * args.batch_size : (first + per_slice) * args.batch_size]
        wall, cpu = time.perf_counter(), time.process_time()
        kept, stage_seconds = run_ours(stages, part)
        ours_wall += time.perf_counter() - wall
        ours_s += time.process_time() - cpu
        kept_ours += kept
        for name, value in stage_seconds.items():
            seconds[name] += value
        wall, cpu = time.perf_counter(), time.process_time()
        kept_theirs += run_datatrove(filters, part_docs)
        theirs_wall += time.perf_counter() - wall
        theirs_s += time.process_time() - cpu

    n = len(docs)
    print(f"documents={n} MB={megabytes:.1f} corpus={args.corpus}")
    print(
        f"ours: {n / ours_s:.0f} docs/s, {megabytes / ours_s:.2f} MB/s "
        f"(cpu {ours_s:.2f} s, wall {ours_wall:.2f} s), kept={kept_ours}; wall per stage: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items())
    )
    print(
        f"datatrove: {n / theirs_s:.0f} docs/s, {megabytes / theirs_s:.2f} MB/s "
        f"(cpu {theirs_s:.2f} s, wall {theirs_wall:.2f} s), kept={kept_theirs}"
    )
    speedup = f"filters_speedup_vs_datatrove={theirs_s / ours_s:.2f}"
    print(speedup, flush=True)

    if args.parity_docs != 0:
        english = [d for d in read_corpus(args.corpus) if d.get("lang") == "en"]
        parity(english[: args.parity_docs] if args.parity_docs else english, args.batch_size)
        print(speedup)
    sys.stdout.flush()


if __name__ == "__main__":
    main()

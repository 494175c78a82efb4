"""Our Gopher / C4 / FineWeb filters against datatrove's, same thresholds, on real documents.

The issue's bar: the same keep/drop decision on at least 99.5% of English documents. The
committed sample (tests/data/quality) holds 500 English documents of the benchmark corpus;
scripts/bench_filters.py runs the same comparison on the whole corpus.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pytest

from refinery.stage import REJECT_REASON

datatrove = pytest.importorskip("datatrove")
pytest.importorskip("spacy")  # datatrove's English word tokenizer
zstandard = pytest.importorskip("zstandard")

SAMPLE = Path(__file__).parents[2] / "data" / "quality" / "web_en_zh_sample.jsonl.zst"


def _english_docs() -> list[dict[str, str]]:
    raw = zstandard.ZstdDecompressor().stream_reader(SAMPLE.open("rb"))
    docs = [json.loads(line) for line in io.TextIOWrapper(raw, encoding="utf-8")]
    return [d for d in docs if d["lang"] == "en"]


def _pairs():
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

    return {
        "gopher_repetition": (OurRepetition(), GopherRepetitionFilter()),
        "gopher_quality": (OurQuality(), GopherQualityFilter()),
        "c4_quality": (OurC4(), C4QualityFilter()),
        "fineweb_quality": (OurFineWeb(), FineWebQualityFilter()),
    }


NAMES = ["gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]


@pytest.fixture(scope="module")
def english_docs() -> list[dict[str, str]]:
    return _english_docs()


@pytest.fixture(scope="module")
def datatrove_keeps(english_docs: list[dict[str, str]]) -> dict[str, list[bool]]:
    """datatrove's decisions, all filters on one document in a row: its word tokenizer caches
    the last texts, so the filters share one tokenization per document."""
    from datatrove.data import Document

    filters = {name: pair[1] for name, pair in _pairs().items()}
    keeps: dict[str, list[bool]] = {name: [] for name in filters}
    for doc in english_docs:
        for name, dt_filter in filters.items():
            dt_filter.stat_update = lambda *args, **kwargs: None
            result = dt_filter.filter(Document(text=doc["text"], id=doc["id"]))
            keeps[name].append(result is True or (isinstance(result, tuple) and result[0]))
    return keeps


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_same_decisions_as_datatrove(
    name: str, english_docs: list[dict[str, str]], datatrove_keeps: dict[str, list[bool]]
) -> None:
    ours = _pairs()[name][0]
    batch = pa.table(
        {"id": [d["id"] for d in english_docs], "text": [d["text"] for d in english_docs]}
    )
    our_keep = [r is None for r in ours(batch)[REJECT_REASON].to_pylist()]
    their_keep = datatrove_keeps[name]
    assert len(english_docs) == 500
    agreement = sum(a == b for a, b in zip(our_keep, their_keep, strict=True)) / len(english_docs)
    assert agreement >= 0.995, f"{name}: {agreement:.4f}"
    # both sides must actually reject something, or the comparison says little
    assert 0 < sum(our_keep) < len(english_docs)

"""The stage-family example of docs/stages.md runs as written and keeps the stage contract."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pyarrow as pa
import pytest

from refinery import stage as stage_module
from refinery.stage import REJECT_REASON
from tests.stages.batches import CHINESE_PROSE, ENGLISH_PROSE, make_batch

DOC = Path(__file__).resolve().parents[2] / "docs" / "stages.md"


@pytest.fixture
def example(monkeypatch) -> types.ModuleType:
    """The module of the example, executed from the doc, registered in a copy of the registry."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## A complete example") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "docs/stages.md lost its example"
    monkeypatch.setattr(stage_module, "_REGISTRY", dict(stage_module.registered_stages()))
    module = types.ModuleType("stages_doc_example")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(code.group(1), str(DOC), "exec"), module.__dict__)
    return module


def test_the_example_filters_english_and_chinese(example) -> None:
    cls = stage_module.get_stage("distinct_words")
    assert cls is example.DistinctWordsFilter
    stage = cls()
    texts = [
        ENGLISH_PROSE,
        "buy cheap pills now " * 30,
        CHINESE_PROSE,
        "便宜好药快来买" * 30,
        "",
        "!!! ...",
    ]
    out = stage(make_batch(texts))
    assert out[REJECT_REASON].to_pylist() == [
        None,
        "distinct_words_low_ratio",
        None,
        "distinct_words_low_ratio",
        None,
        None,
    ]
    assert out["distinct_words_chinese"].to_pylist() == [False, False, True, True, False, False]
    ratios = out["distinct_words_ratio"].to_pylist()
    assert ratios[1] == pytest.approx(4 / 120) and ratios[4] is None and ratios[5] is None
    assert out["extra"].to_pylist() == list(range(len(texts)))


def test_the_example_reads_its_thresholds_per_language(example) -> None:
    # CHINESE_PROSE has a distinct-character ratio between 0.2 and 0.9: a Chinese threshold
    # above it rejects it, the English one does not apply to it
    ratio = example.DistinctWordsFilter()(make_batch([CHINESE_PROSE]))["distinct_words_ratio"]
    assert 0.2 < ratio[0].as_py() < 0.9
    strict = example.DistinctWordsFilter(chinese={"min_distinct_ratio": 0.9})
    assert strict(make_batch([CHINESE_PROSE, ENGLISH_PROSE]))[REJECT_REASON].to_pylist() == [
        "distinct_words_low_ratio",
        None,
    ]
    as_english = example.DistinctWordsFilter(chinese=None, min_distinct_ratio=0.9)
    assert as_english(make_batch([CHINESE_PROSE]))[REJECT_REASON].to_pylist() == [
        "distinct_words_low_ratio"
    ]


def test_the_example_keeps_the_stage_contract(example, tiny_docs) -> None:
    stage = example.DistinctWordsFilter()
    empty = stage(tiny_docs.slice(0, 0))
    assert empty.num_rows == 0 and set(stage.writes()) <= set(empty.column_names)
    table = tiny_docs.append_column("extra_col", pa.array(range(tiny_docs.num_rows)))
    out = stage(table)
    assert out.num_rows == table.num_rows
    added = set(out.column_names) - set(table.column_names) - {REJECT_REASON}
    assert added == set(stage.writes())

"""Every heuristic stage on the awkward inputs: each returns every row, keeps other columns,
and either keeps a row or names a reason code of its own."""

from __future__ import annotations

import pytest

from refinery.stage import REJECT_REASON
from stages.heuristic.c4 import C4QualityFilter
from stages.heuristic.fineweb import FineWebQualityFilter
from stages.heuristic.gopher_quality import GopherQualityFilter
from stages.heuristic.gopher_repetition import GopherRepetitionFilter
from tests.stages.heuristic.conftest import CHINESE_PROSE, ENGLISH_PROSE, make_batch

EDGE_CASES = {
    "empty": "",
    "whitespace": " \n\t\r\n ",
    "only_punctuation": "!!! ... ??? ，。！？、；：「」",
    "one_long_line": "word" * 3000,
    "chinese_without_spaces": CHINESE_PROSE,
    "full_width_punctuation": "这是一个句子！那是另一个句子？还有第三个句子。“引号”（括号）【方括号】……",
    "mixed_scripts": CHINESE_PROSE
    + "使用 git commit 命令提交更改，然后用 git push 推送到远程仓库。",
    "english_with_chinese_terms": ENGLISH_PROSE.replace("museum", "museum (博物馆)"),
    "null_bytes_and_controls": "text\x00with\x07controls\x1f and more",
    "emoji_and_symbols": "🙂🙂 ★☆ ©® → ∑ " * 20,
}

STAGES = {
    "gopher_quality": (GopherQualityFilter, "gopher_"),
    "gopher_repetition": (GopherRepetitionFilter, "gopher_"),
    "c4_quality": (C4QualityFilter, "c4_"),
    "fineweb_quality": (FineWebQualityFilter, "fineweb_"),
}


@pytest.mark.parametrize("stage_name", list(STAGES))
def test_edge_cases_return_every_row_with_own_reason_codes(stage_name: str) -> None:
    cls, prefix = STAGES[stage_name]
    stage = cls()
    out = stage(make_batch(list(EDGE_CASES.values())))
    assert out.num_rows == len(EDGE_CASES)
    assert out["extra"].to_pylist() == list(range(len(EDGE_CASES)))
    assert set(stage.writes()) <= set(out.column_names)
    for case, reason in zip(EDGE_CASES, out[REJECT_REASON].to_pylist(), strict=True):
        assert reason is None or reason.startswith(prefix), (case, reason)


@pytest.mark.parametrize("stage_name", list(STAGES))
def test_empty_text_is_rejected(stage_name: str) -> None:
    cls, _ = STAGES[stage_name]
    assert cls()(make_batch([""]))[REJECT_REASON][0].as_py() is not None


@pytest.mark.parametrize("stage_name", ["gopher_quality", "gopher_repetition", "fineweb_quality"])
def test_chinese_and_mixed_prose_pass(stage_name: str) -> None:
    cls, _ = STAGES[stage_name]
    texts = [CHINESE_PROSE, EDGE_CASES["mixed_scripts"], EDGE_CASES["english_with_chinese_terms"]]
    assert cls()(make_batch(texts))[REJECT_REASON].to_pylist() == [None, None, None]


def test_null_text_is_read_as_empty() -> None:
    import pyarrow as pa

    batch = make_batch(["x"]).set_column(1, "text", pa.array([None], pa.string()))
    out = GopherQualityFilter()(batch)
    assert out[REJECT_REASON].to_pylist() == ["gopher_short_doc"]

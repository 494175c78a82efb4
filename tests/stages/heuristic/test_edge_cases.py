"""Every heuristic stage on the awkward inputs: each returns every row, keeps other columns,
keeps the prose and rejects the junk with the reason code of the rule that catches it."""

from __future__ import annotations

import pytest

from refinery.stage import REJECT_REASON
from stages.heuristic.c4 import C4QualityFilter
from stages.heuristic.fineweb import FineWebQualityFilter
from stages.heuristic.gopher_quality import GopherQualityFilter
from stages.heuristic.gopher_repetition import GopherRepetitionFilter
from tests.stages.batches import CHINESE_PROSE, ENGLISH_PROSE, make_batch

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


# The decision of each stage on each case (None: kept). Prose, Chinese or mixed, is kept;
# text without words or sentences is rejected by the first rule it fails.
EXPECTED = {
    "gopher_quality": {
        "empty": "gopher_short_doc",
        "whitespace": "gopher_short_doc",
        "only_punctuation": "gopher_short_doc",  # punctuation marks are not words
        "one_long_line": "gopher_short_doc",  # one word
        "chinese_without_spaces": None,
        "full_width_punctuation": "gopher_short_doc",  # 37 characters: under 80 words
        "mixed_scripts": None,
        "english_with_chinese_terms": None,
        "null_bytes_and_controls": "gopher_short_doc",
        "emoji_and_symbols": "gopher_below_avg_threshold",  # emoji are words of length 1
    },
    "gopher_repetition": {
        "empty": "gopher_empty",
        "whitespace": "gopher_dup_line_frac",  # " " twice among three lines
        "only_punctuation": "gopher_top_2_gram",
        "one_long_line": None,  # a single word repeats nothing
        "chinese_without_spaces": None,
        "full_width_punctuation": "gopher_top_4_gram",  # "个句子" three times in 37 characters
        "mixed_scripts": None,
        "english_with_chinese_terms": None,
        "null_bytes_and_controls": "gopher_top_2_gram",  # a short text: its first 2-gram
        "emoji_and_symbols": "gopher_top_2_gram",
    },
    "c4_quality": {
        "empty": "c4_too_few_sentences",
        "whitespace": "c4_too_few_sentences",
        "only_punctuation": "c4_too_few_sentences",
        "one_long_line": "c4_too_few_sentences",
        "chinese_without_spaces": None,
        "full_width_punctuation": "c4_too_few_sentences",  # ends in an ellipsis: dropped
        "mixed_scripts": None,
        "english_with_chinese_terms": "c4_too_few_sentences",  # 4 sentences, C4 wants 5
        "null_bytes_and_controls": "c4_too_few_sentences",
        "emoji_and_symbols": "c4_too_few_sentences",
    },
    "fineweb_quality": {
        "empty": "fineweb_empty",
        "whitespace": "fineweb_empty",
        "only_punctuation": "fineweb_line_punct_ratio",  # ends in "、；：「」"
        "one_long_line": "fineweb_line_punct_ratio",
        "chinese_without_spaces": None,
        "full_width_punctuation": "fineweb_line_punct_ratio",  # ends in "……"
        "mixed_scripts": None,
        "english_with_chinese_terms": None,
        "null_bytes_and_controls": "fineweb_line_punct_ratio",
        "emoji_and_symbols": "fineweb_line_punct_ratio",
    },
}


@pytest.mark.parametrize("stage_name", list(STAGES))
def test_edge_cases_return_every_row_with_the_expected_decision(stage_name: str) -> None:
    cls, prefix = STAGES[stage_name]
    stage = cls()
    out = stage(make_batch(list(EDGE_CASES.values())))
    assert out.num_rows == len(EDGE_CASES)
    assert out["extra"].to_pylist() == list(range(len(EDGE_CASES)))
    assert set(stage.writes()) <= set(out.column_names)
    decisions = dict(zip(EDGE_CASES, out[REJECT_REASON].to_pylist(), strict=True))
    assert decisions == EXPECTED[stage_name]
    assert all(reason is None or reason.startswith(prefix) for reason in decisions.values())


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

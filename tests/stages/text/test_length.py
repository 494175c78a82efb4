from __future__ import annotations

import pyarrow as pa
import pytest

from refinery.errors import ConfigError
from stages.text.length import LengthFilter, count_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("hello world", 2),
        ("我们今天去公园", 7),
        ("Refinery 支持中文", 5),
        ("don't stop", 3),
        ("，。！？……", 0),
        ("价格为 3.5 元", 6),
        ("naïve café über", 3),
        ("안녕하세요", 5),
        ("カタカナ", 4),
    ],
)
def test_count_words_is_cjk_aware(text, words):
    assert count_words(pa.array([text]))[0].as_py() == words


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty_text"),
        ("  \n ", "empty_text"),
        ("shor", "too_few_chars"),
        ("x" * 101, "too_many_chars"),
        ("tiny little sentence here", "too_few_words"),
        ("一二三四五六七八九十", None),
        ("一二三四", "too_few_chars"),
        (" ".join(["w"] * 30), "too_many_words"),
        ("a fine sentence with enough words", None),
    ],
)
def test_reasons(text, reason):
    f = LengthFilter(min_chars=5, max_chars=100, min_words=6, max_words=20)
    out = f(pa.table({"id": ["x"], "text": [text]}))
    assert out["reject_reason"][0].as_py() == reason


def test_annotations_and_split():
    f = LengthFilter(min_words=3)
    kept, rejected = f.split(pa.table({"id": ["a", "b"], "text": ["中文文本", "hi"]}))
    assert kept["id"].to_pylist() == ["a"]
    assert kept["length_filter_words"].to_pylist() == [4]
    assert kept["length_filter_chars"].to_pylist() == [4]
    assert rejected["reject_reason"].to_pylist() == ["too_few_words"]


def test_inverted_range_is_a_config_error():
    from refinery.config import validate_config

    with pytest.raises(ConfigError, match="max_chars 5 < min_chars 10"):
        validate_config(
            {
                "sources": [{"name": "s", "path": "a.jsonl"}],
                "stages": [{"stage": "length_filter", "min_chars": 10, "max_chars": 5}],
            }
        )

from __future__ import annotations

import pytest

from refinery.stage import REJECT_REASON
from stages.heuristic.fineweb import FineWebQualityFilter
from tests.stages.batches import CHINESE_PROSE, ENGLISH_PROSE, make_batch


def reasons(texts: list[str], **config) -> list[str | None]:
    return FineWebQualityFilter(**config)(make_batch(texts))[REJECT_REASON].to_pylist()


def test_keeps_prose_and_annotates() -> None:
    stage = FineWebQualityFilter()
    out = stage(make_batch([ENGLISH_PROSE, CHINESE_PROSE]))
    assert out[REJECT_REASON].to_pylist() == [None, None]
    assert out["fineweb_quality_line_punct_ratio"].to_pylist() == [1.0, 1.0]
    assert set(stage.writes()) <= set(out.column_names)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "fineweb_empty"),
        ("  \n\t\n ", "fineweb_empty"),
        (
            "\n".join(["a heading without punctuation at the end of it"] * 1 + ["x y z w"] * 9),
            "fineweb_line_punct_ratio",
        ),
        (
            "\n".join(["Short line."] * 1 + [f"Item {i}." for i in range(9)]),
            "fineweb_short_line_ratio",
        ),
        (ENGLISH_PROSE + "\n" + ENGLISH_PROSE, "fineweb_char_dup_ratio"),
        (
            "\n".join(f"This is a long enough line number {i} in a list." for i in range(3))
            + "\n" * 40,
            "fineweb_list_ratio",
        ),
    ],
)
def test_rules(text: str, reason: str) -> None:
    assert reasons([text]) == [reason]


def test_only_punctuation_and_one_long_line() -> None:
    assert reasons(["!!!", "x" * 5000 + "."]) == ["fineweb_short_line_ratio", None]


def test_chinese_lines_are_short_by_a_chinese_measure() -> None:
    lines = "\n".join(["这是一句完整的中文句子，它有二十个字左右。"] * 1)
    assert reasons([lines + "\n" + CHINESE_PROSE]) == [None]
    assert reasons(["\n".join(f"第{i}条。" for i in range(10))]) == ["fineweb_short_line_ratio"]


def test_line_punct_exclude_zero() -> None:
    # no line ends in punctuation: rejected, unless the flag spares such documents
    text = "\n".join(f"heading number {i} of this page has no punctuation at all" for i in range(3))
    assert reasons([text]) == ["fineweb_line_punct_ratio"]
    assert reasons([text], line_punct_exclude_zero=True) == [None]
    # a document with some punctuation below the threshold is still rejected
    some = text + "\n" + "\n".join(f"line {i} has no end but is long enough here" for i in range(8))
    some += "\nOnly this one line ends with a period, the others do not."
    assert reasons([some], line_punct_exclude_zero=True) == ["fineweb_line_punct_ratio"]


def test_empty_batch() -> None:
    stage = FineWebQualityFilter()
    out = stage(make_batch([]))
    assert out.num_rows == 0 and set(stage.writes()) <= set(out.column_names)

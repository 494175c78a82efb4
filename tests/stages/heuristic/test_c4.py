from __future__ import annotations

import pytest

from refinery.stage import REJECT_REASON
from stages.heuristic.c4 import C4QualityFilter
from tests.stages.heuristic.conftest import CHINESE_PROSE, ENGLISH_PROSE, make_batch

# five sentences: exactly C4's minimum
PROSE = ENGLISH_PROSE + " It is well worth a visit."

PAGE = "\n".join(
    [
        "Home | About | Contact",
        ENGLISH_PROSE,
        "This line has no terminal punctuation",
        "Too short.",
        "Please enable JavaScript to view the comments.",
        "By using this site you agree to our privacy policy.",
        "A citation follows here and it is fine.[1]",
    ]
)


def test_cleans_lines_of_kept_pages() -> None:
    stage = C4QualityFilter()
    out = stage(make_batch([PAGE]))
    assert out[REJECT_REASON].to_pylist() == [None]
    assert out["text"][0].as_py() == ENGLISH_PROSE + "\nA citation follows here and it is fine."
    assert out["c4_quality_lines_kept"][0].as_py() == 2
    assert out["c4_quality_lines_dropped"][0].as_py() == 5
    assert out["c4_quality_sentences"][0].as_py() >= 5
    assert out["extra"].to_pylist() == [0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "c4_too_few_sentences"),
        ("...!!!", "c4_too_few_sentences"),
        ("One short sentence here.", "c4_too_few_sentences"),
        (ENGLISH_PROSE + "\nLorem ipsum dolor sit amet.", "c4_lorem_ipsum"),
        (ENGLISH_PROSE + "\nThe value is {x} in the code.", "c4_curly_bracket"),
        ("x" * 5000 + ".", "c4_too_few_sentences"),
    ],
)
def test_page_rules(text: str, reason: str) -> None:
    assert C4QualityFilter()(make_batch([text]))[REJECT_REASON].to_pylist() == [reason]


def test_rejected_pages_keep_their_text() -> None:
    text = ENGLISH_PROSE + "\nLorem ipsum dolor sit amet."
    assert C4QualityFilter()(make_batch([text]))["text"][0].as_py() == text


def test_curly_bracket_in_a_dropped_line_does_not_reject() -> None:
    # the bracket check only sees lines that survived the punctuation and length checks
    out = C4QualityFilter()(make_batch([PROSE + "\nint main() {"]))
    assert out[REJECT_REASON].to_pylist() == [None]


def test_ellipsis_lines_are_dropped() -> None:
    out = C4QualityFilter()(make_batch([PROSE + "\nAnd then it went on and on..."]))
    assert out["text"][0].as_py() == PROSE


def test_chinese_lines_use_full_width_punctuation_and_character_words() -> None:
    page = "\n".join(["首页 | 关于我们", CHINESE_PROSE, "本网站使用cookie，详见隐私政策。", "好。"])
    out = C4QualityFilter()(make_batch([page]))
    assert out[REJECT_REASON].to_pylist() == [None]
    assert out["text"][0].as_py() == CHINESE_PROSE


def test_chinese_with_english_rules_loses_every_line() -> None:
    out = C4QualityFilter(chinese=None)(make_batch([CHINESE_PROSE]))
    assert out[REJECT_REASON].to_pylist() == ["c4_too_few_sentences"]


def test_empty_batch() -> None:
    stage = C4QualityFilter()
    out = stage(make_batch([]))
    assert out.num_rows == 0 and set(stage.writes()) <= set(out.column_names)

"""The substring tests in front of the English cue patterns skip only texts the patterns could
not match: every cue, in any case, still gives its name from the rule that reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stages.pii.names import load_lexicon
from stages.pii.names_cues import find_en_cued
from stages.pii.names_en import EN_NOT_NAME, EnglishNames
from stages.pii.patterns import Entity

LEX = load_lexicon()
GIVEN = LEX["en_given"]
KNOWN = (
    LEX["world_given"] | GIVEN | LEX["en_surnames"] | LEX["world_surnames"] | LEX["pinyin_surnames"]
)

CUED = [
    ("KIND REGARDS,\nAnna Kowalczyk", "Anna Kowalczyk"),
    ("Yours Sincerely,\nTomasz Nowak", "Tomasz Nowak"),
    ("Call me back.\nCheers,\nAnna", "Anna"),
    ("MY MOTHER Zainab Qureshi has power of attorney.", "Zainab Qureshi"),
    ("We write TO INFORM Peter Okonkwo that the loan is repaid.", "Peter Okonkwo"),
    ("The prospect, Amaru Quispe, asked for a call.", "Amaru Quispe"),
    ("Caller verified as Tavita Leota.", "Tavita Leota"),
    ("IT'S Vanya Basu - I had a missed call.", "Vanya Basu"),
    ("My Name Is Priya Raman and I am writing.", "Priya Raman"),
    ("Re: The Late Yashvi Wagle", "Yashvi Wagle"),
    ("1. Kavya Nair (Spouse) - 70%", "Kavya Nair"),
    ("THIS IS Daniel Okafor from the branch.", "Daniel Okafor"),
    ("Good morning, Daniel Okafor speaking.", "Daniel Okafor"),
    ("Daniel Okafor here, about the card.", "Daniel Okafor"),
    ("英文名: Daniel Okafor", "Daniel Okafor"),
]
CUE_WORDS = [
    ("CUSTOMER John Smithers called twice.", "John Smithers"),
    ("Signed On Behalf Of Mary Whitfield.", "Mary Whitfield"),
    ("I spoke with Daniel Okafor today.", "Daniel Okafor"),
]


def _names(text: str, found: list[Entity]) -> list[str]:
    return [text[e.start : e.end] for e in found]


@pytest.mark.parametrize(("text", "name"), CUED)
def test_each_cue_in_any_case_still_finds_its_name(text: str, name: str) -> None:
    assert name in _names(text, find_en_cued(text, GIVEN, EN_NOT_NAME, KNOWN))


@pytest.mark.parametrize(("text", "name"), CUE_WORDS)
def test_each_cue_word_in_any_case_still_finds_its_name(text: str, name: str) -> None:
    out: list[Entity] = []
    EnglishNames(GIVEN, LEX["en_surnames"], LEX["pinyin_surnames"], KNOWN).find(text, out)
    assert name in _names(text, out)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "name",
                "NAME",
                "Holder",
                "ſtaff",
                "İnvestor",
                "ınvestor",
                "\u212aey",
                "gue",
                "st",
                "客户",
                "客",
                "姓名",
                " ",
                "x",
                "é",
                "İ",
                "ſ",
                "-",
            ]
        ),
        max_size=8,
    ).map("".join)
)
def test_the_name_header_test_answers_as_its_pattern(text: str) -> None:
    """``_has_name_header`` (substring tests on folded text) says what the pattern's search
    says, for the characters case folding reads as ASCII letters too."""
    from stages.pii.names_keys import _NAME_HEADER, _has_name_header

    assert _has_name_header(text) == (_NAME_HEADER.search(text) is not None)

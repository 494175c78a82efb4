"""The first-character guard of the detector's patterns: the same matches, and no guard
where its set would not be exact (``stages.pii.rx``)."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stages.pii
from stages.pii.rx import first_chars, guarded


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(text)]


def test_the_set_is_read_from_alternations_classes_and_optional_parts():
    assert first_chars(r"\b(?:Counterparty|Donor)s?:") == "[CD]"
    assert first_chars(r"(?<![\w.])(?:No\.[ ])?\d") is None  # \d: a category, not read
    assert first_chars(r"(?:[Tt]he[ ])?[A-Z][a-z]+") == "[A-ZTt]"
    assert first_chars(r"[\u4e00-\u9fff]{2,4}先生") == "[\u4e00-\u9fff]"
    cls = first_chars(r"(?m)^[ \t]*Regards,")
    assert cls is not None
    assert {c for c in "\t Rrx\n" if re.fullmatch(cls, c)} == {"\t", " ", "R"}


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i:kelvin)",  # case folding adds K (U+212A) and others: not read
        r"(?i)street",
        r"a*",  # may match the empty string: a guard would forbid that match
        r"\w+@",
        r".x",
        r"(?>ab)c",
    ],
)
def test_no_guard_where_the_set_would_not_be_exact(pattern):
    assert first_chars(pattern) is None
    assert guarded(pattern).pattern == pattern


def test_global_flags_stay_at_the_start():
    rx = guarded(r"(?m)^Name:[ ](?P<name>[A-Z][a-z]+)$")
    assert rx.pattern.startswith("(?m)(?=")
    assert rx.findall("Name: Ann\nName: Bo") == ["Ann", "Bo"]


def test_case_folding_is_left_to_re():
    # with a guard of [k], (?i:k) would miss the capital and the Kelvin sign
    assert _matches(guarded(r"(?i:k)m"), "Km \u212am km") == _matches(
        re.compile(r"(?i:k)m"), "Km \u212am km"
    )


def test_an_empty_match_is_kept():
    assert [m.span() for m in guarded(r"x?").finditer("ab")] == [(0, 0), (1, 1), (2, 2)]


def _detector_patterns() -> list[tuple[str, int]]:
    """Every module-level pattern of the detector, as its source and flags."""
    found = []
    for info in pkgutil.iter_modules(stages.pii.__path__):
        module = importlib.import_module(f"stages.pii.{info.name}")
        for value in vars(module).values():
            if isinstance(value, re.Pattern):
                found.append((value.pattern, value.flags))
    return found


_PATTERNS = _detector_patterns()
_ALPHABET = "ab AZ.,:：;\n\t-'()0123456789王李芳张先生女士客户路号室省市区IBANSWIFT@Mr"


def test_most_of_the_detectors_patterns_are_guarded():
    guards = sum(p.startswith("(?=[") or "(?=[" in p[:12] for p, _ in _PATTERNS)
    assert guards >= len(_PATTERNS) // 2


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_every_detector_pattern_matches_as_without_its_guard(text):
    for pattern, flags in _PATTERNS:
        head = re.match(r"(?:\(\?[aiLmsux]+\))*", pattern).group()
        rest = pattern[len(head) :]
        if rest.startswith("(?=["):
            # the unguarded source: strip the guard and the group around the original
            close = rest.index("])(?:") + 2
            plain = re.compile(head + rest[close + 3 : -1], flags)
        else:
            plain = re.compile(pattern, flags)
        assert _matches(re.compile(pattern, flags), text) == _matches(plain, text), pattern


@pytest.mark.parametrize(
    "text",
    [
        "Send it to Flat 2, 18 Kings Road, Brighton BN1 2FA or studio 4, 9 Elm Close, Leeds LS6 4DZ.",
        "ſtudio 81b, Katie Lakes, North Tobyshire, S4 5PD",  # (?i:s) matches the long s
        "apt 3, 4821 Maple Ave, Kalamazoo, MI 49001; unit 7 12 Oak St, Dallas, TX 75201",
        "p.o. box 123, Springfield, IL 62701 and PSC 1234, Box 5678, APO AE 09204",
        "room 12, No. 98 Jin Road, Qiqihaer, Heilongjiang; suite 300, 1 Main Street, Boise, ID 83702",
    ],
)
def test_the_english_address_guard_changes_no_match(text):
    """``addresses_en`` sets its guard by hand (its lead words are case-insensitive): the
    guarded pattern finds what the pattern alone finds."""
    from stages.pii.addresses_en import _ADDRESS, ADDRESS_BODY

    assert _ADDRESS.pattern.startswith("(?=[")
    plain = re.compile(ADDRESS_BODY)
    assert _matches(_ADDRESS, text) == _matches(plain, text)
    assert _matches(plain, text)  # each text holds an address

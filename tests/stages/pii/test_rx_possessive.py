"""Possessive repeats in the detector's patterns (``stages.pii.rx_possessive``): the same
matches as ``re``'s greedy repeats, and possessive only where what follows cannot take back
a character of the repeat."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

import stages.pii.rx as rx_module
from stages.pii.rx_possessive import possessive

_REPEATED = [
    "[٣a]",
    "[a-z]",
    "[A-Z]",
    r"\d",
    r"\w",
    r"[\w.]",
    "[^,;]",
    "[ ]",
    r"\s",
    r"[^\n]",
    "a",
    ".",
]
_COUNTS = ["*", "+", "?", "{0,3}", "{1,2}", "{2,}"]
_AFTER = [
    "",
    "b",
    "[ ]?[:=]",
    r"\b",
    r"\b[a-z]",
    "$",
    r"\Z",
    r"(?=\d)",
    r"(?![\w-])",
    r"(?!\d)",
    "(?<=a)b",
    "(?:,|;)",
    "x?",
    r"(?:a|\d)",
    "(?P<g>[a-z])?",
    r"\B",
    "(?:[a-z]+,)*",
    "(?i:K)",
]
_WRAPS = ["{}", "({})", "(?:{})*", "(?=({}))", "(?:{}|z)", "(?>{})"]


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[object, ...]]:
    found = [(m.span(), m.groups()) for m in rx.finditer(text)]
    whole = rx.fullmatch(text)
    return [found, whole.span() if whole else None]


def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return rx_module._compiled(pattern, flags, rx_module._p.parse(pattern, flags), None)


@settings(max_examples=600, deadline=None)
@given(
    lead=st.sampled_from(["", "x", r"(?<![\w.])", "[A-Za-z]", "a?", "[٣]"]),
    repeated=st.sampled_from(_REPEATED),
    count=st.sampled_from(_COUNTS),
    after=st.sampled_from(_AFTER),
    wrap=st.sampled_from(_WRAPS),
    tail=st.sampled_from(["", "b", r"\d", "$"]),
    flags=st.sampled_from([0, re.IGNORECASE, re.ASCII, re.MULTILINE, re.DOTALL]),
    text=st.text(alphabet="aAbkKx1٣ ,;:=.\n-_\u212a\u017fé\U0001d7ce", max_size=24),
)
@example(r"(?<![\w.])", r"[\w.]", "{0,3}", "[ ]?[:=]", "{}", "", 0, "ab.c: x")
@example("", r"\d", "+", r"\b", "{}", "", 0, "12٣\U0001d7ce a")
@example("", "a", "*", r"(?<=a)b", "{}", "", 0, "aab")
def test_possessive_repeats_match_as_greedy_ones(
    lead, repeated, count, after, wrap, tail, flags, text
):
    """Any repeat of one character, before any of the constructs that may follow it (a class,
    an optional part, a boundary, a line's end, look-aheads and look-behinds, a group that may
    come again, another case folding), inside a group, a repeated group, a look-ahead, an
    alternation or an atomic group, under each flag: the same matches and groups as ``re``, and
    the same full match."""
    pattern = lead + wrap.format(repeated + count + after) + tail
    assert _matches(_compiled(pattern, flags), text) == _matches(re.compile(pattern, flags), text)


def _kinds(pattern: str, flags: int = 0) -> list[str]:
    """``P`` or ``G`` for each repeat of the pattern, in order, once made possessive or not."""
    parsed = rx_module._p.parse(pattern, flags)
    possessive(parsed, bool(flags & re.IGNORECASE), bool(flags & re.ASCII))
    out: list[str] = []

    def walk(data: list) -> None:
        for op, av in data:
            if op in (rx_module._c.MAX_REPEAT, rx_module._c.POSSESSIVE_REPEAT):
                out.append("P" if op is rx_module._c.POSSESSIVE_REPEAT else "G")
                walk(av[2].data)
            elif op is rx_module._c.SUBPATTERN:
                walk(av[3].data)

    walk(parsed.data)
    return out


def test_a_repeat_is_possessive_where_what_follows_cannot_take_its_characters():
    # a key's word before a colon, a name's word before a space, digits before a boundary
    assert _kinds(r"[A-Za-z][\w.]{0,40}[ ]?[:=]") == ["P", "P"]
    assert _kinds(r"[A-Z][a-z]+ [A-Z][a-z]+") == ["P", "P"]
    assert _kinds(r"\d+\b") == ["P"]
    assert _kinds(r"\w+$") == ["P"]
    assert _kinds(r"[a-z]*(?![\w-])") == ["P"]
    # what follows may take a character of the repeat, or is not read
    assert _kinds("a+a") == ["G"]
    assert _kinds(r"(?i:ab+)B") == ["G"]
    assert _kinds(r"[a-z]*\b") == ["G"]  # none at all: the boundary reads what came before
    assert _kinds(r"\d+\b", re.ASCII) == ["G"]  # \d holds more digits than an ASCII \b's \w
    assert _kinds(r"a+(?<=a)") == ["G"]
    assert _kinds("(?:[a-z]+,)*x") == ["G", "P"]  # the group may come again

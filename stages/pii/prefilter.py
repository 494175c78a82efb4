"""Patterns run only where they can match: a text without the words every match holds is not
scanned (``required``, ``holds``), and a rule whose match lies on one line is scanned only on
the lines that can hold it (``lines_with``, ``on_lines``), and a pattern that may open on any
character is tried only near what every match holds (``near``), and one whose matches start
at a line's start only where a line starts (``at_line_starts``).

``required`` reads the words from the parsed pattern (``re._parser``, as ``rx_sets.py`` reads
first characters): literal runs through groups, alternations, repeats of one or more and
look-arounds; case-insensitive parts are not read. The words are a necessary condition, so
the skip changes no match (``tests/stages/pii/test_rx.py`` checks every detector pattern).
"""

from __future__ import annotations

import re
import re._constants as _c
import re._parser as _p
import sys
from collections.abc import Iterator
from typing import Any

from stages.pii.rx import guarded, split_flags
from stages.pii.rx_sets import first_chars

__all__ = ["at_line_starts", "holds", "lines_with", "near", "on_lines", "required", "scan"]

#: The most words ``required`` answers with (each is one substring test of a text).
_MAX_WORDS = 12


def _required_seq(items: Any) -> set[str] | None:
    """Words one of which every match of the parsed sequence ``items`` holds (the longest
    that the sequence's parts give), or None."""
    sets: list[set[str]] = []
    word = ""
    for op, av in [*items, (None, None)]:
        if op is _c.LITERAL:
            word += chr(av)
            continue
        if word:
            sets.append({word})
            word = ""
        found = _required_item(op, av) if op is not None else None
        if found:
            sets.append(found)
    if not sets:
        return None
    return max(sets, key=lambda words: (min(map(len, words)), -len(words)))


def _required_item(op: Any, av: Any) -> set[str] | None:
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if (add_flags | del_flags) & (re.IGNORECASE | re.LOCALE):
            return None  # case folding: not read
        return _required_seq(sub)
    if op is _c.BRANCH:
        words: set[str] = set()
        for alternative in av[1]:
            found = _required_seq(alternative)
            if not found:
                return None
            words |= found
        # a word that holds another is found wherever its part is: the part alone suffices
        words = {w for w in words if not any(v != w and v in w for v in words)}
        return words if len(words) <= _MAX_WORDS else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _required_seq(av[2]) if av[0] >= 1 else None
    if op is _c.ASSERT:  # what a look-around reads is in the text too
        return _required_seq(av[1])
    if op is _c.ATOMIC_GROUP:
        return _required_seq(av)
    return None


def _read(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    parsed = _p.parse(rx.pattern, rx.flags)
    if (rx.flags | parsed.state.flags) & (re.IGNORECASE | re.LOCALE):
        return None
    words = _required_seq(parsed)
    return tuple(sorted(words)) if words else None


def _reads_this_python() -> bool:
    """Whether the standard library's parse trees read as ``_read`` expects: on the Python
    versions this was checked on, and only when probe patterns read as written."""
    if sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)):
        return False
    try:
        return (
            _read(re.compile(r"(?:两人|一起)\d+号(?=楼|室)")) == ("一起", "两人")
            and _read(re.compile(r"x(?=ab|cd)")) == ("ab", "cd")
            and _read(re.compile(r"(?i:ab)c?")) is None
        )
    except Exception:  # noqa: BLE001 - any failure means: read nothing, scan every text
        return False


_READS = _reads_this_python()


def required(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words one of which every match of ``rx`` holds, read from its parse (literal runs
    through groups, alternations, repeats of one or more and look-arounds; case-insensitive
    parts are not read), or None where none are read. A text that holds none of them (see
    ``holds``) needs no scan: ``rx`` finds nothing in it. Read once per pattern."""
    if not _READS:
        return None
    # by identity: a pattern's own hash reads its whole compiled program each time
    known = _WORDS_READ.get(id(rx))
    if known is None or known[0] is not rx:
        known = _WORDS_READ[id(rx)] = (rx, _read(rx))
    return known[1]


#: ``required``'s answers, by the pattern's id (with the pattern, so that a reused id is seen).
_WORDS_READ: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}


def holds(text: str, words: tuple[str, ...] | None) -> bool:
    """Whether ``text`` holds one of ``words`` (``required``'s answer; None: always)."""
    return words is None or any(w in text for w in words)


def scan(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, or nothing in a text without the words every match holds (for
    a rule that would try every character of a text, as one starting with a Chinese name)."""
    return rx.finditer(text) if holds(text, required(rx)) else iter(())


def near(
    rx: re.Pattern[str], text: str, anchor: re.Pattern[str], lead: int
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``'s matches, ``rx`` tried only where a match can start: from
    ``lead`` characters before a match of ``anchor``'s scan to that match's end, and there
    only on a character that a match of ``rx`` can start with (``_first``). For a pattern
    that matches no empty string and whose every match starts there (a rule that opens on any
    Chinese character and must reach an administrative unit or a road's number: a scan of the
    whole text would try every character)."""
    first = _first(rx)
    pos = 0  # where the next match may start
    for a in anchor.finditer(text):
        at = max(pos, a.start() - lead)
        end = a.end()
        while at < end:
            if first is not None:
                f = first.search(text, at, end)  # one character: the window's end cuts nothing
                if f is None:
                    at = end
                    break
                at = f.start()
            m = rx.match(text, at)
            if m is None:
                at += 1
                continue
            yield m
            at = m.end()  # never empty: ``rx`` matches no empty string
        pos = at  # every start before ``at`` was tried


def _first(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern of one character, a class of every first character of ``rx``'s matches
    (``rx_sets.first_chars``), or None where that set is not read; once per pattern."""
    known = _FIRST_READ.get(id(rx))
    if known is None or known[0] is not rx:
        chars = first_chars(rx.pattern, rx.flags)
        known = _FIRST_READ[id(rx)] = (rx, None if chars is None else re.compile(chars, rx.flags))
    return known[1]


#: ``_first``'s answers, by the pattern's id (with the pattern, so that a reused id is seen).
_FIRST_READ: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


def lines_with(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` that hold a match of ``rx`` (a pattern that matches within one
    line), each run of them as its start and the end after its last newline (one scan of a
    run finds what scans of its lines find, for a rule whose matches take no line break).
    The search goes on after each line found: the rest of a line is not scanned."""
    lines: list[tuple[int, int]] = []
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        pos = len(text) if end < 0 else end + 1
        if lines and lines[-1][1] == start:
            lines[-1] = (lines[-1][0], pos)  # the line after the last: the run goes on
        else:
            lines.append((start, pos))
    return lines


def on_lines(
    rx: re.Pattern[str], text: str, lines: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``'s matches for a rule whose every match lies on a line of
    ``lines`` (``lines_with``'s runs) and takes no line break: each run is scanned up to its
    last newline, which the rule's end still sees (a ``$`` there is met by the newline too)."""
    for start, end in lines:
        yield from rx.finditer(text, start, end)


def at_line_starts(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``'s matches for a pattern that opens on ``^`` in multi-line mode
    and matches no empty string: tried at the text's start and after each newline that a
    probe finds (the newline, then the pattern as a look-ahead: ``re`` looks for a literal
    first character quickly, while a pattern opening on ``^`` is tried at every character).
    A pattern that opens otherwise is scanned as it is."""
    probe = _line_probe(rx)
    if probe is None:
        yield from rx.finditer(text)
        return
    m = rx.match(text)
    pos = 0
    while True:
        if m is not None:
            yield m
            pos = m.end()  # never empty
        # a line that starts at ``pos`` follows the newline before it
        found = probe.search(text, max(pos - 1, 0))
        if found is None:
            return
        m = rx.match(text, found.end())


def _line_probe(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``\\n(?=<rx>)`` with ``rx``'s flags, where ``rx`` opens on a multi-line ``^`` and
    matches no empty string; else None. Once per pattern."""
    known = _PROBES.get(id(rx))
    if known is None or known[0] is not rx:
        known = _PROBES[id(rx)] = (rx, _probe(rx))
    return known[1]


def _probe(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    parsed = _p.parse(rx.pattern, rx.flags)
    if not (rx.flags | parsed.state.flags) & re.MULTILINE or parsed.getwidth()[0] == 0:
        return None
    items: Any = parsed
    while len(items) and items[0][0] is _c.SUBPATTERN:
        items = items[0][1][3]
    if not len(items) or items[0] != (_c.AT, _c.AT_BEGINNING):
        return None
    head, rest = split_flags(rx.pattern)
    return guarded(f"{head}\\n(?={rest})", rx.flags)


#: ``_line_probe``'s answers, by the pattern's id (with the pattern, so that a reused id is seen).
_PROBES: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}

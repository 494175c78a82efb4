"""``guarded``: ``re.compile`` with a first-character guard, for the detector's patterns.

Most of the detector's patterns are scanned over whole documents, and most start with an
alternation of words (``Counterparty|Donor|Attorneys?|...``) or a word boundary. Python's
``re`` then tries every alternative at every position of the text. When every match must
start with a character of a known set, ``(?=[set])`` in front of the pattern settles most
positions with one class test: the same matches at the same offsets, with the same groups
(a lookahead neither consumes nor captures), 7-14% less time over the whole detector
(docs/pii.md, "Speed").

The set is read from the parsed pattern (``re._parser``, the standard library's own parser).
Anything that the reading does not cover exactly leaves the pattern as it is: case-
insensitive parts (Unicode case folding adds characters such as ``ſ`` for ``s``), a pattern
that can match the empty string (the guard would forbid empty matches), ``\\w``-style
categories, ``.``, back-references, atomic groups, verbose patterns.
"""

from __future__ import annotations

import functools
import re
import re._constants as _c  # the standard library's own parser (Python 3.11+)
import re._parser as _p
from typing import Any

__all__ = ["first_chars", "guarded"]

_Ranges = list[tuple[int, int]]


class _Unread(Exception):
    """A construct whose first characters are not read here."""


def _first(items: Any) -> tuple[_Ranges, bool]:
    """The code-point ranges a match of the parsed sequence ``items`` can start with, and
    whether it can be empty."""
    ranges: _Ranges = []
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: the next item gives the first character
        if op is _c.LITERAL:
            ranges.append((av, av))
            return ranges, False
        if op is _c.IN:
            for sop, sav in av:
                if sop is _c.LITERAL:
                    ranges.append((sav, sav))
                elif sop is _c.RANGE:
                    ranges.append(sav)
                else:  # NEGATE, CATEGORY: not a finite set read here
                    raise _Unread
            return ranges, False
        if op is _c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & (re.IGNORECASE | re.VERBOSE):
                raise _Unread
            more, empty = _first(sub)
            ranges += more
            if not empty:
                return ranges, False
            continue
        if op is _c.BRANCH:
            empty_any = False
            for alternative in av[1]:
                more, empty = _first(alternative)
                ranges += more
                empty_any = empty_any or empty
            if not empty_any:
                return ranges, False
            continue
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, _high, sub = av
            more, empty = _first(sub)
            ranges += more
            if low > 0 and not empty:
                return ranges, False
            continue
        raise _Unread
    return ranges, True


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """A character class that holds every first character of a match of ``pattern``, or
    None when a match can be empty or the pattern holds what ``_first`` does not read."""
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        parsed = _p.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):  # also an inline (?i) at the start
            return None
        ranges, empty = _first(parsed)
    except _Unread:
        return None
    if empty or not ranges:
        return None
    parts = []
    for lo, hi in sorted(set(ranges)):
        a = re.escape(chr(lo))
        parts.append(a if lo == hi else f"{a}-{re.escape(chr(hi))}")
    return "[" + "".join(parts) + "]"


@functools.lru_cache(maxsize=1024)
def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, guarded by its first characters where they are read
    exactly (see the module's text); the same matches either way."""
    chars = first_chars(pattern, flags)
    if chars is None:
        return re.compile(pattern, flags)
    # global inline flags, (?m) and the like, must stay at the very start
    lead = _GLOBAL_FLAGS.match(pattern)
    head = lead.group() if lead else ""
    return re.compile(f"{head}(?={chars})(?:{pattern[len(head) :]})", flags)


_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")

"""The characters a regular expression's matches can start with, read from its parse
(``re._parser``, the standard library's own parser), for ``rx.guarded``'s skip and
``rx_tries``.

Literals, classes and ``\\d``/``\\w``/``\\s`` are read through alternations, optional parts and
look-arounds; a look-ahead that needs a character gives the set where it stands
(``(?=客户|我叫).``: 客 or 我). Case-insensitive parts add both cases of an ASCII letter and the
three non-ASCII characters that Unicode case folding pairs with one (``İ ı`` for i, the Kelvin
sign for k, ``ſ`` for s); a case-insensitive letter outside ASCII is not read. Anything not read
exactly gives no set: a pattern that can match the empty string, ``.``, a negated class,
back-references, atomic groups.
"""

from __future__ import annotations

import _sre
import re
import re._constants as _c
import re._parser as _p
from typing import Any

__all__ = [
    "ASCII_FOLDS",
    "CATEGORY_CLASS",
    "Item",
    "Unread",
    "char_class",
    "char_items",
    "first_chars",
    "first_of",
    "first_items",
]

#: One item of a character set in the parser's terms: (LITERAL, code point),
#: (RANGE, (low, high)) or (CATEGORY, category).
Item = tuple[Any, Any]

#: ASCII letters that Unicode case folding also pairs with a non-ASCII character.
ASCII_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}

CATEGORY_CLASS = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


class Unread(Exception):
    """A construct whose first characters are not read here."""


def char_items(low: int, high: int, icase: bool) -> list[Item]:
    """The characters ``low``..``high`` match, folded where ``icase``."""
    if not icase:
        return [(_c.LITERAL, low) if low == high else (_c.RANGE, (low, high))]
    if high < 128:
        out: set[str] = set()
        for cp in range(low, high + 1):
            ch = chr(cp)
            out |= {ch, ch.lower(), ch.upper(), *ASCII_FOLDS.get(ch.lower(), "")}
        return [(_c.LITERAL, ord(ch)) for ch in sorted(out)]
    # a character without case matches itself alone (no other character lowers to it)
    if any(_sre.unicode_iscased(cp) for cp in range(low, high + 1)):
        raise Unread
    return [(_c.LITERAL, low) if low == high else (_c.RANGE, (low, high))]


def first_of(items: Any, icase: bool) -> tuple[list[Item], bool]:
    """The set items a match of the parsed sequence ``items`` can start with, and whether it
    can be empty."""
    found: list[Item] = []
    for op, av in items:
        if op is _c.ASSERT and av[0] > 0:
            # a look-ahead: the character here is one it can start with (unless it can hold
            # the empty string, where it says nothing)
            more, empty = first_of(av[1], icase)
            if not empty:
                return found + more, False
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: the next item gives the first character
        if op is _c.LITERAL:
            return found + char_items(av, av, icase), False
        if op is _c.IN:
            for sop, sav in av:
                if sop is _c.LITERAL:
                    found += char_items(sav, sav, icase)
                elif sop is _c.RANGE:
                    found += char_items(sav[0], sav[1], icase)
                elif sop is _c.CATEGORY and sav in CATEGORY_CLASS:
                    found.append((sop, sav))
                else:  # NEGATE and the like: not a set that a union can hold
                    raise Unread
            return found, False
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & re.LOCALE:
                raise Unread
            inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            more, empty = first_of(sub, inner)
            found += more
            if not empty:
                return found, False
            continue
        if op is _c.BRANCH:
            empty_any = False
            for alternative in av[1]:
                more, empty = first_of(alternative, icase)
                found += more
                empty_any = empty_any or empty
            if not empty_any:
                return found, False
            continue
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, _high, sub = av
            more, empty = first_of(sub, icase)
            found += more
            if low > 0 and not empty:
                return found, False
            continue
        raise Unread
    return found, True


def first_items(parsed: Any, flags: int) -> list[Item] | None:
    if (flags | parsed.state.flags) & re.LOCALE:
        return None
    try:
        found, empty = first_of(parsed, bool((flags | parsed.state.flags) & re.IGNORECASE))
    except Unread:
        return None
    if empty or not found:
        return None
    return sorted(set(found), key=_order)


def _order(item: Item) -> tuple[int, int, str]:
    op, av = item
    if op is _c.CATEGORY:
        return (0, 0, str(av))
    return (1, av if op is _c.LITERAL else av[0], "")


def char_class(items: list[Item]) -> str:
    parts = []
    for op, av in items:
        if op is _c.CATEGORY:
            parts.append(CATEGORY_CLASS[av])
        elif op is _c.LITERAL:
            parts.append(re.escape(chr(av)))
        else:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
    return "[" + "".join(parts) + "]"


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """A character class that holds every first character of a match of ``pattern``, or
    None when a match can be empty or the pattern holds what ``first_of`` does not read."""
    items = first_items(_p.parse(pattern, flags), flags)
    return None if items is None else char_class(items)

"""Possessive repeats for ``rx.guarded``: a greedy repeat of one character that what follows it
can never start with is made possessive (``[\\w.]{0,40}`` before ``[ ]?[:=]``), so that ``re``
does not give its characters back one at a time when the rest fails.

At a word that no colon follows, ``(?P<key>[A-Za-z][\\w.]{0,40})[ ]?[:=]`` reads the word,
fails at its end, then gives back a character and fails again, as many times as the word is
long; made possessive, the repeat fails once. The matches stay the same: what follows the
repeat must start with a character outside the repeat's set (or end the pattern), so a
shorter repeat leaves a character of the set next, where what follows fails again. Engines
with their own compilers do this themselves (auto-possessification); ``re`` does not.

A repeat is left as it is where what follows it is not read exactly: a zero-width test (a
look-around, ``\\b``, ``$``), a back-reference, or the end of a repeated group's body (where
the body may come again). Whether two character sets meet is decided by the characters
themselves (``_meet``): listed ones are tried against the other set, large ones compared over
the Basic Multilingual Plane, and two that may both hold characters beyond it are taken to
meet.
"""

from __future__ import annotations

import functools
import re
import re._constants as _c
import re._parser as _p
from typing import Any

from stages.pii.rx_sets import CATEGORY_CLASS, Unread, char_class, char_items

__all__ = ["possessive"]

#: One character's matchers in the parser's terms.
_SINGLE = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)
#: Where a pattern (or a look-ahead, or an atomic group) ends: what follows is no concern.
_END = ("end",)
#: Listed sets of up to this many characters are tried character by character.
_LISTED = 4096


class _Unread(Exception):
    """What follows a repeat is not read here."""


def possessive(items: Any, icase: bool, ascii_only: bool) -> None:
    """Makes possessive, in the parsed pattern ``items``, each greedy repeat of one character
    whose set meets no first character of what follows it (see the module's text);
    ``ascii_only``: the pattern's ``\\b`` is ASCII's."""
    _walk(items.data, icase, _END, ascii_only)


def _walk(data: list[Any], icase: bool, cont: Any, ascii_only: bool) -> None:
    """``cont``: what follows the sequence ``data`` (a frame ``(data, index, icase, cont)``,
    ``_END``, or None where it is not known)."""
    for k, (op, av) in enumerate(data):
        after = (data, k + 1, icase, cont)
        if op is _c.MAX_REPEAT:
            low, high, body = av
            one = body.data[0] if len(body.data) == 1 else None
            if one is not None and one[0] in _SINGLE:
                if low != high and _alone(one, icase, after, (low, ascii_only)):
                    data[k] = (_c.POSSESSIVE_REPEAT, av)
                continue
            _walk(
                body.data, icase, None, ascii_only
            )  # the body may come again: what follows is not known
        elif op in (_c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            _walk(av[2].data, icase, None, ascii_only)
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            _walk(sub.data, inner, after, ascii_only)
        elif op is _c.BRANCH:
            for alternative in av[1]:
                _walk(alternative.data, icase, after, ascii_only)
        elif op in (_c.ASSERT, _c.ASSERT_NOT) and av[0] > 0:
            _walk(av[1].data, icase, _END, ascii_only)  # a look-ahead's body ends its own match
        elif op is _c.ATOMIC_GROUP:
            _walk(
                av.data, icase, _END, ascii_only
            )  # the group's first match is kept, whatever follows


#: The repeated set, its case folding, its least count and whether ``\\b`` is ASCII's.
_Mine = tuple[str, bool, int, bool]


def _alone(one: tuple[Any, Any], icase: bool, cont: Any, how: tuple[int, bool]) -> bool:
    """Whether the character matcher ``one`` meets no first character of ``cont``, and no
    zero-width test there passes with one of its characters next."""
    firsts: list[tuple[str, bool]] = []
    try:
        mine = (_class(one), icase, *how)
        _firsts(cont, firsts, mine)
    except _Unread:
        return False
    return not any(_meet(mine[0], icase, cls, ic) for cls, ic in firsts)


def _firsts(cont: Any, out: list[tuple[str, bool]], mine: _Mine) -> None:
    """The first characters of what ``cont`` matches, as classes and their case folding;
    raises ``_Unread`` where they are not read."""
    while cont is not _END:
        if cont is None:
            raise _Unread
        data, index, icase, cont = cont
        if not _seq_firsts(data[index:], icase, out, mine):
            return


def _seq_firsts(data: list[Any], icase: bool, out: list[tuple[str, bool]], mine: _Mine) -> bool:
    """Adds the first characters of ``data``'s matches; whether they can be empty."""
    for op, av in data:
        if not _item_firsts(op, av, icase, out, mine):
            return False
    return True


def _item_firsts(op: Any, av: Any, icase: bool, out: list[tuple[str, bool]], mine: _Mine) -> bool:
    if op in _SINGLE:
        out.append((_class((op, av)), icase))
        return False
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        if _fails_before(op, av, icase, out, mine):
            return False  # with a character of the repeat's next, it fails: no place further
        raise _Unread
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if (add_flags | del_flags) & re.LOCALE:
            raise _Unread
        inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
        return _seq_firsts(sub.data, inner, out, mine)
    if op is _c.BRANCH:
        empty = False
        for alternative in av[1]:
            empty = _seq_firsts(alternative.data, icase, out, mine) or empty
        return empty
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _seq_firsts(av[2].data, icase, out, mine) or av[0] == 0
    if op is _c.ATOMIC_GROUP:
        return _seq_firsts(av.data, icase, out, mine)
    raise _Unread  # a zero-width test, a back-reference ...


def _fails_before(op: Any, av: Any, icase: bool, out: list[tuple[str, bool]], mine: _Mine) -> bool:
    """Whether the zero-width test ``(op, av)`` fails wherever a character of the repeat's set
    comes next and (for ``\\b``) one came before; a look-ahead that needs a character adds
    its first characters to ``out`` instead."""
    cls, my_icase, low, ascii_only = mine
    if op is _c.AT:
        if av is _c.AT_BOUNDARY:  # word characters on both sides: no boundary
            return low >= 1 and not ascii_only and _within(cls, my_icase, r"\w", False)
        if av is _c.AT_END:  # $: the end, or a line break next
            return not _meet(cls, my_icase, re.escape("\n"), False)
        return av is _c.AT_END_STRING
    direction, body = av
    if direction < 0:
        return False  # a look-behind reads what the repeat gave back
    if op is _c.ASSERT:
        return not _seq_firsts(body.data, icase, out, mine)
    one = body.data[0] if len(body.data) == 1 else None
    # (sets read without ASCII's narrower categories: one inside another may not be, read so)
    return (
        not ascii_only
        and one is not None
        and one[0] in _SINGLE
        and _within(cls, my_icase, _class(one), icase)
    )


def _class(one: tuple[Any, Any]) -> str:
    """A class of the characters one matcher takes (``.`` as any character at all)."""
    op, av = one
    return _written(op, tuple(av) if op is _c.IN else av)


@functools.cache
def _written(op: Any, av: Any) -> str:
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is _c.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"
    if op is _c.ANY:
        return r"[\s\S]"
    negated = bool(av) and av[0][0] is _c.NEGATE
    items = list(av[1:] if negated else av)
    if any(
        sop not in (_c.LITERAL, _c.RANGE, _c.CATEGORY)
        or (sop is _c.CATEGORY and sav not in CATEGORY_CLASS)
        for sop, sav in items
    ):
        raise _Unread
    written = char_class(items)
    return "[^" + written[1:] if negated else written


@functools.cache
def _meet(a: str, a_icase: bool, b: str, b_icase: bool) -> bool:
    """Whether the classes ``a`` and ``b`` (their case folding each) hold a common character."""
    listed_a, listed_b = _listed(a, a_icase), _listed(b, b_icase)
    if listed_a is not None or listed_b is not None:
        chars, other = (
            (listed_a, (b, b_icase)) if listed_a is not None else (listed_b, (a, a_icase))
        )
        test = _compiled(*other)
        return any(test.fullmatch(ch) for ch in chars or ())
    if _bmp(a, a_icase) & _bmp(b, b_icase):
        return True
    return _beyond(a) and _beyond(b)


#: Which categories hold which (a decimal digit is a word character).
_HOLDS = {"d": {"d", "w"}, "w": {"w"}, "s": {"s"}}


def _within(a: str, a_icase: bool, b: str, b_icase: bool) -> bool:
    """Whether every character of the class ``a`` is one of ``b``'s: categories by what holds
    them (``\\d`` is in ``\\w``), the other characters one by one."""
    if not a.startswith("[^") and not b.startswith("[^") and "\\\\" not in a + b:
        mine = {m.group()[-1] for m in _CATEGORY.finditer(a)}
        theirs = {m.group()[-1] for m in _CATEGORY.finditer(b)}
        if mine and all(_HOLDS.get(c, set()) & theirs for c in mine):
            a = _CATEGORY.sub("", a)
            if a in ("[]", ""):
                return True
    listed = _listed(a, a_icase)
    if listed is not None:
        test = _compiled(b, b_icase)
        return all(test.fullmatch(ch) for ch in listed)
    return not _beyond(a) and _bmp(a, a_icase) <= _bmp(b, b_icase)


@functools.cache
def _compiled(cls: str, icase: bool) -> re.Pattern[str]:
    return re.compile(cls, re.IGNORECASE if icase else 0)


#: A category in a class (``\d``, ``\W`` ...).
_CATEGORY = re.compile(r"(?<!\\)(?:\\\\)*\\[dDwWsS]")


@functools.cache
def _listed(cls: str, icase: bool) -> frozenset[str] | None:
    """Every character ``cls`` takes, where it lists them (no negation, no category, at most
    ``_LISTED``; under case folding the cased letters ASCII only, with their folds as
    ``rx_sets.char_items`` gives them), else None. Read from its parse."""
    parsed = _p.parse(cls).data
    if len(parsed) != 1 or parsed[0][0] not in (_c.LITERAL, _c.IN):
        return None
    op, av = parsed[0]
    items = [(op, av)] if op is _c.LITERAL else av
    chars: set[str] = set()
    for sop, sav in items:
        if sop not in (_c.LITERAL, _c.RANGE):
            return None  # a negation, a category
        low, high = (sav, sav) if sop is _c.LITERAL else sav
        try:
            folded = char_items(low, high, icase)  # a letter's other cases and folds (ASCII)
        except Unread:
            return None  # a cased letter beyond ASCII: its folds are not listed here
        for fop, fav in folded:
            first, last = (fav, fav) if fop is _c.LITERAL else fav
            if last - first + len(chars) > _LISTED:
                return None
            chars.update(chr(cp) for cp in range(first, last + 1))
    test = _compiled(cls, icase)
    return frozenset(ch for ch in chars if test.fullmatch(ch))


#: Every character of the Basic Multilingual Plane but the surrogates, once.
_ALL_BMP = "".join(chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF)


@functools.cache
def _bmp(cls: str, icase: bool) -> frozenset[str]:
    return frozenset(_compiled(cls, icase).findall(_ALL_BMP))


def _beyond(cls: str) -> bool:
    """Whether ``cls`` may take a character beyond the Basic Multilingual Plane."""
    return (
        cls.startswith("[^") or bool(_CATEGORY.search(cls)) or any(ord(ch) > 0xFFFF for ch in cls)
    )

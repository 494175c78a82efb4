"""North American phone numbers written in full: trunk prefix and extension included.

The run scanner of ``patterns`` reads the ten digits of ``(817) 297-0836``; people also write
``1-569-000-7855``, ``+1 415-666-7777``, ``338.365.1770`` and ``806-864-8915 x807``. This pass
takes the whole written span, so that the prefix and the extension are masked with the number;
where both report a number, the detector keeps the longer span.

The run scanner joins digits by spaces and hyphens, not by dots (``1.234,56`` is an amount);
numbers after a country code are also written with dots (``+687 20.12.34``, ``+33 1.23.45.67.89``,
``+68775.12.34``): ``find_dotted_phones`` reads those.
"""

from __future__ import annotations

import re

from stages.pii.patterns import _NOT_PII_CTX, Entity, _context
from stages.pii.phones import PHONE_CTX as _PHONE_CTX
from stages.pii.rx import guarded

__all__ = ["find_dotted_phones", "find_nanp_phones"]

#: A North American number as people write it in full: an optional trunk ``1``/``+1``/``001``,
#: the area code (bracketed or not), exchange and line joined by one kind of separator, and an
#: optional extension (``x928``, ``ext. 503``). The run scanner reads the 10 digits; this pass
#: takes the whole span so that the prefix and the extension are masked with it.
_NANP_FULL = guarded(
    r"(?<![\w+.-])(?P<trunk>(?:\+?1|001)(?P<tsep>[-. ]?))?"
    r"(?:\((?P<pa>\d{3})\)[ ]?|(?P<a>\d{3})(?P<s1>[-. ]))(?P<x>\d{3})(?P<s2>[-. ])\d{4}"
    r"(?P<ext>[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?(?![\w-]|\.\d)"
)
#: Toll-free area codes: company service lines, not a person's number; and 400, which NANP
#: has not assigned and China's company service lines start with (400-820-8888).
_NANP_TOLL_FREE = frozenset("800 888 877 866 855 844 833 400".split())


def _nanp_phone(text: str, m: re.Match[str]) -> bool:
    area = m.group("pa") or m.group("a")
    if area in _NANP_TOLL_FREE:
        return False
    ctx = _context(text, m.start())
    if _NOT_PII_CTX.search(ctx):
        return False
    s1, s2 = m.group("s1"), m.group("s2")
    if s1 is not None and s1 != s2 and not (s1 == " " and s2 == "-"):
        return False  # 212.555-0100: mixed separators are not how a number is written
    cue = bool(_PHONE_CTX.search(ctx))
    if s2 == " " and not cue:
        return False  # 661 605 9181: three space-separated groups need a phone word
    nanp_valid = area[0] in "23456789" and m.group("x")[0] in "23456789"
    return nanp_valid or cue


def find_nanp_phones(text: str) -> list[Entity]:
    """North American numbers in ``text`` with their trunk prefix and extension."""
    return [
        Entity(m.start(), m.end(), "PHONE")
        for m in _NANP_FULL.finditer(text)
        if _nanp_phone(text, m)
    ]


#: A country code and a number whose groups dots join, the last of two digits (a thousands
#: separator's groups have three: ``+12.345.678`` is an amount).
_DOTTED = guarded(
    r"(?<![0-9A-Za-z+.])\+\d{1,3}(?:[ ]?\d{1,5})?(?:\.\d{2,3}){1,4}\.\d{2}(?![0-9A-Za-z]|[.,]\d)"
)


def find_dotted_phones(text: str) -> list[Entity]:
    """International numbers in ``text`` whose groups dots join (``+687 20.12.34``): eight to
    fifteen digits, not in a context that names something else (a reference, an amount)."""
    if "+" not in text:
        return []
    out: list[Entity] = []
    for m in _DOTTED.finditer(text):
        digits = "".join(c for c in m.group() if c.isdigit())
        if (
            8 <= len(digits) <= 15
            and digits[0] != "0"
            and not _NOT_PII_CTX.search(_context(text, m.start()))
        ):
            out.append(Entity(m.start(), m.end(), "PHONE"))
    return out

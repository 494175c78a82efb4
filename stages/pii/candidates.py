"""The identifier scan's candidates: e-mail addresses, IP addresses and *runs* of digits and
upper-case letters (``patterns.py`` classifies them), in the order one scan of the forms as
alternatives finds them, e-mail first.

The e-mail form starts at any letter or digit, so ``re`` would try it at nearly every place of
a text; the addresses are found from their @ signs instead and merged with a scan of the other
forms, each address taking the place where it starts from them (``candidates``); a text without
an @, two colons with only hexadecimal digits between them or four numbers joined by dots is
scanned without the e-mail, IPv6 or IPv4 form.
"""

from __future__ import annotations

import re
from itertools import compress, product

from stages.pii.rx import guarded

__all__ = ["candidates"]

_EMAIL_FORM = r"""
    (?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}
        @(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-]))"""
_IPV6_FORM = r"""
    (?P<ipv6>(?<![0-9A-Za-z:.])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)
        (?:[0-9A-Fa-f]{1,4}|:)(?::(?!(?:\d{1,3}\.){3}\d)[0-9A-Fa-f]{0,4}){0,7}
        (?::(?:\d{1,3}\.){3}\d{1,3}(?![0-9]))?(?:%[0-9A-Za-z]{1,15})?(?:/\d{1,3}(?![0-9]))?
        (?![0-9A-Za-z:]|\.\d))"""
_IPV4_FORM = r"""
    (?P<ipv4>(?<![0-9A-Za-z.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9A-Za-z]|\.\d)(?:/\d{1,2}(?![0-9]))?)"""
_RUN_FORM = r"""
    (?P<run>(?<![A-Za-z0-9@])(?![(（]\+?(?:\d{1,3}\.){3}\d)
        (?:\+|[(（]\+?)?[0-9A-Z]+x?[)）]?
        (?:(?:[ \u00a0]?-[ \u00a0]?|[ \u00a0]{1,2}|(?<=[)）])|(?=\(0\)\d))(?!(?:\d{1,3}\.){3}\d|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:)[(（]?[0-9A-Z]+x?[)）]?)*)"""
#: The candidate scan, by which of its first three forms a text can hold: an e-mail address
#: needs an @, an IPv6 address two colons, an IPv4 address three dots. Without the forms a text
#: cannot hold, the scan finds the same with fewer places to try.
_CANDIDATES = {
    on: guarded(
        "|".join([*compress((_EMAIL_FORM, _IPV6_FORM, _IPV4_FORM), on), _RUN_FORM]), re.VERBOSE
    )
    for on in product((False, True), repeat=3)
}


#: What an IPv6 address holds (two colons with only hexadecimal digits between: its look-ahead
#: asks for them) and what an IPv4 address holds (four numbers joined by dots, the first and the
#: last cut to their digits beside the dots); a text without them is scanned without the form.
#: Both patterns open on a rare character (a colon, a dot), where the forms open on every digit
#: and a to f.
_IPV6_HINT = guarded(r":[0-9A-Fa-f]*:")
_IPV4_HINT = guarded(r"(?<=\d)\.\d{1,3}\.\d{1,3}\.\d")

#: An e-mail address alone (the candidate scan's first form).
_EMAIL = guarded(_EMAIL_FORM, re.VERBOSE)
#: The characters of an address's local part; the first is a letter or a digit.
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")


def _emails(text: str) -> list[re.Match[str]]:
    """The e-mail addresses ``_EMAIL`` matches, found from their @ signs: an address starts
    where the run of local-part characters before its @ starts (its look-behind refuses any
    place inside the run), at most 64 characters before it."""
    out = []
    at = text.find("@")
    while at >= 0:
        start = at
        while start > 0 and at - start <= 64 and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        m = _EMAIL.match(text, start) if at - start <= 64 else None
        if m is not None:
            out.append(m)
        at = text.find("@", at + 1)
    return out


def candidates(text: str) -> list[re.Match[str]]:
    """The candidate scan's matches, in order: the scan with the e-mail form first among its
    alternatives, without scanning for that form (its first characters are every letter):
    e-mail addresses come from their @ signs, the other forms from the scan without it, and
    each address takes the place where it starts from the other forms."""
    scan = _CANDIDATES[
        False,
        text.count(":") >= 2 and _IPV6_HINT.search(text) is not None,
        text.count(".") >= 3 and _IPV4_HINT.search(text) is not None,
    ]
    if "@" not in text:
        return list(scan.finditer(text))
    out: list[re.Match[str]] = []
    pos = 0  # where the next match may start
    for email in _emails(text):
        if email.start() < pos:
            continue  # it starts inside a match taken before: never tried there
        # the other forms' matches before the address; a match tried at a place is the same
        # whatever place the scan started from, so the scan resumes after the address
        for other in scan.finditer(text, pos):
            if other.start() >= email.start():
                break
            out.append(other)
            pos = other.end()
        if email.start() >= pos:
            out.append(email)
            pos = email.end()
    out += scan.finditer(text, pos)
    return out

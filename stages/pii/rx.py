"""``guarded``: ``re.compile`` for the detector's patterns, with three speed-ups ``re`` lacks.

Most of the detector's patterns are scanned over whole documents, and most start with an
alternation of words (``Counterparty|Donor|Attorneys?|...``), a word boundary or a look-behind.

1. **A first-character skip.** Python's ``re`` skips ahead to a possible start only when a
   pattern starts with a literal, a class or an alternation of literals; otherwise it runs the
   whole matcher at every position of the text (about 10 ns a character for a pattern that
   fails at once, 2.5 ns with the skip). When every match must start with a character of a
   known set, ``guarded`` gives the compiled pattern that set as its skip, in the form ``re``
   tests fastest: one character as a literal prefix (a tight loop of ``re``'s own), more as one
   bitmap of the characters below U+10000 (``re`` tests a set's parts one after another, and
   \\d, \\w or \\s by a Unicode lookup each time: ``(?<![\\w-])\\d{3}Q`` scans 1,000
   characters of English in 7.4 µs, 11.7 µs with the parts tested in turn), and one range for
   all characters beyond (where the skip may stop in vain; the match is still tried).
2. **Word tries.** An alternation of literal words is tried one word after another; ``re``
   rejects a word at its first character cheaply only when that character is a case-sensitive
   literal or class. Alternations become tries of the same words in the same order of
   preference (``rx_tries``).
3. **Possessive repeats.** A greedy repeat of one character that what follows it cannot start
   with is made possessive (``[\\w.]{0,40}`` before ``[ ]?[:=]``): ``re`` no longer gives its
   characters back one at a time when the rest fails (``rx_possessive``).

Either way: the same matches at the same offsets with the same groups, and the source
(``.pattern``) unchanged.

The first-character set is read from the parsed pattern (``rx_sets``); a pattern whose set is
not read exactly gets no skip.

All are built in the compiled program (``re._compiler``'s own encoding: the info block ``re``
gives a pattern that starts with a class, and its parse tree) on the Python versions this was
checked on, and only when a probe pattern runs as ``re`` runs it; elsewhere a pattern gets
``(?=[set])`` in front instead (fewer positions settled per class test, the same matches).
"""

from __future__ import annotations

import _sre
import functools
import re
import re._compiler as _k  # the standard library's own compiler (Python 3.11+)
import re._constants as _c
import re._parser as _p
import sys
from typing import Any

from stages.pii.rx_possessive import possessive
from stages.pii.rx_sets import CATEGORY_CLASS, Item, char_class, first_chars, first_items
from stages.pii.rx_tries import with_tries

__all__ = ["first_chars", "fold", "folded", "guarded", "split_flags"]


def _compiled(pattern: str, flags: int, parsed: Any, items: list[Item] | None) -> re.Pattern[str]:
    """``pattern`` compiled from its parse with the word tries, and with ``items`` as the set
    its search skips to where its program takes one (no literal prefix, no zero width)."""
    all_flags = flags | parsed.state.flags
    with_tries(parsed, bool(all_flags & re.IGNORECASE), parsed.state)
    possessive(parsed, bool(all_flags & re.IGNORECASE), bool(all_flags & re.ASCII))
    code = _k._code(parsed, flags)
    if items and code[0] is _c.INFO and code[2] in (0, _c.SRE_INFO_CHARSET) and code[3] > 0:
        # the info block: INFO, its length, the flags, min and max width, then the skip
        info = [_c.INFO, 0, *_skip(items, all_flags, code[3], code[4])]
        info[1] = len(info) - 1
        code = info + code[1 + code[1] :]
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    compiled: re.Pattern[str] = _sre.compile(
        pattern,
        all_flags,
        code,
        parsed.state.groups - 1,
        parsed.state.groupdict,
        tuple(indexgroup),
    )
    return compiled


def _skip(items: list[Item], flags: int, low: int, high: int) -> list[int]:
    """The info block's flags, widths and skip for a match that starts with a character of
    ``items``. One character: a literal prefix that the match starts at, not after (``re``
    finds it with a tight loop of its own); more: one bitmap of the characters below U+10000
    (\\d, \\w and \\s spelled out: ``re`` tests a class's parts one after another, a
    category by a lookup of its own), and any character beyond them (the skip may stop where
    no match starts; the match is still tried there)."""
    chars, beyond = _bmp_chars(items, flags)
    if len(chars) == 1 and not beyond:
        # prefix length 1, skip 0 (the match is run from the character), the overlap table
        return [_c.SRE_INFO_PREFIX, low, high, 1, 0, chars[0], 0]
    out = [_c.SRE_INFO_CHARSET, low, high]
    charmap = bytearray(0x10000 if chars and chars[-1] >= 256 else 256)
    for cp in chars:
        charmap[cp] = 1
    if len(charmap) == 256:
        out += [_c.CHARSET, *_k._mk_bitmap(charmap)]
    else:
        # a block number for each 256 characters, the distinct blocks as bitmaps (as
        # ``re._compiler`` builds a big set)
        blocks: dict[bytes, int] = {}
        mapping = bytearray(256)
        data = bytearray()
        for k in range(256):
            chunk = bytes(charmap[k * 256 : (k + 1) * 256])
            if chunk not in blocks:
                blocks[chunk] = len(blocks)
                data += chunk
            mapping[k] = blocks[chunk]
        out += [
            _c.BIGCHARSET,
            len(blocks),
            *_k._bytes_to_codes(mapping),
            *_k._mk_bitmap(data),
        ]
    if beyond:
        out += [_c.RANGE, 0x10000, sys.maxunicode]
    out.append(_c.FAILURE)
    return out


def _bmp_chars(items: list[Item], flags: int) -> tuple[list[int], bool]:
    """The characters below U+10000 of the set ``items``, in order, and whether it holds any
    beyond them."""
    found: set[int] = set()
    beyond = False
    for op, av in items:
        if op is _c.LITERAL:
            if av < 0x10000:
                found.add(av)
            else:
                beyond = True
        elif op is _c.RANGE:
            found.update(range(av[0], min(av[1], 0xFFFF) + 1))
            beyond = beyond or av[1] >= 0x10000
        else:  # a category: what ``re`` matches with it under these flags
            found.update(_category_chars(av, bool(flags & re.ASCII)))
            beyond = True
    return sorted(found), beyond


@functools.cache
def _category_chars(category: Any, ascii_only: bool) -> frozenset[int]:
    rx = re.compile(CATEGORY_CLASS[category], re.ASCII if ascii_only else 0)
    return frozenset(ord(ch) for ch in rx.findall("".join(map(chr, range(0x10000)))))


def _skip_works() -> bool:
    """Whether ``_compiled`` builds programs this interpreter runs as ``re`` runs the source."""
    if sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)):
        return False
    try:
        probe = r"(?<!\w)(?:Ms|Mr)\.?[ ](?P<n>[A-Z]\w+)|\b\d{2}(?i:x|st|street|sq)"
        parsed = _p.parse(probe, 0)
        fast = _compiled(probe, 0, parsed, first_items(parsed, 0))
        # Mr inside a word and 45 inside one: no match; st before street: 10St
        text = "aMr Li, Ms. Wu 12X 3 x12 k45x 10Street 11sq"
        plain = re.compile(probe)
        return (
            [m.span() for m in fast.finditer(text)]
            == [m.span() for m in plain.finditer(text)]
            == [(8, 14), (15, 18), (30, 34), (39, 43)]
        )
    except Exception:  # noqa: BLE001 - any failure means: use the look-ahead instead
        return False


_SKIP = _skip_works()


@functools.lru_cache(maxsize=1024)
def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` with its first characters as the search's skip where they
    are read exactly (see the module's text); the same matches either way."""
    parsed = _p.parse(pattern, flags)
    items = first_items(parsed, flags)
    if _SKIP:
        return _compiled(pattern, flags, parsed, items)
    if items is None:
        return re.compile(pattern, flags)
    if (flags | parsed.state.flags) & re.VERBOSE:
        return re.compile(pattern, flags)  # a look-ahead in front would need the pattern re-read
    head, rest = split_flags(pattern)
    return re.compile(f"{head}(?={char_class(items)})(?:{rest})", flags)


def split_flags(pattern: str) -> tuple[str, str]:
    """The inline flags that open ``pattern`` and hold for all of it (``(?m)``, ``(?im)``),
    and the rest: a pattern built around the rest keeps them at its very start."""
    lead = _GLOBAL_FLAGS.match(pattern)
    head = lead.group() if lead else ""
    return head, pattern[len(head) :]


_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")


def fold(text: str) -> str:
    """``text`` in lower case, with the characters ``re``'s case folding reads as ASCII letters
    beyond their two cases made those letters (ſ, İ, ı; the Kelvin sign lowers to k by itself):
    an ASCII word in lower case is in it exactly where the word's case-insensitive pattern finds
    it in ``text``."""
    if "\u017f" in text or "\u0130" in text or "\u0131" in text:
        text = text.replace("\u017f", "s").replace("\u0130", "i").replace("\u0131", "i")
    return text.lower()


#: ``fold`` kept for the last text only, which several rules ask about in turn.
folded = functools.lru_cache(maxsize=1)(fold)

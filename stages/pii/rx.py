"""``guarded``: ``re.compile`` for the detector's patterns, with two speed-ups ``re`` lacks.

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
   literal or class. Alternations of three or more words become tries (``St|Street|Sq`` as
   ``S(?:t(?:reet)?|q)``, case-insensitive letters as classes of their folds) that try the
   same words in the same order of preference (``_trie``). A class of a few characters in
   front is spelled out (``[Cc]ontact``: ``Contact|contact``); an alternative that starts
   with a look-behind or a class stays whole, and the trie is still built when it cannot
   start where a word of the trie does. Where the order of a node's words changes no match
   (their first characters differ) the common characters of English and Chinese text come
   first: ``re`` tests the words one after another, so that at a common character it meets
   its word after a few tests instead of a hundred. An alternative that opens with a
   look-behind or ``\\b`` before a character has the character moved in front and the test
   after it (``(?<!确)保安`` as ``保(?<!确保)安``), so that ``re`` rejects it at the character
   instead of entering it, and a trie takes it in.

Either way: the same matches at the same offsets with the same groups, and the source
(``.pattern``) unchanged.

The first-character set is read from the parsed pattern (``re._parser``, the standard
library's own parser): literals, classes and ``\\d``/``\\w``/``\\s`` through alternations,
optional parts and look-arounds; a look-ahead that needs a character gives the set where it
stands (``(?=客户|我叫).``: 客 or 我). Case-insensitive parts add both cases of an ASCII letter and
the three non-ASCII characters that Unicode case folding pairs with one (``İ ı`` for i, the
Kelvin sign for k, ``ſ`` for s); a case-insensitive letter outside ASCII is not read. Anything
not read exactly gets no skip: a pattern that can match the empty string, ``.``, a negated
class, back-references, atomic groups.

Both are built in the compiled program (``re._compiler``'s own encoding: the info block ``re``
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

__all__ = ["first_chars", "fold", "folded", "guarded"]

#: One item of a character set in the parser's terms: (LITERAL, code point),
#: (RANGE, (low, high)) or (CATEGORY, category).
_Item = tuple[Any, Any]

#: ASCII letters that Unicode case folding also pairs with a non-ASCII character.
_ASCII_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}

_CATEGORY_CLASS = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


class _Unread(Exception):
    """A construct whose first characters are not read here."""


def _chars(low: int, high: int, icase: bool) -> list[_Item]:
    """The characters ``low``..``high`` match, folded where ``icase``."""
    if not icase:
        return [(_c.LITERAL, low) if low == high else (_c.RANGE, (low, high))]
    if high < 128:
        out: set[str] = set()
        for cp in range(low, high + 1):
            ch = chr(cp)
            out |= {ch, ch.lower(), ch.upper(), *_ASCII_FOLDS.get(ch.lower(), "")}
        return [(_c.LITERAL, ord(ch)) for ch in sorted(out)]
    # a character without case matches itself alone (no other character lowers to it)
    if any(_sre.unicode_iscased(cp) for cp in range(low, high + 1)):
        raise _Unread
    return [(_c.LITERAL, low) if low == high else (_c.RANGE, (low, high))]


def _first(items: Any, icase: bool) -> tuple[list[_Item], bool]:
    """The set items a match of the parsed sequence ``items`` can start with, and whether it
    can be empty."""
    found: list[_Item] = []
    for op, av in items:
        if op is _c.ASSERT and av[0] > 0:
            # a look-ahead: the character here is one it can start with (unless it can hold
            # the empty string, where it says nothing)
            more, empty = _first(av[1], icase)
            if not empty:
                return found + more, False
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: the next item gives the first character
        if op is _c.LITERAL:
            return found + _chars(av, av, icase), False
        if op is _c.IN:
            for sop, sav in av:
                if sop is _c.LITERAL:
                    found += _chars(sav, sav, icase)
                elif sop is _c.RANGE:
                    found += _chars(sav[0], sav[1], icase)
                elif sop is _c.CATEGORY and sav in _CATEGORY_CLASS:
                    found.append((sop, sav))
                else:  # NEGATE and the like: not a set that a union can hold
                    raise _Unread
            return found, False
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & re.LOCALE:
                raise _Unread
            inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            more, empty = _first(sub, inner)
            found += more
            if not empty:
                return found, False
            continue
        if op is _c.BRANCH:
            empty_any = False
            for alternative in av[1]:
                more, empty = _first(alternative, icase)
                found += more
                empty_any = empty_any or empty
            if not empty_any:
                return found, False
            continue
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, _high, sub = av
            more, empty = _first(sub, icase)
            found += more
            if low > 0 and not empty:
                return found, False
            continue
        raise _Unread
    return found, True


def _first_items(parsed: Any, flags: int) -> list[_Item] | None:
    if (flags | parsed.state.flags) & re.LOCALE:
        return None
    try:
        found, empty = _first(parsed, bool((flags | parsed.state.flags) & re.IGNORECASE))
    except _Unread:
        return None
    if empty or not found:
        return None
    return sorted(set(found), key=_order)


def _order(item: _Item) -> tuple[int, int, str]:
    op, av = item
    if op is _c.CATEGORY:
        return (0, 0, str(av))
    return (1, av if op is _c.LITERAL else av[0], "")


def _class(items: list[_Item]) -> str:
    parts = []
    for op, av in items:
        if op is _c.CATEGORY:
            parts.append(_CATEGORY_CLASS[av])
        elif op is _c.LITERAL:
            parts.append(re.escape(chr(av)))
        else:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
    return "[" + "".join(parts) + "]"


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """A character class that holds every first character of a match of ``pattern``, or
    None when a match can be empty or the pattern holds what ``_first`` does not read."""
    items = _first_items(_p.parse(pattern, flags), flags)
    return None if items is None else _class(items)


class _Node:
    """A node of a word trie: the next characters, the alternatives whose literal part ends
    here (their rank, their place in the alternation, and what follows the literal part), and
    the lowest and highest rank of the alternatives through it."""

    __slots__ = ("children", "ends", "high", "low")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.ends: list[tuple[int, list[Any]]] = []
        self.low = self.high = -1


def _key(cp: int, icase: bool) -> int:
    """The character a trie files ``cp`` under: an ASCII letter in lower case where case is
    ignored; a character without case as it is."""
    if not icase:
        return cp
    if cp < 128:
        return ord(chr(cp).lower())
    if _sre.unicode_iscased(cp):
        raise _Unread
    return cp


def _trie(alternatives: list[Any], icase: bool, state: Any) -> list[Any] | None:
    """An alternation as a trie of the literal words that start its alternatives
    (``Street|St\\.?|Sq`` as ``S(?:treet|t\\.?|q)``): the same matches, tried in the same
    order. Two alternatives can both match at one place only when one's literal start is the
    other's or a prefix of it, so the order that counts is an alternative's against those
    through its node: the trie tries it before or after them, and where the alternation puts
    it between them there is no trie (None)."""
    root = _Node()
    for rank, items in _spelled_out(alternatives, icase):
        n = 0
        while n < len(items) and items[n][0] is _c.LITERAL:
            n += 1
        path = [root]
        for _, cp in items[:n]:
            path.append(path[-1].children.setdefault(_key(cp, icase), _Node()))
        tail = items[n:]
        if not tail and any(not t for _, t in path[-1].ends):
            continue  # the same word again (in other case): it matches what the first did
        path[-1].ends.append((rank, tail))
        for node in path:
            node.low = rank if node.low < 0 else node.low
            node.high = rank
    return _trie_items(root, icase, state)


def _spelled_out(alternatives: list[Any], icase: bool) -> list[tuple[int, list[Any]]]:
    """The alternatives with their ranks, one that starts with a class of a few literal
    characters as one alternative per character, of the same rank (``[Cc]ontact`` as
    ``Contact`` and ``contact``: the same matches; they never match at one place)."""
    out: list[tuple[int, list[Any]]] = []
    for rank, alternative in enumerate(alternatives):
        items = list(alternative)
        chars: list[tuple[Any, int]] = items[0][1] if items and items[0][0] is _c.IN else []
        if 2 <= len(chars) <= 4 and all(op is _c.LITERAL for op, _ in chars):
            if len({_key(cp, icase) for _, cp in chars}) == len(chars):
                out += [(rank, [(_c.LITERAL, cp), *items[1:]]) for _, cp in chars]
                continue
        out.append((rank, items))
    return out


def _trie_items(node: _Node, icase: bool, state: Any) -> list[Any] | None:
    # (rank, items) for an alternative that ends here, (rank, items, first character) for a
    # child's words
    options: list[Any] = []
    # what each alternative ending here can go on with (None: anything, an empty tail too)
    starts = [_tail_first(tail, icase) for _, tail in node.ends]
    for rank, tail in node.ends:
        if tail and icase:  # what follows the word keeps the alternation's case folding
            tail = [(_c.SUBPATTERN, (None, re.IGNORECASE, 0, _p.SubPattern(state, tail)))]
        options.append((rank, tail))
    free = True  # whether no alternative ending here can match where a child's word does
    for cp, child in node.children.items():
        chars = _fold_chars(cp) if icase else [chr(cp)]
        meets = [_meets(first, chars) for first in starts]
        between = [child.low < rank < child.high for rank, _ in node.ends]
        if any(m and b for m, b in zip(meets, between, strict=True)):
            return None  # an alternative between the child's words that can match where they do
        free = free and not any(meets)
        rest = _trie_items(child, icase, state)
        if rest is None:
            return None
        first = _chars(cp, cp, True) if icase and chr(cp).isalpha() else [(_c.LITERAL, cp)]
        head = first[0] if len(first) == 1 else (_c.IN, first)
        options.append((child.low, [head, *rest], cp))
    options.sort(key=lambda option: option[0])
    if len(options) == 1:
        only: list[Any] = options[0][1]
        return only
    ordered = _common_first(options) if free else options
    return [(_c.BRANCH, (None, [_p.SubPattern(state, o[1]) for o in ordered]))]


def _tail_first(tail: list[Any], icase: bool) -> list[_Item] | None:
    """The characters a match of ``tail`` can start with; None where it can be empty or is
    not read."""
    if not tail:
        return None
    try:
        found, empty = _first(tail, icase)
    except _Unread:
        return None
    return None if empty else found


def _fold_chars(cp: int) -> list[str]:
    ch = chr(cp)
    return [ch, ch.upper(), *_ASCII_FOLDS.get(ch, "")] if ch.isalpha() else [ch]


def _meets(items: list[_Item] | None, chars: list[str]) -> bool:
    """Whether one of ``chars`` is in the set ``items`` (None: every character)."""
    if items is None:
        return True
    return any(re.fullmatch(_class(items), ch) is not None for ch in chars)


def _common_first(options: list[Any]) -> list[Any]:
    """``options`` (a node's, whose alternatives ending here start with no child's character)
    with the children's words first, those whose first character is common in text before the
    rest, then the alternatives ending here in their order. Words with different first
    characters never match at one place, nor a word and an alternative that starts with
    another character, so the order changes no match."""
    words = [o for o in options if len(o) == 3]
    words.sort(key=lambda o: _COMMON_RANK.get(o[2], len(_COMMON_RANK)))
    return words + [o for o in options if len(o) == 2]


#: Characters by how often text holds them: lower-case English letters, the commonest Chinese
#: characters (by the summed frequency of the words of jieba's dictionary that hold them),
#: capitals. ``re`` rejects the words of an alternation one after another at the first
#: character, so that a trie tried at a common character finds its word after few of them.
_COMMON = (
    "etaoinshrdlcumwfgypbvkjxqz"
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得"
    "主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其"
    "军还然起种所如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手最东头"
    "者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数样身情入"
    "原问把路被并利石老教万知"
    "TSACMBPDRLHFWGENIOKJVUYZQX"
)
_COMMON_RANK = {ord(ch): rank for rank, ch in enumerate(_COMMON)}


def _with_tries(items: Any, icase: bool, state: Any) -> None:
    """Rewrites, in the parsed pattern ``items``, each alternation of three or more
    alternatives as a trie of the literal words they start with. In a trie each character is a case-sensitive literal or class (an ASCII
    letter and its folds where case is ignored), which ``re`` tests before it enters an
    alternative; a case-insensitive literal it enters every time."""
    data = items.data
    for k, (op, av) in enumerate(data):
        if op is _c.BRANCH:
            for alternative in av[1]:
                _with_tries(alternative, icase, state)
                alternative.data[:] = _first_char_first(alternative.data, state)
            try:
                trie = _trie(av[1], icase, state) if len(av[1]) >= 3 else None
            except _Unread:
                trie = None
            if trie is not None:
                off = re.IGNORECASE if icase else 0
                data[k] = (_c.SUBPATTERN, (None, 0, off, _p.SubPattern(state, trie)))
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            _with_tries(sub, inner, state)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            _with_tries(av[2], icase, state)
        elif op is _c.ASSERT or op is _c.ASSERT_NOT:
            if av[0] > 0:  # a look-ahead; a look-behind keeps its fixed width as it is
                _with_tries(av[1], icase, state)
        elif op is _c.ATOMIC_GROUP:
            _with_tries(av, icase, state)


#: Zero-width tests of what lies before a place (``\\b``, ``^``, ``\\A``) that a look-behind can
#: make at the place one character back.
_BEFORE_CODES = (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING)


def _first_char_first(items: list[Any], state: Any) -> list[Any]:
    """An alternative that opens with look-behinds or ``\\b`` before a character (or a repeat
    of one, at least once) with the character first and the tests after it, each one
    character longer (``(?<![\\w-])\\d{1,5}`` as ``\\d(?<![\\w-]\\d)\\d{0,4}``, ``\\bSt`` as
    ``S(?<=\\bS)t``): the same matches, and an alternation rejects it at the character
    without entering it (``re`` enters an alternative that opens with a test every time)."""
    k = 0
    while k < len(items) and (
        (items[k][0] in (_c.ASSERT, _c.ASSERT_NOT) and items[k][1][0] < 0)
        or (items[k][0] is _c.AT and items[k][1] in _BEFORE_CODES)
    ):
        k += 1
    if k == 0 or k == len(items):
        return items
    op, av = items[k]
    if op in (_c.LITERAL, _c.IN):
        char, rest = (op, av), items[k + 1 :]
    elif (
        op in (_c.MAX_REPEAT, _c.MIN_REPEAT)
        and av[0] >= 1
        and len(av[2].data) == 1
        and av[2].data[0][0] in (_c.LITERAL, _c.IN)
    ):
        low, high, body = av
        char = body.data[0]
        less = high if high == _c.MAXREPEAT else high - 1
        rest = ([(op, (low - 1, less, body))] if less else []) + items[k + 1 :]
    else:
        return items
    tests = []
    for op, av in items[:k]:
        if op is _c.AT:  # the test at the place before the character: (?<=\b.)
            tests.append((_c.ASSERT, (-1, _p.SubPattern(state, [(op, av), char]))))
        else:
            tests.append((op, (-1, _p.SubPattern(state, [*av[1].data, char]))))
    return [char, *tests, *rest]


def _compiled(pattern: str, flags: int, parsed: Any, items: list[_Item] | None) -> re.Pattern[str]:
    """``pattern`` compiled from its parse with the word tries, and with ``items`` as the set
    its search skips to where its program takes one (no literal prefix, no zero width)."""
    all_flags = flags | parsed.state.flags
    _with_tries(parsed, bool(all_flags & re.IGNORECASE), parsed.state)
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


def _skip(items: list[_Item], flags: int, low: int, high: int) -> list[int]:
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


def _bmp_chars(items: list[_Item], flags: int) -> tuple[list[int], bool]:
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
    rx = re.compile(_CATEGORY_CLASS[category], re.ASCII if ascii_only else 0)
    return frozenset(ord(ch) for ch in rx.findall("".join(map(chr, range(0x10000)))))


def _skip_works() -> bool:
    """Whether ``_compiled`` builds programs this interpreter runs as ``re`` runs the source."""
    if sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)):
        return False
    try:
        probe = r"(?<!\w)(?:Ms|Mr)\.?[ ](?P<n>[A-Z]\w+)|\b\d{2}(?i:x|st|street|sq)"
        parsed = _p.parse(probe, 0)
        fast = _compiled(probe, 0, parsed, _first_items(parsed, 0))
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
    items = _first_items(parsed, flags)
    if _SKIP:
        return _compiled(pattern, flags, parsed, items)
    if items is None:
        return re.compile(pattern, flags)
    if (flags | parsed.state.flags) & re.VERBOSE:
        return re.compile(pattern, flags)  # a look-ahead in front would need the pattern re-read
    # global inline flags, (?m) and the like, must stay at the very start
    lead = _GLOBAL_FLAGS.match(pattern)
    head = lead.group() if lead else ""
    return re.compile(f"{head}(?={_class(items)})(?:{pattern[len(head) :]})", flags)


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

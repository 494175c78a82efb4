"""Word tries for ``rx.guarded``: an alternation of literal words, tried by ``re`` one word
after another, rewritten in its parse tree as a trie of the same words in the same order of
preference.

``re`` rejects an alternative at its first character cheaply only when that character is a
case-sensitive literal or class. Alternations of three or more words become tries
(``St|Street|Sq`` as ``S(?:t(?:reet)?|q)``, case-insensitive letters as classes of their folds;
``_trie``). A class of a few characters in front is spelled out (``[Cc]ontact``:
``Contact|contact``); an alternative that starts with a look-behind or a class stays whole, and
the trie is still built when it cannot start where a word of the trie does. Where the order of
a node's words changes no match (their first characters differ) the common characters of
English and Chinese text come first: ``re`` tests the words one after another, so that at a
common character it meets its word after a few tests instead of a hundred. An alternative that
opens with a look-behind or ``\\b`` before a character has the character moved in front and the
test after it (``(?<!确)保安`` as ``保(?<!确保)安``), so that ``re`` rejects it at the character
instead of entering it, and a trie takes it in. The same matches at the same offsets with the
same groups (``tests/stages/pii/test_rx.py`` checks random alternations against ``re``).
"""

from __future__ import annotations

import _sre
import re
import re._constants as _c
import re._parser as _p
from typing import Any

from stages.pii.rx_sets import ASCII_FOLDS, Item, Unread, char_class, char_items, first_of

__all__ = ["with_tries"]


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
        raise Unread
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
        first = char_items(cp, cp, True) if icase and chr(cp).isalpha() else [(_c.LITERAL, cp)]
        head = first[0] if len(first) == 1 else (_c.IN, first)
        options.append((child.low, [head, *rest], cp))
    options.sort(key=lambda option: option[0])
    if len(options) == 1:
        only: list[Any] = options[0][1]
        return only
    ordered = _common_first(options) if free else options
    return [(_c.BRANCH, (None, [_p.SubPattern(state, o[1]) for o in ordered]))]


def _tail_first(tail: list[Any], icase: bool) -> list[Item] | None:
    """The characters a match of ``tail`` can start with; None where it can be empty or is
    not read."""
    if not tail:
        return None
    try:
        found, empty = first_of(tail, icase)
    except Unread:
        return None
    return None if empty else found


def _fold_chars(cp: int) -> list[str]:
    ch = chr(cp)
    return [ch, ch.upper(), *ASCII_FOLDS.get(ch, "")] if ch.isalpha() else [ch]


def _meets(items: list[Item] | None, chars: list[str]) -> bool:
    """Whether one of ``chars`` is in the set ``items`` (None: every character)."""
    if items is None:
        return True
    return any(re.fullmatch(char_class(items), ch) is not None for ch in chars)


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


def with_tries(items: Any, icase: bool, state: Any) -> None:
    """Rewrites, in the parsed pattern ``items``, each alternation of three or more
    alternatives as a trie of the literal words they start with. In a trie each character is a case-sensitive literal or class (an ASCII
    letter and its folds where case is ignored), which ``re`` tests before it enters an
    alternative; a case-insensitive literal it enters every time."""
    data = items.data
    for k, (op, av) in enumerate(data):
        if op is _c.BRANCH:
            for alternative in av[1]:
                with_tries(alternative, icase, state)
                alternative.data[:] = _first_char_first(alternative.data, state)
            try:
                trie = _trie(av[1], icase, state) if len(av[1]) >= 3 else None
            except Unread:
                trie = None
            if trie is not None:
                off = re.IGNORECASE if icase else 0
                data[k] = (_c.SUBPATTERN, (None, 0, off, _p.SubPattern(state, trie)))
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inner = (icase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            with_tries(sub, inner, state)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            with_tries(av[2], icase, state)
        elif op is _c.ASSERT or op is _c.ASSERT_NOT:
            if av[0] > 0:  # a look-ahead; a look-behind keeps its fixed width as it is
                with_tries(av[1], icase, state)
        elif op is _c.ATOMIC_GROUP:
            with_tries(av, icase, state)


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

"""Names whose words a double space parts (``Ramiz  Təhmasibli``: a form filled in by hand, an
export that pads an empty middle name). The name rules read one space between a name's words;
``names_across_gaps`` reads the text again with each such double space closed up and keeps the
names found across one, at the text's own offsets. Such a name is in Latin letters: the second
reading skips the Chinese rules (the spans of all labelled splits are the same without them). Only two spaces between a lower-case and a
capital Latin letter are closed: a column gap of three spaces or more, or two before a bar, a
digit or a Chinese character, stays as it is, and so do the names the first reading found.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from stages.pii.latin import LOWER, UPPER
from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["closed_up", "names_across_gaps"]

#: The second space of two between a name's words (the first stays).
_GAP = guarded(rf"(?<=[{LOWER}][ ])[ ](?=[{UPPER}])")

#: The name rules' entry point: text, whether to read Chinese names, spans to leave alone.
FindNames = Callable[[str, bool, Sequence[tuple[int, int]]], list[Entity]]


def closed_up(text: str) -> tuple[str, list[int]] | None:
    """``text`` with each double space between a lower-case and a capital letter made one, and
    the offsets of the spaces taken out; None where there is none (most texts)."""
    removed = [m.start() for m in _GAP.finditer(text)] if "  " in text else []
    if not removed:
        return None
    pieces = [text[a + 1 : b] for a, b in zip([-1, *removed], [*removed, len(text)], strict=True)]
    return "".join(pieces), removed


def names_across_gaps(find: FindNames, text: str, skip: Sequence[tuple[int, int]]) -> list[Entity]:
    """The names ``find`` reads in ``text`` closed up (``closed_up``), its Chinese rules off,
    that hold a closed gap, at ``text``'s offsets; ``skip``: spans of ``text`` that ``find``
    leaves alone."""
    closed = closed_up(text)
    if closed is None:
        return []
    short, removed = closed
    # where each space taken out would stand in the short text: the characters at or after it
    # there stand one further on in ``text`` for each
    moved = [r - i for i, r in enumerate(removed)]

    def to_short(p: int) -> int:
        return p - bisect_left(removed, p)

    def to_text(q: int) -> int:
        return q + bisect_right(moved, q)

    out: list[Entity] = []
    for e in find(short, False, [(to_short(a), to_short(b)) for a, b in skip]):
        start, end = to_text(e.start), to_text(e.end - 1) + 1
        if bisect_left(removed, start) < bisect_left(removed, end):  # a gap inside
            out.append(Entity(start, end, e.type))
    return out

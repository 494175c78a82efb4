"""Traditional Chinese characters read as simplified ones, one character for one.

The name and address rules hold simplified characters (family names, given-name characters,
号/楼/县). Text in traditional characters (Taiwan, Hong Kong: 陳淑芳, 號, 樓, 縣) is mapped
character by character through OpenCC's traditional-to-simplified character table
(``TSCharacters.txt`` of opencc-python-reimplemented, a run-time dependency), so every offset
of the mapped text is an offset of the original. Phrase-level conversion is not needed for
finding spans and would move offsets.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["to_simplified"]


@cache
def _table() -> dict[int, int]:
    text = (files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    table: dict[int, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
            table[ord(parts[0])] = ord(parts[1])
    return table


@cache
def _traditional() -> frozenset[str]:
    return frozenset(map(chr, _table()))


def to_simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form (same length).
    Most Chinese text holds none: asking the set costs a third of the mapping."""
    if _traditional().isdisjoint(text):
        return text
    return text.translate(_table())

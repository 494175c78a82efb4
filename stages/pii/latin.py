"""Character classes of the Latin letters names are written in: ASCII, Latin-1 and Latin
Extended-A (Théodore, Geneviève, Šimić, Łukasz, Ödön), for the name and address patterns.

``UPPER`` and ``LOWER`` are the inside of a regular-expression class (``f"[{UPPER}]"``), built
from the Unicode case of each letter, so a letter is never in both.
"""

from __future__ import annotations

__all__ = ["LOWER", "UPPER"]


def _letters(upper: bool) -> str:
    chars = (chr(c) for c in range(0xC0, 0x180))
    picked = "".join(
        ch for ch in chars if ch.isalpha() and (ch.isupper() if upper else ch.islower())
    )
    return ("A-Z" if upper else "a-z") + picked


#: Upper-case Latin letters: A-Z, À-Þ (not ×), Ā Ă ... Ž.
UPPER = _letters(upper=True)
#: Lower-case Latin letters: a-z, ß-ÿ (not ÷), ā ă ... ž, ſ.
LOWER = _letters(upper=False)

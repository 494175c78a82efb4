"""Punctuation sets shared by the stage families, for English and Chinese.

``SYMBOL_CHARS`` (what makes a token a symbol rather than a word) and ``TERMINAL_PUNCTUATION``
(what ends a sentence) follow datatrove ``utils/text.py``, which lists ASCII and full-width
punctuation and the Unicode ``Sentence_Terminal`` characters.
"""

from __future__ import annotations

import string
import sys
from functools import cache

import numpy as np
import regex

__all__ = ["SYMBOL_CHARS", "TERMINAL_PUNCTUATION", "re2_class"]

#: Characters that make a token a "symbol" rather than a word (Gopher's symbol words): ASCII
#: punctuation, control characters, typographic and full-width punctuation. Mirrors datatrove
#: ``PUNCTUATION``, which also lists these; Unicode sentence terminals are added below.
_CONTROL = "".join(chr(c) for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for c in range(a, b))
_TYPOGRAPHIC = "—–‘’“”„«»´…►━∶"
_FULL_WIDTH = "、。〈〉《》「」【】（），．：；？！％～"


@cache
def _sentence_terminals() -> frozenset[str]:
    # every code point as one string (surrogates included), searched once: ~5 ms, where
    # matching each code point alone took ~0.5 s of every process's start
    every = np.arange(sys.maxunicode + 1, dtype="<u4").tobytes()
    text = every.decode("utf-32-le", "surrogatepass")
    return frozenset(regex.findall(r"\p{Sentence_Terminal}", text))


#: Unicode ``Sentence_Terminal`` characters: ``. ! ?`` and their full-width and other-script
#: forms (``。！？｡``). FineWeb's "line ends in punctuation" and the sentence counter use them.
TERMINAL_PUNCTUATION: frozenset[str] = _sentence_terminals()
SYMBOL_CHARS: frozenset[str] = (
    frozenset(string.punctuation + _CONTROL + _TYPOGRAPHIC + _FULL_WIDTH) | TERMINAL_PUNCTUATION
)


def re2_class(chars: frozenset[str] | str) -> str:
    """A character class body (no brackets) matching ``chars``, escaped for RE2 and ``re``."""
    out = []
    for ch in sorted(chars):
        if ch in "\\]^-[":
            out.append("\\" + ch)
        elif ord(ch) < 32 or 127 <= ord(ch) < 160:
            out.append(f"\\x{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return "".join(out)

"""Tokens of a normalised UTF-8 batch as byte ranges, for ``shingles.py``.

Three kinds: ``ascii_word`` (maximal runs of ``[A-Za-z0-9_]`` bytes, for ASCII documents),
``unicode_word`` (maximal runs of ``\\w`` characters: Python's ``str.isalnum()`` or ``_``,
looked up per code point) and ``char`` (every word character, or with ``word_only`` off every
non-whitespace character). A token never crosses a document boundary. With numba the runs
and the per-document counts come from one compiled pass (``sketch_kernel.word_runs``,
``range_counts``); without it, from numpy masks and a binary search.
"""

from __future__ import annotations

import numpy as np

from stages.dedup import sketch_kernel
from stages.dedup.nfkc import decode_multibyte

__all__ = ["token_ranges"]

_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD_BYTE[_c] = True

_word_bmp: np.ndarray | None = None


def _word_table() -> np.ndarray:
    """``\\w`` membership of every BMP code point (built once per process, ~30 ms)."""
    global _word_bmp
    if _word_bmp is None:
        text = (
            "".join(map(chr, range(0xD800)))
            + "\x00" * 0x800
            + "".join(map(chr, range(0xE000, 0x10000)))
        )
        _word_bmp = np.array([c.isalnum() or c == "_" for c in text], dtype=bool)
    return _word_bmp


def _word_chars(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start byte, end byte, is ``\\w``) of every UTF-8 character of ``data``."""
    n = len(data)
    lead = np.flatnonzero((data & 0xC0) != 0x80)
    char_end = np.append(lead[1:], n)
    first = data[lead]
    word = _WORD_BYTE[first]  # ASCII characters; False for every multi-byte lead
    multi = np.flatnonzero(first >= 0xC0)
    if len(multi) == 0:
        return lead, char_end, word
    cp = decode_multibyte(data, lead[multi])
    bmp = cp < 0x10000
    if bmp.all():
        word[multi] = _word_table()[cp]
        return lead, char_end, word
    flags = np.zeros(len(cp), dtype=bool)
    flags[bmp] = _word_table()[cp[bmp]]
    astral = np.flatnonzero(~bmp)
    uniq, inv = np.unique(cp[astral], return_inverse=True)
    flags[astral] = np.array([chr(int(c)).isalnum() for c in uniq], dtype=bool)[inv]
    word[multi] = flags
    return lead, char_end, word


def _unicode_word_tokens(offsets: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Byte ranges of maximal runs of ``\\w`` characters (Python's definition: alphanumeric
    or ``_``), from the UTF-8 bytes: decode code points, look them up, find the runs."""
    lead, char_end, word = _word_chars(data)
    first = np.zeros(len(lead), dtype=bool)
    last = np.zeros(len(lead), dtype=bool)
    nonempty = np.diff(offsets) > 0
    first[np.searchsorted(lead, offsets[:-1][nonempty])] = True
    last[np.searchsorted(lead, offsets[1:][nonempty]) - 1] = True
    prev_word = np.zeros(len(word), dtype=bool)
    prev_word[1:] = word[:-1]
    next_word = np.zeros(len(word), dtype=bool)
    next_word[:-1] = word[1:]
    starts = lead[word & (~prev_word | first)]
    ends = char_end[word & (~next_word | last)]
    return starts, ends


_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = True


def _doc_edges(offsets: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the first and the last byte of every non-empty document."""
    first = np.zeros(n, dtype=bool)
    last = np.zeros(n, dtype=bool)
    nonempty = np.diff(offsets) > 0
    first[offsets[:-1][nonempty]] = True
    last[offsets[1:][nonempty] - 1] = True
    return first, last


def _word_tokens(offsets: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Byte ranges of the maximal runs of word bytes, never crossing a document boundary."""
    word = _WORD_BYTE[data]
    first, last = _doc_edges(offsets, len(data))
    prev_word = np.zeros(len(data), dtype=bool)
    prev_word[1:] = word[:-1]
    next_word = np.zeros(len(data), dtype=bool)
    next_word[:-1] = word[1:]
    starts = np.flatnonzero(word & (~prev_word | first))
    ends = np.flatnonzero(word & (~next_word | last)) + 1
    return starts, ends


def _char_tokens(data: np.ndarray, word_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """Byte ranges of the word characters (``word_only``) or of the non-whitespace UTF-8
    characters.

    After NFKC the only non-ASCII whitespace left is U+0085, U+1680, U+2028 and U+2029
    (NFKC maps the others, U+00A0, U+2000..U+200A, U+202F, U+205F, U+3000, to a space).
    """
    if word_only:
        lead, char_end, word = _word_chars(data)
        return lead[word], char_end[word]
    n = len(data)
    lead = np.flatnonzero((data & 0xC0) != 0x80)
    ends = np.append(lead[1:], n)
    padded = np.concatenate([data, np.zeros(3, dtype=np.uint8)])
    b0, b1, b2 = padded[lead], padded[lead + 1], padded[lead + 2]
    space = _ASCII_SPACE[b0]
    space |= (b0 == 0xC2) & (b1 == 0x85)
    space |= (b0 == 0xE1) & (b1 == 0x9A) & (b2 == 0x80)
    space |= (b0 == 0xE2) & (b1 == 0x80) & ((b2 == 0xA8) | (b2 == 0xA9))
    keep = ~space
    return lead[keep], ends[keep]


def token_ranges(
    offsets: np.ndarray, data: np.ndarray, tokens: str, word_only: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start bytes, end bytes, tokens per document) of the ``tokens`` kind ("char",
    "ascii_word" or "unicode_word"); compiled runs and counts when numba is there."""
    fast = sketch_kernel.AVAILABLE
    if fast and tokens != "char":
        if tokens == "ascii_word":
            word, lead = _WORD_BYTE[data], np.zeros(0, dtype=np.int64)
        else:
            lead, _, word = _word_chars(data)
        return sketch_kernel.word_runs(word, lead, offsets)  # type: ignore[no-any-return]
    if tokens == "char":
        starts, ends = _char_tokens(data, word_only)
    elif tokens == "ascii_word":
        starts, ends = _word_tokens(offsets, data)
    else:
        starts, ends = _unicode_word_tokens(offsets, data)
    if fast:
        return starts, ends, sketch_kernel.range_counts(starts, offsets)
    doc_of = np.searchsorted(offsets, starts, side="right") - 1
    return starts, ends, np.bincount(doc_of, minlength=len(offsets) - 1).astype(np.int64)

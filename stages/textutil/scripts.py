"""Characters of each text counted by Unicode script (Han, Latin, kana), a whole Arrow batch at
once.

The heuristic filters decide "is this document Chinese?" (``han_ratio``) and language ID adjusts for mixed Chinese and
English from these counts. Counting with a regular expression walks every text once per
script; here the UTF-8 bytes of the whole batch are decoded with numpy and each code point is
looked up in a table built once per process from the ``regex`` module's Unicode script
properties (``\\p{Han}``, ``\\p{Latin}``, ``\\p{Hiragana}``, ``\\p{Katakana}``).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.textutil.arrays import to_numpy

__all__ = [
    "HAN",
    "KANA",
    "LATIN",
    "characters",
    "code_points",
    "han_ratio",
    "property_table",
    "script_counts",
    "script_counts_of_han_texts",
]

#: Column of each script in the array ``script_counts`` returns.
HAN, LATIN, KANA = 0, 1, 2
_PATTERNS = {HAN: r"\p{Han}+", LATIN: r"\p{Latin}+", KANA: r"[\p{Hiragana}\p{Katakana}]+"}


#: No Han, Latin or kana character lies beyond plane 3 (the last Han block, CJK Extension H,
#: ends at U+323AF); the table stops there and every later code point reads its last entry, 0.
_TABLE_END = 0x40000


@cache
def _script_of() -> np.ndarray:
    """``uint8`` per code point: 1 + the script's column, 0 for characters of no counted script."""
    table = np.zeros(_TABLE_END + 1, dtype=np.uint8)
    for column, pattern in _PATTERNS.items():
        table[property_table(pattern)] = column + 1
    return table


@cache
def property_table(pattern: str) -> np.ndarray:
    """``bool`` per code point up to U+40000: whether the character matches ``pattern``, a
    ``regex`` expression for one character or a run of them (``r"[\\s\\p{P}]+"``). Code points
    beyond the table read its last entry, False (look them up with ``np.minimum(cp,
    len(table) - 1)``)."""
    import regex

    table = np.zeros(_TABLE_END + 1, dtype=bool)
    for match in regex.finditer(pattern, _every_character()):
        start, end = match.span()
        if start >= 0xD800:
            start, end = start + 0x800, end + 0x800
        table[start:end] = True
    return table


@cache
def _every_character() -> str:
    """Every code point below the table's end but the surrogates, which a str cannot hold
    alone: index i of this string is code point i below U+D800 and i + 0x800 from there."""
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, _TABLE_END)))


def code_points(data: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """The code points (int64) of the UTF-8 characters that start at byte offsets ``lead``
    of ``data`` (uint8; valid UTF-8)."""
    padded = np.concatenate([data, np.zeros(3, dtype=np.uint8)]).astype(np.int64)
    b0, b1, b2, b3 = (padded[lead + k] for k in range(4))
    out: np.ndarray = np.where(
        b0 < 0x80,
        b0,
        np.where(
            b0 < 0xE0,
            ((b0 & 0x1F) << 6) | (b1 & 0x3F),
            np.where(
                b0 < 0xF0,
                ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F),
                ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F),
            ),
        ),
    )
    return out


def _utf8(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of all texts (nulls read as empty) and the offset of each text's first
    byte in them, with the end as a last entry (``len(texts) + 1`` int64 values)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if pa.types.is_string_view(texts.type):
        texts = texts.cast(pa.string())
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=np.uint8), np.zeros(1, dtype=np.int64)
    texts = pc.fill_null(texts, "")
    offset_type = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    _, offsets_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[texts.offset : texts.offset + n + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    if data_buffer is None or end == start:
        return np.zeros(0, dtype=np.uint8), np.zeros(n + 1, dtype=np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8)[start:end]
    return data, offsets.astype(np.int64) - start


def characters(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The code points of every character of the texts, in order (int64), and the index of
    each text's first character in them, with the end as a last entry (``len(texts) + 1``)."""
    data, byte_bounds = _utf8(texts)
    lead = np.flatnonzero((data & 0xC0) != 0x80)
    # a text starts on a lead byte, so its first character is the count of lead bytes before
    bounds = np.searchsorted(lead, byte_bounds)
    return code_points(data, lead), bounds


def script_counts(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An ``(n, 3)`` int64 array: Han, Latin and kana characters of each text (nulls: 0)."""
    n = len(texts)
    out = np.zeros((n, 3), dtype=np.int64)
    data, text_bounds = _utf8(texts)
    if len(data) == 0:
        return out
    table = _script_of()

    # ASCII: only letters count (Latin); most bytes of most texts are, so a running sum
    # read at the text boundaries beats listing their positions
    letters = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(((data | 0x20) - np.uint8(ord("a"))) < 26, out=letters[1:])
    out[:, LATIN] = np.diff(letters[text_bounds])
    # multi-byte characters: decode the code point at each lead byte
    lead = np.flatnonzero(data >= 0xC0)
    if lead.size:
        script = table[np.minimum(code_points(data, lead), _TABLE_END)]
    else:
        script = np.zeros(0, dtype=np.uint8)
    for column in (HAN, LATIN, KANA):
        positions = lead[script == column + 1]
        if positions.size:
            owner = np.searchsorted(text_bounds, positions, side="right") - 1
            out[:, column] += np.bincount(owner, minlength=n)[:n]
    return out


def script_counts_of_han_texts(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """``script_counts``, counted only for the texts holding a Han character (zeros elsewhere):
    most texts have none, and finding a first one is much cheaper than counting."""
    out = np.zeros((len(texts), 3), dtype=np.int64)
    has_han = np.flatnonzero(to_numpy(pc.match_substring_regex(texts, r"\p{Han}")))
    if has_han.size:
        out[has_han] = script_counts(pc.take(texts, pa.array(has_han)))
    return out


def han_ratio(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Han characters / (Han characters + Latin letters), per text (0 for texts with neither)."""
    counts = script_counts_of_han_texts(texts).astype(np.float64)
    letters = counts[:, HAN] + counts[:, LATIN]
    out = np.zeros(len(texts), dtype=np.float64)
    np.divide(counts[:, HAN], letters, out=out, where=letters > 0)
    return out

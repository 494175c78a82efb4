"""Unicode NFKC of a batch, byte for byte ``pc.utf8_normalize(texts, "NFKC")``, without
running the general normaliser on the documents that do not need it.

The general normaliser (utf8proc in Arrow, ~100 MB/s) decomposes, reorders and recomposes
every character. Most text needs none of it: every character of a Chinese or English
document is usually either

- **inert**: NFKC leaves it as it is and it cannot combine with its neighbours (canonical
  combining class 0, not the second character of a canonical composition, not a Hangul
  vowel or trailing consonant jamo), e.g. ideographs, ``。「」《》``, Latin letters; or
- **ASCII-mapped**: inert in the same sense, and NFKC replaces it by at most as many ASCII
  bytes as it has: full-width forms (``ＡＢＣ１２３，：（）`` → ``ABC123,:()``), the
  ideographic and no-break spaces, ``…`` (``...``), ``²``, ``™``.

A document made only of such characters (and ASCII) is normalised by rewriting the bytes of
its ASCII-mapped characters in place (vectorised over the batch): since no character of it
combines with another, NFKC of the document is the concatenation of NFKC of its
characters. Every other document (combining marks, compatibility ideographs, ligatures,
characters outside the Basic Multilingual Plane...) goes through ``pc.utf8_normalize``.
The character classes come from Python's ``unicodedata``, computed once per process.
"""

from __future__ import annotations

import threading
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.dedup.hashing import string_buffers
from stages.dedup.normalize import splice

__all__ = ["decode_multibyte", "nfkc"]

_INERT, _ASCII_MAPPED, _GENERAL = 0, 1, 2
_MAX_REPL = 3  # bytes of the longest BMP character (and so of its ASCII replacement)

_lock = threading.Lock()
_tables: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


def decode_multibyte(data: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Code points (int32) of the multi-byte UTF-8 characters that start at byte offsets
    ``lead`` of ``data`` (valid UTF-8). Decoding only the non-ASCII characters, in 32-bit
    arithmetic, is several times cheaper than a general decoder over mostly-ASCII text."""
    padded = np.concatenate([data, np.zeros(3, dtype=np.uint8)])
    b0 = padded[lead].astype(np.int32)
    b1 = padded[lead + 1].astype(np.int32) & 0x3F
    b2 = padded[lead + 2].astype(np.int32) & 0x3F
    cp: np.ndarray = np.where(
        b0 < 0xE0, ((b0 & 0x1F) << 6) | b1, ((b0 & 0x0F) << 12) | (b1 << 6) | b2
    )
    four = np.flatnonzero(b0 >= 0xF0)
    if len(four):
        b3 = padded[lead[four] + 3].astype(np.int32) & 0x3F
        cp[four] = ((b0[four] & 0x07) << 18) | (b1[four] << 12) | (b2[four] << 6) | b3
    return cp


def _composition_seconds() -> set[int]:
    """Code points that canonically compose with the character before them."""
    out: set[int] = set(range(0x1160, 0x1200))  # Hangul vowel and trailing jamo
    for p in range(0x30000):  # no character above U+2FFFF has a decomposition
        d = unicodedata.decomposition(chr(p))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                out.add(int(parts[1], 16))
    return out


def _class_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP code point: its class, and for ASCII-mapped ones the replacement bytes
    (padded to ``_MAX_REPL``) and their number. Built once per process (~0.1 s)."""
    global _tables
    with _lock:
        if _tables is None:
            seconds = _composition_seconds()
            cls = np.full(0x10000, _GENERAL, dtype=np.uint8)
            repl = np.zeros((0x10000, _MAX_REPL), dtype=np.uint8)
            nrepl = np.zeros(0x10000, dtype=np.int8)
            for p in range(0x80, 0x10000):
                if 0xD800 <= p < 0xE000 or p in seconds:
                    continue
                ch = chr(p)
                if unicodedata.combining(ch):
                    continue
                norm = unicodedata.normalize("NFKC", ch)
                if norm == ch:
                    cls[p] = _INERT
                elif norm.isascii() and len(norm) <= len(ch.encode("utf-8")):
                    cls[p] = _ASCII_MAPPED
                    repl[p, : len(norm)] = np.frombuffer(norm.encode("ascii"), dtype=np.uint8)
                    nrepl[p] = len(norm)
            cls[:0x80] = _INERT
            _tables = (cls, repl, nrepl)
        return _tables


def nfkc(texts: pa.Array) -> pa.Array:
    """``pc.utf8_normalize(texts, "NFKC")`` of a large_string array without nulls."""
    offsets, data = string_buffers(texts)
    lead = np.flatnonzero(data >= 0xC0)
    if len(lead) == 0:
        return texts
    cp = decode_multibyte(data, lead)
    cls_table, repl_table, nrepl_table = _class_tables()
    bmp = cp < 0x10000
    cls = np.full(len(cp), _GENERAL, dtype=np.uint8)
    cls[bmp] = cls_table[cp[bmp]]
    doc = np.searchsorted(offsets, lead, side="right") - 1
    general = np.zeros(len(texts), dtype=bool)
    general[doc[cls == _GENERAL]] = True
    mapped = np.flatnonzero((cls == _ASCII_MAPPED) & ~general[doc])
    out = texts
    if len(mapped):
        pos, code = lead[mapped], cp[mapped]
        width = np.where(code < 0x800, 2, 3)
        nrepl = nrepl_table[code]
        new = data.copy()
        keep = np.ones(len(data) + 1, dtype=bool)
        for k in range(_MAX_REPL):
            put = k < nrepl
            new[pos[put] + k] = repl_table[code[put], k]
            drop = (k >= nrepl) & (k < width)
            keep[pos[drop] + k] = False
        kept = np.concatenate([[0], np.cumsum(keep[:-1], dtype=np.int64)])
        new_offsets = kept[offsets]
        out = pa.LargeStringArray.from_buffers(
            len(texts), pa.py_buffer(new_offsets), pa.py_buffer(new[keep[:-1]])
        )
    slow = np.flatnonzero(general)
    if len(slow):
        fixed = pc.utf8_normalize(texts.take(pa.array(slow)), "NFKC")
        out = splice(out, slow, fixed)
    return out

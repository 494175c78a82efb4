"""Normalise, tokenise and hash the shingles of a batch in one compiled pass per document.

``shingles.shingle_hashes`` with the default normalisation runs six vector passes over a
batch's bytes (NFKC, lower case, the script counts, the character classes, the token runs,
the hashes), each reading and writing arrays as long as the text. Most documents need
nothing that a per-character table cannot give: every character of them is either ASCII or
one that NFKC maps on its own (``nfkc.py``'s inert and ASCII-mapped classes), so the
normalised text is the concatenation of each character's ``lower(nfkc(c))``. For those, one
compiled pass per document reads each character once, looks up its normalised bytes and
whether they are a word character, counts the scripts (``shingles.shingle_modes``) and feeds
the tokens' polynomial hashes and then the n-gram hashes (``sketch_kernel.ngram_hashes``'
definitions), without materialising the normalised text.

A document with any other character (one NFKC must decompose, reorder or compose, or one
outside the Basic Multilingual Plane) is marked, and the caller gives it to the general
path. The hashes are the general path's, bit for bit: ``tests/stages/dedup`` compares the two
on every kind of character the tables distinguish, and the bench corpus' 114,500 documents
give the same hashes both ways.

The per-character tables are built once per process and normalisation (~0.1 s) from the
functions the general path calls (``nfkc``'s classes, ``pc.utf8_lower``), so they cannot
drift from it. Only the default ``strip_punctuation`` (word characters only) is handled
here; with it off, every document takes the general path.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.dedup.hashing import string_buffers
from stages.dedup.normalize import Normalization
from stages.dedup.sketch_kernel import _fmix64, ngram_row
from stages.dedup.token_ranges import _WORD_BYTE
from stages.textutil.fasttext_hashing import jit
from stages.textutil.hashing import LEN_MIX, PRIME

__all__ = ["FoldTables", "fold_tables", "fused_shingle_hashes", "shingle_pass"]

_P = np.uint64(PRIME)
_LEN_MIX = np.uint64(LEN_MIX)
_MODES = {"auto": 0, "word": 1, "char": 2}


class FoldTables(NamedTuple):
    """Per code point below U+10000 (``length``, ``form``, ``word``, ``info``) or ASCII byte
    (``latin``), for one normalisation."""

    length: np.ndarray  # int8: bytes of the normalised form; -1: the general path's
    form: np.ndarray  # (0x10000, 3) uint8: the form's bytes, zero-padded
    word: np.ndarray  # bool: a non-ASCII form is one word character (ASCII: byte by byte)
    info: np.ndarray  # int8: -1 as ``length``; else a-z bytes of the form + 4 if CJK-led
    latin: np.ndarray  # (128,) int64: 1 where the byte is a-z once normalised


_lock = threading.Lock()
_tables: dict[tuple[bool, bool], FoldTables] = {}


def fold_tables(norm: Normalization) -> FoldTables:
    """The tables of ``norm``, built once per process."""
    key = (norm.nfkc, norm.lowercase)
    with _lock:
        if key not in _tables:
            _tables[key] = _build_tables(norm)
        return _tables[key]


def _build_tables(norm: Normalization) -> FoldTables:
    from stages.dedup.nfkc import _ASCII_MAPPED, _INERT, _class_tables
    from stages.dedup.token_ranges import _word_table

    points = np.array([p for p in range(0x10000) if not 0xD800 <= p < 0xE000])
    if norm.nfkc:
        cls, repl, nrepl = _class_tables()
        klass = cls[points]
    else:  # no NFKC: every character stands for itself
        klass = np.full(len(points), _INERT, dtype=np.uint8)
    forms = [chr(p) for p in points.tolist()]
    for i in np.flatnonzero(klass == _ASCII_MAPPED).tolist():
        forms[i] = bytes(repl[points[i], : nrepl[points[i]]]).decode("ascii")
    arr = pa.array(forms, pa.large_string())
    if norm.lowercase:
        arr = pc.utf8_lower(arr)
    offsets, data = string_buffers(arr)
    size = np.diff(offsets)
    padded = np.concatenate([data, np.zeros(3, dtype=np.uint8)])
    first = padded[offsets[:-1]].astype(np.int64)
    lead_width = np.where(first < 0x80, 1, np.where(first < 0xE0, 2, np.where(first < 0xF0, 3, 4)))
    top = np.zeros(len(points), dtype=np.int64)  # the form's largest byte (0 when empty)
    for k in range(3):
        top = np.maximum(top, np.where(k < size, padded[offsets[:-1] + k], 0))
    ascii_form = top < 0x80
    # a table entry: a character NFKC maps on its own whose form is ASCII bytes (at most 3)
    # or one character of at most 3 bytes; the rest is the general path's
    ok = (klass == _INERT) | (klass == _ASCII_MAPPED)
    ok &= (size <= 3) & (ascii_form | (lead_width == size))
    length = np.full(0x10000, -1, dtype=np.int8)
    length[points[ok]] = size[ok]
    out = np.zeros((0x10000, 3), dtype=np.uint8)
    for k in range(3):
        put = ok & (k < size)
        out[points[put], k] = padded[offsets[:-1][put] + k]
    multi = ok & ~ascii_form
    b0, b1, b2 = (padded[offsets[:-1] + k].astype(np.int64) for k in range(3))
    cp = np.where(size == 2, ((b0 & 0x1F) << 6) | (b1 & 0x3F), 0)
    cp = np.where(size == 3, ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F), cp)
    word = np.zeros(0x10000, dtype=bool)
    word[points[multi]] = _word_table()[cp[multi]]
    info = np.full(0x10000, -1, dtype=np.int8)
    lat = np.zeros(len(points), dtype=np.int64)
    for k in range(3):
        byte = padded[offsets[:-1] + k]
        lat += (k < size) & (byte >= 0x61) & (byte <= 0x7A)
    info[points[ok & ascii_form]] = lat[ok & ascii_form]
    info[points[multi]] = 4 * ((first[multi] >= 0xE3) & (first[multi] <= 0xED))
    latin = np.zeros(128, dtype=np.int64)
    latin[ord("a") : ord("z") + 1] = 1
    if norm.lowercase:
        latin[ord("A") : ord("Z") + 1] = 1
    return FoldTables(length, out, word, info, latin)


def fused_shingle_hashes(
    raw: pa.Array, ngram: int, mode: str, cjk_ratio: float, norm: Normalization
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(hashes, shingles per document, char mode, needs the general path) of a prepared
    large_string array (``normalize.prepare``); a document the general path must take has
    no hashes here."""
    offsets, data = string_buffers(raw)
    ndoc = len(raw)
    t = fold_tables(norm)
    hashes = np.empty(len(data) + ndoc, dtype=np.uint32)
    counts = np.zeros(ndoc, dtype=np.int64)
    char_mode = np.zeros(ndoc, dtype=bool)
    slow = np.zeros(ndoc, dtype=bool)
    used = shingle_pass(
        data,
        offsets,
        t.length,
        t.form,
        t.word,
        t.info,
        _WORD_BYTE,
        t.latin,
        norm.lowercase,
        ngram,
        _MODES[mode],
        cjk_ratio,
        hashes,
        counts,
        char_mode,
        slow,
    )
    return hashes[:used], counts, char_mode, slow


@jit
def _decode(data: np.ndarray, i: int) -> tuple[Any, int]:  # pragma: no cover - compiled
    """(code point, bytes) of the multi-byte character at ``i``; (-1, 4) past the BMP."""
    b0 = np.int64(data[i])
    if b0 < 0xE0:
        return ((b0 & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F), 2
    if b0 < 0xF0:
        return (((b0 & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6)) | (
            np.int64(data[i + 2]) & 0x3F
        ), 3
    return -1, 4


@jit
def shingle_pass(  # noqa: PLR0912, PLR0913, PLR0915  one compiled loop; see the module docstring
    data: np.ndarray,
    offsets: np.ndarray,
    length: np.ndarray,
    out_bytes: np.ndarray,
    word: np.ndarray,
    info: np.ndarray,
    word_byte: np.ndarray,
    latin: np.ndarray,
    lower: bool,
    ngram: int,
    mode: int,
    cjk_ratio: float,
    hashes: np.ndarray,
    counts: np.ndarray,
    char_mode: np.ndarray,
    slow: np.ndarray,
) -> int:  # pragma: no cover - compiled; tests compare it with the general path
    """Writes each document's shingle hashes after the previous one's; returns how many.

    Per document, two passes over its characters: the first checks that every one has a
    table entry and counts CJK lead bytes and ``a``..``z`` of the normalised text (the
    mode, as ``shingles.shingle_modes`` decides it); the second hashes the tokens (maximal
    runs of word characters, or each word character in character mode) into ``tok``, then
    their n-grams into ``hashes``.
    """
    longest = 0
    for d in range(offsets.shape[0] - 1):
        longest = max(longest, offsets[d + 1] - offsets[d])
    tok = np.empty(3 * longest + 1, np.uint64)
    w = 0
    for d in range(offsets.shape[0] - 1):
        s = offsets[d]
        e = offsets[d + 1]
        n_cjk = 0
        n_lat = 0
        ok = True
        i = s
        while i < e:
            b = data[i]
            if b < 0x80:
                n_lat += latin[b]
                i += 1
                continue
            cp, width = _decode(data, i)
            v = info[cp] if cp >= 0 else -1
            if v < 0:
                ok = False
                break
            n_lat += v & 3
            n_cjk += v >> 2
            i += width
        if not ok:
            slow[d] = True
            continue
        by_char = mode == 2 or (mode == 0 and n_cjk > 0 and n_cjk >= cjk_ratio * n_lat)
        char_mode[d] = by_char
        nt = 0
        inside = False
        acc = np.uint64(0)
        pw = np.uint64(1)
        size = 0
        i = s
        # The token state machine is written out twice, for an ASCII byte and for the units
        # of another character's form: as one helper returning the state it ran 2.8x slower.
        while i < e:
            b = np.int64(data[i])
            if b < 0x80:  # an ASCII byte: one unit
                i += 1
                is_word = word_byte[b]
                if inside and (by_char or not is_word):  # it ends the open token
                    tok[nt] = _fmix64(acc ^ (np.uint64(size) * _LEN_MIX))
                    nt += 1
                    inside = False
                if is_word:
                    if not inside:
                        acc, pw, size, inside = np.uint64(0), np.uint64(1), 0, True
                    if lower and b >= 0x41 and b <= 0x5A:
                        b += 32
                    acc += np.uint64(b) * pw
                    pw *= _P
                    size += 1
                continue
            cp, width = _decode(data, i)
            i += width
            n = np.int64(length[cp])
            multi = out_bytes[cp, 0] >= 0x80
            # a non-ASCII form is one unit of n bytes; an ASCII form, n units of one byte
            for u in range(1 if multi else n):
                is_word = word[cp] if multi else word_byte[out_bytes[cp, u]]
                if inside and (by_char or not is_word):
                    tok[nt] = _fmix64(acc ^ (np.uint64(size) * _LEN_MIX))
                    nt += 1
                    inside = False
                if is_word:
                    if not inside:
                        acc, pw, size, inside = np.uint64(0), np.uint64(1), 0, True
                    for k in range(u, n if multi else u + 1):
                        acc += np.uint64(out_bytes[cp, k]) * pw
                        pw *= _P
                        size += 1
        if inside:
            tok[nt] = _fmix64(acc ^ (np.uint64(size) * _LEN_MIX))
            nt += 1
        if nt == 0:
            continue
        nsh = ngram_row(tok, 0, nt, ngram, hashes, w)
        counts[d] = nsh
        w += nsh
    return w

"""The hashing half of our fastText prediction (``fasttext_kernel.py`` has the per-line pass):
fastText's 32-bit FNV-1a, the dictionary's hash table, character n-grams and the row a bucket id
maps to, compiled with numba.

- a token's hash is FNV-1a over its bytes, each sign-extended (``h ^= uint32_t(int8_t(c))``);
- character n-grams are the substrings of ``<`` + token + ``>`` of ``minn`` to ``maxn`` UTF-8
  characters, except the lone ``<`` and ``>`` (``computeSubwords``); the row of one is
  ``nwords + id``, where ``id`` is its hash modulo ``bucket``, mapped through the pruning table
  of a quantized model (an id the table lacks adds nothing, ``pushHash``);
- a known word adds its own row and its n-grams' rows (``initNgrams``): ``word_sums`` adds
  them up once per dictionary word.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "char_ngrams",
    "same_bytes",
    "table_row",
    "PRUNE_ALL",
    "PRUNE_NONE",
    "PRUNE_TABLE",
    "build_table",
    "fnv",
    "jit",
    "njit",
    "word_sums",
]

njit: Any
try:  # a dependency; without it the stages score with fastText's own predict
    from numba import njit
except ImportError:  # pragma: no cover - numba is installed with the project
    njit = None


#: How a bucket id (character or word n-gram) becomes a row: ``nwords + id`` (no pruning, every
#: model fastText did not quantize with a cutoff), nothing (a quantized model that kept no
#: n-gram), or through the kept ids' table.
PRUNE_NONE, PRUNE_ALL, PRUNE_TABLE = 0, 1, 2


def jit(fn: Any) -> Any:
    """``fn`` compiled (cached on disk, releasing the GIL) when numba is there, else as is."""
    return njit(cache=True, nogil=True)(fn) if njit is not None else fn


@jit
def _step(h: np.uint64, byte: Any) -> np.uint64:  # pragma: no cover - compiled
    c = np.uint64(byte)
    if c >= 128:  # fastText hashes signed chars: sign-extend the byte
        c |= np.uint64(0xFFFFFF00)
    return ((h ^ c) * np.uint64(16777619)) & np.uint64(0xFFFFFFFF)


@jit
def fnv(buf: np.ndarray, start: int, end: int) -> np.uint64:  # pragma: no cover - compiled
    h = np.uint64(2166136261)
    for i in range(start, end):
        h = _step(h, buf[i])
    return h


@jit
def build_table(vbuf: np.ndarray, voff: np.ndarray, size: int) -> Any:  # pragma: no cover
    """Hashes of the dictionary's entries and an open-addressing table (``size`` a power of 2)."""
    n = voff.shape[0] - 1
    hashes = np.empty(n, np.uint64)
    table = np.full(size, -1, np.int64)
    mask = np.uint64(size - 1)
    for i in range(n):
        h = fnv(vbuf, voff[i], voff[i + 1])
        hashes[i] = h
        slot = h & mask
        while table[slot] >= 0:
            slot = (slot + np.uint64(1)) & mask
        table[slot] = i
    return hashes, table


@jit
def same_bytes(
    a: np.ndarray, s: int, e: int, b: np.ndarray, bs: int, be: int
) -> bool:  # pragma: no cover
    if e - s != be - bs:
        return False
    for k in range(e - s):
        if a[s + k] != b[bs + k]:
            return False
    return True


@jit
def table_row(b: int, pkeys: np.ndarray, pvals: np.ndarray) -> int:  # pragma: no cover
    """The row offset (after ``nwords``) of kept bucket id ``b``, or -1."""
    mask = pkeys.shape[0] - 1
    slot = b & mask
    while pkeys[slot] >= 0:
        if pkeys[slot] == b:
            return int(pvals[slot])
        slot = (slot + 1) & mask
    return -1


@jit
def _mod32(h: np.uint64, d: np.uint64, magic: np.uint64) -> np.int64:  # pragma: no cover
    """``h % d`` for 32-bit ``h`` and ``d`` without a division (Lemire, Kaser and Kurz, "Faster
    Remainder by Direct Computation", 2019): ``magic = (2**64 - 1) // d + 1``; the high 64 bits of
    the 96-bit product ``low * d`` are taken from its 32-bit halves."""
    low = magic * h  # wraps modulo 2**64
    hi = (low >> np.uint64(32)) * d
    lo = ((low & np.uint64(0xFFFFFFFF)) * d) >> np.uint64(32)
    return np.int64((hi + lo) >> np.uint64(32))


@jit
def char_ngrams(  # pragma: no cover - compiled
    tok: np.ndarray,
    s: int,
    e: int,
    minn: int,
    maxn: int,
    bucket: int,
    nwords: int,
    prune: int,
    pbits: np.ndarray,
    pkeys: np.ndarray,
    pvals: np.ndarray,
    rows: np.ndarray,
    out: np.ndarray,
    d: int,
    starts: np.ndarray,
) -> int:
    """Adds the rows of the character n-grams of token ``tok[s:e]`` to ``out[d]``; how many.
    ``starts``: scratch space of at least ``e - s + 3`` integers."""
    # character starts in "<" + token + ">": 0, then the token's lead bytes (offset by 1)
    nchars = 1
    starts[0] = 0
    for k in range(s, e):
        if (tok[k] & 0xC0) != 0x80:
            starts[nchars] = k - s + 1
            nchars += 1
    starts[nchars] = e - s + 1  # the ">"
    nchars += 1
    starts[nchars] = e - s + 2  # end
    width = rows.shape[1]
    added = 0
    ubucket = np.uint64(bucket)
    magic = np.uint64(0xFFFFFFFFFFFFFFFF) // ubucket + np.uint64(1)
    for i in range(nchars):
        h = np.uint64(2166136261)
        for n in range(1, maxn + 1):
            if i + n > nchars:
                break
            for k in range(starts[i + n - 1], starts[i + n]):
                if k == 0:
                    byte = 60
                elif k == e - s + 1:
                    byte = 62
                else:
                    byte = tok[s + k - 1]
                h = _step(h, byte)
            if n >= minn and not (n == 1 and (i == 0 or i + n == nchars)):
                # the row of bucket id b: nwords + b, or through a quantized model's kept ids
                # (most ids are not kept: one bit says so, from the CPU's cache)
                b = _mod32(h, ubucket, magic)
                r = b
                if prune == PRUNE_ALL:
                    r = -1
                elif prune == PRUNE_TABLE:
                    r = -1
                    if (pbits[b >> 3] >> (b & 7)) & 1:
                        r = table_row(b, pkeys, pvals)
                if r >= 0:
                    for k in range(width):
                        out[d, k] += rows[nwords + r, k]
                    added += 1
    return added


@jit
def word_sums(  # pragma: no cover - compiled; tests also run the Python version
    vbuf: np.ndarray,
    voff: np.ndarray,
    nwords: int,
    eos_id: int,
    minn: int,
    maxn: int,
    bucket: int,
    prune: int,
    pbits: np.ndarray,
    pkeys: np.ndarray,
    pvals: np.ndarray,
    rows: np.ndarray,
) -> Any:
    """For each dictionary word: the sum of the rows it adds to a line (its own and those of
    its character n-grams, none for ``</s>``), and how many (fastText's ``initNgrams``)."""
    sums = np.zeros((nwords, rows.shape[1]))
    counts = np.ones(nwords, np.int64)
    longest = 0
    for i in range(nwords):
        longest = max(longest, voff[i + 1] - voff[i])
    starts = np.empty(longest + 3, np.int64)
    for i in range(nwords):
        for k in range(rows.shape[1]):
            sums[i, k] = rows[i, k]
        if maxn > 0 and i != eos_id:
            counts[i] += char_ngrams(
                vbuf, voff[i], voff[i + 1], minn, maxn, bucket, nwords, prune, pbits, pkeys, pvals,
                rows, sums, i, starts,
            )  # fmt: skip
    return sums, counts

"""Compiled loops of pass 1 (the sketch): n-gram hashes and MinHash minima, with numba.

Each function computes exactly what the numpy path computes (``shingles._ngram_hashes``,
``signatures.signatures``), bit for bit, in one pass per document instead of one vector pass
per step over the whole batch:

- ``ngram_hashes``: a token's hash is the polynomial ``Σ b_j · P^j mod 2^64`` over its bytes,
  finished as ``hash_ranges64`` does (length mixed in, 64-bit MurmurHash3 finalizer); the
  shingle's hash is the same over its ``ngram`` token hashes, top 32 bits kept. The numpy
  path gets the same sums from prefix sums times inverse powers (``(S[e] - S[s]) · P^-s``);
  here they are summed directly, without the two prefix sums over the batch.
- ``minhash_rows``: per document, each shingle hash is pre-mixed once (32-bit MurmurHash3
  finalizer) and every permutation's ``(a·h + b) mod 2^32`` is compared with the running
  minimum, in uint32 (wrapping) arithmetic; a document without shingles keeps
  ``0xFFFFFFFF`` everywhere. ``limit`` caps the shingles read per document (the prefix
  signature of containment reads the first ``prefix_shingles``).
- ``band_rows_hashes``: the LSH band hashes of ``lsh.band_hashes``, chained per document.

``AVAILABLE`` says whether numba compiled them; without numba the callers keep the numpy
path (the functions here still run, as plain Python, for the tests).
"""

from __future__ import annotations

import numpy as np

from stages.textutil.fasttext_hashing import jit, njit
from stages.textutil.hashing import LEN_MIX, PRIME

__all__ = [
    "AVAILABLE",
    "band_rows_hashes",
    "distinct_counts",
    "minhash_rows",
    "ngram_hashes",
    "ngram_row",
    "range_counts",
    "script_counts",
    "word_runs",
]

#: True when the functions below are compiled (numba is installed).
AVAILABLE = njit is not None

_P = np.uint64(PRIME)
_LEN_MIX = np.uint64(LEN_MIX)
_EMPTY = np.uint32(0xFFFFFFFF)


@jit
def _fmix64(h: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@jit
def _fmix32(h: np.uint32) -> np.uint32:  # pragma: no cover - compiled
    h = np.uint32(h ^ (h >> np.uint32(16)))
    h = np.uint32(h * np.uint32(0x85EBCA6B))
    h = np.uint32(h ^ (h >> np.uint32(13)))
    h = np.uint32(h * np.uint32(0xC2B2AE35))
    return np.uint32(h ^ (h >> np.uint32(16)))


@jit
def ngram_hashes(  # pragma: no cover - compiled; tests also run the Python version
    data: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    tok_off: np.ndarray,
    sh_off: np.ndarray,
    ngram: int,
    out: np.ndarray,
) -> None:
    """Writes the uint32 shingle hashes of document ``d`` to ``out[sh_off[d]:sh_off[d+1]]``.

    ``data``: the batch's UTF-8 bytes; tokens ``[starts[t], ends[t])``, those of document
    ``d`` at ``t`` in ``[tok_off[d], tok_off[d+1])``; a document with ``n`` tokens has
    ``n - ngram + 1`` shingles, or one (all its tokens) when ``0 < n < ngram``.
    """
    ntok = starts.shape[0]
    tok = np.empty(ntok, np.uint64)
    for t in range(ntok):
        s = np.int64(starts[t])
        e = np.int64(ends[t])
        acc = np.uint64(0)
        pw = np.uint64(1)
        for i in range(s, e):
            acc += np.uint64(data[i]) * pw
            pw *= _P
        tok[t] = _fmix64(acc ^ (np.uint64(e - s) * _LEN_MIX))
    for d in range(tok_off.shape[0] - 1):
        t0 = np.int64(tok_off[d])
        n = np.int64(tok_off[d + 1]) - t0
        o = np.int64(sh_off[d])
        if n == 0:
            continue
        ngram_row(tok, t0, n, ngram, out, o)


@jit
def ngram_row(  # pragma: no cover - compiled
    tok: np.ndarray, t0: int, n: int, ngram: int, out: np.ndarray, o: int
) -> int:
    """The n-gram hashes of one document's ``n > 0`` token hashes ``tok[t0:t0+n]`` into
    ``out[o:]`` (one n-gram of all of them when ``n < ngram``); returns how many."""
    width = n if n < ngram else ngram
    mix = np.uint64(width) * _LEN_MIX
    nsh = n - width + 1
    for j in range(nsh):
        acc = np.uint64(0)
        pw = np.uint64(1)
        for k in range(width):
            acc += tok[t0 + j + k] * pw
            pw *= _P
        out[o + j] = np.uint32(_fmix64(acc ^ mix) >> np.uint64(32))
    return nsh


@jit
def minhash_rows(  # pragma: no cover - compiled; tests also run the Python version
    hashes: np.ndarray,
    offsets: np.ndarray,
    limit: int,
    a: np.ndarray,
    b: np.ndarray,
    out: np.ndarray,
) -> None:
    """``out[d, k] = min((a[k]·fmix32(h) + b[k]) mod 2^32)`` over the first ``limit``
    shingle hashes ``h`` of document ``d`` (``hashes[offsets[d]:offsets[d+1]]``), or
    ``0xFFFFFFFF`` without any. ``out``: (documents, permutations) uint32."""
    num_perm = a.shape[0]
    for d in range(offsets.shape[0] - 1):
        row = out[d]
        for k in range(num_perm):
            row[k] = _EMPTY
        s = np.int64(offsets[d])
        e = np.int64(offsets[d + 1])
        if e - s > limit:  # never ``s + limit``: ``limit`` may be the largest int64
            e = s + np.int64(limit)
        for i in range(s, e):
            h = _fmix32(hashes[i])
            for k in range(num_perm):
                v = np.uint32(a[k] * h + b[k])
                if v < row[k]:
                    row[k] = v


@jit
def distinct_counts(  # pragma: no cover - compiled; tests also run the Python version
    hashes: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """Distinct values of ``hashes[offsets[d]:offsets[d+1]]`` for every document ``d``: an
    open-addressing set per document (twice its length, a power of two), reset by stamping
    each slot with the document it was filled for."""
    ndoc = offsets.shape[0] - 1
    out = np.zeros(ndoc, np.int64)
    longest = np.int64(0)
    for d in range(ndoc):
        longest = max(longest, np.int64(offsets[d + 1]) - np.int64(offsets[d]))
    size = np.int64(1)
    while size < 2 * longest:
        size *= 2
    slots = np.empty(size, np.uint32)
    owner = np.full(size, -1, np.int64)
    for d in range(ndoc):
        s = np.int64(offsets[d])
        n = np.int64(offsets[d + 1]) - s
        mask = np.int64(1)
        while mask < 2 * n:
            mask *= 2
        mask -= 1
        count = np.int64(0)
        for i in range(s, s + n):
            h = hashes[i]
            j = np.int64(h) & mask
            while owner[j] == d and slots[j] != h:
                j = (j + 1) & mask
            if owner[j] != d:
                owner[j] = d
                slots[j] = h
                count += 1
        out[d] = count
    return out


@jit
def word_runs(  # pragma: no cover - compiled; tests also run the Python version
    word: np.ndarray, lead: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start bytes, end bytes, runs per document) of the maximal runs of units ``u`` with
    ``word[u]`` inside each document ``[offsets[d], offsets[d+1])`` of a UTF-8 buffer.

    A unit is a character starting at byte ``lead[u]`` (ascending), or, with ``lead`` empty,
    a byte (``u`` itself). A run ends at the next unit's start or at its document's end.
    """
    ndoc = offsets.shape[0] - 1
    bytewise = lead.shape[0] == 0
    nunit = word.shape[0]
    cap = nunit // 2 + ndoc + 1  # a run and a separator per two units, per document
    starts = np.empty(cap, np.int64)
    ends = np.empty(cap, np.int64)
    ntok = np.zeros(ndoc, np.int64)
    k = 0
    u = 0
    for d in range(ndoc):
        inside = False
        e = np.int64(offsets[d + 1])
        while u < nunit:
            pos = np.int64(u) if bytewise else np.int64(lead[u])
            if pos >= e:
                break
            w = word[u]
            if w and not inside:
                starts[k] = pos
            elif inside and not w:
                ends[k] = pos
                k += 1
            inside = w
            u += 1
        if inside:
            ends[k] = e
            k += 1
        ntok[d] = k
    for d in range(ndoc - 1, 0, -1):
        ntok[d] -= ntok[d - 1]
    return starts[:k], ends[:k], ntok


@jit
def range_counts(  # pragma: no cover - compiled; tests also run the Python version
    pos: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """How many of the ascending positions ``pos`` fall in each ``[offsets[d], offsets[d+1])``
    (``np.bincount(np.searchsorted(offsets, pos, "right") - 1)`` in one merge)."""
    ndoc = offsets.shape[0] - 1
    out = np.zeros(ndoc, np.int64)
    d = 0
    for p in pos:
        while p >= offsets[d + 1]:
            d += 1
        out[d] += 1
    return out


@jit
def script_counts(  # pragma: no cover - compiled; tests also run the Python version
    data: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per document: bytes 0xE3..0xED or 0xF0 (CJK lead bytes) and bytes ``a``..``z``
    (``shingles.shingle_modes`` says why these)."""
    ndoc = offsets.shape[0] - 1
    cjk = np.zeros(ndoc, np.int64)
    latin = np.zeros(ndoc, np.int64)
    for d in range(ndoc):
        nc = 0
        nl = 0
        for i in range(np.int64(offsets[d]), np.int64(offsets[d + 1])):
            c = data[i]
            nc += (c >= 0xE3 and c <= 0xED) or c == 0xF0
            nl += c >= 0x61 and c <= 0x7A
        cjk[d] = nc
        latin[d] = nl
    return cjk, latin


@jit
def band_rows_hashes(  # pragma: no cover - compiled; tests also run the Python version
    sigs: np.ndarray, bands: np.int64, rows: np.int64
) -> np.ndarray:
    """``lsh.band_hashes``: band ``j`` of a document chains ``fmix64((acc ^ v) · M)`` over its
    ``rows`` signature values from ``acc = j + 1``; one pass per document, no temporaries."""
    n = sigs.shape[0]
    mult = np.uint64(0x9E3779B97F4A7C15)
    out = np.empty((n, bands), np.uint64)
    for d in range(n):
        for j in range(bands):
            acc = np.uint64(j + 1)
            base = j * rows
            for c in range(rows):
                acc = _fmix64((acc ^ np.uint64(sigs[d, base + c])) * mult)
            out[d, j] = acc
    return out

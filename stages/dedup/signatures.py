"""MinHash signatures for a whole batch, equal to datasketch's ``MinHash`` (scheme affine32).

datasketch 2.x (``datasketch/minhash.py``, scheme ``"affine32"``, the default) draws the
permutations from ``np.random.RandomState(seed)``: ``a = 2·randint(0, 2^31) + 1`` (odd, so
``h ↦ a·h + b mod 2^32`` is a bijection) and ``b = randint(0, 2^32)``, both ``num_perm``
long; each input hash is pre-mixed with the 32-bit MurmurHash3 finalizer, and the signature
is ``min over shingles of (a·fmix32(h) + b) mod 2^32`` per permutation (Broder 1997).
We draw the same parameters and apply the same arithmetic, so for the same shingle hashes
(``MinHash(num_perm, seed, hashfunc=shingle_hash32)``) the values are identical; a test
proves it.

The computation is vectorised over the batch: all shingle hashes of all documents form one
uint32 vector; for each permutation one multiply-add over that vector and one
``np.minimum.reduceat`` over the document boundaries give that permutation's column of every
signature. Per permutation the work is three passes over a vector that fits in cache,
instead of one Python call per shingle.
"""

from __future__ import annotations

import functools

import numpy as np

from stages.dedup.hashing import fmix32
from stages.dedup.shingles import ShingleHashes

__all__ = ["EMPTY_HASH", "permutations", "signatures"]

#: Signature value of a permutation no shingle reached (datasketch's initial value).
EMPTY_HASH = np.uint32(0xFFFFFFFF)


@functools.lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters ``(a, b)`` for ``num_perm`` and ``seed``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def signatures(shingles: ShingleHashes, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """``(n_docs, num_perm)`` uint32 signatures; rows of documents without shingles are all
    ``EMPTY_HASH`` (as an empty datasketch ``MinHash``)."""
    a, b = permutations(num_perm, seed)
    counts = shingles.counts
    ndoc = len(counts)
    out = np.full((num_perm, ndoc), EMPTY_HASH, dtype=np.uint32)
    has = np.flatnonzero(counts > 0)
    if len(has) == 0:
        return np.ascontiguousarray(out.T)
    hv = fmix32(shingles.hashes)
    segs = shingles.offsets[:-1][has]
    tmp = np.empty_like(hv)
    for k in range(num_perm):
        np.multiply(hv, a[k], out=tmp)
        np.add(tmp, b[k], out=tmp)
        out[k, has] = np.minimum.reduceat(tmp, segs)
    return np.ascontiguousarray(out.T)

"""MinHash signatures for a whole batch, equal to datasketch's ``MinHash`` (scheme affine32).

datasketch 2.x (``datasketch/minhash.py``, scheme ``"affine32"``, the default) draws the
permutations from ``np.random.RandomState(seed)``: ``a = 2·randint(0, 2^31) + 1`` (odd, so
``h ↦ a·h + b mod 2^32`` is a bijection) and ``b = randint(0, 2^32)``, both ``num_perm``
long; each input hash is pre-mixed with the 32-bit MurmurHash3 finalizer, and the signature
is ``min over shingles of (a·fmix32(h) + b) mod 2^32`` per permutation (Broder 1997).
We draw the same parameters and apply the same arithmetic, so for the same shingle hashes
(``MinHash(num_perm, seed, hashfunc=shingle_hash32)``) the values are identical; a test
proves it.

With numba (a dependency) the minimum is one compiled loop per document
(``sketch_kernel.minhash_rows``): each shingle hash is pre-mixed once and compared with every
permutation's running minimum, in uint32 registers. Without it, ``signatures_numpy`` is
vectorised over the batch: all shingle hashes of all documents form one uint32 vector; for
each permutation one multiply-add over that vector and one ``np.minimum.reduceat`` over the
document boundaries give that permutation's column of every signature.
"""

from __future__ import annotations

import functools

import numpy as np

from stages.dedup import sketch_kernel
from stages.dedup.hashing import fmix32
from stages.dedup.shingles import ShingleHashes

__all__ = ["EMPTY_HASH", "permutations", "signatures", "signatures_numpy"]

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


def signatures(
    shingles: ShingleHashes, num_perm: int = 128, seed: int = 1, limit: int | None = None
) -> np.ndarray:
    """``(n_docs, num_perm)`` uint32 signatures of the first ``limit`` shingles of each
    document (all with ``None``); rows of documents without shingles are all ``EMPTY_HASH``
    (as an empty datasketch ``MinHash``). Compiled (``sketch_kernel.minhash_rows``) when
    numba is there, else ``signatures_numpy``; the two agree bit for bit."""
    if not sketch_kernel.AVAILABLE:
        return signatures_numpy(shingles if limit is None else shingles.head(limit), num_perm, seed)
    a, b = permutations(num_perm, seed)
    out = np.empty((len(shingles.offsets) - 1, num_perm), dtype=np.uint32)
    cap = np.iinfo(np.int64).max if limit is None else limit
    sketch_kernel.minhash_rows(shingles.hashes, shingles.offsets, cap, a, b, out)
    return out


def signatures_numpy(shingles: ShingleHashes, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """``signatures`` vectorised over the batch with numpy (the path without numba): one
    multiply-add and one ``np.minimum.reduceat`` per permutation over all shingles."""
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

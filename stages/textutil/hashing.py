"""Vectorised 64-bit hashing of strings and byte ranges, for any stage family.

Every hash is computed for many values at once with numpy. Byte ranges use a polynomial hash
over the bytes, ``H(b) = Σ b_i · P^i mod 2^64`` with an odd ``P`` (the 64-bit FNV prime),
finished with the MurmurHash3 64-bit finalizer. Because ``P`` is odd it is invertible mod 2^64,
so the hash of any range ``[s, e)`` of a buffer follows from one prefix sum over the whole
buffer: ``H = (S[e] - S[s]) · P^-s``. Hashing every substring of interest of a batch is then
O(bytes + substrings), with no per-substring Python and no copying. A polynomial hash is not
collision-resistant against crafted input; the finalizer spreads it, and the users here (set
elements, n-gram counting) tolerate a rare collision.

``stages.dedup.hashing`` adds the scalar twins and the 32-bit finalizer that dedup needs.
"""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "LEN_MIX",
    "MASK64",
    "PRIME",
    "fmix64",
    "hash_ranges64",
    "hash_strings64",
    "murmur_fmix",
    "range_hash_prefix",
    "string_buffers",
]

#: The multiplier of the polynomial hash (64-bit FNV prime), the 64-bit mask, and the constant
#: the length is mixed in with (so that ranges of zero bytes of different lengths differ).
PRIME = 0x100000001B3
MASK64 = (1 << 64) - 1
LEN_MIX = 0x9E3779B97F4A7C15
_PRIME_INV = pow(PRIME, -1, 1 << 64)

_lock = threading.Lock()
_pow_cache: dict[str, np.ndarray] = {}


def murmur_fmix(
    h: np.ndarray,
    shifts: tuple[int, int, int],
    mults: tuple[int, int],
    dtype: type[np.unsignedinteger],
) -> np.ndarray:
    """MurmurHash3's finalizer, element-wise: ``h ^= h >> s1; h *= m1; h ^= h >> s2; h *= m2;
    h ^= h >> s3`` in ``dtype`` arithmetic (wrapping)."""
    s1, s2, s3 = (dtype(s) for s in shifts)
    h = h ^ (h >> s1)
    h = h * dtype(mults[0])
    h = h ^ (h >> s2)
    h = h * dtype(mults[1])
    out: np.ndarray = h ^ (h >> s3)
    return out


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 64-bit finalizer (an avalanching bijection), element-wise on uint64."""
    return murmur_fmix(h, (33, 33, 33), (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53), np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P^i`` and ``P^-i`` mod 2^64 for ``i < n`` (cached, grown by doubling)."""
    with _lock:
        have = _pow_cache.get("p")
        if have is None or len(have) < n:
            size = max(n, 1 << 16, 2 * (0 if have is None else len(have)))
            p = np.full(size, PRIME, dtype=np.uint64)
            p[0] = 1
            q = np.full(size, _PRIME_INV, dtype=np.uint64)
            q[0] = 1
            with np.errstate(over="ignore"):
                _pow_cache["p"] = np.cumprod(p)
                _pow_cache["q"] = np.cumprod(q)
        return _pow_cache["p"][:n], _pow_cache["q"][:n]


def range_hash_prefix(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prefix sums ``S`` (length ``len(data)+1``) and inverse powers for ``hash_ranges64``."""
    n = len(data)
    pw, pinv = _powers(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(data.astype(np.uint64) * pw[:n], out=prefix[1:])
    return prefix, pinv


def hash_ranges64(
    prefix: np.ndarray, pinv: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """64-bit hashes of the byte ranges ``[starts, ends)`` of the buffer behind ``prefix``."""
    raw = (prefix[ends] - prefix[starts]) * pinv[starts]
    length = (ends - starts).astype(np.uint64)
    return fmix64(raw ^ (length * np.uint64(LEN_MIX)))


def hash_strings64(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """64-bit hash of every value of a pyarrow string/binary array (nulls hash as empty)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.fill_null(arr.cast(pa.large_binary()), b"")
    offsets, data = string_buffers(arr)
    prefix, pinv = range_hash_prefix(data)
    return hash_ranges64(prefix, pinv, offsets[:-1], offsets[1:])


def string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Zero-copy (offsets as int64 rebased to 0, data bytes) of a string/binary array."""
    large = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    otype = np.int64 if large else np.int32
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=otype)[arr.offset : arr.offset + len(arr) + 1]
    offsets = offsets.astype(np.int64)
    if bufs[2] is None or len(arr) == 0:
        return np.zeros(len(arr) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    data = np.frombuffer(bufs[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return offsets - offsets[0], data

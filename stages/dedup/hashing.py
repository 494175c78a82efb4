"""Vectorised hashing of byte ranges, shared by the shingle, key and band passes.

Every hash here is computed for many values at once with numpy, and has a scalar twin in
plain Python used by tests and by callers that need a single value (datasketch interop).

Byte ranges use a polynomial hash over the bytes, ``H(b) = Σ b_i · P^i mod 2^64`` with an odd
``P`` (the 64-bit FNV prime), finished with the MurmurHash3 64-bit finalizer. Because ``P`` is
odd it is invertible mod 2^64, so the hash of any range ``[s, e)`` of a buffer follows from one
prefix sum over the whole buffer: ``H = (S[e] - S[s]) · P^-s``. That makes hashing every
shingle of a batch O(bytes + shingles), with no per-shingle Python and no copying of
shingle strings. A polynomial hash is not collision-resistant against crafted input; the
finalizer spreads it, and a collision between two shingles only merges two set elements.
"""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "fmix32",
    "fmix64",
    "hash_bytes64",
    "hash_ranges64",
    "hash_sequence64",
    "hash_strings64",
    "range_hash_prefix",
    "string_buffers",
]

_P = 0x100000001B3
_P_INV = pow(_P, -1, 1 << 64)
_MASK64 = (1 << 64) - 1
_LEN_MIX = 0x9E3779B97F4A7C15

_lock = threading.Lock()
_pow_cache: dict[str, np.ndarray] = {}


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 64-bit finalizer (an avalanching bijection), element-wise on uint64."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    out: np.ndarray = h ^ (h >> np.uint64(33))
    return out


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finalizer, element-wise on uint32 (datasketch's ``_fmix(h, 32)``)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    out: np.ndarray = h ^ (h >> np.uint32(16))
    return out


def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P^i`` and ``P^-i`` mod 2^64 for ``i < n`` (cached, grown by doubling)."""
    with _lock:
        have = _pow_cache.get("p")
        if have is None or len(have) < n:
            size = max(n, 1 << 16, 2 * (0 if have is None else len(have)))
            p = np.full(size, _P, dtype=np.uint64)
            p[0] = 1
            q = np.full(size, _P_INV, dtype=np.uint64)
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
    return fmix64(raw ^ (length * np.uint64(_LEN_MIX)))


def hash_bytes64(data: bytes) -> int:
    """Scalar twin of ``hash_ranges64`` for one byte string."""
    acc = 0
    pw = 1
    for byte in data:
        acc = (acc + byte * pw) & _MASK64
        pw = (pw * _P) & _MASK64
    return _fmix64_int(acc ^ ((len(data) * _LEN_MIX) & _MASK64))


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


def hash_sequence64(values: np.ndarray) -> int:
    """Scalar twin of ``hash_ranges64`` over a uint64 sequence (the n-gram level)."""
    acc = 0
    pw = 1
    for v in values.tolist():
        acc = (acc + int(v) * pw) & _MASK64
        pw = (pw * _P) & _MASK64
    return _fmix64_int(acc ^ ((len(values) * _LEN_MIX) & _MASK64))

"""Vectorised hashing of byte ranges, shared by the shingle, key and band passes.

The array hashes (``fmix64``, ``hash_strings64``, ``hash_ranges64``...) live in
``stages.textutil.hashing``, shared with the other stage families, and are re-exported here;
this module adds the 32-bit finalizer and the scalar twins.

Every hash here is computed for many values at once with numpy, and has a scalar twin in
plain Python used by tests and by callers that need a single value (datasketch interop).

The hash of a byte range is described in ``stages.textutil.hashing``.
"""

from __future__ import annotations

import numpy as np

from stages.textutil.hashing import (
    LEN_MIX,
    MASK64,
    PRIME,
    fmix64,
    hash_ranges64,
    hash_strings64,
    murmur_fmix,
    range_hash_prefix,
    string_buffers,
)

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

_P = PRIME
_MASK64 = MASK64
_LEN_MIX = LEN_MIX


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finalizer, element-wise on uint32 (datasketch's ``_fmix(h, 32)``)."""
    return murmur_fmix(h, (16, 13, 16), (0x85EBCA6B, 0xC2B2AE35), np.uint32)


def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def hash_bytes64(data: bytes) -> int:
    """Scalar twin of ``hash_ranges64`` for one byte string."""
    acc = 0
    pw = 1
    for byte in data:
        acc = (acc + byte * pw) & _MASK64
        pw = (pw * _P) & _MASK64
    return _fmix64_int(acc ^ ((len(data) * _LEN_MIX) & _MASK64))


def hash_sequence64(values: np.ndarray) -> int:
    """Scalar twin of ``hash_ranges64`` over a uint64 sequence (the n-gram level)."""
    acc = 0
    pw = 1
    for v in values.tolist():
        acc = (acc + int(v) * pw) & _MASK64
        pw = (pw * _P) & _MASK64
    return _fmix64_int(acc ^ ((len(values) * _LEN_MIX) & _MASK64))

"""Mixing and shuffling decisions: pure functions of the run seed and a document's identity.

Every decision about a document comes from a hash of ``(seed, source, id)``, so it is the
same on every worker, in every runtime, however the input is partitioned:

- **copies** (``weight``): ``floor(weight)`` copies, plus one more when the document's
  ``rep`` hash, as a fraction of 2^64, is below the weight's fractional part;
- **cap bucket** (``max_tokens``): the top 12 bits of the ``cap`` hash put each document in
  one of 4,096 buckets; a capped source keeps the documents of its lowest buckets whose
  tokens (copies included) fit under the cap. The cap is never exceeded, and it is missed
  by at most one bucket: about 1/4,096 of the source's tokens;
- **shuffle key**: a 64-bit hash of ``(seed, source, id, copy)``. Sorting every document
  copy of the run by it is the global shuffle; output shard ``b`` of ``n`` holds the keys in
  ``[b·2^64/n, (b+1)·2^64/n)``, so each output shard is built from one key range of every
  input, in memory bounded by one output shard.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xxhash

from refinery.shards.config import MixConfig

__all__ = [
    "CAP_BUCKETS",
    "bucket_bounds",
    "cap_thresholds",
    "copies_and_caps",
    "shuffle_keys",
]

CAP_BUCKETS = 4096
_CAP_SHIFT = 64 - 12


def _h(*parts: object) -> int:
    return int(xxhash.xxh3_64_intdigest("\x1f".join(str(p) for p in parts).encode("utf-8")))


def copies_and_caps(
    seed: int, sources: list[str], ids: list[str], mix: dict[str, MixConfig]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Per document: how many copies go to the output, and its cap bucket (0..4095)."""
    n = len(ids)
    copies = np.empty(n, dtype=np.int32)
    caps = np.empty(n, dtype=np.int32)
    default = MixConfig()
    for i, (src, doc) in enumerate(zip(sources, ids, strict=True)):
        m = mix.get(src, default)
        whole = int(m.weight)
        frac = m.weight - whole
        extra = frac > 0 and _h(seed, "rep", src, doc) < frac * 2.0**64
        copies[i] = whole + int(extra)
        caps[i] = _h(seed, "cap", src, doc) >> _CAP_SHIFT
    return copies, caps


def shuffle_keys(
    seed: int, sources: list[str], ids: list[str], copies: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """The 64-bit shuffle key of each document copy, documents in order, copies together."""
    keys = np.empty(int(copies.sum()), dtype=np.uint64)
    k = 0
    for src, doc, c in zip(sources, ids, copies.tolist(), strict=True):
        for copy in range(c):
            keys[k] = _h(seed, "shuffle", src, doc, copy)
            k += 1
    return keys


def cap_thresholds(
    histograms: dict[str, np.ndarray[Any, Any]], mix: dict[str, MixConfig]
) -> dict[str, int]:
    """Per source, the number of cap buckets kept: all of them unless ``max_tokens`` is set,
    else the most whose tokens (summed over every input shard) stay within the cap."""
    out = {}
    for src, hist in histograms.items():
        cap = mix[src].max_tokens if src in mix else None
        if cap is None:
            out[src] = CAP_BUCKETS
            continue
        cum = np.cumsum(hist.astype(np.int64))
        out[src] = int(np.searchsorted(cum, cap, side="right"))
    return out


def bucket_bounds(n: int) -> list[tuple[int, int]]:
    """``n`` ranges of the 64-bit key space, [lo, hi), the last one closed at 2^64 - 1."""
    edges = [(b << 64) // n for b in range(n + 1)]
    return [(edges[b], edges[b + 1]) for b in range(n)]

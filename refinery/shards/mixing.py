"""Mixing and shuffling decisions: pure functions of the run seed and a document's identity.

Every decision about a document comes from a hash of ``(seed, source, id)``, so it is the
same on every worker, in every runtime, however the input is partitioned:

- **mix bucket**: the top 12 bits of the ``mix`` hash put each document in one of 4,096
  buckets, a seeded random order of the source's documents in 4,096 slices. Pass 1 counts
  each source's tokens per bucket; from these histograms the driver fixes two limits per
  source:
  - ``weight`` w: every document gets floor(w) copies, and the documents of the lowest
    buckets one more, as many buckets as bring the extra tokens closest to frac(w) × the
    source's tokens (weight 0.5 keeps a seeded half of the tokens, 2.5 two copies plus a
    third of a seeded half);
  - ``max_tokens``: only the lowest buckets whose tokens (copies counted) fit under the cap.
  Both hold in tokens to within one bucket (about 1/4,096 of the source), and a cap is
  never exceeded;
- **shuffle key**: a 64-bit hash of ``(seed, source, id, copy)``. Sorting every document
  copy of the run by it is the global shuffle; output shard ``b`` of ``n`` holds the keys in
  ``[b·2^64/n, (b+1)·2^64/n)``, so each output shard is built from one key range of every
  input, in memory bounded by one output shard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xxhash

from refinery.shards.config import MixConfig

__all__ = [
    "MIX_BUCKETS",
    "MixLimits",
    "bucket_bounds",
    "copies_emitted",
    "mix_buckets",
    "mix_limits",
    "shuffle_keys",
]

MIX_BUCKETS = 4096
_SHIFT = 64 - 12


@dataclass(frozen=True)
class MixLimits:
    """Of a source: its whole copies (``whole``) are kept for mix buckets below ``whole_below``,
    the extra copy (copy number ``whole``) for buckets below ``extra_below``."""

    whole: int
    whole_below: int
    extra_below: int

    def expected_tokens(self, hist: np.ndarray[Any, Any]) -> int:
        cum = np.concatenate([[0], np.cumsum(hist.astype(np.int64))])
        return int(self.whole * cum[self.whole_below] + cum[self.extra_below])


def _h(*parts: object) -> int:
    return int(xxhash.xxh3_64_intdigest("\x1f".join(str(p) for p in parts).encode("utf-8")))


def copies_emitted(m: MixConfig) -> int:
    """Copies pass 1 writes of each document: floor(weight), plus the candidate extra copy."""
    whole = int(m.weight)
    return whole + (1 if m.weight > whole else 0)


def mix_buckets(seed: int, sources: list[str], ids: list[str]) -> np.ndarray[Any, Any]:
    """The mix bucket (0..4095) of each document."""
    return np.fromiter(
        (_h(seed, "mix", src, doc) >> _SHIFT for src, doc in zip(sources, ids, strict=True)),
        dtype=np.int32,
        count=len(ids),
    )


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


def mix_limits(
    histograms: dict[str, np.ndarray[Any, Any]], mix: dict[str, MixConfig]
) -> dict[str, MixLimits]:
    """Per source, from its tokens per mix bucket (one copy, summed over every input shard):
    the buckets that get the extra copy, then the buckets kept under the cap."""
    out = {}
    for src, hist in histograms.items():
        m = mix.get(src, MixConfig())
        whole = int(m.weight)
        cum = np.concatenate([[0], np.cumsum(hist.astype(np.int64))])
        target = (m.weight - whole) * cum[-1]
        extra = int(np.argmin(np.abs(cum - target))) if m.weight > whole else 0
        below = MIX_BUCKETS
        if m.max_tokens is not None:
            totals = whole * cum + cum[np.minimum(np.arange(MIX_BUCKETS + 1), extra)]
            below = int(np.searchsorted(totals, m.max_tokens, side="right")) - 1
        out[src] = MixLimits(whole=whole, whole_below=below, extra_below=min(extra, below))
    return out


def bucket_bounds(n: int) -> list[tuple[int, int]]:
    """``n`` ranges of the 64-bit key space, [lo, hi), the last one closed at 2^64 - 1."""
    edges = [(b << 64) // n for b in range(n + 1)]
    return [(edges[b], edges[b + 1]) for b in range(n)]

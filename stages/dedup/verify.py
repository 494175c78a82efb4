"""Pass 4 of ``minhash_dedup``: which candidate pairs are duplicates, and why.

A candidate pair (two documents sharing an LSH bucket) is kept when either

- **near duplicate**: the share of equal signature positions, MinHash's estimate of the
  Jaccard similarity ``J = |A ∩ B| / |A ∪ B|``, is at least ``threshold``; or
- **contained**: the smaller document's shingles are mostly in the larger one's. With set
  sizes ``|A| >= |B|`` (exact distinct counts from the signature pass), the containment of
  ``B`` in ``A`` is ``|A ∩ B| / |B| = J·(|A| + |B|) / ((1 + J)·|B|)`` (Broder 1997), estimated
  from the same ``J``. It must reach ``containment``, and ``|B| / |A|`` must reach
  ``containment_min_ratio``: below that, ``J`` is so small that a 256-position estimate
  cannot tell containment from chance.

Each kept pair carries the key of its contained document (null for near duplicates). A
document becomes ``contained_in`` when every verified pair it is on makes it the contained
side; any other member of a cluster that is not kept is a ``near_duplicate``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["REASON_CONTAINED", "REASON_NEAR", "contained_only", "verify_pairs"]

REASON_NEAR = "near_duplicate"
REASON_CONTAINED = "contained_in"


def verify_pairs(
    edges: np.ndarray,
    sig_u: np.ndarray,
    sig_v: np.ndarray,
    size_u: np.ndarray,
    size_v: np.ndarray,
    threshold: float,
    containment: float | None,
    min_ratio: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The verified pairs of ``edges`` (``(n, 2)`` uint64) and, per verified pair, the key
    of its contained document (uint64 array, null for near-duplicate pairs). ``sig_*`` are
    the endpoints' signatures, ``size_*`` their distinct shingle counts."""
    est = (sig_u == sig_v).mean(axis=1) if len(edges) else np.zeros(0)
    near = est >= threshold - 1e-12
    cont = np.zeros(len(edges), dtype=bool)
    if containment is not None and len(edges):
        small = np.minimum(size_u, size_v).astype(np.float64)
        large = np.maximum(size_u, size_v).astype(np.float64)
        inter = est * (small + large) / (1.0 + est)
        share = inter / np.maximum(small, 1.0)
        cont = ~near & (small >= min_ratio * large) & (share >= containment - 1e-12)
    keep = near | cont
    kept = edges[keep].reshape(-1, 2).astype(np.uint64)
    # the contained side is the smaller set; equal sizes: the second endpoint
    u_smaller = size_u[keep] < size_v[keep]
    contained_key = np.where(u_smaller, kept[:, 0], kept[:, 1])
    return kept, pa.array(contained_key, pa.uint64(), mask=~cont[keep])


def contained_only(edges: np.ndarray, contained: pa.Array, nodes: np.ndarray) -> np.ndarray:
    """Boolean per node of ``nodes``: every verified pair it is on makes it the contained side."""
    mask = np.asarray(contained.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    values = np.asarray(contained.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.uint64)
    weak = np.unique(values[mask])
    # strong: both ends of near-duplicate pairs, the containing end of containment pairs
    container = np.where(edges[mask, 0] == values[mask], edges[mask, 1], edges[mask, 0])
    strong = np.unique(np.concatenate([edges[~mask].reshape(-1), container]))
    return np.isin(nodes, weak) & ~np.isin(nodes, strong)

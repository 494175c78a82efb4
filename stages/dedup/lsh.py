"""LSH banding: which (bands, rows) to use, band keys, and candidate pairs from buckets.

A signature of ``b·r`` values is cut into ``b`` bands of ``r`` rows; two documents become a
candidate pair when any band is identical. For Jaccard similarity ``s`` that happens with
probability ``1 - (1 - s^r)^b``, an S-curve whose steep part sits near ``(1/b)^(1/r)``
(Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.4).

``optimal_params`` picks ``(b, r)`` exactly as datasketch's ``MinHashLSH`` does
(``datasketch/lsh.py:_optimal_param``): the pair with ``b·r <= num_perm`` minimising the
weighted sum of the false-positive area (the curve integrated over ``[0, t]``) and the
false-negative area (one minus the curve over ``[t, 1]``).

Candidate pairs come from grouping rows ``(band, band_hash, key)`` by ``(band, band_hash)``.
A bucket of ``k`` documents yields the ``k - 1`` edges from its smallest key to the others (a
star): enough for connected components, and linear in the bucket size where all pairs would
be quadratic.
"""

from __future__ import annotations

import functools

import numpy as np

from stages.dedup.hashing import fmix64

__all__ = ["band_edges", "band_hashes", "bucket_edges", "optimal_params", "unique_edges"]


def _areas(threshold: float, num_perm: int) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """Every ``(b, r)`` with ``b·r <= num_perm``, and its false-positive and false-negative
    areas.

    ``1 - (1 - s^r)^b`` is a polynomial of degree ``b·r`` in ``s``, so Gauss-Legendre
    quadrature with ``num_perm // 2 + 1`` nodes integrates it exactly (n nodes are exact up
    to degree 2n - 1): all pairs in one array operation, where an adaptive integrator per
    pair (datasketch's ``scipy.integrate.quad``) costs ~0.3 s of import and ~1,400 calls.
    """
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    b = np.array([p[0] for p in pairs], dtype=np.float64)[:, None]
    r = np.array([p[1] for p in pairs], dtype=np.float64)[:, None]
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(lo: float, hi: float, false_negative: bool) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        curve = 1.0 - (1.0 - s[None, :] ** r) ** b
        values = 1.0 - curve if false_negative else curve
        result: np.ndarray = values @ ((hi - lo) / 2 * weights)
        return result

    return pairs, integral(0.0, threshold, False), integral(threshold, 1.0, True)


@functools.lru_cache(maxsize=64)
def optimal_params(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """(bands, rows) minimising ``fp_weight·FP + fn_weight·FN`` (datasketch's search: the
    first pair, in its order, with the smallest error)."""
    pairs, fp, fn = _areas(threshold, num_perm)
    return pairs[int(np.argmin(fp_weight * fp + fn_weight * fn))]


def band_hashes(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(n_docs, bands)`` uint64 hashes of each band's ``rows`` signature values."""
    n = sigs.shape[0]
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"bands*rows = {bands * rows} exceeds num_perm = {sigs.shape[1]}")
    from stages.dedup import sketch_kernel

    if sketch_kernel.AVAILABLE and sigs.dtype == np.uint32:  # the same chain, compiled
        out: np.ndarray = sketch_kernel.band_rows_hashes(
            np.ascontiguousarray(sigs), np.int64(bands), np.int64(rows)
        )
        return out
    block = sigs[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    # all bands at once: one fmix64 per row position over an (n, bands) array
    acc = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (n, bands))
    for c in range(rows):
        acc = fmix64((acc ^ block[:, :, c]) * mult)
    return np.ascontiguousarray(acc, dtype=np.uint64)


def bucket_edges(band: np.ndarray, bhash: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Star edges ``(min key of bucket, other key)`` of every bucket with 2+ distinct keys.

    Rows are ``(band index, band hash, document key)``; returns an ``(n, 2)`` uint64 array,
    unique rows, sorted.
    """
    if len(key) < 2:
        return np.zeros((0, 2), dtype=np.uint64)
    order = np.lexsort((key, bhash, band))
    band, bhash, key = band[order], bhash[order], key[order]
    new_bucket = np.ones(len(key), dtype=bool)
    new_bucket[1:] = (band[1:] != band[:-1]) | (bhash[1:] != bhash[:-1])
    bucket_id = np.cumsum(new_bucket) - 1
    head = np.flatnonzero(new_bucket)
    root = key[head][bucket_id]
    mask = key != root
    edges = np.stack([root[mask], key[mask]], axis=1)
    return unique_edges(edges)


def band_edges(keys: np.ndarray, bands: np.ndarray) -> np.ndarray:
    """``bucket_edges`` of the rows ``(j, bands[i, j], keys[i])`` of a whole band table,
    one band at a time.

    ``bands`` is ``(n_docs, n_bands)``, ``keys`` the documents' (unique) keys. Per band, one
    sort of its hashes finds the few that repeat; only their rows are sorted to make the
    stars. Same edges as ``bucket_edges`` on the flattened rows, a fraction of the sorting.
    """
    parts = []
    for j in range(bands.shape[1]):
        col = bands[:, j]
        h = np.sort(col)
        repeats = h[1:][h[1:] == h[:-1]]
        if len(repeats) == 0:
            continue
        rows = np.flatnonzero(np.isin(col, repeats))
        parts.append(bucket_edges(np.zeros(len(rows), dtype=np.int64), col[rows], keys[rows]))
    if not parts:
        return np.zeros((0, 2), dtype=np.uint64)
    return unique_edges(np.concatenate(parts))


def unique_edges(edges: np.ndarray) -> np.ndarray:
    """Sorted unique rows of an ``(n, 2)`` uint64 edge array."""
    if len(edges) == 0:
        return edges.reshape(0, 2).astype(np.uint64)
    order = np.lexsort((edges[:, 1], edges[:, 0]))
    edges = edges[order]
    keep = np.ones(len(edges), dtype=bool)
    keep[1:] = (edges[1:, 0] != edges[:-1, 0]) | (edges[1:, 1] != edges[:-1, 1])
    return edges[keep]

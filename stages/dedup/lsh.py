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


def _fp_area(threshold: float, b: int, r: int) -> float:
    from scipy.integrate import quad

    return float(quad(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0])


def _fn_area(threshold: float, b: int, r: int) -> float:
    from scipy.integrate import quad

    return float(quad(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)), threshold, 1.0)[0])


@functools.lru_cache(maxsize=64)
def optimal_params(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """(bands, rows) minimising ``fp_weight·FP + fn_weight·FN`` (datasketch's search)."""
    best = float("inf")
    opt = (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            err = fp_weight * _fp_area(threshold, b, r) + fn_weight * _fn_area(threshold, b, r)
            if err < best:
                best = err
                opt = (b, r)
    return opt


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

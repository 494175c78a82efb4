"""Spherical k-means on unit vectors, deterministic from a seed (numpy only).

k-means++ seeding (Arthur & Vassilvitskii 2007) on cosine distance, then Lloyd iterations:
assign each vector to the centroid of largest dot product, move each centroid to the
normalised mean of its members. An empty cluster takes the vector farthest from its
centroid. The same input in the same order and seed gives the same centroids.
"""

from __future__ import annotations

import numpy as np

__all__ = ["assign", "fit_kmeans"]

_CHUNK = 8192


def assign(x: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of the nearest centroid, cosine similarity to it) for each row of ``x``."""
    labels = np.empty(len(x), dtype=np.int32)
    sims = np.empty(len(x), dtype=np.float32)
    for s in range(0, len(x), _CHUNK):
        d = x[s : s + _CHUNK] @ centroids.T
        labels[s : s + _CHUNK] = d.argmax(axis=1)
        sims[s : s + _CHUNK] = d.max(axis=1)
    return labels, sims


def _normalize(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    out: np.ndarray = (v / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def fit_kmeans(x: np.ndarray, k: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """``min(k, len(x))`` unit centroids for the unit rows of ``x`` (float32)."""
    x = _normalize(np.asarray(x, dtype=np.float32))
    n = len(x)
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    first = int(rng.integers(n))
    centroids = [x[first]]
    closest = 1.0 - x @ x[first]
    for _ in range(1, k):
        weights = np.maximum(closest, 0).astype(np.float64) ** 2
        total = weights.sum()
        nxt = int(rng.choice(n, p=weights / total)) if total > 0 else int(rng.integers(n))
        centroids.append(x[nxt])
        closest = np.minimum(closest, 1.0 - x @ x[nxt])
    c = np.stack(centroids).astype(np.float32)
    for _ in range(iterations):
        labels, sims = assign(x, c)
        sums = np.zeros_like(c)
        np.add.at(sums, labels, x)
        counts = np.bincount(labels, minlength=k)
        for empty in np.flatnonzero(counts == 0):
            far = int(np.argmin(sims))
            sums[empty], sims[far] = x[far], 1.0
        new = _normalize(sums)
        if np.allclose(new, c, atol=1e-6):
            c = new
            break
        c = new
    return c

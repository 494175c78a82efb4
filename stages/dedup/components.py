"""Connected components of the candidate-pair graph: one cluster per component.

Two implementations with the same result, each component labelled by its smallest key:

- ``components_local``: scipy's ``connected_components`` on a sparse matrix; one process,
  for ``run_local`` and tests.
- Large-star / small-star (Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii, "Connected
  Components in MapReduce and Beyond", SoCC 2014): a round is two group-by passes over the
  edge list, each a function of the edges grouped by one node, so it runs on any number of
  partitions with no shared state; ``run_ray`` maps each pass onto a Ray Data group-by.
  Edges are stored oriented ``(hi, lo)``, ``hi > lo``.

  * large-star(u): ``m = min(Γ(u) ∪ {u})``; emit ``(v, m)`` for every neighbour ``v > u``.
  * small-star(u): over the neighbours ``v < u``, ``m = min(N(u) ∪ {u})``; emit ``(v, m)``
    for ``v ∈ N(u) ∪ {u}``, ``v != m``.

  Alternating them until the edge set no longer changes leaves a star per component whose
  centre is the component's smallest node; the paper proves O(log² n) rounds (a handful
  in practice). The result does not depend on partitioning or order, so clusters are
  deterministic.
"""

from __future__ import annotations

import numpy as np

from stages.dedup.lsh import unique_edges

__all__ = [
    "components_local",
    "edge_fingerprint",
    "large_star",
    "small_star",
    "star_components",
]


def components_local(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, root) for every node on an edge; root = smallest node of its component.

    Self-loops are ignored, as in ``star_components``.
    """
    edges = edges[edges[:, 0] != edges[:, 1]]
    if len(edges) == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, empty
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes, inv = np.unique(edges.reshape(-1), return_inverse=True)
    inv = inv.reshape(-1, 2)
    n = len(nodes)
    graph = coo_matrix((np.ones(len(inv), dtype=np.int8), (inv[:, 0], inv[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    # nodes are sorted, so the first node seen per label is the component minimum
    first = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    return nodes, nodes[first[labels]]


def _group_min(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique ``src`` and ``min(src, min dst)`` per source."""
    order = np.argsort(src, kind="stable")
    s, d = src[order], dst[order]
    head = np.ones(len(s), dtype=bool)
    head[1:] = s[1:] != s[:-1]
    starts = np.flatnonzero(head)
    mins = np.minimum.reduceat(d, starts)
    return s[starts], np.minimum(s[starts], mins)


def large_star(directed: np.ndarray) -> np.ndarray:
    """Large-star over directed pairs ``(u, v)`` holding both directions of every edge of
    the nodes ``u`` present; returns oriented ``(hi, lo)`` edges."""
    if len(directed) == 0:
        return directed.reshape(0, 2).astype(np.uint64)
    u, v = directed[:, 0], directed[:, 1]
    nodes, m = _group_min(u, v)
    mu = m[np.searchsorted(nodes, u)]
    sel = v > u
    out = np.stack([v[sel], mu[sel]], axis=1)
    return unique_edges(out[out[:, 0] != out[:, 1]])


def small_star(oriented: np.ndarray) -> np.ndarray:
    """Small-star over oriented ``(hi, lo)`` edges holding every edge of the nodes ``hi``
    present; returns oriented ``(hi, lo)`` edges."""
    if len(oriented) == 0:
        return oriented.reshape(0, 2).astype(np.uint64)
    u, v = oriented[:, 0], oriented[:, 1]
    nodes, m = _group_min(u, v)
    mu = m[np.searchsorted(nodes, u)]
    out = np.concatenate([np.stack([v, mu], axis=1), np.stack([nodes, m], axis=1)])
    return unique_edges(out[out[:, 0] != out[:, 1]])


def both_directions(edges: np.ndarray) -> np.ndarray:
    return np.concatenate([edges, edges[:, ::-1]])


def orient(edges: np.ndarray) -> np.ndarray:
    """Edges as ``(hi, lo)`` with self-loops dropped."""
    hi = np.maximum(edges[:, 0], edges[:, 1])
    lo = np.minimum(edges[:, 0], edges[:, 1])
    keep = hi != lo
    return np.stack([hi[keep], lo[keep]], axis=1)


def edge_fingerprint(edges: np.ndarray) -> tuple[int, int]:
    """Order-independent (count, sum of mixed hashes) of an edge set, for convergence."""
    from stages.dedup.hashing import fmix64

    if len(edges) == 0:
        return 0, 0
    h = fmix64(edges[:, 0] * np.uint64(0x9E3779B97F4A7C15) ^ fmix64(edges[:, 1]))
    return len(edges), int(np.sum(h, dtype=np.uint64))


def star_components(edges: np.ndarray, max_rounds: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, root) by alternating large-star and small-star on one partition."""
    cur = unique_edges(orient(edges.astype(np.uint64)))
    for _ in range(max_rounds):
        nxt = small_star(large_star(both_directions(cur)))
        if len(nxt) == len(cur) and np.array_equal(nxt, cur):
            break
        cur = nxt
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    return stars_to_roots(cur)


def stars_to_roots(stars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, root) from converged ``(member, centre)`` star edges (centres included)."""
    centres = np.unique(stars[:, 1])
    nodes = np.concatenate([stars[:, 0], centres])
    roots = np.concatenate([stars[:, 1], centres])
    order = np.argsort(nodes, kind="stable")
    return nodes[order], roots[order]

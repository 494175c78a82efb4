"""Passes 4 to 6 of ``minhash_dedup`` on one whole candidate graph, in one process:
verification (``verify.py``), connected components (``components.py``) and the keeper of
each cluster (``keep.py``).

``run_local`` calls ``decide_graph`` on the whole corpus' graph; ``run_ray`` calls it in one
Ray Data task when the graph is small (``single_task_max_edges``), and otherwise runs the
same three passes distributed (``minhash_ray.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from stages.dedup.keep import choose_keepers
from stages.dedup.verify import contained_only, verify_pairs

if TYPE_CHECKING:
    from stages.dedup.minhash import MinHashDedupConfig

__all__ = ["clusters_table", "decide_graph", "edges_of", "edges_table"]


def edges_table(edges: np.ndarray, contained: pa.Array | None = None) -> pa.Table:
    """``u``, ``v`` (uint64) and, given, ``contained`` (uint64, null for near duplicates)."""
    cols = {"u": pa.array(edges[:, 0], pa.uint64()), "v": pa.array(edges[:, 1], pa.uint64())}
    if contained is not None:
        cols["contained"] = contained
    return pa.table(cols)


def edges_of(table: pa.Table) -> np.ndarray:
    """``(n, 2)`` uint64 edges of a table with ``u`` and ``v``."""
    if table.num_rows == 0:
        return np.zeros((0, 2), dtype=np.uint64)
    return np.stack([table["u"].to_numpy(), table["v"].to_numpy()], axis=1).astype(np.uint64)


def decide_graph(
    edges: np.ndarray, features: pa.Table, sigs: np.ndarray, cfg: MinHashDedupConfig
) -> pa.Table:
    """Keeper decisions (``choose_keepers``' columns) for the members of every cluster.

    ``features`` (``sketch.doc_features`` + ``size``) and ``sigs`` hold one row per
    document on a candidate edge, in the same order.
    """
    from stages.dedup.components import components_local

    keys = features["key"].to_numpy()
    order = np.argsort(keys)
    row_u = order[np.searchsorted(keys, edges[:, 0], sorter=order)]
    row_v = order[np.searchsorted(keys, edges[:, 1], sorter=order)]
    sizes = features["size"].to_numpy()
    if cfg.verify:
        edges, contained = verify_pairs(
            edges,
            sigs[row_u],
            sigs[row_v],
            sizes[row_u],
            sizes[row_v],
            cfg.threshold,
            cfg.containment,
            cfg.containment_min_ratio,
        )
    else:
        contained = pa.nulls(len(edges), pa.uint64())
    nodes, roots = components_local(edges)
    rows_of = order[np.searchsorted(keys, nodes, sorter=order)]
    members = features.take(pa.array(rows_of, pa.int64())).drop_columns(["size"])
    members = members.append_column("cluster_id", pa.array(roots, pa.uint64()))
    members = members.append_column(
        "contained_only", pa.array(contained_only(edges, contained, nodes))
    )
    return choose_keepers(members, cfg.keep)


def clusters_table(decisions: pa.Table) -> pa.Table:
    """``clusters/`` rows: one per member, the kept one first in each cluster."""
    cols = ["cluster_id", "id", "source", "kept"]
    if "reason" in decisions.column_names:
        cols.append("reason")
    out = decisions.select(cols)
    return out.sort_by([("cluster_id", "ascending"), ("kept", "descending"), ("id", "ascending")])

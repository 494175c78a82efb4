"""Which document of a duplicate cluster survives: a deterministic, configurable rule.

Members are ranked by, in order: a quality score column (higher first, missing last) when
the rule is ``score`` and the column exists; text length in characters (longer first);
then ``id`` and ``source`` (smaller first). The last two keys make every ranking total, so
the keeper never depends on input order or partitioning.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["KeepRule", "choose_keepers"]

KeepRule = Literal["score", "longest", "smallest_id"]


def choose_keepers(members: pa.Table, rule: KeepRule) -> pa.Table:
    """Rank the members of each cluster and mark the first one kept.

    ``members`` has ``key`` (uint64), ``cluster_id`` (uint64), ``id``, ``source``,
    ``length`` (int64) and, optionally, ``score`` (float64) and ``contained_only`` (bool).
    Returns ``key``, ``cluster_id``, ``id``, ``source``, ``kept`` (bool), ``kept_key``,
    ``kept_id``, and with ``contained_only`` a ``reason`` per member that is not kept:
    ``contained_in`` where it is true, else ``near_duplicate``.
    """
    sort_keys: list[tuple[str, str]] = [("cluster_id", "ascending")]
    if rule == "score" and "score" in members.column_names:
        sort_keys.append(("score", "descending"))
    if rule in ("score", "longest"):
        sort_keys.append(("length", "descending"))
    sort_keys += [("id", "ascending"), ("source", "ascending")]
    ranked = members.sort_by(sort_keys)
    cluster = ranked["cluster_id"].to_numpy()
    head = np.ones(len(cluster), dtype=bool)
    head[1:] = cluster[1:] != cluster[:-1]
    first = np.flatnonzero(head)[np.cumsum(head) - 1]
    first_idx = pa.array(first)
    cols = {
        "key": ranked["key"],
        "cluster_id": ranked["cluster_id"],
        "id": ranked["id"],
        "source": ranked["source"],
        "kept": pa.array(head),
        "kept_key": pc.take(ranked["key"], first_idx),
        "kept_id": pc.take(ranked["id"], first_idx),
    }
    if "contained_only" in ranked.column_names:
        contained = pc.fill_null(ranked["contained_only"], False)
        reason = pc.if_else(contained, "contained_in", "near_duplicate")
        cols["reason"] = pc.if_else(pa.array(head), pa.scalar(None, pa.string()), reason)
    return pa.table(cols)

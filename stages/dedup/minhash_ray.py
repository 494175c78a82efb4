"""The ``minhash_dedup`` passes as Ray Data operations, named as ``run_ray`` calls them.

The distributed passes take datasets and return a dataset; every shuffle is a group-by on a
partition of a uint64 key (``key % P``, ``common.group_pyarrow``) or a co-group of two
datasets (``common.cogroup``). The ``gather_*`` and ``decide_in_driver`` passes are for
small inputs: they bring metadata (band hashes, candidate pairs, the candidates' signatures;
never text) to the driver, bounded by the stage's settings, and work there in numpy instead
of scheduling a shuffle per pass. No pass starts Ray work of its own: Ray Data schedules
them. The per-batch functions (module level, so that Ray can pickle them) take and return
one pyarrow table.

Over the ~400-line guideline (about 420) on purpose: the passes of one algorithm, read in the
order ``run_ray`` calls them, with the small-input (driver) and distributed variant of each
step side by side, so that a reader can check the two give the same decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from stages.dedup.common import (
    KEY_COLUMN,
    apply_decisions,
    cogroup,
    empty_result,
    group_pyarrow,
    keep_keys,
    lookup,
    map_pyarrow,
    materialized,
    partition_of,
)
from stages.dedup.graph import clusters_table, decide_graph, edges_of, edges_table
from stages.dedup.keep import KeepRule, choose_keepers
from stages.dedup.sketch import (
    BANDS,
    SKETCH_COLUMNS,
    band_rows,
    sig_numpy,
    sketch_rows,
    sketch_table,
)

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext
    from stages.dedup.minhash import MinHashDedupConfig

__all__ = [
    "PREFIX",
    "apply_pass",
    "candidate_pass",
    "components_pass",
    "decide_in_driver",
    "finish_empty",
    "gather_candidates",
    "gather_edges",
    "keeper_pass",
    "sketch_pass",
    "sketches",
    "verify_pass",
    "write_clusters",
]

PREFIX = "minhash_dedup"


def sketch_pass(ds: ray.data.Dataset, cfg: MinHashDedupConfig) -> ray.data.Dataset:
    """Pass 1: every row with its document key and sketch (``sketch.sketch_rows``), a whole
    block at a time, in the task that reads it: Ray fuses a map that takes whole blocks with
    the read before it. (With a ``batch_size`` it would bundle the read's input rows, the
    engine's checkpoint paths, up to that many: every checkpoint in one task.) The engine
    makes its blocks ``block_rows`` rows (``input_block_rows``)."""
    return map_pyarrow(ds, sketch_rows, fn_kwargs={"cfg": cfg})


def sketches(rows: ray.data.Dataset, cfg: MinHashDedupConfig) -> ray.data.Dataset:
    """The sketch pass's rows without their text (``sketch.sketch_table``)."""
    return map_pyarrow(rows, _sketch_table, fn_kwargs={"cfg": cfg})


def gather_candidates(rows: ray.data.Dataset) -> np.ndarray:
    """Passes 2-3 in the driver: every document's band hashes (8 bytes per band) come back
    and ``lsh.band_edges`` buckets them; returns the star edges, ``(n, 2)`` uint64."""
    from stages.dedup.lsh import band_edges

    table = _gather(rows.select_columns([KEY_COLUMN, BANDS]))
    if table.num_rows == 0:
        return np.zeros((0, 2), dtype=np.uint64)
    table = table.filter(table[BANDS].is_valid())
    nb = table.schema.field(BANDS).type.list_size
    flat = table[BANDS].combine_chunks().flatten() if table.num_rows else pa.array([], pa.uint64())
    bands = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.uint64).reshape(-1, nb)
    return band_edges(np.asarray(table[KEY_COLUMN].to_numpy(), dtype=np.uint64), bands)


def candidate_pass(sigs: ray.data.Dataset, parts: int) -> ray.data.Dataset:
    """Passes 2-3, distributed: band rows grouped by bucket; a star of candidate pairs per
    bucket."""
    rows = map_pyarrow(sigs, band_rows, fn_kwargs={"parts": parts})
    return group_pyarrow(rows, "_part", parts, _bucket_group)


def gather_edges(edges: ray.data.Dataset) -> np.ndarray:
    """A (small) dataset of candidate pairs as one ``(n, 2)`` uint64 array in the driver."""
    return edges_of(_gather(edges.select_columns(["u", "v"])))


def decide_in_driver(
    rows: ray.data.Dataset,
    edges: np.ndarray,
    cfg: MinHashDedupConfig,
    ctx: GlobalContext | None,
) -> pa.Table:
    """Passes 4-6 for a small graph, in the driver: the sketches of the documents on a
    candidate pair come back (signatures, sizes, ids: no text) and ``graph.decide_graph``
    decides; given a context, ``clusters/`` is written from here."""
    import ray

    nodes = ray.put(np.unique(edges))
    feats = _gather(map_pyarrow(rows, _node_sketches, fn_kwargs={"keys": nodes, "cfg": cfg}))
    decisions = decide_graph(
        edges, feats.drop_columns(["sig"]), sig_numpy(feats["sig"], cfg.num_perm), cfg
    )
    if ctx is not None and cfg.write_clusters and decisions.num_rows:
        ctx.write_side_table("clusters", clusters_table(decisions))
    return decisions


def verify_pass(
    edges: ray.data.Dataset, feats: ray.data.Dataset, cfg: MinHashDedupConfig, parts: int
) -> ray.data.Dataset:
    """Pass 4, distributed: each pair meets ``u``'s sketch, then ``v``'s, and is verified."""
    sketch = feats.select_columns(["key", "sig", "size"])
    with_u = cogroup(edges, sketch, "u", "key", parts, _attach_u)
    return cogroup(with_u, sketch, "v", "key", parts, _verify_group, {"cfg": cfg})


def components_pass(edges: ray.data.Dataset, parts: int, max_rounds: int = 100) -> ray.data.Dataset:
    """Pass 5, distributed: large-star / small-star rounds (``components.py``) until the
    edge set is stable; returns ``(u, v)`` = (member, cluster centre) star edges."""
    cur = group_pyarrow(
        map_pyarrow(edges.select_columns(["u", "v"]), _emit_oriented, fn_kwargs={"parts": parts}),
        "_part",
        parts,
        _dedupe_group,
    ).materialize()
    fp = _fingerprint(cur)
    for _ in range(max_rounds):
        large = group_pyarrow(
            map_pyarrow(cur, _emit_directed, fn_kwargs={"parts": parts}),
            "_part",
            parts,
            _large_star_group,
        )
        small = group_pyarrow(
            map_pyarrow(large, _emit_oriented, fn_kwargs={"parts": parts}),
            "_part",
            parts,
            _small_star_group,
        ).materialize()
        new_fp = _fingerprint(small)
        cur = small
        if new_fp == fp:
            return materialized(cur)
        fp = new_fp
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


def keeper_pass(
    stars: ray.data.Dataset,
    verified: ray.data.Dataset,
    feats: ray.data.Dataset,
    keep: KeepRule,
    parts: int,
) -> ray.data.Dataset:
    """Pass 6, distributed: members with their features and roles, grouped by cluster."""
    roles = group_pyarrow(
        map_pyarrow(verified, _edge_roles, fn_kwargs={"parts": parts}), "_part", parts, _roles
    )
    members = map_pyarrow(stars, _star_members)
    members = cogroup(
        members, feats.drop_columns(["sig", "bands", "size"]), "key", "key", parts, _attach
    )
    members = cogroup(members, roles, "key", "key", parts, _attach)
    members = map_pyarrow(members, _with_cluster_part, fn_kwargs={"parts": parts})
    return group_pyarrow(members, "_part", parts, _keep_group, fn_kwargs={"rule": keep})


def write_clusters(decisions: ray.data.Dataset, ctx: GlobalContext) -> None:
    """``clusters/`` under the run directory, through the run's own filesystem."""
    import pyarrow.fs as pafs

    path = ctx.side_output_path("clusters")
    map_pyarrow(decisions, clusters_table).write_parquet(
        path, filesystem=pafs.PyFileSystem(pafs.FSSpecHandler(ctx.filesystem))
    )


def apply_pass(
    rows: ray.data.Dataset,
    decisions: pa.Table | ray.data.Dataset,
    broadcast_max_rows: int,
    parts: int,
) -> ray.data.Dataset:
    """Pass 7: the decisions joined back to the rows, which lose their key and sketch.

    Few decisions (a table from the driver, or a dataset of at most ``broadcast_max_rows``)
    are broadcast to a map over the rows that is left lazy, so that it runs in the tasks
    that write the output; more are co-grouped with the rows.
    """
    import ray

    cols = ["key", "cluster_id", "kept", "kept_id", "reason"]
    if not isinstance(decisions, pa.Table):
        slim = decisions.select_columns(cols)
        if slim.count() > broadcast_max_rows:
            plain = rows.drop_columns(list(SKETCH_COLUMNS))
            return materialized(cogroup(plain, slim, KEY_COLUMN, "key", parts, _apply_group))
        decisions = _gather(slim)
    small = decisions.select(cols).sort_by("key")
    return map_pyarrow(rows, _apply_broadcast, fn_kwargs={"decisions": ray.put(small)})


def finish_empty(rows: ray.data.Dataset) -> ray.data.Dataset:
    """Every row kept, the stage's columns null."""
    return map_pyarrow(rows, _finish_empty)


def _gather(ds: ray.data.Dataset) -> pa.Table:
    """A small dataset as one table in the driver (callers select metadata columns only)."""
    import ray

    tables = [t for t in ray.get(ds.to_arrow_refs()) if t.num_rows]
    if not tables:
        return ds.schema().base_schema.empty_table()
    return pa.concat_tables(tables)


# ---------------------------------------------------------------------- per-batch functions


def _sketch_table(batch: pa.Table, cfg: MinHashDedupConfig) -> pa.Table:
    return sketch_table(batch, cfg)


def _node_sketches(batch: pa.Table, keys: Any, cfg: MinHashDedupConfig) -> pa.Table:
    """``sketch_table`` of the rows whose key is in ``keys``, without band hashes."""
    slim = batch.drop_columns([cfg.text_column, BANDS])
    return sketch_table(keep_keys(slim, KEY_COLUMN, keys), cfg, bands=False)


def _bucket_group(group: pa.Table) -> pa.Table:
    from stages.dedup.lsh import bucket_edges

    edges = bucket_edges(
        group["band"].to_numpy(), group["bhash"].to_numpy(), group["key"].to_numpy()
    )
    return edges_table(edges)


def _attach_u(left: pa.Table, right: pa.Table) -> pa.Table:
    found, rows = lookup(left["u"].to_numpy(), right["key"].to_numpy())
    assert found.all(), f"{int((~found).sum())} edge endpoints have no signature"
    take = pa.array(rows)
    return pa.table(
        {
            "u": left["u"],
            "v": left["v"],
            "sig_u": right["sig"].take(take),
            "size_u": right["size"].take(take),
        }
    )


def _verify_group(left: pa.Table, right: pa.Table, cfg: MinHashDedupConfig) -> pa.Table:
    from stages.dedup.verify import verify_pairs

    if left.num_rows == 0:
        return edges_table(np.zeros((0, 2), np.uint64), pa.array([], pa.uint64()))
    found, rows = lookup(left["v"].to_numpy(), right["key"].to_numpy())
    assert found.all(), f"{int((~found).sum())} edge endpoints have no signature"
    take = pa.array(rows)
    kept, contained = verify_pairs(
        edges_of(left),
        sig_numpy(left["sig_u"], cfg.num_perm),
        sig_numpy(right["sig"].take(take), cfg.num_perm),
        left["size_u"].to_numpy(),
        right["size"].take(take).to_numpy(),
        cfg.threshold,
        cfg.containment,
        cfg.containment_min_ratio,
    )
    return edges_table(kept, contained)


def _edge_roles(batch: pa.Table, parts: int) -> pa.Table:
    """Two rows per verified pair: (endpoint, whether the pair makes it the contained side)."""
    e = edges_of(batch)
    contained = batch["contained"]
    valid = np.asarray(contained.is_valid(), dtype=bool)
    ckey = np.asarray(contained.fill_null(0).to_numpy(), dtype=np.uint64)
    keys = np.concatenate([e[:, 0], e[:, 1]])
    weak = np.concatenate([valid & (ckey == e[:, 0]), valid & (ckey == e[:, 1])])
    return pa.table(
        {
            "key": pa.array(keys, pa.uint64()),
            "weak": pa.array(weak),
            "_part": pa.array(partition_of(keys, parts)),
        }
    )


def _roles(group: pa.Table) -> pa.Table:
    """``contained_only`` per key: every one of its pairs made it the contained side."""
    keys = group["key"].to_numpy()
    weak = np.asarray(group["weak"], dtype=bool)
    uniq, inv = np.unique(keys, return_inverse=True)
    strong = np.zeros(len(uniq), dtype=bool)
    np.logical_or.at(strong, inv, ~weak)
    return pa.table({"key": pa.array(uniq, pa.uint64()), "contained_only": pa.array(~strong)})


def _attach(left: pa.Table, right: pa.Table) -> pa.Table:
    """Rows of ``left`` (unique keys kept once) with the columns of ``right`` for their key."""
    keys = left["key"].to_numpy()
    _, first = np.unique(keys, return_index=True)
    left = left.take(pa.array(np.sort(first)))
    found, rows = lookup(left["key"].to_numpy(), right["key"].to_numpy())
    assert found.all(), f"{int((~found).sum())} cluster members have no row on the right"
    out = left
    extra = right.drop_columns(["key"]).take(pa.array(rows))
    for name in extra.column_names:
        out = out.append_column(name, extra[name])
    return out


def _apply_broadcast(batch: pa.Table, decisions: Any) -> pa.Table:
    from stages.dedup.common import resolve

    return _apply_group(batch, resolve(decisions))


def _apply_group(left: pa.Table, right: pa.Table) -> pa.Table:
    from stages.dedup.verify import REASON_NEAR

    out = apply_decisions(left, left[KEY_COLUMN].to_numpy(), right, PREFIX, REASON_NEAR)
    return _without_sketch(out)


def _emit_directed(batch: pa.Table, parts: int) -> pa.Table:
    from stages.dedup.components import both_directions, orient

    e = both_directions(orient(edges_of(batch)))
    return edges_table(e).append_column("_part", pa.array(partition_of(e[:, 0], parts)))


def _emit_oriented(batch: pa.Table, parts: int) -> pa.Table:
    e = edges_of(batch)
    return edges_table(e).append_column("_part", pa.array(partition_of(e[:, 0], parts)))


def _large_star_group(group: pa.Table) -> pa.Table:
    from stages.dedup.components import large_star

    return edges_table(large_star(edges_of(group)))


def _small_star_group(group: pa.Table) -> pa.Table:
    from stages.dedup.components import small_star

    return edges_table(small_star(edges_of(group)))


def _dedupe_group(group: pa.Table) -> pa.Table:
    from stages.dedup.components import orient
    from stages.dedup.lsh import unique_edges

    return edges_table(unique_edges(orient(edges_of(group))))


def _fingerprint_batch(batch: pa.Table) -> pa.Table:
    from stages.dedup.components import edge_fingerprint

    count, total = edge_fingerprint(edges_of(batch))
    return pa.table({"count": pa.array([count], pa.int64()), "sum": pa.array([total], pa.uint64())})


def _fingerprint(ds: ray.data.Dataset) -> tuple[int, int]:
    rows = map_pyarrow(ds, _fingerprint_batch).take_all()
    count = sum(int(r["count"]) for r in rows)
    total = sum(int(r["sum"]) for r in rows) % (1 << 64)
    return count, total


def _star_members(batch: pa.Table) -> pa.Table:
    """(key, cluster_id) for each star edge's member and centre (centres repeat)."""
    e = edges_of(batch)
    keys = np.concatenate([e[:, 0], e[:, 1]])
    roots = np.concatenate([e[:, 1], e[:, 1]])
    return pa.table(
        {"key": pa.array(keys, pa.uint64()), "cluster_id": pa.array(roots, pa.uint64())}
    )


def _with_cluster_part(batch: pa.Table, parts: int) -> pa.Table:
    return batch.append_column(
        "_part", pa.array(partition_of(batch["cluster_id"].to_numpy(), parts))
    )


def _keep_group(group: pa.Table, rule: KeepRule) -> pa.Table:
    return choose_keepers(group.drop_columns(["_part"]), rule)


def _finish_empty(batch: pa.Table) -> pa.Table:
    return empty_result(_without_sketch(batch), PREFIX)


def _without_sketch(batch: pa.Table) -> pa.Table:
    drop = [KEY_COLUMN, *SKETCH_COLUMNS]
    return batch.drop_columns([c for c in drop if c in batch.column_names])

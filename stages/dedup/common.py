"""Pieces shared by the dedup stages: document keys, per-row decisions, Ray helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from refinery.errors import SchemaError
from refinery.stage import REJECT_REASON, set_reject_reasons
from stages.dedup.hashing import hash_strings64

if TYPE_CHECKING:
    import ray.data

__all__ = [
    "KEY_COLUMN",
    "apply_decisions",
    "broadcast_keys",
    "cogroup",
    "default_partitions",
    "doc_keys",
    "empty_result",
    "group_pyarrow",
    "isolated",
    "keep_keys",
    "lookup",
    "map_pyarrow",
    "materialized",
    "partition_of",
    "require_unique",
    "resolve",
]

#: Internal column holding the 64-bit document key while a dedup stage runs on Ray.
KEY_COLUMN = "_dedup_key"


def doc_keys(table: pa.Table) -> np.ndarray:
    """uint64 key per row: a 64-bit hash of ``source`` + U+001F + ``id``.

    Ids are unique per source, so the pair is unique in the corpus. Keys order the
    documents for the connected components (a cluster is named by its smallest key) and
    carry the join back to the rows. Two of ``n`` keys collide with probability about
    ``n² / 2^65`` (3% at a billion documents); ``run_local`` checks, ``docs/dedup.md``
    discusses the cluster case.
    """
    source = table["source"] if "source" in table.column_names else pa.nulls(table.num_rows)
    joined = pc.binary_join_element_wise(
        pc.fill_null(source.cast(pa.string()), ""),
        pc.fill_null(table["id"].cast(pa.string()), ""),
        "\x1f",
    )
    return hash_strings64(joined)


def require_unique(keys: np.ndarray, stage: str) -> None:
    """Raise if two rows share a key (a repeated (source, id), or a hash collision)."""
    if len(np.unique(keys)) != len(keys):
        raise SchemaError(
            f"{stage}: (source, id) is not unique across the input; dedup needs unique ids"
        )


def partition_of(keys: np.ndarray, num_partitions: int) -> np.ndarray:
    """Shuffle partition of each uint64 key (keys are hashes, so ``%`` spreads them)."""
    return (keys % np.uint64(num_partitions)).astype(np.int64)


def apply_decisions(
    table: pa.Table,
    keys: np.ndarray,
    decisions: pa.Table,
    prefix: str,
    reason: str,
    cluster_col: str = "cluster_id",
) -> pa.Table:
    """Add ``<prefix>_cluster_id`` / ``<prefix>_kept_id`` and reject the non-kept rows.

    ``decisions`` has ``key``, ``cluster_col``, ``kept``, ``kept_id`` for cluster members
    and, optionally, a ``reason`` per member (used instead of ``reason`` where not null);
    rows not in it are singletons (null columns, kept).
    """
    dkeys = decisions["key"].to_numpy()
    order = np.argsort(dkeys, kind="stable")
    sorted_keys = dkeys[order]
    pos = np.searchsorted(sorted_keys, keys)
    pos_c = np.minimum(pos, max(len(sorted_keys) - 1, 0))
    found = (
        (pos < len(sorted_keys)) & (sorted_keys[pos_c] == keys)
        if len(sorted_keys)
        else (np.zeros(len(keys), dtype=bool))
    )
    take = pa.array(np.where(found, order[pos_c] if len(order) else 0, 0), mask=~found)
    cluster = (
        pc.take(decisions[cluster_col], take) if len(order) else pa.nulls(len(keys), pa.uint64())
    )
    kept_id = (
        pc.take(decisions["kept_id"], take) if len(order) else pa.nulls(len(keys), pa.string())
    )
    kept = pc.take(decisions["kept"], take) if len(order) else pa.nulls(len(keys), pa.bool_())
    rejected = pc.fill_null(pc.invert(kept), False)
    reasons = pc.if_else(rejected, pa.scalar(reason), pa.scalar(None, pa.string()))
    if "reason" in decisions.column_names and len(order):
        own = pc.take(decisions["reason"], take)
        reasons = pc.if_else(rejected, pc.coalesce(own, reasons), reasons)
    out = table
    for name, col in ((f"{prefix}_cluster_id", cluster), (f"{prefix}_kept_id", kept_id)):
        if name in out.column_names:
            out = out.drop_columns([name])
        out = out.append_column(name, col)
    return set_reject_reasons(out, reasons)


def empty_result(table: pa.Table, prefix: str) -> pa.Table:
    """``table`` with the dedup columns added and nothing rejected."""
    n = table.num_rows
    out = table
    for name, typ in ((f"{prefix}_cluster_id", pa.uint64()), (f"{prefix}_kept_id", pa.string())):
        if name in out.column_names:
            out = out.drop_columns([name])
        out = out.append_column(name, pa.nulls(n, typ))
    if REJECT_REASON not in out.column_names:
        out = out.append_column(REJECT_REASON, pa.nulls(n, pa.string()))
    return out


def default_partitions(ctx: Any, configured: int | None, rows: int) -> int:
    """Shuffle partitions: the configured number, else ~1M rows each, at least 2 per CPU."""
    if configured:
        return configured
    cpus = int(getattr(ctx, "num_cpus", 1) or 1)
    return max(2 * cpus, rows // 1_000_000 + 1)


def materialized(ds: ray.data.Dataset) -> ray.data.Dataset:
    """``ds.materialize()``, typed as a Dataset."""
    return cast("ray.data.Dataset", ds.materialize())


def map_pyarrow(
    ds: ray.data.Dataset, fn: Any, batch_size: int | None = None, **kwargs: Any
) -> ray.data.Dataset:
    """``map_batches`` as pyarrow tables: whole blocks, or ``batch_size`` rows (which also
    coalesces many small blocks into fewer, so later shuffles have fewer inputs)."""
    return ds.map_batches(fn, batch_format="pyarrow", batch_size=batch_size, **kwargs)


def group_pyarrow(
    ds: ray.data.Dataset, column: str, num_partitions: int, fn: Any, **kwargs: Any
) -> ray.data.Dataset:
    """Group ``ds`` by the int partition ``column`` and apply ``fn`` to each group's table.

    Grouping by a coarse partition (``key % P``) rather than by the key itself keeps the
    number of UDF calls at ``P``; ``fn`` resolves the fine groups inside with numpy.
    """
    return ds.groupby(column, num_partitions=num_partitions).map_groups(
        fn, batch_format="pyarrow", **kwargs
    )


def isolated(ds: ray.data.Dataset) -> ray.data.Dataset:
    """``ds``, whose chain's own DataContext now uses the sort-based pull shuffle and no
    per-operator resource reservation.

    The dedup passes are many small group-bys; the sort shuffle runs them as plain tasks,
    where the hash shuffle starts a pool of aggregator actors per operation (seconds each,
    and CPU reservations that starve a small cluster). Ray Data's reservation keeps part of
    the CPUs for each operator of a chain; on a 2-CPU machine the read and the sketch
    operator then ran one task each at a time, the second file's read waiting for the first
    (docs/dedup.md). The passes' chains are short and end in a barrier, so nothing
    downstream can starve; the object-store limit still applies. Ray Data gives every
    dataset chain its own copy of the DataContext when the chain is created or materialized
    (``ds.context``, a public property), so setting it there leaves the process's current
    context untouched.
    """
    from ray.data.context import ShuffleStrategy

    ds.context.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    ds.context.op_resource_reservation_enabled = False
    return ds


_SIDE = "_side"
_RIGHT = "_r."


def cogroup(
    left: ray.data.Dataset,
    right: ray.data.Dataset,
    left_key: str,
    right_key: str,
    num_partitions: int,
    fn: Any,
    fn_kwargs: dict[str, Any] | None = None,
) -> ray.data.Dataset:
    """A distributed join by group-by: ``fn(left_part, right_part, **fn_kwargs)`` per partition.

    Both sides are tagged with the partition of their uint64 key (``key % P``), padded to
    one schema, unioned and grouped by partition, so every left row meets every right row
    with the same key in one call; ``fn`` pairs them with numpy. Works with any shuffle
    strategy and needs no join actors.
    """
    # schema() of a lazy dataset executes it; materialise once so the plan runs once
    left = left.materialize()
    right = right.materialize()
    lschema = left.schema().base_schema
    rschema = right.schema().base_schema
    rfields = [pa.field(_RIGHT + f.name, f.type) for f in rschema]
    unified = pa.schema(
        [*lschema, *rfields, pa.field("_part", pa.int64()), pa.field(_SIDE, pa.int8())]
    )
    tagged_left = map_pyarrow(
        left,
        _tag,
        fn_kwargs={
            "key": left_key,
            "side": 0,
            "schema": unified,
            "parts": num_partitions,
            "prefix": "",
        },
    )
    tagged_right = map_pyarrow(
        right,
        _tag,
        fn_kwargs={
            "key": right_key,
            "side": 1,
            "schema": unified,
            "parts": num_partitions,
            "prefix": _RIGHT,
        },
    )
    return group_pyarrow(
        tagged_left.union(tagged_right),
        "_part",
        num_partitions,
        _cogroup_apply,
        fn_kwargs={
            "fn": fn,
            "left_names": lschema.names,
            "right_names": rschema.names,
            "fn_kwargs": fn_kwargs or {},
        },
    )


def _tag(
    batch: pa.Table, key: str, side: int, schema: pa.Schema, parts: int, prefix: str
) -> pa.Table:
    n = batch.num_rows
    cols = {prefix + name: batch[name] for name in batch.column_names}
    cols["_part"] = pa.array(partition_of(batch[key].to_numpy(), parts))
    cols[_SIDE] = pa.array(np.full(n, side, dtype=np.int8))
    arrays = [cols[f.name].cast(f.type) if f.name in cols else pa.nulls(n, f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _cogroup_apply(
    group: pa.Table,
    fn: Any,
    left_names: list[str],
    right_names: list[str],
    fn_kwargs: dict[str, Any],
) -> pa.Table:
    side = group[_SIDE]
    left = group.filter(pc.equal(side, 0)).select(left_names)
    right = group.filter(pc.equal(side, 1)).select([_RIGHT + n for n in right_names])
    right = right.rename_columns(right_names)
    result: pa.Table = fn(left, right, **fn_kwargs)
    return result


def lookup(keys: np.ndarray, table_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found mask, row index into ``table_keys``) for each of ``keys`` (unique table keys)."""
    if len(table_keys) == 0:
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    order = np.argsort(table_keys, kind="stable")
    pos = np.searchsorted(table_keys, keys, sorter=order)
    pos = np.minimum(pos, len(order) - 1)
    rows = order[pos]
    return table_keys[rows] == keys, rows


def broadcast_keys(ds: ray.data.Dataset, columns: list[str], max_keys: int) -> Any | None:
    """Object ref of the sorted unique uint64 values of ``columns``, or None if more than
    ``max_keys`` (then callers fall back to a plain shuffle)."""
    import ray

    parts = []
    total = 0
    for batch in ds.select_columns(columns).iter_batches(batch_format="pyarrow", batch_size=None):
        table = cast(pa.Table, batch)
        for col in columns:
            values = np.unique(table[col].to_numpy())
            parts.append(values)
            total += len(values)
        if total > 2 * max_keys:
            return None
    keys = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)
    if len(keys) > max_keys:
        return None
    return ray.put(keys)


def resolve(value: Any) -> Any:
    """``ray.get`` for an object ref handed to a UDF in ``fn_kwargs``; anything else as is."""
    import ray

    return ray.get(value) if isinstance(value, ray.ObjectRef) else value


def keep_keys(batch: pa.Table, column: str, keys: Any) -> pa.Table:
    """Rows of ``batch`` whose uint64 ``column`` is in the sorted array ``keys`` (or its ref)."""
    keys = resolve(keys)
    values = batch[column].to_numpy()
    if len(keys) == 0:
        return batch.slice(0, 0)
    pos = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return batch.filter(pa.array(keys[pos] == values))

"""Running one stage on one batch: the only place that calls a stage's ``__call__``.

The same functions serve the local runtime and the Ray workers, so both count and stamp
rejections identically.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from refinery.errors import RefineryError, SchemaError, StageError
from refinery.privacy import ReadGuard, stage_failure
from refinery.runtime.counters import BatchRecord
from refinery.stage import REJECT_REASON, REJECT_STAGE, Stage

__all__ = [
    "apply_stage",
    "ensure_reject_columns",
    "output_record",
    "read_record",
    "read_task",
    "split_active",
    "stamp",
    "text_bytes",
]

READ_STAGE = "read"


def text_bytes(table: pa.Table, column: str = "text") -> int:
    if table.num_rows == 0 or column not in table.column_names:
        return 0
    total = pc.sum(pc.binary_length(table[column])).as_py()
    return int(total or 0)


def ensure_reject_columns(batch: pa.Table) -> pa.Table:
    n = batch.num_rows
    for col in (REJECT_REASON, REJECT_STAGE):
        if col not in batch.column_names:
            batch = batch.append_column(col, pa.nulls(n, pa.string()))
    return batch


def split_active(batch: pa.Table) -> tuple[pa.Table, pa.Table | None]:
    """(rows still in play without the reject columns, rows rejected earlier or None)."""
    batch = ensure_reject_columns(batch)
    reasons = batch[REJECT_REASON]
    if reasons.null_count == batch.num_rows:
        return batch.drop_columns([REJECT_REASON, REJECT_STAGE]), None
    active_mask = pc.is_null(reasons)
    active = batch.filter(active_mask).drop_columns([REJECT_REASON, REJECT_STAGE])
    return active, batch.filter(pc.invert(active_mask))


def _reason_counts(reasons: pa.ChunkedArray | pa.Array) -> dict[str, int]:
    if reasons.null_count == len(reasons):
        return {}
    counts = pc.value_counts(
        reasons.drop_null() if hasattr(reasons, "drop_null") else pc.drop_null(reasons)
    )
    return {str(c["values"]): int(c["counts"]) for c in counts.to_pylist()}


def stamp(out: pa.Table, stage_name: str) -> tuple[pa.Table, pa.Array | pa.ChunkedArray]:
    """Add ``reject_stage`` for rows whose ``reject_reason`` this stage set; return the reasons."""
    if REJECT_REASON in out.column_names:
        reasons = out[REJECT_REASON].cast(pa.string())
        out = out.drop_columns([REJECT_REASON])
    else:
        reasons = pa.nulls(out.num_rows, pa.string())
    rejected = pc.is_valid(reasons)
    stage_col = pc.if_else(rejected, pa.scalar(stage_name), pa.scalar(None, pa.string()))
    out = out.append_column(REJECT_REASON, reasons).append_column(REJECT_STAGE, stage_col)
    return out, reasons


def apply_stage(
    stage: Stage[Any], stage_name: str, batch: pa.Table
) -> tuple[pa.Table, BatchRecord]:
    """Run ``stage`` on the rows of ``batch`` still in play; rows rejected earlier pass by."""
    start = time.perf_counter()
    active, dead = split_active(batch)
    missing = [c for c in stage.reads() if c not in active.column_names]
    if missing:
        raise SchemaError(
            f"stage {stage_name!r} reads {missing}, which the batch lacks: {active.column_names}"
        )
    failure: StageError | None = None
    try:
        out = stage(active)
    except RefineryError:
        raise
    except Exception as exc:
        # Re-raised with the stage and row range, outside this block so that no traceback
        # (ours, or Ray's in ray-data.log) chains the original, which may quote a row.
        failure = stage_failure(stage_name, active, exc)
    if failure is not None:
        raise failure
    out, reasons = stamp(out, stage_name)
    rejected = _reason_counts(reasons)
    n_rejected = sum(rejected.values())
    kept_bytes = text_bytes(out.filter(pc.is_null(reasons))) if n_rejected else text_bytes(out)
    counters = stage.batch_counters(out)
    record = BatchRecord(
        stage=stage_name,
        docs_in=active.num_rows,
        docs_out=out.num_rows - n_rejected,
        rejected=rejected,
        bytes_in=text_bytes(active),
        bytes_out=kept_bytes,
        seconds=time.perf_counter() - start,
        counters=counters,
    )
    if dead is not None and dead.num_rows:
        out = restore_order(batch, out, dead)
    return out, record


def restore_order(batch: pa.Table, active_out: pa.Table, dead: pa.Table) -> pa.Table:
    """Rows of ``batch`` back in their input order after the active ones went through a stage.

    Output bytes then depend only on the input, not on where the runtime cut batches (Ray and
    the local runtime cut differently), so runs stay comparable by sha256.
    """
    import numpy as np

    active_mask = pc.is_null(ensure_reject_columns(batch)[REJECT_REASON]).to_numpy(
        zero_copy_only=False
    )
    positions = np.concatenate([np.flatnonzero(active_mask), np.flatnonzero(~active_mask)])
    merged = pa.concat_tables([active_out, dead], promote_options="permissive")
    if active_out.num_rows != int(active_mask.sum()):
        return merged  # a stage that lost rows: the accounting check reports it
    return merged.take(pa.array(np.argsort(positions, kind="stable")))


def read_record(
    batch: pa.Table, seconds: float, guard: ReadGuard | None = None
) -> tuple[pa.Table, BatchRecord]:
    """Protect the ids of confidential rows (``guard``), stamp reader quarantines with
    ``reject_stage='read'`` and count the batch."""
    if guard:
        batch = guard(batch)
    out, reasons = stamp(batch, READ_STAGE)
    record = output_record(READ_STAGE, out, reasons, seconds)
    record.docs_in, record.bytes_in = out.num_rows, text_bytes(out)
    return out, record


def read_task(
    src: Any, task: Any, guard: ReadGuard | None = None
) -> Iterator[tuple[pa.Table, BatchRecord]]:
    """Read one task with its source's reader: each batch as ``read_record`` leaves it, with
    its record (the time includes the reader's own)."""
    from refinery.io.readers import get_reader

    it = get_reader(src.reader).read(src, task)
    while True:
        t0 = time.perf_counter()
        try:
            raw = next(it)
        except StopIteration:
            return
        yield read_record(raw, time.perf_counter() - t0, guard)


def output_record(
    stage_name: str, out: pa.Table, reasons: pa.Array | pa.ChunkedArray, seconds: float
) -> BatchRecord:
    """The output half of a record (docs_out, rejected, bytes_out) for a stamped table."""
    rejected = _reason_counts(reasons)
    n_rejected = sum(rejected.values())
    kept = out.filter(pc.is_null(reasons)) if n_rejected else out
    return BatchRecord(
        stage=stage_name,
        docs_out=out.num_rows - n_rejected,
        rejected=rejected,
        bytes_out=text_bytes(kept),
        seconds=seconds,
    )

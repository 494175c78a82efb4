"""One chunk through the stages of a segment, its files written where it is processed.

**Partitions and chunks.** The plan's read tasks (a file, a table, a query) are the run's
partitions: fixed at plan time and recorded, with their fingerprints, in the run directory
(``refinery.resume``). A reader cuts a partition into batches of ``batch_rows`` records; the
``c``-th batch of read task ``t`` is chunk ``(t, c)``, a function of the partition's bytes
and the config alone. A chunk is the unit of work, of output files and of resume.

**Partition identity is explicit.** On Ray a chunk travels between operators as ONE row
(``chunk_rows.CHUNK_SCHEMA``: its rows as Arrow IPC in ``payload``, its counters so far in
``summary``), never as a block of documents: Ray Data may coalesce or split blocks
(``batch_size``, block size limits, the number of workers), but it never splits a row, so
each operator sees whole chunks. The local runtime calls the same functions on the same
chunks in this process. The bytes of every file therefore depend on the input and the config
only: identical across runs, runtimes and ``ray.num_cpus``.

**Segments.** Global stages (dedup, selection) cut the stage list into segments of row
stages (``refinery.runtime.segments``). In a segment a chunk is opened (read and decoded, or
loaded from the preceding global stage's output), passed through each row stage, and closed:
into shards in the last segment, else into a checkpoint that the next global stage reads.
A row a stage rejects leaves the chunk there: the worker writes it to
``rejects/<stage>/part-TTTTT-CCCCC-NNNNN.parquet`` at once (confidential rows guarded as
``refinery.privacy.guard_rejects`` says), and later stages never see it. Kept rows go to
``shards/part-TTTTT-CCCCC-NNNNN.parquet`` (``NNNNN``: the n-th file of the chunk when its rows
pass ``output.shard_size_mb``). Closing writes the chunk's completion marker, after its
files, holding its counters and the digests of its files: the driver sums those and never
sees a document.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from refinery.config import StageSpec
from refinery.io.readers import ReadTask, get_reader
from refinery.io.readers.base import BATCH_SCHEMA
from refinery.io.writers import RollingParquetWriter
from refinery.privacy import ReadGuard, guard_rejects
from refinery.rundir import temp_name
from refinery.runtime.apply import (
    apply_stage,
    output_record,
    read_record,
    split_active,
    stamp,
    text_bytes,
)
from refinery.runtime.chunk_rows import ChunkState
from refinery.runtime.counters import BatchRecord
from refinery.runtime.workdir import ChunkRef, WorkDir, content_key
from refinery.stage import REJECT_STAGE, Stage

__all__ = [
    "INTERNAL_COLUMNS",
    "ChunkJob",
    "ChunkState",
    "OutputSpec",
    "apply_chunk",
    "close_chunk",
    "open_cached",
    "open_global",
    "open_read",
    "read_partition",
    "write_fragments",
]

TASK_COL, CHUNK_COL, ROW_COL = "_refinery_task", "_refinery_chunk", "_refinery_row"
#: Carried by a checkpoint's rows through a global stage, so its output finds its chunk.
INTERNAL_COLUMNS = (TASK_COL, CHUNK_COL, ROW_COL)


@dataclass(frozen=True)
class OutputSpec:
    """How a worker writes: the ``output`` config and the privacy rule for rejects."""

    shard_bytes: int
    compression: str
    row_group_rows: int
    write_rejects: bool
    confidential_text: str
    stages_after_redaction: frozenset[str]


@dataclass(frozen=True)
class ChunkJob:
    """Everything a worker needs besides the chunk; built once on the driver, shipped to tasks."""

    run_url: str
    sources: list[Any]
    tasks: list[ReadTask]
    output: OutputSpec
    #: per read task: what its checkpoints' content keys start from (see ``workdir``)
    task_fingerprints: list[str]
    #: per segment: the content key of its stage chain (configs, seed, code version)
    segment_keys: list[str]
    #: the stage cache (``refinery.experiments.stagecache.CachePlan``), or None: off
    cache: Any = None

    def workdir(self) -> WorkDir:
        fs, path = _url_to_fs(self.run_url)
        return WorkDir(fs, path)

    def checkpoint_key(self, segment: int, ref: ChunkRef) -> str:
        return content_key(
            self.segment_keys[segment], self.task_fingerprints[ref.task], ref.task, ref.chunk
        )


def _url_to_fs(url: str) -> tuple[Any, str]:
    import fsspec

    return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]


def read_partition(job: ChunkJob, task_index: int, skip: frozenset[int]) -> Iterator[ChunkState]:
    """The chunks of read task ``task_index`` but those in ``skip`` (finished earlier).

    Two-phase readers (JSON lines) give undecoded lines here (``raw``), decoded by
    ``open_read`` in parallel; the others give decoded batches. A partition always has at least
    one chunk (an empty one if its reader yields nothing), so that its last chunk says it is.
    """
    task = job.tasks[task_index]
    src = job.sources[task.source_index]
    reader = get_reader(src.reader)
    raw = reader.two_phase
    it = reader.read_raw(src, task, task_index) if raw else reader.read(src, task)
    index, pending = 0, None
    for table in it:
        if pending is not None and index - 1 not in skip:
            yield ChunkState(ChunkRef(task_index, index - 1), False, pending, raw)
        pending = table
        index += 1
    if pending is None:
        pending, raw, index = BATCH_SCHEMA.empty_table(), False, 1
    if index - 1 not in skip:
        yield ChunkState(ChunkRef(task_index, index - 1), True, pending, raw)


def open_read(job: ChunkJob, state: ChunkState) -> ChunkState:
    """Decode a raw chunk, protect confidential ids, count it as read; quarantined rows leave."""
    if _reused(job, 0, state):
        return state
    t0 = time.perf_counter()
    table = state.table
    if state.raw:
        task = job.tasks[state.ref.task]
        src = job.sources[task.source_index]
        table = get_reader(src.reader).decode(src, task, table)
    out, rec = read_record(table, time.perf_counter() - t0, ReadGuard.from_sources(job.sources))
    state.raw = False
    state.records.append(rec)
    state.table = _route_rejects(job, state, out)
    return state


def open_global(job: ChunkJob, segment: int, name: str, state: ChunkState) -> ChunkState:
    """The chunk's rows as the global stage ``name`` before ``segment`` left them (its output
    fragments, back in checkpoint order); the rows it rejected leave here."""
    if _reused(job, segment, state):
        return state
    t0 = time.perf_counter()
    work = job.workdir()
    folder = work.fragment_dir(segment, state.ref)
    parts = []
    if work.fs.isdir(folder):
        for path in sorted(work.fs.ls(folder, detail=False)):
            if not posixpath.basename(path).startswith("."):
                with work.fs.open(path, "rb") as f:
                    parts.append(pq.read_table(f))
    if parts:
        table = pa.concat_tables(parts, promote_options="permissive")
        table = table.take(pc.sort_indices(table[ROW_COL]))
        table = table.drop_columns([c for c in INTERNAL_COLUMNS if c in table.column_names])
    else:
        table = state.table
    out, reasons = stamp(table, name)
    state.records.append(output_record(name, out, reasons, time.perf_counter() - t0))
    state.table = _route_rejects(job, state, out)
    return state


def apply_chunk(job: ChunkJob, spec: StageSpec, stage: Stage[Any], state: ChunkState) -> ChunkState:
    """Run a row stage on the chunk (in slices of its ``batch_size``); its rejects leave here."""
    if spec.name in state.skip:
        return state  # its output came from the stage cache
    table = state.table
    total = BatchRecord(stage=spec.name)
    state.records.append(total)
    if table.num_rows == 0:
        _keep(job, spec, state)
        return state  # nothing left in this chunk: the stage is not called
    size = spec.resources.batch_size or table.num_rows
    outs = []
    for start in range(0, table.num_rows, size):
        out, rec = apply_stage(stage, spec.name, table.slice(start, size))
        outs.append(out)
        total.add_counts(rec)
    merged = outs[0] if len(outs) == 1 else pa.concat_tables(outs, promote_options="permissive")
    state.table = _route_rejects(job, state, merged)
    _keep(job, spec, state)
    return state


def open_cached(
    job: ChunkJob,
    segment: int,
    state: ChunkState,
    opener: str | None,
    skipped: list[StageSpec],
    build: Callable[[StageSpec], Stage[Any]],
) -> ChunkState:
    """The chunk as the stage cache holds it (``stagecache.shortcut`` found its entry). An
    entry damaged or removed since is not used: the chunk is computed here instead (read, or
    opened after the global stage ``opener``, and taken through the ``skipped`` stages)."""
    if _reused(job, segment, state):
        return state
    if opener is None:
        fresh = next(read_partition(job, state.ref.task, frozenset(range(state.ref.chunk))))
        state = open_read(job, fresh)
    else:
        state = open_global(job, segment, opener, state)
    for spec in skipped:
        state = apply_chunk(job, spec, build(spec), state)
    state.skip = frozenset(spec.name for spec in skipped)  # done: later operators pass it on
    return state


def _reused(job: ChunkJob, segment: int, state: ChunkState) -> bool:
    """Take the chunk's state from the stage cache, if it holds it after a stage of
    ``segment`` (the deepest such); whether it did."""
    if job.cache is None:
        return False
    from refinery.experiments.stagecache import reuse

    work = job.workdir()
    fingerprint = job.task_fingerprints[state.ref.task]
    hit = reuse(job.cache, segment, fingerprint, state.ref, work.fs, work.run_dir)
    if hit is None:
        return False
    state.table, state.raw, state.skip = hit.table, False, hit.skip
    state.records, state.files = hit.records, hit.files
    return True


def _keep(job: ChunkJob, spec: StageSpec, state: ChunkState) -> None:
    """Store the chunk's state after ``spec`` in the stage cache, if that is a cache point."""
    if job.cache is None or spec.name not in job.cache.points:
        return
    from refinery.experiments.stagecache import keep

    work = job.workdir()
    fingerprint = job.task_fingerprints[state.ref.task]
    keep(job.cache, spec.name, fingerprint, state, work.fs, work.run_dir)


def _route_rejects(job: ChunkJob, state: ChunkState, out: pa.Table) -> pa.Table:
    """Write the rows just rejected to ``rejects/<stage>/``; return the rows still in play."""
    active, dead = split_active(out)
    if dead is None or dead.num_rows == 0:
        return active
    spec = job.output
    dead = guard_rejects(dead, set(spec.stages_after_redaction), spec.confidential_text)
    for stage in sorted(pc.unique(dead[REJECT_STAGE]).to_pylist()):
        part = dead.filter(pc.equal(dead[REJECT_STAGE], stage))
        if spec.write_rejects:
            state.files += _write(job, posixpath.join("rejects", stage), state.ref, part, stage)
    return active


def _write(
    job: ChunkJob, folder: str, ref: ChunkRef, table: pa.Table, stage: str | None
) -> list[dict[str, Any]]:
    work = job.workdir()
    spec = job.output
    writer = RollingParquetWriter(
        work.fs,
        posixpath.join(work.run_dir, folder),
        spec.shard_bytes,
        spec.compression,
        spec.row_group_rows,
        prefix=ref.file_prefix,
    )
    writer.write(table)
    writer.close()
    return [
        {
            "path": posixpath.relpath(path, work.run_dir),
            "rows": d.rows,
            "bytes": d.size,
            "sha256": d.sha256,
            "stage": stage,
        }
        for path, d in writer.written.items()
    ]


def close_chunk(
    job: ChunkJob, segment: int, next_global: str | None, state: ChunkState
) -> dict[str, Any]:
    """Write the chunk's kept rows (shards, or a checkpoint before ``next_global``), then its
    completion marker; return the marker's content (the chunk's summary)."""
    work = job.workdir()
    table = state.table
    checkpoint = None
    n = table.num_rows
    if next_global is None:
        if table.num_rows:
            state.files += _write(job, "shards", state.ref, table, None)
    else:
        state.records.append(
            BatchRecord(stage=next_global, docs_in=table.num_rows, bytes_in=text_bytes(table))
        )
    if next_global is not None and n:
        checkpoint = work.checkpoint_path(job.checkpoint_key(segment, state.ref))
        keyed = (
            table.append_column(TASK_COL, pa.array(np.full(n, state.ref.task, np.int32)))
            .append_column(CHUNK_COL, pa.array(np.full(n, state.ref.chunk, np.int32)))
            .append_column(ROW_COL, pa.array(np.arange(n, dtype=np.int64)))
        )
        work.fs.makedirs(posixpath.dirname(checkpoint), exist_ok=True)
        with work.fs.open(temp_name(checkpoint), "wb") as f:
            pq.write_table(keyed, f, compression="zstd")
        work.fs.mv(temp_name(checkpoint), checkpoint)
    summary = {
        "segment": segment,
        "task": state.ref.task,
        "chunk": state.ref.chunk,
        "last": state.last,
        "records": [asdict(r) for r in state.records],
        "files": state.files,
        "kept_bytes": text_bytes(table) if next_global is None else 0,
        "checkpoint": checkpoint,
        "checkpoint_rows": n if checkpoint else 0,
    }
    work.write_marker(work.marker_path(segment, state.ref), summary)
    return summary


def write_fragments(job: ChunkJob, segment: int, table: pa.Table) -> pa.Table:
    """Write a global stage's output rows under their chunks (``workdir.fragment_dir``), one
    file per chunk and block named after its first row: a retried task rewrites the same
    names. Returns ``(task, chunk, rows)`` per file written."""
    work = job.workdir()
    tasks: list[int] = []
    chunks: list[int] = []
    counts: list[int] = []
    if table.num_rows == 0:
        return pa.table({"task": tasks, "chunk": chunks, "rows": counts})
    key = pc.add(
        pc.multiply(table[TASK_COL].cast(pa.int64()), pa.scalar(1 << 32, pa.int64())),
        table[CHUNK_COL].cast(pa.int64()),
    )
    for k in pc.unique(key).to_pylist():
        part = table.filter(pc.equal(key, k))
        ref = ChunkRef(int(k) >> 32, int(k) & 0xFFFFFFFF)
        folder = work.fragment_dir(segment, ref)
        path = posixpath.join(folder, f"{pc.min(part[ROW_COL]).as_py():09d}.parquet")
        work.fs.makedirs(folder, exist_ok=True)
        with work.fs.open(temp_name(path), "wb") as f:
            pq.write_table(part, f, compression="zstd")
        work.fs.mv(temp_name(path), path)
        tasks.append(ref.task)
        chunks.append(ref.chunk)
        counts.append(part.num_rows)
    return pa.table({"task": tasks, "chunk": chunks, "rows": counts})

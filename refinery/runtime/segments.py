"""Segments, the ``Executor`` seam, and the driver loop both runtimes share.

Global stages cut the plan's stage list into segments: segment 0 reads and runs the row
stages before the first global stage; segment k starts from the output of global stage k and
runs the row stages after it. Each chunk (``refinery.runtime.chunks``) goes through a segment
in one pass and leaves a completion marker; a global stage runs over the checkpoints of all
chunks, between two segments, and leaves a marker too.

The driver (``drive``) only handles markers: it asks the executor for the chunks without one,
sums the counters of every marker (those of an earlier, killed attempt included) and collects
the digests of the files the workers wrote. An ``Executor`` decides where the work runs: in
this process (``LocalExecutor``) or on Ray (``RayExecutor``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from refinery.config import StageSpec
from refinery.runtime.chunks import ChunkJob
from refinery.runtime.counters import BatchRecord, Counters
from refinery.runtime.workdir import ChunkRef
from refinery.stage import GlobalStage

T = TypeVar("T")

__all__ = [
    "Checkpoint",
    "DriveResult",
    "Executor",
    "Segment",
    "SegmentWork",
    "drive",
    "group_checkpoints",
    "plan_segments",
]


@dataclass(frozen=True)
class Segment:
    index: int
    #: the global stage whose output this segment starts from (None: segment 0 reads)
    opener: StageSpec | None
    #: row stages, in order
    stages: tuple[StageSpec, ...]
    #: the global stage this segment's chunks are checkpointed for (None: the last, shards)
    closer: StageSpec | None


def plan_segments(specs: list[StageSpec]) -> list[Segment]:
    segments: list[Segment] = []
    opener: StageSpec | None = None
    rows: list[StageSpec] = []
    for spec in specs:
        if issubclass(spec.cls, GlobalStage):
            segments.append(Segment(len(segments), opener, tuple(rows), spec))
            opener, rows = spec, []
        else:
            rows.append(spec)
    segments.append(Segment(len(segments), opener, tuple(rows), None))
    return segments


@dataclass(frozen=True)
class SegmentWork:
    """What a segment still has to do.

    Segment 0: ``reads`` maps each read task still to read to the chunks it must skip
    (finished earlier). Later segments: ``chunks``, each with whether it is its partition's
    last.
    """

    reads: dict[int, frozenset[int]] = field(default_factory=dict)
    chunks: tuple[tuple[ChunkRef, bool], ...] = ()


@dataclass(frozen=True)
class Checkpoint:
    """One chunk's rows, written for the next global stage: the file and its row count (None
    in the markers of versions that did not record it)."""

    path: str
    rows: int | None


def group_checkpoints(
    checkpoints: list[Checkpoint], rows_per_group: int | None, min_groups: int
) -> list[list[Checkpoint]]:
    """Consecutive checkpoints in groups of up to ``rows_per_group`` rows (a larger checkpoint
    alone): each group is one read task of a global stage, and one input block
    (``GlobalStage.input_block_rows``).

    A chunk holds at most a reader batch (2,048 rows by default); a global stage's first pass
    wants larger blocks, and it must not get them by bundling its input rows, which would put
    every checkpoint into one task (docs/dedup.md, "One task per block of checkpoints").
    While there are checkpoints to spread, there are at least ``min_groups`` groups (the
    cluster's CPUs), so every CPU reads. ``None``, or a row count missing: one per group.
    """
    counts = [c.rows for c in checkpoints]
    if rows_per_group is None or len(checkpoints) <= min_groups or None in counts:
        return [[c] for c in checkpoints]
    total = sum(n for n in counts if n is not None)
    target = max(1, min(rows_per_group, math.ceil(total / max(1, min_groups))))
    groups: list[list[Checkpoint]] = []
    current: list[Checkpoint] = []
    rows = 0
    for c in checkpoints:
        n = c.rows or 0
        if current and rows + n > target:  # c would take the group past the target
            groups.append(current)
            current, rows = [], 0
        current.append(c)
        rows += n
        if rows >= target:
            groups.append(current)
            current, rows = [], 0
    if current:
        groups.append(current)
    return groups


class Executor(Protocol):
    """Where the chunks run. Both runtimes implement it with the functions of ``chunks``."""

    @property
    def job(self) -> ChunkJob:
        """What every chunk of the run shares (shipped to the workers)."""
        ...

    def run_segment(self, segment: Segment, work: SegmentWork) -> Iterator[dict[str, Any]]:
        """Take each chunk of ``work`` through ``segment``; yield its summary (the content of
        its completion marker) as it completes."""
        ...

    def run_global(self, segment: Segment, checkpoints: list[Checkpoint]) -> None:
        """Run ``segment.opener`` over the rows of ``checkpoints`` (in this order) and write
        its output per chunk (``chunks.write_fragments``)."""
        ...

    def map_calls(self, fn: Callable[..., T], items: list[tuple[Any, ...]]) -> list[T]:
        """``[fn(*item) for item in items]``, in order, run where the chunks run (the end of
        a run scans its shards for the report this way, not in the driver)."""
        ...


@dataclass
class DriveResult:
    files: list[dict[str, Any]] = field(default_factory=list)
    kept_bytes: int = 0
    #: chunks (over all segments) that an earlier attempt finished
    skipped: int = 0
    #: chunks, in segment 0
    chunks: int = 0


def drive(executor: Executor, segments: list[Segment], counters: Counters) -> DriveResult:
    """Run every segment and global stage not finished yet; sum the markers into ``counters``."""
    work = executor.job.workdir()
    result = DriveResult()
    all_chunks: dict[ChunkRef, bool] = {}
    previous: dict[ChunkRef, dict[str, Any]] = {}
    n_tasks = len(executor.job.tasks)
    for seg in segments:
        done = work.markers(seg.index)
        result.skipped += len(done)
        if seg.opener is None:
            todo = SegmentWork(reads=_reads_left(done, n_tasks))
        else:
            _run_global(executor, seg, previous, counters)
            todo = SegmentWork(
                chunks=tuple(
                    (ref, last) for ref, last in sorted(all_chunks.items()) if ref not in done
                )
            )
        for summary in done.values():
            _add(summary, counters, result)
        for summary in executor.run_segment(seg, todo):
            _add(summary, counters, result)
            done[ChunkRef(summary["task"], summary["chunk"])] = summary
        if seg.opener is None:
            all_chunks = {ref: bool(m["last"]) for ref, m in done.items()}
            _check_complete(all_chunks, n_tasks)
            result.chunks = len(all_chunks)
        previous = done
    return result


def _reads_left(done: dict[ChunkRef, dict[str, Any]], n_tasks: int) -> dict[int, frozenset[int]]:
    """Read tasks with a chunk left to do, each with the chunks to skip. A task is finished
    when its last chunk and every chunk before it have markers."""
    by_task: dict[int, set[int]] = {}
    last: dict[int, int] = {}
    for ref, m in done.items():
        by_task.setdefault(ref.task, set()).add(ref.chunk)
        if m["last"]:
            last[ref.task] = ref.chunk
    left = {}
    for t in range(n_tasks):
        chunks = by_task.get(t, set())
        if t in last and chunks == set(range(last[t] + 1)):
            continue
        left[t] = frozenset(chunks)
    return left


def _check_complete(chunks: dict[ChunkRef, bool], n_tasks: int) -> None:
    for t in range(n_tasks):
        mine = sorted(ref.chunk for ref in chunks if ref.task == t)
        lasts = [ref.chunk for ref, last in chunks.items() if ref.task == t and last]
        assert mine == list(range(len(mine))) and lasts == [len(mine) - 1], (
            f"read task {t}: chunks {mine}, last {lasts}"
        )


def _run_global(
    executor: Executor,
    seg: Segment,
    previous: dict[ChunkRef, dict[str, Any]],
    counters: Counters,
) -> None:
    assert seg.opener is not None
    work = executor.job.workdir()
    marker = work.global_marker_path(seg.index)
    finished = work.read_json(marker)
    if finished is None:
        work.clear_global(seg.index)  # what a killed attempt wrote: the stage runs again
        work.write_marker(work.global_started_path(seg.index), {"stage": seg.opener.name})
        checkpoints = [
            Checkpoint(previous[ref]["checkpoint"], previous[ref].get("checkpoint_rows"))
            for ref in sorted(previous)
            if previous[ref]["checkpoint"]
        ]
        start = time.perf_counter()
        executor.run_global(seg, checkpoints)
        finished = {"stage": seg.opener.name, "seconds": round(time.perf_counter() - start, 3)}
        work.write_marker(marker, finished)
    counters.record(BatchRecord(stage=seg.opener.name, seconds=float(finished["seconds"])))


def _add(summary: dict[str, Any], counters: Counters, result: DriveResult) -> None:
    for rec in summary["records"]:
        counters.record(BatchRecord(**rec))
    result.files += summary["files"]
    result.kept_bytes += int(summary["kept_bytes"])

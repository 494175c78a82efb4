"""The local runtime: the whole plan in this process, no Ray. For tests, debugging and tiny runs.

It runs the same chunk functions as the Ray runtime (``refinery.runtime.chunks``) on the same
chunks, so both write the same files, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from refinery.config import StageSpec
from refinery.errors import RefineryError
from refinery.experiments.stagecache import Shortcut, shortcut
from refinery.privacy import ReadGuard, stage_failure
from refinery.runtime.apply import apply_stage, read_task, split_active, stamp
from refinery.runtime.chunks import (
    ChunkJob,
    ChunkState,
    apply_chunk,
    close_chunk,
    open_cached,
    open_global,
    open_read,
    read_partition,
    write_fragments,
)
from refinery.runtime.context import GlobalContext
from refinery.runtime.segments import Checkpoint, Segment, SegmentWork, T
from refinery.stage import GlobalStage, Stage

__all__ = ["LocalExecutor"]


class LocalExecutor:
    def __init__(self, plan: Any, job: ChunkJob | None = None) -> None:
        self.plan = plan
        self._job = job
        self._stages: dict[str, Stage[Any]] = {}

    @property
    def job(self) -> ChunkJob:
        assert self._job is not None, "a LocalExecutor without a ChunkJob only has batches()"
        return self._job

    def _stage(self, spec: StageSpec) -> Stage[Any]:
        if spec.name not in self._stages:
            stage = spec.build()
            stage.setup()
            self._stages[spec.name] = stage
        return self._stages[spec.name]

    def map_calls(self, fn: Callable[..., T], items: list[tuple[Any, ...]]) -> list[T]:
        return [fn(*item) for item in items]

    def run_segment(self, segment: Segment, work: SegmentWork) -> Iterator[dict[str, Any]]:
        cut = shortcut(self.job, segment.index, work)
        states = self._opened(segment, work) if cut is None else self._cached(segment, cut)
        for state in states:
            for spec in segment.stages:
                if spec.name in state.skip:
                    continue  # from the stage cache: the stage is not even set up
                state = apply_chunk(self.job, spec, self._stage(spec), state)
            closer = segment.closer.name if segment.closer else None
            yield close_chunk(self.job, segment.index, closer, state)

    def _cached(self, segment: Segment, cut: Shortcut) -> Iterator[ChunkState]:
        opener = segment.opener.name if segment.opener else None
        skipped = [s for s in segment.stages if s.name in cut.skip]
        for ref, last in cut.chunks:
            empty = ChunkState(ref, last, pa.table({}))
            yield open_cached(self.job, segment.index, empty, opener, skipped, self._stage)

    def _opened(self, segment: Segment, work: SegmentWork) -> Iterator[ChunkState]:
        if segment.opener is None:
            for task, skip in sorted(work.reads.items()):
                for state in read_partition(self.job, task, skip):
                    yield open_read(self.job, state)
            return
        name = segment.opener.name
        for ref, last in work.chunks:
            empty = ChunkState(ref, last, pa.table({}))
            yield open_global(self.job, segment.index, name, empty)

    def run_global(self, segment: Segment, checkpoints: list[Checkpoint]) -> None:
        assert segment.opener is not None
        if not checkpoints:
            return
        fs = self.job.workdir().fs
        parts = []
        for checkpoint in checkpoints:
            with fs.open(checkpoint.path, "rb") as f:
                parts.append(pq.read_table(f))
        table = pa.concat_tables(parts, promote_options="permissive")
        stage = self._stage(segment.opener)
        assert isinstance(stage, GlobalStage), f"{segment.opener.stage=} is not a GlobalStage"
        ctx = GlobalContext(output_dir=self.plan.run_dir_url, seed=self.plan.cfg.run.seed)
        failure = None
        try:
            out = stage.run_local(table, ctx)
        except RefineryError:
            raise
        except Exception as exc:
            failure = stage_failure(segment.opener.name, table, exc)  # no chained message
        if failure is not None:
            raise failure
        write_fragments(self.job, segment.index, out)

    def batches(self) -> Iterator[pa.Table]:
        """Read and run every stage, yielding the batches with rejected rows marked
        (``reject_reason``, ``reject_stage``); nothing is written. For callers that consume
        documents in this process (classifier training). A global stage holds every batch."""
        cfg = self.plan.cfg
        guard = ReadGuard.from_sources(cfg.sources)
        stream: Iterator[pa.Table] = (
            batch
            for task in self.plan.tasks
            for batch, _ in read_task(cfg.sources[task.source_index], task, guard)
        )
        for spec in cfg.stages:
            stream = self._chain(stream, spec)
        yield from stream

    def _chain(self, stream: Iterator[pa.Table], spec: StageSpec) -> Iterator[pa.Table]:
        stage = self._stage(spec)
        if not isinstance(stage, GlobalStage):
            for batch in stream:
                yield apply_stage(stage, spec.name, batch)[0]
            return
        actives, deads = [], []
        for batch in stream:
            active, dead = split_active(batch)
            actives.append(active)
            if dead is not None:
                deads.append(dead)
        if actives:
            active = pa.concat_tables(actives, promote_options="permissive")
            ctx = GlobalContext(output_dir=self.plan.run_dir_url, seed=self.plan.cfg.run.seed)
            yield stamp(stage.run_local(active, ctx), spec.name)[0]
        yield from deads

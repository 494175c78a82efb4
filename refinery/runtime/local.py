"""The local runtime: the whole plan in this process, no Ray. For tests, debugging and tiny runs.

It runs exactly the same stage wrappers as the Ray runtime (``refinery.runtime.apply``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from refinery.config import StageSpec
from refinery.errors import RefineryError
from refinery.privacy import ReadGuard, stage_failure
from refinery.runtime.apply import (
    apply_stage,
    output_record,
    read_task,
    split_active,
    stamp,
    text_bytes,
)
from refinery.runtime.context import GlobalContext
from refinery.runtime.counters import Counters, StageTotals
from refinery.stage import GlobalStage, Stage

__all__ = ["LocalExecutor"]


class LocalExecutor:
    def __init__(self, plan: Any) -> None:
        self.plan = plan
        self.counters = Counters(plan.stage_names)

    def totals(self) -> list[StageTotals]:
        return self.counters.snapshot()

    def _read(self) -> Iterator[pa.Table]:
        cfg = self.plan.cfg
        guard = ReadGuard.from_sources(cfg.sources)
        for task in self.plan.tasks:
            for out, rec in read_task(cfg.sources[task.source_index], task, guard):
                self.counters.record(rec)
                yield out

    def _map(self, batches: Iterator[pa.Table], stage: Stage[Any], name: str) -> Iterator[pa.Table]:
        for batch in batches:
            out, rec = apply_stage(stage, name, batch)
            self.counters.record(rec)
            yield out

    def _global(
        self, batches: Iterator[pa.Table], stage: GlobalStage[Any], name: str
    ) -> Iterator[pa.Table]:
        actives: list[pa.Table] = []
        deads: list[pa.Table] = []
        for table in batches:
            part_active, part_dead = split_active(table)
            actives.append(part_active)
            if part_dead is not None and part_dead.num_rows:
                deads.append(part_dead)
        if not actives:
            return
        active = pa.concat_tables(actives, promote_options="permissive")
        ctx = GlobalContext(output_dir=self.plan.run_dir_url, seed=self.plan.cfg.run.seed)
        start = time.perf_counter()
        failure = None
        try:
            out = stage.run_local(active, ctx)
        except RefineryError:
            raise
        except Exception as exc:
            failure = stage_failure(name, active, exc)  # raised outside: no chained message
        if failure is not None:
            raise failure
        out, reasons = stamp(out, name)
        rec = output_record(name, out, reasons, time.perf_counter() - start)
        rec.docs_in, rec.bytes_in = active.num_rows, text_bytes(active)
        self.counters.record(rec)
        rows = max(1, self.plan.cfg.sources[0].batch_rows)
        # Rows rejected earlier follow the stage's output in batches of their own, as Ray's
        # union of the two datasets yields them (same order, same columns: identical rejects).
        for part in (out, *deads):
            for start_row in range(0, part.num_rows, rows):
                yield part.slice(start_row, rows)

    def batches(self) -> Iterator[pa.Table]:
        stream: Iterator[pa.Table] = self._read()
        for spec in self.plan.cfg.stages:
            stream = self._chain(stream, spec)
        yield from stream

    def _chain(self, stream: Iterator[pa.Table], spec: StageSpec) -> Iterator[pa.Table]:
        stage = spec.build()
        stage.setup()
        if isinstance(stage, GlobalStage):
            return self._global(stream, stage, spec.name)
        return self._map(stream, stage, spec.name)

"""``RayExecutor``: the segments and global stages of a run as Ray Data pipelines.

See ``refinery.runtime.ray_runtime`` for the operators a segment becomes and
``refinery.runtime.chunks`` for why each operator takes whole chunks, one row each.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from refinery.config import StageSpec
from refinery.experiments.stagecache import shortcut
from refinery.io.readers import get_reader
from refinery.runtime import chunks as chunk_ops
from refinery.runtime.chunk_rows import ChunkState, decode_rows, encode_rows
from refinery.runtime.chunks import ChunkJob
from refinery.runtime.context import GlobalContext
from refinery.runtime.ray_ops import OpArgs, op_args
from refinery.runtime.ray_runtime import find_refinery_error, init_ray, stage_for
from refinery.runtime.segments import Checkpoint, Segment, SegmentWork, T, group_checkpoints
from refinery.runtime.workdir import ChunkRef
from refinery.stage import GlobalStage, Stage

if TYPE_CHECKING:
    import ray.data

__all__ = ["RayExecutor", "checkpoint_input", "operator_udf"]


def _read_op(batch: pa.Table, job: ChunkJob) -> Iterator[pa.Table]:
    for task, skip in zip(batch["task"].to_pylist(), batch["skip"].to_pylist(), strict=True):
        for state in chunk_ops.read_partition(job, task, frozenset(skip)):
            yield encode_rows([state])


def _open_read_op(batch: pa.Table, job: ChunkJob) -> pa.Table:
    return encode_rows([chunk_ops.open_read(job, s) for s in decode_rows(batch)])


def _open_global_op(batch: pa.Table, job: ChunkJob, segment: int, name: str) -> pa.Table:
    return encode_rows([chunk_ops.open_global(job, segment, name, s) for s in _empty_states(batch)])


def _open_cached_op(
    batch: pa.Table, job: ChunkJob, segment: int, opener: str | None, skipped: list[StageSpec]
) -> pa.Table:
    return encode_rows(
        [
            chunk_ops.open_cached(job, segment, s, opener, skipped, stage_for)
            for s in _empty_states(batch)
        ]
    )


def _progress_notice(record: logging.LogRecord) -> bool:
    """A logging filter: False for Ray Data's advice to turn its progress bars back on
    (Refinery turns them off because it draws its own display)."""
    return "enable_progress_bars" not in record.getMessage()


#: Chunks per task of a segment after a global stage, at most (and at least 4 tasks per CPU).
CHUNKS_PER_TASK = 16


def _chunk_items(chunks: Sequence[tuple[ChunkRef, bool]], cpus: int) -> Any:
    """A dataset of one ``(task, chunk, last)`` row per chunk (``(ChunkRef, last)`` pairs),
    for an opener that loads each chunk where it runs.

    Several chunks to a block, and so to a task (each still opened, run and closed on its
    own, in turn): a chunk of a cheap segment is ~30 ms of work, and one task per chunk left
    Ray Data's scheduling loop in the driver the bottleneck, with one task in flight on two
    CPUs (docs/operations.md, "Tasks around a global stage"). At least four tasks per CPU
    while there are chunks, so that the CPUs finish together; at most ``CHUNKS_PER_TASK``
    chunks each.
    """
    import ray

    items = [{"task": r.task, "chunk": r.chunk, "last": last} for r, last in chunks]
    blocks = min(len(items), max(4 * cpus, -(-len(items) // CHUNKS_PER_TASK)), 1024)
    return ray.data.from_items(items, override_num_blocks=max(1, blocks))


def _empty_states(batch: pa.Table) -> list[ChunkState]:
    """The chunks a batch of ``(task, chunk, last)`` rows names, with no rows yet."""
    return [
        ChunkState(ChunkRef(t, c), last, pa.table({}))
        for t, c, last in zip(
            batch["task"].to_pylist(),
            batch["chunk"].to_pylist(),
            batch["last"].to_pylist(),
            strict=True,
        )
    ]


def _stage_op(batch: pa.Table, job: ChunkJob, spec: StageSpec) -> pa.Table:
    stage = stage_for(spec)
    return encode_rows([chunk_ops.apply_chunk(job, spec, stage, s) for s in decode_rows(batch)])


class _StageActor:
    """Ray Data callable class: builds the stage and runs ``setup()`` once per actor."""

    def __init__(self, job: ChunkJob, spec: StageSpec) -> None:
        self.job = job
        self.spec = spec
        self.stage: Stage[Any] = spec.build()
        self.stage.setup()

    def __call__(self, batch: pa.Table) -> pa.Table:
        return encode_rows(
            [chunk_ops.apply_chunk(self.job, self.spec, self.stage, s) for s in decode_rows(batch)]
        )


def _close_op(batch: pa.Table, job: ChunkJob, segment: int, closer: str | None) -> pa.Table:
    summaries = [chunk_ops.close_chunk(job, segment, closer, s) for s in decode_rows(batch)]
    return pa.table({"summary": pa.array([json.dumps(s) for s in summaries], pa.string())})


def _checkpoints_op(batch: pa.Table, job: ChunkJob) -> Iterator[pa.Table]:
    """Read each group of checkpoint files as one block (Ray's Parquet datasource would start
    a pool of footer-reading actors first: seconds, for files whose footers are all we
    wrote)."""
    fs = job.workdir().fs
    for paths in batch["paths"].to_pylist():
        parts = []
        for path in paths:
            with fs.open(path, "rb") as f:
                parts.append(pq.read_table(f))
        yield pa.concat_tables(parts, promote_options="permissive")


def checkpoint_input(job: ChunkJob, groups: list[list[Checkpoint]], name: str) -> ray.data.Dataset:
    """A global stage's input: one task per group of checkpoints, which reads the group as
    one block. The stage's first pass runs in the same task when it takes whole blocks (Ray
    fuses a map without ``batch_size`` with the map before it)."""
    import ray.data

    items = [{"paths": [c.path for c in group]} for group in groups]
    paths = ray.data.from_items(items, override_num_blocks=min(len(items), 1024))
    return paths.map_batches(
        _named(_checkpoints_op, f"{name}_input"),
        fn_kwargs={"job": job},
        batch_size=1,
        batch_format="pyarrow",
    )


def _fragments_op(batch: pa.Table, job: ChunkJob, segment: int) -> pa.Table:
    return chunk_ops.write_fragments(job, segment, batch)


def _named(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``fn`` under the name Ray Data shows for its operator."""

    def op(batch: pa.Table, **kwargs: Any) -> Any:
        return fn(batch, **kwargs)

    op.__name__ = op.__qualname__ = name
    return op


def operator_udf(fn: Callable[..., Any], args: OpArgs) -> Any:
    """What ``map_batches`` runs for ``args``: an actor class or a task function, both named
    after the stage, so that Ray's dashboard and logs show ``MapBatches(<stage>)``."""
    if args.actors:
        return type(args.name, (_StageActor,), {"__qualname__": args.name})
    return _named(fn, args.name)


@contextlib.contextmanager
def _one_chunk_per_block() -> Iterator[None]:
    """Every chunk a block of its own while a segment's datasets are built and run.

    Ray Data packs what a task yields into blocks of up to ``target_max_block_size`` (128 MB):
    all the chunks of one file would travel as one block to one task, on one core. With a
    limit below any chunk's size each yielded chunk is a block, and free workers take them
    as they come. (``repartition(target_num_rows_per_block=1)`` would do the same as an
    operator of its own, whose task asks for a whole CPU that actor pools may hold.)
    """
    import ray.data

    ctx = ray.data.DataContext.get_current()
    saved = ctx.target_max_block_size
    ctx.target_max_block_size = 1
    try:
        yield
    finally:
        ctx.target_max_block_size = saved


class RayExecutor:
    def __init__(self, plan: Any, job: ChunkJob) -> None:
        import ray

        self.plan = plan
        self.job = job
        init_ray(plan.cfg)
        self._ray = ray
        self._read_cpus = 1.0
        self._cpu_scale = self._fit_cpu_requests()

    def _cluster(self, key: str) -> float:
        resources: dict[str, float] = self._ray.cluster_resources()  # type: ignore[no-untyped-call]
        return float(resources.get(key, 0))

    def _cluster_cpus(self) -> int:
        return max(1, int(self._cluster("CPU")))

    def _fit_cpu_requests(self) -> float:
        """Scale factor for the CPU requests of stage operators.

        Actors keep their CPUs for the whole run, and so does a read task while it reads. On
        a machine with fewer CPUs than the reader, one actor of each pool and one task of the
        largest plain stage ask for, the last operators would wait forever for a CPU (a
        deadlock, not a slowdown): the requests are then scaled down together (Ray's CPUs are
        logical; the operating system shares the real cores). Plain stages hold a CPU only for
        a task, so they are not added up.

        A read task of JSON lines only decompresses and splits lines (decoding happens with
        the first stage), so it asks for a tenth of a CPU, and the stage requests make room
        for the read tasks beside them: on 2 CPUs one reader and two chunk tasks run at once,
        instead of the reader keeping a whole CPU from the stages.
        """
        cpus = float(self._cluster_cpus())
        sources = self.plan.cfg.sources
        light = all(get_reader(sources[t.source_index].reader).two_phase for t in self.plan.tasks)
        stages = [s for s in self.plan.cfg.stages if not issubclass(s.cls, GlobalStage)]
        actors = sum(float(s.resources.num_cpus) for s in stages if s.cls.runs_as_actor)
        tasks = max(
            (float(s.resources.num_cpus) for s in stages if not s.cls.runs_as_actor), default=0.0
        )
        read = 0.1 if light else 1.0
        scale = min(1.0, cpus / (read + actors + tasks))
        self._read_cpus = read * scale
        readers = min(len(self.plan.tasks), cpus)
        return scale * max(0.05, (cpus - readers * self._read_cpus) / cpus)

    def op_args(self, name: str, spec: StageSpec | None) -> OpArgs:
        from refinery.stage import Resources

        return op_args(
            name,
            spec.resources if spec is not None else Resources(),
            bool(spec is not None and spec.cls.runs_as_actor),
            self._cpu_scale,
            self._cluster_cpus(),
            self._cluster("GPU"),
        )

    def _map(self, ds: Any, fn: Any, args: OpArgs, **fn_kwargs: Any) -> Any:
        import ray.data

        kwargs = args.kwargs()
        udf = operator_udf(fn, args)
        if args.actors:
            assert isinstance(args.pool, tuple), f"{args=}"
            return ds.map_batches(
                udf,
                fn_constructor_kwargs=fn_kwargs,
                compute=ray.data.ActorPoolStrategy(min_size=args.pool[0], max_size=args.pool[1]),
                **kwargs,
            )
        if isinstance(args.pool, int):
            kwargs["compute"] = ray.data.TaskPoolStrategy(size=args.pool)
        return ds.map_batches(udf, fn_kwargs=fn_kwargs, **kwargs)

    def run_segment(self, segment: Segment, work: SegmentWork) -> Iterator[dict[str, Any]]:
        import ray.data

        job = self.job
        cut = shortcut(job, segment.index, work)
        stages = [s for s in segment.stages if cut is None or s.name not in cut.skip]
        with self._quiet(), _one_chunk_per_block(), self._our_errors():
            if cut is not None:  # every chunk from the stage cache: no read, fewer stages
                ds = self._map(
                    _chunk_items(cut.chunks, self._cluster_cpus()),
                    _open_cached_op,
                    self.op_args("cache", None),
                    job=job,
                    segment=segment.index,
                    opener=segment.opener.name if segment.opener else None,
                    skipped=[s for s in segment.stages if s.name in cut.skip],
                )
            elif segment.opener is None:
                if not work.reads:
                    return
                items = [{"task": t, "skip": sorted(s)} for t, s in sorted(work.reads.items())]
                ds = ray.data.from_items(items, override_num_blocks=len(items))
                # A fixed read concurrency keeps Ray Data from fusing the read into the stages
                # (task pools of different sizes never fuse): a big file is read on one core
                # while its chunks are decoded and processed on the others.
                size = max(1, min(len(items), self._cluster_cpus()))
                read = OpArgs("read_partitions", False, size, self._read_cpus, 0.0)
                ds = self._map(ds, _read_op, read, job=job)
                ds = self._map(ds, _open_read_op, self.op_args("read", None), job=job)
            else:
                if not work.chunks:
                    return
                name = segment.opener.name
                ds = self._map(
                    _chunk_items(work.chunks, self._cluster_cpus()),
                    _open_global_op,
                    self.op_args(name, None),
                    job=job,
                    segment=segment.index,
                    name=name,
                )
            for spec in stages:
                ds = self._map(ds, _stage_op, self.op_args(spec.name, spec), job=job, spec=spec)
            closer = segment.closer.name if segment.closer else None
            ds = self._map(
                ds,
                _close_op,
                self.op_args("write", None),
                job=job,
                segment=segment.index,
                closer=closer,
            )
            for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                for text in batch["summary"].to_pylist():
                    yield json.loads(text)

    def run_global(self, segment: Segment, checkpoints: list[Checkpoint]) -> None:
        assert segment.opener is not None
        if not checkpoints:
            return
        stage = segment.opener.build()
        assert isinstance(stage, GlobalStage), f"{segment.opener.stage=} is not a GlobalStage"
        stage.setup()
        name = segment.opener.name
        with self._quiet(), self._our_errors():
            groups = group_checkpoints(checkpoints, stage.input_block_rows(), self._cluster_cpus())
            ds = checkpoint_input(self.job, groups, name)
            ctx = GlobalContext(
                output_dir=self.plan.run_dir_url,
                seed=self.plan.cfg.run.seed,
                num_cpus=self._cluster_cpus(),
            )
            out = stage.run_ray(ds, ctx)
            written = out.map_batches(
                _named(_fragments_op, f"{name}_output"),
                fn_kwargs={"job": self.job, "segment": segment.index},
                batch_format="pyarrow",
            )
            for _ in written.iter_batches(batch_format="pyarrow", batch_size=None):
                pass

    def map_calls(self, fn: Callable[..., T], items: list[tuple[Any, ...]]) -> list[T]:
        """One Ray task per item (a CPU each), named after ``fn``; results in order."""
        if not items:
            return []
        remote = self._ray.remote(num_cpus=1)(fn).options(name=fn.__name__)
        with self._our_errors():
            return list(self._ray.get([remote.remote(*item) for item in items]))

    @contextlib.contextmanager
    def _our_errors(self) -> Iterator[None]:
        """Ray wraps a stage's error in its own task and UDF errors; surface ours as is."""
        try:
            yield
        except Exception as exc:
            ours = find_refinery_error(exc)
            if ours is None:
                raise
            raise ours from None

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Refinery draws its own progress display and summary; Ray Data's per-dataset INFO
        lines, and its console notice that its bars are off, are noise here (the notice still
        reaches Ray Data's log file). The process's DataContext and the ``ray.data`` logger are
        as they were before, after."""
        import ray.data

        logger = logging.getLogger("ray.data")
        level = logger.level
        # the console handlers; Ray Data's session log file handler is not a stream handler
        consoles = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
        logger.setLevel(logging.WARNING)
        for handler in consoles:
            handler.addFilter(_progress_notice)
        ctx = ray.data.DataContext.get_current()
        saved = (
            ctx.execution_options.preserve_order,
            ctx.enable_progress_bars,
            ctx.print_on_execution_start,
        )
        ctx.execution_options.preserve_order = self.plan.cfg.ray.preserve_order
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        try:
            yield
        finally:
            (
                ctx.execution_options.preserve_order,
                ctx.enable_progress_bars,
                ctx.print_on_execution_start,
            ) = saved
            logger.setLevel(level)
            for handler in consoles:
                handler.removeFilter(_progress_notice)

"""The Ray runtime: the plan as a Ray Data pipeline, streamed to the writer on the driver.

- sources: one read task per ``ReadTask`` (a generator: batches flow on while a file is read);
- plain stages: ``map_batches`` tasks; stages with ``setup()``: an actor pool that loads the
  model once per actor (Ray's batch-inference pattern), with the stage's ``Resources``;
- global stages: a barrier (``materialize``), then the stage's own ``run_ray`` passes;
- counters: every task/actor reports one record per batch to a ``StatsActor``.

Embedded Ray (``ray.init()`` on local resources) unless ``ray.address`` names a cluster.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from refinery.config import RunConfig, StageSpec
from refinery.errors import RefineryError
from refinery.io import load_builtin_readers
from refinery.io.readers import ReadTask, get_reader
from refinery.privacy import ReadGuard
from refinery.runtime.apply import (
    apply_stage,
    output_record,
    read_record,
    read_task,
    split_active,
    stamp,
    text_bytes,
)
from refinery.runtime.context import GlobalContext
from refinery.runtime.counters import BatchRecord, StageTotals
from refinery.runtime.ray_patch import give_ray_data_local_totals
from refinery.runtime.ray_stats import Collector, report, stats_actor
from refinery.stage import GlobalStage, Stage

__all__ = ["RayExecutor", "init_ray", "prestart_workers", "wait_for_workers"]

_STAGE_CACHE: dict[str, Stage[Any]] = {}


def init_ray(cfg: RunConfig) -> None:
    import ray

    if ray.is_initialized():
        return
    os.environ.setdefault("RAY_DEDUP_LOGS", "1")
    kwargs: dict[str, Any] = {
        "include_dashboard": False,
        "logging_level": logging.WARNING,
        "log_to_driver": True,
        "configure_logging": True,
    }
    runtime_env = dict(cfg.ray.runtime_env or {})
    # Workers import the engine and the stage library as they start, while the driver plans,
    # instead of when the first batch arrives.
    runtime_env.setdefault("worker_process_setup_hook", "refinery.runtime.ray_runtime.warm_worker")
    kwargs["runtime_env"] = runtime_env
    if cfg.ray.address:
        kwargs["address"] = cfg.ray.address
    else:
        # "local": always a fresh embedded instance, never whichever Ray happens to be
        # running on this machine (ray.init() would attach to another program's cluster).
        kwargs["address"] = "local"
        if cfg.ray.num_cpus:
            kwargs["num_cpus"] = cfg.ray.num_cpus
        if cfg.ray.object_store_memory_mb:
            kwargs["object_store_memory"] = cfg.ray.object_store_memory_mb * 1024 * 1024
    if not cfg.ray.address:
        _start_watchdog()
    ray.init(**kwargs)
    if not cfg.ray.address and cfg.ray.fast_embedded_start:
        give_ray_data_local_totals()
    prestart_workers()
    stats_actor()


def _start_watchdog() -> None:
    """Embedded Ray's processes end with this one, even on SIGKILL (see ``watchdog``).
    Started before ``ray.init``: a kill while Ray starts is covered too."""
    from refinery.runtime.watchdog import start_watchdog

    if not _watchdogs:
        _watchdogs.append(start_watchdog())


_watchdogs: list[Any] = []

#: Most worker processes started ahead of the first tasks (one per CPU, up to this many).
_PRESTART_LIMIT = 256
_prestarted: list[Any] = []


def prestart_workers() -> None:
    """Start one worker process per CPU now, while the driver plans.

    A Ray worker takes seconds to start (Python, Ray, the setup hook's imports), and Ray
    starts them as tasks arrive: the first stage tasks would otherwise wait for the second
    and later workers well after the reader has produced data. One no-op task per CPU, all
    submitted at once, makes Ray start the workers side by side; the tasks are not waited
    for here.
    """
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
    task = ray.remote(num_cpus=1)(_noop)
    _prestarted[:] = [task.remote() for _ in range(max(1, min(cpus, _PRESTART_LIMIT)))]


def wait_for_workers(timeout: float = 60.0) -> None:
    """Block until the workers ``init_ray`` started are up (benchmarks time the run alone)."""
    import ray

    if _prestarted:
        ray.wait(_prestarted, num_returns=len(_prestarted), timeout=timeout)
    ray.get(stats_actor().snapshot.remote(), timeout=timeout)


def _noop() -> None:
    return None


def warm_worker() -> None:
    """Ray worker setup hook: import what every task will need."""
    import pyarrow.compute  # noqa: F401
    import ray.data  # noqa: F401

    import refinery.runtime.apply  # noqa: F401
    from refinery.io import load_builtin_readers

    # Stage modules are not imported here: a stage's class travels with its spec, so a worker
    # imports only the stages it runs.
    load_builtin_readers()


def _read_tasks(
    batch: pa.Table, tasks: list[ReadTask], sources: list[Any], collector: Collector
) -> Iterator[pa.Table]:
    load_builtin_readers()
    guard = ReadGuard.from_sources(sources)
    for i in batch["i"].to_pylist():
        task = tasks[i]
        for out, rec in read_task(sources[task.source_index], task, guard):
            report(collector, rec)
            yield out


def _read_raw_tasks(
    batch: pa.Table, tasks: list[ReadTask], sources: list[Any]
) -> Iterator[pa.Table]:
    for i in batch["i"].to_pylist():
        task = tasks[i]
        src = sources[task.source_index]
        yield from get_reader(src.reader).read_raw(src, task, i)


def _decode_raw(
    batch: pa.Table, tasks: list[ReadTask], sources: list[Any], collector: Collector
) -> pa.Table:
    """Parse raw lines (a block may hold lines of several read tasks) and count them as read."""
    import pyarrow.compute as pc

    load_builtin_readers()
    t0 = time.perf_counter()
    parts: list[pa.Table] = []
    task_ids = batch["_task"]
    for i in pc.unique(task_ids).to_pylist():
        rows = (
            batch
            if len(parts) == 0 and pc.all(pc.equal(task_ids, i)).as_py()
            else batch.filter(pc.equal(task_ids, i))
        )
        task = tasks[i]
        src = sources[task.source_index]
        parts.append(get_reader(src.reader).decode(src, task, rows))
    table = pa.concat_tables(parts) if len(parts) != 1 else parts[0]
    out, rec = read_record(table, time.perf_counter() - t0, ReadGuard.from_sources(sources))
    report(collector, rec)
    return out


def _cached_stage(spec: StageSpec) -> Stage[Any]:
    key = f"{spec.name}:{spec.stage}:{spec.config.model_dump_json()}"
    stage = _STAGE_CACHE.get(key)
    if stage is None:
        stage = spec.build()
        _STAGE_CACHE[key] = stage
    return stage


def _stage_task(batch: pa.Table, spec: StageSpec, collector: Collector) -> pa.Table:
    out, rec = apply_stage(_cached_stage(spec), spec.name, batch)
    report(collector, rec)
    return out


class _StageActor:
    """Ray Data callable class: builds the stage and runs ``setup()`` once per actor."""

    def __init__(self, spec: StageSpec, collector: Collector) -> None:
        self.spec = spec
        self.collector = collector
        self.stage = spec.build()
        self.stage.setup()

    def __call__(self, batch: pa.Table) -> pa.Table:
        out, rec = apply_stage(self.stage, self.spec.name, batch)
        report(self.collector, rec)
        return out


def _only_active(batch: pa.Table, name: str, collector: Collector) -> pa.Table:
    active, _ = split_active(batch)
    report(collector, BatchRecord(stage=name, docs_in=active.num_rows, bytes_in=text_bytes(active)))
    return active


def _only_rejected(batch: pa.Table) -> pa.Table:
    _, dead = split_active(batch)
    return dead if dead is not None else batch.slice(0, 0)


def _stamp_global(batch: pa.Table, name: str, collector: Collector) -> pa.Table:
    out, reasons = stamp(batch, name)
    report(collector, output_record(name, out, reasons, 0.0))
    return out


_REMOTE_ERROR = re.compile(r"^refinery\.errors\.(\w+): (.+)$", re.MULTILINE)


def _find_refinery_error(exc: BaseException) -> RefineryError | None:
    """The ``RefineryError`` a worker raised, without Ray's wrappers around it.

    Ray Data re-raises a failed task as ``RayTaskError(UserCodeException)`` whose chain no
    longer holds our exception object, only its formatted traceback; the error is rebuilt
    from that text (class name and message).
    """
    from refinery import errors

    err: BaseException | None = exc
    while err is not None:
        if isinstance(err, RefineryError) and type(err).__module__.startswith("refinery"):
            return err
        err = getattr(err, "cause", None) or err.__cause__
    match = _REMOTE_ERROR.search(str(exc))
    if match is None:
        return None
    cls = getattr(errors, match.group(1), None)
    if not (isinstance(cls, type) and issubclass(cls, RefineryError)):
        return None
    return cls(match.group(2))


class RayExecutor:
    def __init__(self, plan: Any) -> None:
        import ray

        self.plan = plan
        init_ray(plan.cfg)
        actor = stats_actor()
        self.collector = Collector(actor, uuid.uuid4().hex)
        ray.get(actor.start.remote(self.collector.run, plan.stage_names))
        self._ray = ray
        self._cpu_scale = 1.0

    def totals(self) -> list[StageTotals]:
        snapshot: list[StageTotals] = self._ray.get(self.collector.actor.snapshot.remote())
        return snapshot

    def _cluster_cpus(self) -> int:
        resources: dict[str, float] = self._ray.cluster_resources()  # type: ignore[no-untyped-call]
        return max(1, int(resources.get("CPU", 1)))

    def batches(self) -> Iterator[pa.Table]:
        import ray.data

        cfg = self.plan.cfg
        # Refinery draws its own progress display and summary; Ray Data's per-dataset INFO lines
        # and its notice that its bars are off are noise here (set after ray.data configured
        # its loggers on import).
        loggers = {
            name: logging.getLogger(name) for name in ("ray.data", "ray.data._internal.progress")
        }
        levels = {name: logger.level for name, logger in loggers.items()}
        loggers["ray.data"].setLevel(logging.WARNING)
        loggers["ray.data._internal.progress"].setLevel(logging.ERROR)
        ctx = ray.data.DataContext.get_current()
        saved = (
            ctx.execution_options.preserve_order,
            ctx.enable_progress_bars,
            ctx.print_on_execution_start,
            ctx.target_max_block_size,
        )
        ctx.execution_options.preserve_order = cfg.ray.preserve_order
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        ctx.target_max_block_size = 8 * 1024 * 1024
        try:
            self._cpu_scale = self._fit_cpu_requests()
            ds = self._read_dataset()
            for spec in cfg.stages:
                ds = self._add_stage(ds, spec)
            self.dataset = ds
            yield from ds.iter_batches(batch_format="pyarrow", batch_size=None)
        except Exception as exc:
            # Ray wraps a stage's error in its own task and UDF errors; surface ours as is.
            ours = _find_refinery_error(exc)
            if ours is None:
                raise
            raise ours from None
        finally:
            # the process's DataContext and loggers are as they were before the run
            (
                ctx.execution_options.preserve_order,
                ctx.enable_progress_bars,
                ctx.print_on_execution_start,
                ctx.target_max_block_size,
            ) = saved
            for name, logger in loggers.items():
                logger.setLevel(levels[name])

    def _read_dataset(self) -> Any:
        """Read tasks as a dataset: two-phase readers split lines on one core and parse in
        parallel; the others read and parse in one task per file."""
        import ray.data

        tasks = self.plan.tasks
        sources = self.plan.cfg.sources
        two = [
            i for i, t in enumerate(tasks) if get_reader(sources[t.source_index].reader).two_phase
        ]
        one = [i for i in range(len(tasks)) if i not in set(two)]
        parts: list[Any] = []
        # A fixed read concurrency keeps Ray Data from fusing the read into the stages (task
        # pools of different sizes never fuse), so one big file is read on one core while its
        # batches are parsed and processed on the others.
        ds: Any
        if two:
            ds = ray.data.from_items([{"i": i} for i in two], override_num_blocks=len(two))
            ds = ds.map_batches(
                _read_raw_tasks,
                fn_kwargs={"tasks": tasks, "sources": sources},
                batch_size=1,
                batch_format="pyarrow",
                compute=ray.data.TaskPoolStrategy(size=self._read_concurrency(len(two))),
                num_cpus=self._cpu_scale,
            )
            # Parsing asks for what the first stage asks for (whole blocks, its CPUs), so that
            # Ray Data fuses it into that stage's tasks: one task per block then parses and
            # processes it, with no round trip through the object store.
            parts.append(
                ds.map_batches(
                    _decode_raw,
                    fn_kwargs={"tasks": tasks, "sources": sources, "collector": self.collector},
                    batch_format="pyarrow",
                    batch_size=None,
                    num_cpus=self._parse_cpus(),
                )
            )
        if one:
            ds = ray.data.from_items([{"i": i} for i in one], override_num_blocks=len(one))
            parts.append(
                ds.map_batches(
                    _read_tasks,
                    fn_kwargs={"tasks": tasks, "sources": sources, "collector": self.collector},
                    batch_size=1,
                    batch_format="pyarrow",
                    compute=ray.data.TaskPoolStrategy(size=self._read_concurrency(len(one))),
                    num_cpus=self._cpu_scale,
                )
            )
        return parts[0] if len(parts) == 1 else parts[0].union(*parts[1:])

    def _fit_cpu_requests(self) -> float:
        """Scale factor for CPU requests, so that every operator can hold a worker at once.

        Actors keep their CPUs for the whole run, and so does the reader while it reads. On a
        machine with fewer CPUs than the reader, one actor of each pool and one task of the
        largest plain stage ask for, the last operators would wait forever for a CPU (a
        deadlock, not a slowdown). The requests are then scaled down together: Ray's CPUs are
        logical, and the operating system shares the real cores. Plain stages hold a CPU only
        for a task, so they are not added up: scaling them would only start more tasks than
        there are cores.
        """
        stages = [s for s in self.plan.cfg.stages if not issubclass(s.cls, GlobalStage)]
        actors = sum(float(s.resources.num_cpus) for s in stages if s.cls.needs_actor())
        tasks = max(
            (float(s.resources.num_cpus) for s in stages if not s.cls.needs_actor()), default=0.0
        )
        demand = 1.0 + actors + tasks
        return min(1.0, float(self._cluster_cpus()) / demand)

    def _parse_cpus(self) -> float:
        """CPUs of a parse task: those of the first stage when it is a plain whole-block stage,
        so that Ray Data fuses parsing into its tasks."""
        stages = self.plan.cfg.stages
        first = stages[0] if stages else None
        if (
            first is not None
            and not issubclass(first.cls, GlobalStage)
            and not first.cls.needs_actor()
            and first.resources.batch_size is None
            and first.resources.concurrency is None
            and not first.resources.num_gpus
        ):
            return float(first.resources.num_cpus) * self._cpu_scale
        return self._cpu_scale

    def _read_concurrency(self, n_tasks: int) -> int:
        return max(1, min(n_tasks, self._cluster_cpus()))

    def _add_stage(self, ds: Any, spec: StageSpec) -> Any:
        import ray.data

        cls = spec.cls
        r = spec.resources
        if issubclass(cls, GlobalStage):
            return self._global(ds, spec)
        common: dict[str, Any] = {
            "batch_format": "pyarrow",
            "batch_size": r.batch_size,
            "num_cpus": r.num_cpus * self._cpu_scale,
        }
        if r.num_gpus:
            common["num_gpus"] = r.num_gpus
        if cls.needs_actor():
            concurrency = r.concurrency
            if concurrency is None:
                gpus = self._ray.cluster_resources().get("GPU", 0)  # type: ignore[no-untyped-call]
                per = r.num_gpus and gpus / r.num_gpus
                cpus = max(r.num_cpus * self._cpu_scale, 0.01)
                most = int(per) if r.num_gpus else int(self._cluster_cpus() / cpus)
                concurrency = (1, max(1, most))
            # An int n means "up to n actors": a pool that must start n actors at once can wait
            # forever on a small machine whose other cores are busy reading.
            lo, hi = concurrency if isinstance(concurrency, tuple) else (1, concurrency)
            return ds.map_batches(
                _StageActor,
                fn_constructor_kwargs={"spec": spec, "collector": self.collector},
                compute=ray.data.ActorPoolStrategy(min_size=lo, max_size=hi),
                **common,
            )
        if r.concurrency is not None:
            size = r.concurrency[1] if isinstance(r.concurrency, tuple) else r.concurrency
            common["compute"] = ray.data.TaskPoolStrategy(size=size)
        return ds.map_batches(
            _stage_task, fn_kwargs={"spec": spec, "collector": self.collector}, **common
        )

    def _global(self, ds: Any, spec: StageSpec) -> Any:
        stage = spec.build()
        assert isinstance(stage, GlobalStage), f"{spec.stage=} is not a GlobalStage"
        stage.setup()
        ds = ds.materialize()  # the barrier: everything upstream finishes here
        active = ds.map_batches(
            _only_active,
            fn_kwargs={"name": spec.name, "collector": self.collector},
            batch_format="pyarrow",
        ).materialize()  # counted exactly once, however often the stage re-reads it
        dead = ds.map_batches(_only_rejected, batch_format="pyarrow")
        gctx = GlobalContext(
            output_dir=self.plan.run_dir_url,
            seed=self.plan.cfg.run.seed,
            num_cpus=self._cluster_cpus(),
        )
        start = time.perf_counter()
        out = stage.run_ray(active, gctx).materialize()
        report(self.collector, BatchRecord(stage=spec.name, seconds=time.perf_counter() - start))
        out = out.map_batches(
            _stamp_global,
            fn_kwargs={"name": spec.name, "collector": self.collector},
            batch_format="pyarrow",
        )
        return out.union(dead)

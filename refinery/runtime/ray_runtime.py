"""The Ray runtime: each segment as a Ray Data pipeline of whole chunks, written by workers.

- segment 0: one read task per partition (``ReadTask``) yields its chunks, one row each;
  later segments start from the global stage's output of each chunk;
- row stages: one ``map_batches`` operator per stage, named after it (Ray's dashboard and
  timeline show ``MapBatches(gopher_quality)``), a pool of actors for a stage that
  ``runs_as_actor`` (its model loads once per actor), else tasks; arguments from
  ``ray_ops.op_args``; consecutive task operators fuse into one task per chunk;
- a last operator (``write``) writes the chunk's shards or checkpoint and its completion
  marker, and hands the driver the chunk's summary: counters and file digests, no documents;
- global stages: ``run_ray`` over the checkpoints, its output written per chunk.

Embedded Ray (``ray.init()`` on local resources) unless ``ray.address`` names a cluster.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import sys
import threading
from typing import Any

from refinery.config import RunConfig, StageSpec
from refinery.errors import RefineryError
from refinery.runtime.ray_exit import end_embedded_ray
from refinery.runtime.ray_patch import give_ray_data_local_totals
from refinery.stage import Stage

__all__ = [
    "CONNECT_RETRY",
    "find_refinery_error",
    "init_ray",
    "prestart_workers",
    "quick_store_connect",
    "stage_for",
    "wait_for_workers",
]

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
        quick_store_connect()
    guard = threading.Timer(cfg.ray.start_timeout_s, _start_timed_out, (cfg,))
    guard.daemon = True
    guard.start()
    try:
        ray.init(**kwargs)
    finally:
        guard.cancel()
    if not cfg.ray.address:
        # runs before Ray's own exit handler (registered earlier, at import): see ray_exit
        atexit.register(end_embedded_ray, exiting=True)
    if not cfg.ray.address and cfg.ray.fast_embedded_start:
        give_ray_data_local_totals()
    prestart_workers()


#: Ray's retry of a Unix-socket connection (its config, read from ``RAY_<name>`` by every
#: process Ray starts): every 100 ms, 100 times, where Ray's default is every second, 10
#: times. The same 10 s to give up in; see ``quick_store_connect``.
CONNECT_RETRY = {
    "RAY_raylet_client_connect_timeout_milliseconds": "100",
    "RAY_raylet_client_num_connect_attempts": "100",
}


def quick_store_connect() -> None:
    """Let an embedded Ray's raylet find its object store without a second's wait.

    The raylet starts its object store on a thread of its own and then connects to it through
    a Unix socket; when the first try comes before the store listens, Ray waits its retry
    interval, a full second, before the next. Here that happened in 16 of 40 starts: ``ray.init``
    took 3.4 s instead of 2.35 s (``docs/dedup.md``). With a 100 ms interval (and ten times the
    tries, so the same 10 s before Ray gives up) the wait is 0.1 s at most. Set for the
    processes this one starts, unless the environment already sets them.
    """
    for name, value in CONNECT_RETRY.items():
        os.environ.setdefault(name, value)


def _start_timed_out(cfg: RunConfig) -> None:
    """End the process when ``ray.init`` has not returned within ``ray.start_timeout_s``.

    ``ray.init`` can wait forever: the driver registers with its raylet only after the
    workers the raylet starts for the first driver have, and one that dies while starting is
    never replaced (Ray 2.60; seen once in a session's ~100 starts, docs/robustness.md). The
    wait is inside Ray's C++ client, which no exception reaches, so the process exits here
    (``os._exit``) with the reason; embedded Ray's processes end with it (``watchdog``).
    """
    what = f"joining the Ray cluster at {cfg.ray.address}" if cfg.ray.address else "embedded Ray"
    sys.stderr.write(
        f"error: {what} did not start within {cfg.ray.start_timeout_s:g} s "
        "(ray.start_timeout_s); Ray's own logs are in /tmp/ray/session_latest/logs\n"
    )
    sys.stderr.flush()
    os._exit(1)  # a run-time failure (README, "Exit codes")


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


_REMOTE_ERROR = re.compile(r"^refinery\.errors\.(\w+): (.+)$", re.MULTILINE)


def find_refinery_error(exc: BaseException) -> RefineryError | None:
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


def stage_for(spec: StageSpec) -> Stage[Any]:
    """The stage of ``spec``, built and set up once per worker process (task operators)."""
    key = f"{spec.name}:{spec.stage}:{spec.config.model_dump_json()}"
    stage = _STAGE_CACHE.get(key)
    if stage is None:
        stage = spec.build()
        stage.setup()
        _STAGE_CACHE[key] = stage
    return stage

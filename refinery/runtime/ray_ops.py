"""The ``map_batches`` arguments of each operator, from one pure function (no Ray needed).

Every operator of a run takes whole chunks, one row each (``batch_size=1``: see
``refinery.runtime.chunks``); a stage's own ``batch_size`` is applied inside the chunk. What
differs per stage is its CPUs, GPUs and whether it runs as a pool of actors (a stage with
``runs_as_actor``: its model loads once per actor) or as tasks. ``OpArgs.compute`` describes
the strategy as data; ``ray_runtime`` turns it into Ray's ``ActorPoolStrategy`` or
``TaskPoolStrategy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from refinery.stage import Resources

__all__ = ["OpArgs", "op_args"]


@dataclass(frozen=True)
class OpArgs:
    """``map_batches`` keyword arguments of one operator, and its compute strategy."""

    name: str
    actors: bool
    #: actor pool (min, max), or the task pool's size (None: Ray's default)
    pool: tuple[int, int] | int | None
    num_cpus: float
    num_gpus: float

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"batch_format": "pyarrow", "batch_size": 1}
        out["num_cpus"] = self.num_cpus
        if self.num_gpus:
            out["num_gpus"] = self.num_gpus
        return out


def op_args(
    name: str,
    resources: Resources,
    actors: bool,
    cpu_scale: float,
    cluster_cpus: int,
    cluster_gpus: float,
) -> OpArgs:
    """The operator of stage ``name``: its resources scaled by ``cpu_scale`` (see
    ``RayExecutor._fit_cpu_requests``), its pool sized by ``concurrency`` or, for actors by
    default, as many as the cluster's CPUs (GPUs, for a GPU stage) can hold, starting at one.
    An int ``concurrency`` n means "up to n actors": a pool that must start n actors at once
    can wait forever on a small machine whose other cores are busy reading."""
    r = resources
    cpus = r.num_cpus * cpu_scale
    pool: tuple[int, int] | int | None
    if actors:
        if r.concurrency is None:
            if r.num_gpus:
                most = int(cluster_gpus / r.num_gpus)
            else:
                most = int(cluster_cpus / max(cpus, 0.01))
            pool = (1, max(1, most))
        elif isinstance(r.concurrency, tuple):
            pool = r.concurrency
        else:
            pool = (1, r.concurrency)
    elif r.concurrency is not None:
        pool = r.concurrency[1] if isinstance(r.concurrency, tuple) else r.concurrency
    else:
        pool = None
    return OpArgs(name=name, actors=actors, pool=pool, num_cpus=cpus, num_gpus=r.num_gpus)

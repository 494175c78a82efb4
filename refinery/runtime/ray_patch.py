"""The opt-in patch of a private Ray Data class (``ray.fast_embedded_start``), kept apart.

The one place where Refinery touches Ray Data's internals: applied only when a run opts in,
on embedded Ray, and on the Ray versions in ``PATCH_TESTED_RAY``; anywhere else Ray Data is
left as it is (a second or two slower to use every core of a laptop).
"""

from __future__ import annotations

from typing import Any

__all__ = ["PATCH_TESTED_RAY", "give_ray_data_local_totals"]

#: The Ray versions whose private Ray Data class ``give_ray_data_local_totals`` was tested on.
PATCH_TESTED_RAY = ("2.60.",)
#: Whether this process runs embedded Ray (fixed resources, no autoscaler) with the opt-in.
_LOCAL_TOTALS: dict[str, bool] = {"embedded": False}


def give_ray_data_local_totals() -> None:
    """Let Ray Data read an embedded cluster's resources directly (``ray.fast_embedded_start``).

    Ray Data (2.5x) learns the resources an execution may use from its autoscaling
    coordinator, an actor that answers a second or two into every execution; until then its
    resource manager sees no CPU at all and runs a single task, so on a laptop the reader ran
    alone while every other core waited (1-2 s of each run). An embedded cluster is one node
    whose resources never change: its totals are ``ray.cluster_resources()``. On a cluster
    (``ray.address``) Ray Data's own answer stands, as it does when this Ray version has no
    such autoscaler (the patch then does nothing).
    """
    import ray

    if not ray.__version__.startswith(PATCH_TESTED_RAY):
        return  # a private class of another Ray version: leave Ray Data as it is
    _LOCAL_TOTALS["embedded"] = True
    try:
        from ray.data._internal.cluster_autoscaler import (
            rate_based_cluster_autoscaler as rate_based,
        )
        from ray.data._internal.execution.interfaces import ExecutionResources
    except ImportError:
        return
    cls: Any = getattr(rate_based, "RateBasedClusterAutoscaler", None)
    original = getattr(cls, "get_total_resources", None)
    if original is None or getattr(original, "_refinery_local", False):
        return

    def get_total_resources(self: Any) -> Any:
        if not _LOCAL_TOTALS["embedded"]:
            return original(self)
        import ray

        total = ray.cluster_resources()  # type: ignore[no-untyped-call]
        return ExecutionResources(
            cpu=total.get("CPU", 0.0),
            gpu=total.get("GPU", 0.0),
            object_store_memory=total.get("object_store_memory", 0.0),
            memory=total.get("memory", 0.0),
        )

    get_total_resources._refinery_local = True  # type: ignore[attr-defined]
    cls.get_total_resources = get_total_resources

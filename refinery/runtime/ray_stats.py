"""Counting on Ray: one stats actor per Ray job sums the records workers report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from refinery.runtime.counters import BatchRecord, Counters, StageTotals

__all__ = ["Collector", "report", "stats_actor"]


def _stats_actor_cls() -> Any:
    import ray

    @ray.remote(num_cpus=0)
    class StatsActor:
        """Sums the records of one run at a time; records of another run are ignored."""

        def __init__(self) -> None:
            self.run = ""
            self.counters = Counters([])

        def start(self, run: str, names: list[str]) -> None:
            self.run = run
            self.counters = Counters(names)

        def record(self, run: str, rec: BatchRecord) -> None:
            if run == self.run:
                self.counters.record(rec)

        def snapshot(self) -> list[StageTotals]:
            return self.counters.snapshot()

    return StatsActor


#: The stats actor of each Ray job (a new ``ray.init`` is a new job), started with the
#: workers: an actor is a worker process, seconds to start, and the first report waits for it.
_stats_actors: dict[str, Any] = {}


def stats_actor() -> Any:
    import ray

    job = ray.get_runtime_context().get_job_id()
    if job not in _stats_actors:
        _stats_actors[job] = _stats_actor_cls().remote()
    return _stats_actors[job]


@dataclass(frozen=True)
class Collector:
    """Where workers report their ``BatchRecord``s: the stats actor, for one run."""

    actor: Any
    run: str


def report(collector: Collector, rec: BatchRecord) -> None:
    import ray

    # Wait for the ack: a record must land before the task or actor that made it exits.
    ray.get(collector.actor.record.remote(collector.run, rec))

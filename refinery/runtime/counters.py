"""Per-stage counters: what went in, what came out, what was rejected and why.

A worker makes one ``BatchRecord`` per stage and chunk and hands it to the driver inside the
chunk's summary (its completion marker, ``refinery.runtime.chunks``); the driver sums them.
No per-batch round trip to anything: the counters travel with the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["BatchRecord", "Counters", "Counts", "StageTotals", "derived"]


@dataclass
class Counts:
    """What a stage saw and did: documents and text bytes in and out, rejects by reason."""

    docs_in: int = 0
    docs_out: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    #: Stage-specific sums (e.g. PII entities per type); never document content.
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def docs_rejected(self) -> int:
        return sum(self.rejected.values())

    def add_counts(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        self.docs_in += other.docs_in
        self.docs_out += other.docs_out
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.seconds += other.seconds
        for k, v in other.rejected.items():
            self.rejected[k] = self.rejected.get(k, 0) + v
        for k, v in other.counters.items():
            self.counters[k] = self.counters.get(k, 0) + v


@dataclass
class BatchRecord(Counts):
    """One stage's counts for one chunk."""

    stage: str = field(kw_only=True)


@dataclass
class StageTotals(Counts):
    """One stage's counts summed over the run."""

    name: str = field(kw_only=True)
    batches: int = 0

    def add(self, rec: BatchRecord) -> None:
        self.add_counts(rec)
        self.batches += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "docs_in": self.docs_in,
            "docs_out": self.docs_out,
            "docs_rejected": self.docs_rejected,
            "rejected": dict(sorted(self.rejected.items())),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 3),
            "counters": dict(sorted(self.counters.items())),
            "rates": derived(self.counters),
        }


def derived(counters: dict[str, int]) -> dict[str, float]:
    """Rates and means from a stage's summed counters, by two naming rules:

    - ``<p>_us`` is busy time in microseconds: each counter ``<p>_<what>`` gives
      ``<p>_<what>_per_s`` (``model_us`` and ``model_tokens`` give ``model_tokens_per_s``);
    - ``<p>_sum`` and ``<p>_samples`` give the mean ``<p>_mean`` (``gpu_util_pct_mean``).
    """
    out: dict[str, float] = {}
    for name, value in counters.items():
        if name.endswith("_us") and value > 0:
            prefix = name[: -len("_us")] + "_"
            for other, count in counters.items():
                if other.startswith(prefix) and other != name:
                    out[f"{other}_per_s"] = round(count / (value / 1e6), 3)
        elif name.endswith("_sum"):
            samples = counters.get(name[: -len("_sum")] + "_samples", 0)
            if samples > 0:
                out[name[: -len("_sum")] + "_mean"] = round(value / samples, 3)
    return dict(sorted(out.items()))


class Counters:
    """Sums of ``BatchRecord``s per stage, in plan order."""

    def __init__(self, stage_names: list[str]) -> None:
        self.order = list(stage_names)
        self.totals = {n: StageTotals(name=n) for n in stage_names}

    def record(self, rec: BatchRecord) -> None:
        if rec.stage not in self.totals:
            self.order.append(rec.stage)
            self.totals[rec.stage] = StageTotals(name=rec.stage)
        self.totals[rec.stage].add(rec)

    def snapshot(self) -> list[StageTotals]:
        return [self.totals[n] for n in self.order]

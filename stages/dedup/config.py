"""What the dedup stages share: their config (the text column, the Ray shuffle, the keeper rule)
and their base class (the columns read, one CPU per task)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from pydantic import Field

from refinery.stage import GlobalStage, Resources, StageConfig
from stages.dedup.keep import KeepRule

__all__ = ["DedupConfig", "DedupStage", "KeeperConfig"]


class DedupConfig(StageConfig):
    """What every dedup stage reads and how its Ray passes are sized."""

    text_column: str = Field("text", description="column holding the document text")
    num_partitions: int | None = Field(
        None, ge=1, description="Ray shuffle partitions (default: 2 per CPU, ~1M rows each)"
    )
    broadcast_max_rows: int = Field(
        5_000_000,
        ge=0,
        description="Ray: below this many rows to bring back to the corpus (decisions, "
        "removals), broadcast them instead of shuffling the corpus (0: always shuffle)",
    )
    block_rows: int = Field(
        8192,
        ge=1,
        description="Ray: rows per block of the first pass, which reads and keys them (minhash: "
        "and sketches them, ~0.5 s of work) in one task; the engine reads that many rows of "
        "checkpoints per task, fewer and larger blocks for the shuffles after it",
    )


class KeeperConfig(DedupConfig):
    """A dedup stage that keeps one document per cluster (``stages.dedup.keep``)."""

    keep: KeepRule = Field(
        "score",
        description="keeper rule: 'score' (score_column, then longest), 'longest', 'smallest_id'",
    )
    score_column: str | None = Field(
        None,
        description="quality column ranked first for keep='score' (higher kept; e.g. a "
        "classifier's `<name>_score`); unset: longest, then smallest id",
    )


D = TypeVar("D", bound=DedupConfig)


class DedupStage(GlobalStage[D]):
    """A dedup stage: reads ``id``, ``source`` and the text column, writes ``outputs``."""

    resources = Resources(num_cpus=1)
    #: The columns the stage adds (``writes()``).
    outputs: ClassVar[tuple[str, ...]] = ()

    def reads(self) -> list[str]:
        return ["id", "source", self.config.text_column]

    def input_block_rows(self) -> int | None:
        return self.config.block_rows

    def writes(self) -> list[str]:
        return list(self.outputs)

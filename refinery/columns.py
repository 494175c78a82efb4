"""Columns of a stage that runs more than once in a pipeline.

A stage names the columns it writes after itself (``length_filter_words``), so a second
instance of it (another ``name:``, other thresholds) would write the same columns again and
the batch would hold two columns of one name. The config loader gives such an instance its
own names: the stage-name prefix is replaced by the instance name
(``length_filter_words`` → ``length_filter_strict_words``), and a column without that prefix
gets the instance name in front (``lang`` → ``lid_zh_lang``). Only columns that an earlier
stage already wrote are renamed; a column the stage also reads is a rewrite (``text`` by
``normalize``), not a new column, and keeps its name.

``InstanceColumns`` runs the stage on its own column names: the earlier instance's columns
are moved aside for the call, the stage's new columns renamed after it. Global stages are
not wrapped; a second instance of one that writes columns is refused at validation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from refinery.errors import ConfigError
from refinery.stage import CORE_COLUMNS, GlobalStage, PiiCoverage, Stage

if TYPE_CHECKING:
    from refinery.config import StageSpec

__all__ = ["InstanceColumns", "instance_column", "rename_repeated_columns"]

_ASIDE = "__refinery_earlier__"


def instance_column(column: str, stage: str, instance: str) -> str:
    """The name an instance called ``instance`` of stage ``stage`` gives ``column``."""
    prefix = f"{stage}_"
    if column.startswith(prefix):
        return f"{instance}_{column[len(prefix) :]}"
    return f"{instance}_{column}"


def rename_repeated_columns(specs: list[StageSpec]) -> None:
    """Give a stage instance its own column names where an earlier stage wrote the same ones.

    A global stage is not renamed (it runs whole passes over the dataset on its own column
    names): a second instance of one that writes columns is refused, naming both entries.
    """
    writer: dict[str, int] = {c: -1 for c in CORE_COLUMNS}
    for i, spec in enumerate(specs):
        stage = spec.cls(spec.config)
        reads = set(stage.reads())
        # a column the stage reads, or a core column (`meta` redacted in place), is rewritten
        clashes = [
            c for c in stage.writes() if c in writer and c not in reads and c not in CORE_COLUMNS
        ]
        if clashes and issubclass(spec.cls, GlobalStage):
            first = writer[clashes[0]]
            raise ConfigError(
                f"{spec.name!r} ({spec.stage}) writes {clashes}, which stages.{first} "
                f"({specs[first].name!r}) already writes; a global stage runs once per pipeline",
                key=f"stages.{i}",
            )
        renames = {c: instance_column(c, spec.stage, spec.name) for c in clashes}
        for old, new in renames.items():
            if new in writer:
                where = "a source" if writer[new] < 0 else f"stages.{writer[new]}"
                raise ConfigError(
                    f"{spec.name!r} ({spec.stage}) would write {old!r} as {new!r}, which {where} "
                    "already writes; choose another `name:`",
                    key=f"stages.{i}",
                )
        spec.renames = renames
        for c in spec.build().writes():
            writer.setdefault(c, i)


class InstanceColumns(Stage[Any]):
    """``inner`` with the columns of ``renames`` (its name → this instance's name) renamed."""

    def __init__(self, inner: Stage[Any], renames: dict[str, str]) -> None:
        super().__init__(inner.config)
        self.inner = inner
        self.renames = dict(renames)

    def reads(self) -> list[str]:
        return self.inner.reads()

    def writes(self) -> list[str]:
        return [self.renames.get(c, c) for c in self.inner.writes()]

    def setup(self) -> None:
        self.inner.setup()

    def pii_coverage(self) -> PiiCoverage | None:
        return self.inner.pii_coverage()

    def __call__(self, batch: pa.Table) -> pa.Table:
        earlier = {c: f"{_ASIDE}{c}" for c in self.renames if c in batch.column_names}
        out = self.inner(_rename(batch, earlier))
        back = {aside: c for c, aside in earlier.items()}
        return _rename(out, {**self.renames, **back})

    def batch_counters(self, out: pa.Table) -> dict[str, int]:
        # the inner stage reads its counters from its own column names
        view = out.drop_columns([c for c in self.renames if c in out.column_names])
        own = {new: old for old, new in self.renames.items()}
        return self.inner.batch_counters(_rename(view, own))

    def __repr__(self) -> str:
        return f"{self.inner!r} with columns {self.renames}"


def _rename(table: pa.Table, names: dict[str, str]) -> pa.Table:
    if not any(c in names for c in table.column_names):
        return table
    return table.rename_columns([names.get(c, c) for c in table.column_names])

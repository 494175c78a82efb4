"""The stage protocol and the stage registry.

A stage is a class with a registered ``name``, a pydantic config model, declared
``resources``, the columns it ``reads()`` and ``writes()``, an optional ``setup()`` for heavy
state, and ``__call__(batch) -> batch``. Filters split ``__call__`` into ``annotate`` and
``reject_reasons``.

Rejection is *in-band*: a stage never drops rows. It returns every row it was given and sets
``reject_reason`` (a short snake_case code) on the rows it rejects. The runtime stamps
``reject_stage``, counts, hides rejected rows from later stages and routes them to
``rejects/`` at the end. That is what makes ``docs_in == docs_out + rejected`` checkable for
every stage: a stage that returns fewer rows than it was given breaks the accounting and the
run fails.

Global stages (dedup) see the whole dataset instead of one batch; see ``GlobalStage``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from refinery.errors import ConfigError

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = [
    "SnakeName",
    "CORE_COLUMNS",
    "REJECT_REASON",
    "REJECT_STAGE",
    "FilterStage",
    "GlobalStage",
    "PiiCoverage",
    "Resources",
    "Stage",
    "StageConfig",
    "get_stage",
    "register_stage",
    "registered_stages",
]

#: Columns every batch carries; they belong to the readers.
CORE_COLUMNS: tuple[str, ...] = ("id", "text", "source", "sensitivity", "meta")
#: Set by a stage on the rows it rejects (null = keep).
REJECT_REASON = "reject_reason"
#: Stamped by the runtime: the name of the stage that rejected the row.
REJECT_STAGE = "reject_stage"


class Resources(BaseModel):
    """What one instance of a stage needs; maps one-to-one onto ``Dataset.map_batches``.

    ``concurrency`` is the number of parallel tasks/actors: an int, or ``[min, max]`` for an
    autoscaling actor pool. ``batch_size`` is rows per call (``None``: whole blocks).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    num_cpus: float = Field(1.0, ge=0, description="CPUs reserved per task or actor")
    num_gpus: float = Field(0.0, ge=0, description="GPUs reserved per actor (fractions allowed)")
    concurrency: int | tuple[int, int] | None = Field(
        None, description="tasks/actors in parallel: n, or [min, max] for an actor pool"
    )
    batch_size: int | None = Field(None, ge=1, description="rows per call; required with GPUs")

    @model_validator(mode="after")
    def _check(self) -> Resources:
        if self.num_gpus > 0 and self.batch_size is None:
            raise ValueError("num_gpus > 0 needs an explicit batch_size (rows per GPU call)")
        if isinstance(self.concurrency, tuple):
            lo, hi = self.concurrency
            if not 1 <= lo <= hi:
                raise ValueError(f"concurrency [min, max] needs 1 <= min <= max, got {[lo, hi]}")
        elif self.concurrency is not None and self.concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {self.concurrency}")
        return self

    def merged(self, override: dict[str, Any] | None) -> Resources:
        """A copy with the keys of ``override`` (from YAML ``resources:``) replaced."""
        if not override:
            return self
        return Resources.model_validate({**self.model_dump(), **override})


@dataclass(frozen=True)
class PiiCoverage:
    """What a redacting stage covers, for the governance check of confidential sources.

    ``columns``: the columns it rewrites; ``types``: the entity types it looks for;
    ``expected``: the types a confidential source needs covered (the stage's defaults);
    ``waived``: types deliberately left out, each with the reason the config gives (recorded
    in stats.json).
    """

    columns: frozenset[str]
    types: frozenset[str]
    expected: frozenset[str]
    waived: Mapping[str, str] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """Expected types neither covered nor waived."""
        return sorted(self.expected - self.types - set(self.waived))


_SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def _snake_case(value: str) -> str:
    if not _SNAKE.fullmatch(value):
        raise ValueError(f"must be snake_case (a-z, 0-9, _), got {value!r}")
    return value


#: A name a stage builds column or file names from (``<classifier>_score``): snake_case.
SnakeName = Annotated[str, AfterValidator(_snake_case)]


class StageConfig(BaseModel):
    """Base of every stage config. Unknown keys are errors, so YAML typos fail at load."""

    model_config = ConfigDict(extra="forbid")


C = TypeVar("C", bound=StageConfig)


class Stage(Generic[C]):
    """A batch → batch step. Subclass, set ``name`` and ``config_cls``, implement ``__call__``.

    Contract (checked by tests/refinery/test_stage_contract.py for every registered stage):
    - return exactly the rows given, in any order, with every input column kept;
    - add exactly the columns of ``writes()`` (plus ``reject_reason`` for rejecting stages);
    - an empty batch returns at once, with the declared columns present.
    """

    name: ClassVar[str] = ""
    config_cls: ClassVar[type[StageConfig]] = StageConfig
    resources: ClassVar[Resources] = Resources()
    #: True for a stage that removes personal data; confidential sources must pass one.
    redacts_pii: ClassVar[bool] = False
    #: True: Ray runs the stage in a pool of actors, each calling ``setup()`` once and then
    #: taking chunk after chunk (a model loaded once, used many times; GPU stages). False:
    #: plain tasks, ``setup()`` (if any) once per worker process. Declared, never inferred.
    runs_as_actor: ClassVar[bool] = False
    #: What the stage cache keys its output by, with its config; change it when the output
    #: changes. None: a hash of the stage's module source (``refinery.experiments.stagecache``).
    code_version: ClassVar[str | None] = None

    def __init__(self, config: C | None = None, **kwargs: Any) -> None:
        if config is None:
            config = self.config_cls.model_validate(kwargs)  # type: ignore[assignment]
        elif kwargs:
            raise TypeError("pass either a config object or keyword arguments, not both")
        self.config: C = config  # type: ignore[assignment]

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        """A config that works with no external files: for the contract test and the docs.

        Stages whose config has required keys (a model path) override this, building what they
        need in a temporary directory if they must.
        """
        return {}

    def reads(self) -> list[str]:
        """Columns this stage needs in its input."""
        return ["text"]

    def writes(self) -> list[str]:
        """Columns this stage adds (or replaces, when also in ``reads()``)."""
        return []

    def setup(self) -> None:
        """Load heavy state (models): once per actor (``runs_as_actor``) or worker process."""

    def pii_coverage(self) -> PiiCoverage | None:
        """For a stage with ``redacts_pii``: the columns it redacts and the entity types it finds.

        Validation refuses a confidential source unless a redacting stage covers ``text`` and
        every type it ``expected`` (or waives it). None: covers nothing (not a redactor)."""
        return None

    def batch_counters(self, out: pa.Table) -> dict[str, int]:
        """Stage-specific sums for stats.json (``counters``), from this stage's output batch.

        Example: PII entities redacted per type. Counts only, never document content.
        """
        return {}

    @classmethod
    def needs_actor(cls) -> bool:
        """Whether the stage runs as an actor pool on Ray: its ``runs_as_actor``."""
        return cls.runs_as_actor

    def __call__(self, batch: pa.Table) -> pa.Table:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"


class FilterStage(Stage[C]):
    """A stage that rejects rows: ``annotate`` adds signal columns, ``reject_reasons`` decides.

    ``reject_reasons`` returns a string array aligned with the batch: a reason code for each
    rejected row, null for each kept one.
    """

    def annotate(self, batch: pa.Table) -> pa.Table:
        return batch

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        raise NotImplementedError(f"{type(self).__name__} must implement reject_reasons")

    def __call__(self, batch: pa.Table) -> pa.Table:
        annotated = self.annotate(batch)
        if annotated.num_rows == 0:
            reasons: pa.Array | pa.ChunkedArray = pa.array([], pa.string())
        else:
            reasons = self.reject_reasons(annotated)
        return set_reject_reasons(annotated, reasons)

    def split(self, batch: pa.Table) -> tuple[pa.Table, pa.Table]:
        """(kept, rejected) rows of ``batch``; for tests and notebooks, not used by the runtime."""
        out = self(batch)
        rejected = pc.is_valid(out[REJECT_REASON])
        return out.filter(pc.invert(rejected)).drop_columns([REJECT_REASON]), out.filter(rejected)


def set_reject_reasons(batch: pa.Table, reasons: pa.Array | pa.ChunkedArray) -> pa.Table:
    """Merge ``reasons`` into the batch's ``reject_reason`` column (an earlier reason wins)."""
    if len(reasons) != batch.num_rows:
        raise ValueError(f"reject_reasons returned {len(reasons)} values for {batch.num_rows} rows")
    reasons = reasons.cast(pa.string())
    if REJECT_REASON in batch.column_names:
        merged = pc.coalesce(batch[REJECT_REASON], reasons)
        return batch.set_column(batch.column_names.index(REJECT_REASON), REJECT_REASON, merged)
    return batch.append_column(REJECT_REASON, reasons)


class GlobalStage(Stage[C]):
    """A stage that needs the whole dataset at once (dedup): a barrier, not a map.

    Implement ``run_local`` (one in-memory table: tests, small runs) and ``run_ray`` (a Ray
    Dataset, for scale). Both return every row they were given, with ``reject_reason`` set on
    rejected rows, exactly like a batch stage; side outputs (clusters) go through ``ctx``.
    """

    def __call__(self, batch: pa.Table) -> pa.Table:
        return self.run_local(batch, None)

    def input_block_rows(self) -> int | None:
        """About how many rows each block of ``run_ray``'s input holds: the engine reads that
        many rows of checkpoints per task (``segments.group_checkpoints``). ``None``: a block
        per chunk. A first pass that takes whole blocks (``batch_size=None``) runs in the
        task that reads them."""
        return None

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        raise NotImplementedError(f"{type(self).__name__} must implement run_local")

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext) -> ray.data.Dataset:
        raise NotImplementedError(f"{type(self).__name__} must implement run_ray")


_REGISTRY: dict[str, type[Stage[Any]]] = {}

S = TypeVar("S", bound=type[Stage[Any]])


def register_stage(name: str) -> Callable[[S], S]:
    """Class decorator: make a stage available to configs under ``name``."""

    def wrap(cls: S) -> S:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ValueError(f"stage name {name!r} is already registered by {_REGISTRY[name]}")
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return wrap


def load_builtin_stages() -> None:
    """Import every module of the ``stages`` package so their ``@register_stage`` runs."""
    from refinery.plugins import import_all_modules

    import_all_modules("stages")


def registered_stages() -> dict[str, type[Stage[Any]]]:
    load_builtin_stages()
    return dict(sorted(_REGISTRY.items()))


def get_stage(name: str) -> type[Stage[Any]]:
    stages = registered_stages()
    if name not in stages:
        raise ConfigError(f"Unknown stage {name!r}. Choose from: {', '.join(stages)}.")
    return stages[name]

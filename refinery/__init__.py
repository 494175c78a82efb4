"""Refinery: a Ray-distributed pretraining-data refinery for Chinese and English text."""

from refinery.errors import (
    AccountingError,
    ConfigError,
    PlanError,
    RefineryError,
    SchemaError,
    SourceError,
    StageError,
)
from refinery.stage import (
    CORE_COLUMNS,
    REJECT_REASON,
    REJECT_STAGE,
    FilterStage,
    GlobalStage,
    Resources,
    Stage,
    StageConfig,
    register_stage,
)

__version__ = "0.1.0"

__all__ = [
    "CORE_COLUMNS",
    "REJECT_REASON",
    "REJECT_STAGE",
    "AccountingError",
    "ConfigError",
    "FilterStage",
    "GlobalStage",
    "PlanError",
    "RefineryError",
    "Resources",
    "SchemaError",
    "SourceError",
    "Stage",
    "StageConfig",
    "StageError",
    "register_stage",
]

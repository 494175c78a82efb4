"""Refinery's exceptions.

Every error the engine raises on purpose derives from ``RefineryError``::

    RefineryError
    ├── ConfigError          a config file, key or value is wrong; raised before anything runs
    │   └── PlanError        stages do not fit together (missing column, ungoverned confidential source)
    ├── SourceError          an input path is missing or cannot be read as the declared format
    ├── OutputError          the run directory cannot be written (a file in the way, no
    │                        permission, disk full) or holds an earlier run
    ├── SchemaError          a batch lacks a column it must have
    ├── StageError           a stage failed on a batch (wraps the original exception)
    └── AccountingError      docs in != docs out + docs rejected for a stage or for the run

Messages name the file, key, stage or column at fault. They never contain document text:
a confidential document must not leak through a traceback.
"""

from __future__ import annotations

__all__ = [
    "AccountingError",
    "ConfigError",
    "OutputError",
    "PlanError",
    "RefineryError",
    "SchemaError",
    "SourceError",
    "StageError",
]


class RefineryError(Exception):
    """Root of every error Refinery raises on purpose."""


class ConfigError(RefineryError):
    """A config is invalid. ``key`` is the dotted path of the offending key, when known."""

    def __init__(self, message: str, key: str | None = None) -> None:
        self.key = key
        super().__init__(f"{key}: {message}" if key else message)


class PlanError(ConfigError):
    """The configured stages cannot run in this order (columns, governance)."""


class SourceError(RefineryError):
    """An input cannot be found or opened."""


class OutputError(RefineryError):
    """The run directory cannot be written, or holds an earlier run that may not be replaced."""


class SchemaError(RefineryError):
    """A batch is missing a required column."""


class StageError(RefineryError):
    """A stage raised while processing a batch."""


class AccountingError(RefineryError):
    """The counters do not reconcile: some documents were lost without a recorded reason."""

"""Thresholds that differ for Chinese documents: the decision, its config base, a filter base.

A document is Chinese when Han characters make up at least ``chinese_min_han_ratio`` of its
letters (Han + Latin) and the config has ``chinese`` thresholds; ``chinese: null`` judges every
document by the published (English) thresholds, as datatrove does. A filter's ``annotate``
writes the decision as the boolean column ``<stage>_chinese`` (``mark_chinese``) and its
``reject_reasons`` reads it back (``chinese_mask``), so the two halves of a ``FilterStage``
agree without a second pair of hooks, and the shards show which thresholds judged each row.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import numpy as np
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from refinery.stage import FilterStage, StageConfig
from stages.textutil.arrays import set_column, text_array, to_numpy
from stages.textutil.scripts import han_ratio
from stages.textutil.tokens import CjkMode

__all__ = [
    "ChineseAwareConfig",
    "ChineseAwareFilter",
    "Thresholds",
    "chinese_mask",
    "per_profile",
]


class Thresholds(BaseModel):
    """Base of a family's threshold models: the config inherits the English values as its own
    fields, and a subclass with the Chinese values is the type of ``chinese``."""

    model_config = ConfigDict(extra="forbid")


T = TypeVar("T", bound=Thresholds)


class ChineseAwareConfig(StageConfig, Generic[T]):
    """The fields of every stage with Chinese thresholds: its text column, and how Chinese
    documents are told apart and judged. ``chinese`` defaults to the family's Chinese thresholds (``T()``);
    a partial override in YAML keeps the defaults of the fields it does not name."""

    text_column: str = "text"
    chinese: T | None = Field(
        default_factory=dict,  # validated into T(), the defaults (validate_default)
        validate_default=True,
        description="thresholds for Chinese documents; null applies the English ones to all",
    )
    chinese_min_han_ratio: float = Field(
        0.2, ge=0, le=1, description="Han share of letters from which a document is Chinese"
    )
    cjk_segmenter: CjkMode = Field(
        "char", description="how runs of Han characters become words (stages.textutil.words)"
    )


C = TypeVar("C", bound=ChineseAwareConfig[Any])


def chinese_mask(batch: pa.Table, config: ChineseAwareConfig[Any]) -> np.ndarray:
    """Per row: whether the document is judged by the Chinese thresholds."""
    if config.chinese is None or batch.num_rows == 0:
        return np.zeros(batch.num_rows, dtype=bool)
    ratios = han_ratio(text_array(batch, config.text_column))
    return np.asarray(ratios >= config.chinese_min_han_ratio)


class ChineseAwareFilter(FilterStage[C]):
    """A filter whose thresholds depend on whether a document is Chinese (module doc)."""

    @property
    def chinese_column(self) -> str:
        return f"{self.name}_chinese"

    def mark_chinese(self, batch: pa.Table) -> tuple[pa.Table, np.ndarray]:
        """For ``annotate``: the batch with the decision column, and the decision."""
        is_zh = chinese_mask(batch, self.config)
        return set_column(batch, self.chinese_column, pa.array(is_zh, pa.bool_())), is_zh

    def chinese_mask(self, batch: pa.Table) -> np.ndarray:
        """For ``reject_reasons``: the decision ``annotate`` wrote."""
        return np.asarray(to_numpy(batch[self.chinese_column]), dtype=bool)

    def threshold(self, is_zh: np.ndarray, field: str) -> np.ndarray:
        """Per row, the config's ``field``: its Chinese value on Chinese rows (``per_profile``)."""
        english = getattr(self.config, field)
        chinese = self.config.chinese
        return per_profile(is_zh, english, getattr(chinese, field) if chinese else english)


def per_profile(is_zh: np.ndarray, english: float | None, chinese: float | None) -> np.ndarray:
    """A per-row threshold: ``chinese`` where ``is_zh``, else ``english``; NaN = rule disabled.

    As in datatrove, a threshold of ``None`` or 0 disables its rule.
    """
    en = float(english) if english else np.nan
    zh = float(chinese) if chinese else np.nan
    return np.where(is_zh, zh, en)

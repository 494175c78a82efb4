"""The base of the heuristic filters: per-document choice of English or Chinese thresholds."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from refinery.stage import FilterStage, StageConfig, set_reject_reasons
from stages.heuristic import _text

__all__ = ["ChineseAwareFilter", "set_column", "text_array"]

C = TypeVar("C", bound=StageConfig)


def text_array(batch: pa.Table, column: str) -> pa.Array:
    """The text column as one array, nulls read as empty texts."""
    return pc.fill_null(batch[column].combine_chunks(), "")


def set_column(batch: pa.Table, name: str, values: pa.Array) -> pa.Table:
    """Replace column ``name`` if present, else append it."""
    if name in batch.column_names:
        return batch.set_column(batch.column_names.index(name), name, values)
    return batch.append_column(name, values)


class ChineseAwareFilter(FilterStage[C]):
    """A filter whose thresholds depend on whether a document is Chinese.

    A document is Chinese when Han characters make up at least ``chinese_min_han_ratio`` of
    its letters (Han + Latin) and the config has ``chinese`` thresholds; ``chinese: null``
    judges every document by the published (English) thresholds, as datatrove does. The
    decision is made once per batch and shared by ``annotate`` and ``reject_reasons``.
    """

    def is_chinese(self, batch: pa.Table) -> np.ndarray:
        cfg: Any = self.config
        if cfg.chinese is None or batch.num_rows == 0:
            return np.zeros(batch.num_rows, dtype=bool)
        ratios = _text.han_ratio(text_array(batch, cfg.text_column))
        return np.asarray(ratios >= cfg.chinese_min_han_ratio)

    def annotate_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Table:
        raise NotImplementedError

    def reasons_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Array:
        raise NotImplementedError

    def annotate(self, batch: pa.Table) -> pa.Table:
        return self.annotate_with(batch, self.is_chinese(batch))

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        return self.reasons_with(batch, self.is_chinese(batch))

    def __call__(self, batch: pa.Table) -> pa.Table:
        is_zh = self.is_chinese(batch)
        annotated = self.annotate_with(batch, is_zh)
        if annotated.num_rows == 0:
            return set_reject_reasons(annotated, pa.array([], pa.string()))
        return set_reject_reasons(annotated, self.reasons_with(annotated, is_zh))

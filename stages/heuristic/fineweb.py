"""FineWeb's quality rules (Penedo et al. 2024, "The FineWeb Datasets: Decanting the Web for the
Finest Text Data at Scale", https://arxiv.org/abs/2406.17557, section 3.3 "Additional
heuristic filters"), with the thresholds of datatrove
``pipeline/filters/fineweb_quality_filter.py``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import Resources, register_stage
from stages.heuristic.rules import below, exceeds, first_reason
from stages.textutil.arrays import ratio, set_column, text_array, to_numpy
from stages.textutil.chinese import ChineseAwareConfig, ChineseAwareFilter, Thresholds
from stages.textutil.punctuation import TERMINAL_PUNCTUATION
from stages.textutil.words import split_words_batch

__all__ = [
    "FineWebChineseThresholds",
    "FineWebQualityConfig",
    "FineWebQualityFilter",
    "FineWebThresholds",
]


class FineWebThresholds(Thresholds):
    """FineWeb's thresholds (the published values). Unlike Gopher's, 0 is a value, not "off"."""

    line_punct_thr: float = Field(
        0.12, description="fewest lines ending in terminal punctuation / non-blank lines"
    )
    short_line_thr: float = Field(0.67, description="most short lines / non-blank lines")
    short_line_length: int = Field(30, description="a line this long or shorter is short, chars")
    char_duplicates_ratio: float = Field(
        0.01, description="most characters in duplicate lines / characters (newlines excluded)"
    )
    new_line_ratio: float = Field(0.3, description="most newlines per word")


class FineWebChineseThresholds(FineWebThresholds):
    """FineWeb thresholds for Chinese documents (a Chinese line packs ~3x more per character)."""

    short_line_length: int = Field(12, description="a line this long or shorter is short, chars")
    new_line_ratio: float = Field(0.2, description="most newlines per word (Han character)")


class FineWebQualityConfig(ChineseAwareConfig[FineWebChineseThresholds], FineWebThresholds):
    """Top-level thresholds apply to non-Chinese documents (FineWeb's published values)."""

    line_punct_exclude_zero: bool = Field(
        False, description="do not reject documents where no line ends in punctuation"
    )


@register_stage("fineweb_quality")
class FineWebQualityFilter(ChineseAwareFilter[FineWebQualityConfig]):
    """Rejects documents that fail FineWeb's line-structure rules (Penedo et al. 2024).

    On the non-blank lines: ``fineweb_empty`` (none), ``fineweb_line_punct_ratio`` (fewer than
    12% end in terminal punctuation, any Unicode sentence terminal, full-width included),
    ``fineweb_short_line_ratio`` (more than 67% are at most 30 characters),
    ``fineweb_char_dup_ratio`` (more than 1% of the characters are in repeated lines) and
    ``fineweb_list_ratio`` (more than 0.3 newlines per word). Chinese documents use the
    thresholds under ``chinese:`` (shorter "short" lines).

    Writes ``fineweb_quality_line_punct_ratio``, ``fineweb_quality_short_line_ratio``,
    ``fineweb_quality_char_dup_ratio``, ``fineweb_quality_list_ratio`` and
    ``fineweb_quality_chinese``.
    Reference: datatrove ``pipeline/filters/fineweb_quality_filter.py``.
    """

    config_cls = FineWebQualityConfig
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    _COLUMNS = (
        "fineweb_quality_line_punct_ratio",
        "fineweb_quality_short_line_ratio",
        "fineweb_quality_char_dup_ratio",
        "fineweb_quality_list_ratio",
    )

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self.chinese_column, *self._COLUMNS]

    def annotate(self, batch: pa.Table) -> pa.Table:
        cfg = self.config
        batch, is_zh = self.mark_chinese(batch)
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        short_len = self.threshold(is_zh, "short_line_length")
        stop = tuple(TERMINAL_PUNCTUATION)
        stats = np.zeros((n, 5), dtype=np.float64)
        text_list = texts.to_pylist()
        for i, text in enumerate(text_list):
            lines = [line for line in text.split("\n") if line.strip()]
            if not lines:
                continue
            limit = short_len[i]
            stats[i] = (
                len(lines),
                sum(1 for line in lines if line.endswith(stop)),
                sum(1 for line in lines if len(line) <= limit),
                _duplicate_chars(lines),
                len(text) - text.count("\n"),
            )
        # datatrove divides by spaCy's tokens, punctuation included
        n_words = split_words_batch(texts, cfg.cjk_segmenter).counts
        newlines = to_numpy(pc.count_substring(texts, "\n")).astype(np.float64)
        columns = {
            "fineweb_quality_line_punct_ratio": ratio(stats[:, 1], stats[:, 0]),
            "fineweb_quality_short_line_ratio": ratio(stats[:, 2], stats[:, 0]),
            "fineweb_quality_char_dup_ratio": ratio(stats[:, 3], stats[:, 4]),
            "fineweb_quality_list_ratio": ratio(newlines, n_words.astype(np.float64)),
        }
        empty = stats[:, 0] == 0
        for name, values in columns.items():
            batch = set_column(batch, name, pa.array(values.astype(np.float32), mask=empty))
        return batch

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        cfg = self.config
        zh = cfg.chinese
        is_zh = self.chinese_mask(batch)

        def col(name: str) -> np.ndarray:
            return to_numpy(batch[f"fineweb_quality_{name}"].cast(pa.float64()).fill_null(0.0))

        def thr(field: str) -> np.ndarray:
            # FineWeb thresholds are plain floats: 0 is a real value, not "disabled"
            en = float(getattr(cfg, field))
            return np.where(is_zh, float(getattr(zh, field)) if zh else en, en)

        empty = to_numpy(batch["fineweb_quality_line_punct_ratio"].is_null()).astype(bool)
        punct = col("line_punct_ratio")
        low_punct = below(punct, thr("line_punct_thr"))
        if cfg.line_punct_exclude_zero:
            low_punct &= punct != 0
        checks = [
            (empty, "fineweb_empty"),
            (low_punct, "fineweb_line_punct_ratio"),
            (exceeds(col("short_line_ratio"), thr("short_line_thr")), "fineweb_short_line_ratio"),
            (
                exceeds(col("char_dup_ratio"), thr("char_duplicates_ratio")),
                "fineweb_char_dup_ratio",
            ),
            (exceeds(col("list_ratio"), thr("new_line_ratio")), "fineweb_list_ratio"),
        ]
        return first_reason(checks, batch.num_rows)


def _duplicate_chars(lines: list[str]) -> int:
    """Characters in every repeat of a line after its first occurrence (``find_duplicates``)."""
    return sum(map(len, lines)) - sum(map(len, set(lines)))

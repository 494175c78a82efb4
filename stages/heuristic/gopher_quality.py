"""Gopher's quality rules (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &
Insights from Training Gopher", https://arxiv.org/abs/2112.11446, appendix A.1.1), with the
thresholds and rule order of datatrove ``pipeline/filters/gopher_quality_filter.py``.

The stage works on a whole Arrow batch: words are split once per batch
(``stages.textutil.words``) and counted with numpy and Arrow kernels. Chinese documents are
judged with the thresholds under ``chinese:``; docs/quality_filters.md gives the measurements
behind those defaults.
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
from stages.textutil.lines import split_lines
from stages.textutil.words import BatchWords, load_segmenter, split_words_batch

__all__ = [
    "ChineseGopherQualityThresholds",
    "GopherQualityConfig",
    "GopherQualityFilter",
    "GopherQualityThresholds",
]

#: Gopher's English stop words (paper, A.1.1): a document must contain at least two of them.
ENGLISH_STOP_WORDS = ["the", "be", "to", "of", "and", "that", "have", "with"]
#: The eight commonest Chinese function words, the counterpart of the English list
#: (的 of, 是 be, 在 at, 和 and, 了 aspect particle, 有 have, 不 not, 这 this).
CHINESE_STOP_WORDS = ["的", "是", "在", "和", "了", "有", "不", "这"]


class GopherQualityThresholds(Thresholds):
    """Gopher's document rules; ``None`` or 0 disables a rule (as in datatrove)."""

    min_doc_words: int | None = Field(50, description="fewest words (symbol-only tokens excluded)")
    max_doc_words: int | None = Field(100_000, description="most words")
    min_avg_word_length: float | None = Field(3, description="shortest mean word length, chars")
    max_avg_word_length: float | None = Field(10, description="longest mean word length, chars")
    max_symbol_word_ratio: float | None = Field(
        0.1, description="most '#' (and, separately, ellipses) per word"
    )
    max_bullet_lines_ratio: float | None = Field(
        0.9, description="most lines starting with a bullet ('•' or '-')"
    )
    max_ellipsis_lines_ratio: float | None = Field(
        0.3, description="most lines ending with an ellipsis ('...' or '…')"
    )
    min_alpha_words_ratio: float | None = Field(
        0.8, description="fewest words holding at least one alphabetic character"
    )
    min_stop_words: int | None = Field(2, description="fewest distinct stop words present")
    stop_words: list[str] = Field(default_factory=lambda: list(ENGLISH_STOP_WORDS))


class ChineseGopherQualityThresholds(GopherQualityThresholds):
    """Gopher's rules for Chinese documents, words being Han characters (measured on the
    Chinese part of the benchmark corpus, docs/quality_filters.md). A partial override in YAML
    keeps these defaults for the fields it does not name."""

    min_doc_words: int | None = Field(80, description="fewest words: 50 English words ≈ 88 chars")
    max_doc_words: int | None = Field(175_000, description="most words")
    min_avg_word_length: float | None = Field(
        None, description="off: a Han character is a word of length 1"
    )
    max_avg_word_length: float | None = Field(None, description="off, as the minimum")
    min_alpha_words_ratio: float | None = Field(
        0.7, description="fewest words with a letter: each punctuation mark is a word"
    )
    stop_words: list[str] = Field(default_factory=lambda: list(CHINESE_STOP_WORDS))


class GopherQualityConfig(
    ChineseAwareConfig[ChineseGopherQualityThresholds], GopherQualityThresholds
):
    """Top-level thresholds apply to non-Chinese documents (Gopher's published values)."""


@register_stage("gopher_quality")
class GopherQualityFilter(ChineseAwareFilter[GopherQualityConfig]):
    """Rejects documents that fail Gopher's quality rules (Rae et al. 2021, A.1.1).

    Rules, in datatrove's order, with their reason codes:
    ``gopher_short_doc`` / ``gopher_long_doc`` (word count outside [50, 100000]),
    ``gopher_below_avg_threshold`` / ``gopher_above_avg_threshold`` (mean word length outside
    [3, 10]), ``gopher_too_many_hashes`` / ``gopher_too_many_ellipsis`` (symbol-to-word ratio
    > 0.1), ``gopher_too_many_bullets`` (> 90% of lines start with a bullet),
    ``gopher_too_many_end_ellipsis`` (> 30% of lines end with an ellipsis),
    ``gopher_below_alpha_threshold`` (< 80% of words hold a letter) and
    ``gopher_too_few_stop_words`` (fewer than 2 of the stop words; datatrove calls it
    ``gopher_enough_stop_words``).

    Writes ``gopher_quality_n_words``, ``_mean_word_length``, ``_hash_ratio``,
    ``_ellipsis_ratio``, ``_bullet_lines_ratio``, ``_end_ellipsis_lines_ratio``,
    ``_alpha_words_ratio``, ``_stop_words`` and ``_chinese`` (all prefixed ``gopher_quality``).
    Reference: datatrove ``pipeline/filters/gopher_quality_filter.py``.
    """

    config_cls = GopherQualityConfig
    runs_as_actor = True  # setup() loads a model/segmenter: once per actor
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    _COLUMNS: ClassVar[dict[str, pa.DataType]] = {
        "gopher_quality_n_words": pa.int32(),
        "gopher_quality_mean_word_length": pa.float32(),
        "gopher_quality_hash_ratio": pa.float32(),
        "gopher_quality_ellipsis_ratio": pa.float32(),
        "gopher_quality_bullet_lines_ratio": pa.float32(),
        "gopher_quality_end_ellipsis_lines_ratio": pa.float32(),
        "gopher_quality_alpha_words_ratio": pa.float32(),
        "gopher_quality_stop_words": pa.int32(),
    }

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self.chinese_column, *self._COLUMNS]

    def setup(self) -> None:
        if self.config.chinese is not None:
            load_segmenter(self.config.cjk_segmenter)

    def annotate(self, batch: pa.Table) -> pa.Table:
        cfg = self.config
        batch, is_zh = self.mark_chinese(batch)
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        # Gopher's ratios are over tokens (punctuation included), its counts over words
        words = split_words_batch(texts, cfg.cjk_segmenter)
        counts = words.counts
        doc_of = np.repeat(np.arange(n), counts)

        # token properties are computed once per distinct token of the process
        is_word = words.is_word()
        lengths = words.lengths().astype(np.float64)
        has_alpha = words.vocabulary.word_property("has_letter", _has_letter)[words.ids]
        n_words = counts.astype(np.float64)
        n_real = np.bincount(doc_of[is_word], minlength=n).astype(np.float64)
        len_real = np.bincount(doc_of[is_word], weights=lengths[is_word], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_len = np.where(n_real > 0, len_real / n_real, np.nan)
        alpha = ratio(np.bincount(doc_of[has_alpha], minlength=n).astype(np.float64), n_words)

        hashes = to_numpy(pc.count_substring(texts, "#")).astype(np.float64)
        ellipses = to_numpy(pc.count_substring(texts, "...")) + to_numpy(
            pc.count_substring(texts, "…")
        )
        lines, line_doc, n_lines = split_lines(texts)
        starts = pc.utf8_ltrim_whitespace(lines)
        ends = pc.utf8_rtrim_whitespace(lines)
        bullet = pc.or_(pc.starts_with(starts, "•"), pc.starts_with(starts, "-"))
        end_ellipsis = pc.or_(pc.ends_with(ends, "..."), pc.ends_with(ends, "…"))
        bullets = np.bincount(line_doc[to_numpy(bullet).astype(bool)], minlength=n)
        end_ell = np.bincount(line_doc[to_numpy(end_ellipsis).astype(bool)], minlength=n)

        stop_en = self._distinct_stop_words(words, doc_of, n, cfg.stop_words)
        zh_cfg = cfg.chinese
        stop_zh = (
            self._distinct_stop_words(words, doc_of, n, zh_cfg.stop_words) if zh_cfg else stop_en
        )
        stops = np.where(is_zh, stop_zh, stop_en)

        columns = {
            "gopher_quality_n_words": pa.array(n_real.astype(np.int32)),
            "gopher_quality_mean_word_length": pa.array(
                mean_len.astype(np.float32), mask=np.isnan(mean_len)
            ),
            "gopher_quality_hash_ratio": pa.array(ratio(hashes, n_words).astype(np.float32)),
            "gopher_quality_ellipsis_ratio": pa.array(
                ratio(ellipses.astype(np.float64), n_words).astype(np.float32)
            ),
            "gopher_quality_bullet_lines_ratio": pa.array(
                ratio(bullets.astype(np.float64), n_lines.astype(np.float64)).astype(np.float32)
            ),
            "gopher_quality_end_ellipsis_lines_ratio": pa.array(
                ratio(end_ell.astype(np.float64), n_lines.astype(np.float64)).astype(np.float32)
            ),
            "gopher_quality_alpha_words_ratio": pa.array(alpha.astype(np.float32)),
            "gopher_quality_stop_words": pa.array(stops.astype(np.int32)),
        }
        for name, values in columns.items():
            batch = set_column(batch, name, values.cast(self._COLUMNS[name]))
        return batch

    @staticmethod
    def _distinct_stop_words(
        words: BatchWords, doc_of: np.ndarray, n: int, stop_words: list[str]
    ) -> np.ndarray:
        """Distinct stop words per document (Gopher counts each stop word once)."""
        if not stop_words:
            return np.zeros(n, dtype=np.int64)
        value_set = pa.array(stop_words, pa.string())

        def stop_word_index(strings: pa.Array) -> np.ndarray:
            return to_numpy(pc.fill_null(pc.index_in(strings, value_set=value_set), -1))

        index = words.vocabulary.word_property(("stop_word", tuple(stop_words)), stop_word_index)
        per_word = index.astype(np.int64)[words.ids]
        hit = per_word >= 0
        pairs = np.unique(doc_of[hit] * len(stop_words) + per_word[hit])
        return np.bincount(pairs // len(stop_words), minlength=n)

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        is_zh = self.chinese_mask(batch)

        def col(name: str) -> np.ndarray:
            values = batch[f"gopher_quality_{name}"].cast(pa.float64())
            return to_numpy(pc.fill_null(values, np.nan))

        def thr(field: str) -> np.ndarray:
            return self.threshold(is_zh, field)

        n_words, mean_len = col("n_words"), col("mean_word_length")
        checks = [
            (below(n_words, thr("min_doc_words")), "gopher_short_doc"),
            (exceeds(n_words, thr("max_doc_words")), "gopher_long_doc"),
            (below(mean_len, thr("min_avg_word_length")), "gopher_below_avg_threshold"),
            (exceeds(mean_len, thr("max_avg_word_length")), "gopher_above_avg_threshold"),
            (exceeds(col("hash_ratio"), thr("max_symbol_word_ratio")), "gopher_too_many_hashes"),
            (
                exceeds(col("ellipsis_ratio"), thr("max_symbol_word_ratio")),
                "gopher_too_many_ellipsis",
            ),
            (
                exceeds(col("bullet_lines_ratio"), thr("max_bullet_lines_ratio")),
                "gopher_too_many_bullets",
            ),
            (
                exceeds(col("end_ellipsis_lines_ratio"), thr("max_ellipsis_lines_ratio")),
                "gopher_too_many_end_ellipsis",
            ),
            (
                below(col("alpha_words_ratio"), thr("min_alpha_words_ratio")),
                "gopher_below_alpha_threshold",
            ),
            (below(col("stop_words"), thr("min_stop_words")), "gopher_too_few_stop_words"),
        ]
        return first_reason(checks, batch.num_rows)


def _has_letter(words: pa.Array) -> np.ndarray:
    return to_numpy(pc.match_substring_regex(words, r"\pL")).astype(bool)

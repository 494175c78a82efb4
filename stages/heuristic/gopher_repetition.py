"""Gopher's repetition rules (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &
Insights from Training Gopher", https://arxiv.org/abs/2112.11446, table A1), with the
thresholds and rule order of datatrove ``pipeline/filters/gopher_repetition_filter.py``.

Lines and paragraphs are counted with Arrow kernels over the whole batch; n-grams are hashed
and counted with numpy (``stages.heuristic.ngrams``) instead of being joined into strings.
Chinese documents use character n-grams and the thresholds under ``chinese:``;
docs/quality_filters.md gives the measurements behind those defaults.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import Resources, register_stage
from stages.heuristic.ngrams import ngram_fractions
from stages.heuristic.rules import exceeds, first_reason
from stages.textutil.arrays import ratio, set_column, text_array, to_numpy
from stages.textutil.chinese import ChineseAwareConfig, ChineseAwareFilter, Thresholds, per_profile
from stages.textutil.words import split_words_batch

__all__ = [
    "ChineseGopherRepetitionThresholds",
    "GopherRepetitionConfig",
    "GopherRepetitionFilter",
    "GopherRepetitionThresholds",
]

#: The line and paragraph rules, in datatrove's order (column and reason code suffixes).
_BLOCK_RULES = ("dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac")


class GopherRepetitionThresholds(Thresholds):
    """Gopher's repetition rules (paper table A1); ``None`` or 0 disables a rule."""

    dup_line_frac: float | None = Field(0.3, description="most duplicate lines / lines")
    dup_para_frac: float | None = Field(0.3, description="most duplicate paragraphs / paragraphs")
    dup_line_char_frac: float | None = Field(
        0.2, description="most characters in duplicate lines / characters"
    )
    dup_para_char_frac: float | None = Field(
        0.2, description="most characters in duplicate paragraphs / characters"
    )
    top_n_grams: list[tuple[int, float]] = Field(
        default_factory=lambda: [(2, 0.2), (3, 0.18), (4, 0.16)],
        description="(n, most characters covered by the commonest n-gram / characters)",
    )
    dup_n_grams: list[tuple[int, float]] = Field(
        default_factory=lambda: [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)],
        description="(n, most characters in repeated n-grams / characters)",
    )


class ChineseGopherRepetitionThresholds(GopherRepetitionThresholds):
    """Gopher's repetition rules for Chinese documents, on character n-grams.

    A Chinese word is 1.76 characters on average (jieba, benchmark corpus), so Gopher's n
    words become about 1.76n characters. The commonest-n-gram fraction counts the spaces
    joining the n-gram's units (datatrove joins words with " "), which for single characters
    nearly doubles its length: those limits are scaled by (2n-1)/n. docs/quality_filters.md
    shows what they reject.
    """

    top_n_grams: list[tuple[int, float]] = Field(
        default_factory=lambda: [(4, 0.35), (5, 0.32), (7, 0.30)],
        description="(n characters, most characters covered by the commonest n-gram)",
    )
    dup_n_grams: list[tuple[int, float]] = Field(
        default_factory=lambda: [
            (9, 0.15),
            (11, 0.14),
            (12, 0.13),
            (14, 0.12),
            (16, 0.11),
            (18, 0.10),
        ],
        description="(n characters, most characters in repeated n-grams)",
    )


class GopherRepetitionConfig(
    ChineseAwareConfig[ChineseGopherRepetitionThresholds], GopherRepetitionThresholds
):
    """Top-level thresholds apply to non-Chinese documents (Gopher's published values)."""

    seed: int = Field(0, description="seed of the per-word hash values rolled into n-gram hashes")


@register_stage("gopher_repetition")
class GopherRepetitionFilter(ChineseAwareFilter[GopherRepetitionConfig]):
    """Rejects documents with too much repeated content (Rae et al. 2021, table A1).

    Checks, in datatrove's order: duplicate paragraphs (``gopher_dup_para_frac``,
    ``gopher_dup_para_char_frac``), duplicate lines (``gopher_dup_line_frac``,
    ``gopher_dup_line_char_frac``), the characters covered by the commonest 2/3/4-gram
    (``gopher_top_{n}_gram``) and by repeated 5- to 10-grams (``gopher_duplicated_{n}_n_grams``);
    empty documents are rejected as ``gopher_empty``. Fractions of characters are over the
    whole text, as in datatrove.

    Writes ``gopher_repetition_dup_para_frac``, ``_dup_para_char_frac``, ``_dup_line_frac``,
    ``_dup_line_char_frac``, ``_top_{n}_gram_frac`` and ``_dup_{n}_gram_frac`` for every
    configured n (all prefixed ``gopher_repetition``), and ``gopher_repetition_chinese`` (which
    thresholds judged the row).

    N-grams are hashed, not joined (``stages.heuristic.ngrams``). The repeated-n-gram count
    follows datatrove ``find_all_duplicate``: scanning left to right, a repeat adds its
    characters and skips the next n-1 positions, which are then not remembered.

    Chinese documents use character n-grams. There an n-gram seen only once is not taken as
    the "commonest" one: datatrove counts it (its length over the text's), which in short
    Chinese texts, where joining characters with spaces nearly doubles an n-gram's length,
    rejected one-line proverbs for "repetition".
    Reference: datatrove ``pipeline/filters/gopher_repetition_filter.py``.
    """

    config_cls = GopherRepetitionConfig
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        ngrams = self._ngram_limits(np.zeros(0, dtype=bool))
        return [
            self.chinese_column,
            *(f"gopher_repetition_{name}" for name in _BLOCK_RULES),
            *(f"gopher_repetition_{kind}_{n}_gram_frac" for kind, n in ngrams),
        ]

    def annotate(self, batch: pa.Table) -> pa.Table:
        cfg = self.config
        batch, is_zh = self.mark_chinese(batch)
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        chars = to_numpy(pc.utf8_length(texts)).astype(np.float64)

        # paragraphs: count, duplicates, duplicate chars; then the same for lines
        blocks = np.zeros((n, 6), dtype=np.float64)
        blocks[:, :3] = _duplicates(
            pc.split_pattern_regex(pc.utf8_trim_whitespace(texts), r"\n{2,}"), n
        )
        blocks[:, 3:] = _duplicates(pc.split_pattern_regex(texts, r"\n+"), n)
        blocks[chars == 0] = 0
        columns: dict[str, np.ndarray] = {
            "gopher_repetition_dup_para_frac": ratio(blocks[:, 1], blocks[:, 0]),
            "gopher_repetition_dup_para_char_frac": ratio(blocks[:, 2], chars),
            "gopher_repetition_dup_line_frac": ratio(blocks[:, 4], blocks[:, 3]),
            "gopher_repetition_dup_line_char_frac": ratio(blocks[:, 5], chars),
        }

        # as datatrove, stop at the first failing rule: the n-gram signals of a document
        # rejected by an earlier rule are not computed (null), which spares the most
        # repetitive documents, the costliest to count
        alive = chars > 0
        for name in _BLOCK_RULES:
            alive &= ~exceeds(columns[f"gopher_repetition_{name}"], self.threshold(is_zh, name))
        # only the documents still alive are split into words and counted
        live = np.flatnonzero(alive)
        words = split_words_batch(texts.take(pa.array(live)), cfg.cjk_segmenter)
        fracs = ngram_fractions(
            words,
            chars[live],
            {key: limit[live] for key, limit in self._ngram_limits(is_zh).items()},
            count_single=~is_zh[live],
            seed=cfg.seed,
        )
        for (kind, ngram), values in fracs.items():
            column = np.full(n, np.nan)
            column[live] = values
            columns[f"gopher_repetition_{kind}_{ngram}_gram_frac"] = column
        for name, values in columns.items():
            batch = set_column(
                batch, name, pa.array(values.astype(np.float32), mask=np.isnan(values))
            )
        return batch

    def _ngram_limits(self, is_zh: np.ndarray) -> dict[tuple[str, int], np.ndarray]:
        """Per ``("top" | "dup", n)``: each row's limit (NaN: none), for every configured n."""
        cfg = self.config
        zh = cfg.chinese or cfg
        limits = {}
        for kind, attr in (("top", "top_n_grams"), ("dup", "dup_n_grams")):
            en_limits, zh_limits = dict(getattr(cfg, attr)), dict(getattr(zh, attr))
            for ngram in sorted(set(en_limits) | set(zh_limits)):
                limits[(kind, ngram)] = per_profile(
                    is_zh, en_limits.get(ngram), zh_limits.get(ngram)
                )
        return limits

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        is_zh = self.chinese_mask(batch)
        texts = text_array(batch, self.config.text_column)

        def col(name: str) -> np.ndarray:
            return to_numpy(batch[f"gopher_repetition_{name}"]).astype(np.float64)

        empty = to_numpy(pc.equal(pc.utf8_length(texts), 0)).astype(bool)
        checks = [(empty, "gopher_empty")]
        for name in _BLOCK_RULES:
            checks.append((exceeds(col(name), self.threshold(is_zh, name)), f"gopher_{name}"))
        codes = {"top": "gopher_top_{n}_gram", "dup": "gopher_duplicated_{n}_n_grams"}
        for (kind, ngram), limit in self._ngram_limits(is_zh).items():
            fraction = col(f"{kind}_{ngram}_gram_frac")
            checks.append((exceeds(fraction, limit), codes[kind].format(n=ngram)))
        return first_reason(checks, batch.num_rows)


def _duplicates(pieces: pa.ListArray, n: int) -> np.ndarray:
    """Per text, (parts, repeated parts, characters in repeated parts) as columns: datatrove
    ``find_duplicates``, which counts every occurrence of a part after its first."""
    flat = pc.list_flatten(pieces)
    parents = to_numpy(pc.list_parent_indices(pieces)).astype(np.int64)
    lengths = to_numpy(pc.utf8_length(flat)).astype(np.float64)
    encoded = pc.dictionary_encode(flat)
    ids = to_numpy(encoded.indices).astype(np.int64)
    _, first = np.unique(parents * max(len(encoded.dictionary), 1) + ids, return_index=True)
    out = np.zeros((n, 3), dtype=np.float64)
    out[:, 0] = np.bincount(parents, minlength=n)
    out[:, 1] = out[:, 0] - np.bincount(parents[first], minlength=n)
    out[:, 2] = np.bincount(parents, weights=lengths, minlength=n) - np.bincount(
        parents[first], weights=lengths[first], minlength=n
    )
    return out

"""Gopher quality and repetition filters (Rae et al. 2021, "Scaling Language Models: Methods,
Analysis & Insights from Training Gopher", https://arxiv.org/abs/2112.11446, appendix A.1.1
and table A1), with the thresholds and rule order of datatrove
``pipeline/filters/gopher_quality_filter.py`` and ``gopher_repetition_filter.py``.

Both stages work on a whole Arrow batch: words are split once per batch (``_text``), counted
with Arrow kernels, and n-grams are hashed with numpy (64-bit rolling hashes of per-word hash
values) instead of being joined into Python strings.

Chinese documents (Han characters at least ``chinese_min_han_ratio`` of the letters) are
split into words by a real segmenter or into characters and judged with the thresholds under
``chinese:``; docs/quality_filters.md gives the measurements behind those defaults.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from refinery.stage import Resources, StageConfig, register_stage
from stages.dedup.hashing import fmix64, hash_strings64
from stages.heuristic import _text
from stages.heuristic._base import ChineseAwareFilter, set_column, text_array
from stages.heuristic._text import below, exceeds, per_profile, ratio, to_numpy

__all__ = [
    "ChineseGopherQualityThresholds",
    "ChineseGopherRepetitionThresholds",
    "GopherQualityConfig",
    "GopherQualityFilter",
    "GopherQualityThresholds",
    "GopherRepetitionConfig",
    "GopherRepetitionFilter",
    "GopherRepetitionThresholds",
]

#: Gopher's English stop words (paper, A.1.1): a document must contain at least two of them.
ENGLISH_STOP_WORDS = ["the", "be", "to", "of", "and", "that", "have", "with"]
#: The eight commonest Chinese function words, the counterpart of the English list
#: (的 of, 是 be, 在 at, 和 and, 了 aspect particle, 有 have, 不 not, 这 this).
CHINESE_STOP_WORDS = ["的", "是", "在", "和", "了", "有", "不", "这"]


class _Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GopherQualityThresholds(_Thresholds):
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


class GopherQualityConfig(StageConfig, GopherQualityThresholds):
    """Top-level thresholds apply to non-Chinese documents (Gopher's published values)."""

    text_column: str = "text"
    chinese: ChineseGopherQualityThresholds | None = Field(
        default_factory=ChineseGopherQualityThresholds,
        description="thresholds for Chinese documents; null applies the English ones to all",
    )
    chinese_min_han_ratio: float = Field(
        0.2, ge=0, le=1, description="Han share of letters from which a document is Chinese"
    )
    cjk_segmenter: Literal["jieba", "char"] = Field(
        "char", description="how runs of Han characters become words"
    )


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
    ``_alpha_words_ratio`` and ``_stop_words`` (all prefixed ``gopher_quality``).
    Reference: datatrove ``pipeline/filters/gopher_quality_filter.py``.
    """

    config_cls = GopherQualityConfig
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
        return list(self._COLUMNS)

    def setup(self) -> None:
        if self.config.chinese is not None:
            _text.load_segmenter(self.config.cjk_segmenter)

    def annotate_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Table:
        cfg = self.config
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        words = _text.split_words_batch(texts, cfg.cjk_segmenter)
        counts = words.counts
        doc_of = np.repeat(np.arange(n), counts)

        # word properties are computed once per distinct word of the process
        vocabulary = words.vocabulary
        is_symbol = vocabulary.word_property("is_symbol", _is_symbol)[words.ids]
        lengths = words.lengths().astype(np.float64)
        has_alpha = vocabulary.word_property("has_letter", _has_letter)[words.ids]
        n_words = counts.astype(np.float64)
        n_real = np.bincount(doc_of[~is_symbol], minlength=n).astype(np.float64)
        len_real = np.bincount(doc_of[~is_symbol], weights=lengths[~is_symbol], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_len = np.where(n_real > 0, len_real / n_real, np.nan)
        alpha = ratio(np.bincount(doc_of[has_alpha], minlength=n).astype(np.float64), n_words)

        hashes = to_numpy(pc.count_substring(texts, "#")).astype(np.float64)
        ellipses = to_numpy(pc.count_substring(texts, "...")) + to_numpy(
            pc.count_substring(texts, "…")
        )
        lines, line_doc, n_lines = _text.lines_for_gopher(texts)
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
        words: _text.BatchWords, doc_of: np.ndarray, n: int, stop_words: list[str]
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

    def reasons_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Array:
        cfg = self.config
        zh = cfg.chinese or cfg

        def col(name: str) -> np.ndarray:
            values = batch[f"gopher_quality_{name}"].cast(pa.float64())
            return to_numpy(pc.fill_null(values, np.nan))

        def thr(field: str) -> np.ndarray:
            return per_profile(is_zh, getattr(cfg, field), getattr(zh, field))

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
        return _text.first_reason(checks, batch.num_rows)


_SYMBOL_CLASS = _text.re2_class(_text.SYMBOL_CHARS)


def _is_symbol(words: pa.Array) -> np.ndarray:
    """A word is a symbol when it has no other character; searching for one stops at the
    first character of almost every word."""
    return ~to_numpy(pc.match_substring_regex(words, f"[^{_SYMBOL_CLASS}]")).astype(bool)


def _has_letter(words: pa.Array) -> np.ndarray:
    return to_numpy(pc.match_substring_regex(words, r"\pL")).astype(bool)


# ----------------------------------------------------------------------------- repetition


class GopherRepetitionThresholds(_Thresholds):
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


class GopherRepetitionConfig(StageConfig, GopherRepetitionThresholds):
    """Top-level thresholds apply to non-Chinese documents (Gopher's published values)."""

    text_column: str = "text"
    chinese: ChineseGopherRepetitionThresholds | None = Field(
        default_factory=ChineseGopherRepetitionThresholds,
        description="thresholds for Chinese documents; null applies the English ones to all",
    )
    chinese_min_han_ratio: float = Field(
        0.2, ge=0, le=1, description="Han share of letters from which a document is Chinese"
    )
    cjk_segmenter: Literal["jieba", "char"] = Field(
        "char", description="how runs of Han characters become n-gram units"
    )
    seed: int = Field(0, description="seed of the per-word hash values rolled into n-gram hashes")


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_DOC_SALT = np.uint64(0xD6E8FEB86659FD93)
_SEED_SALT = np.uint64(0x2545F4914F6CDD1D)


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
    configured n (all prefixed ``gopher_repetition``).

    N-grams are hashed, not joined: each distinct word gets a 64-bit value (a hash of the word
    and ``seed``) and an n-gram the rolling hash of its words' values. The repeated-n-gram count follows
    datatrove ``find_all_duplicate``: scanning left to right, a repeat adds its characters and
    skips the next n-1 positions, which are then not remembered.

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

    def _ns(self) -> tuple[list[int], list[int]]:
        cfgs = [self.config] + ([self.config.chinese] if self.config.chinese else [])
        top = sorted({n for c in cfgs for n, _ in c.top_n_grams})
        dup = sorted({n for c in cfgs for n, _ in c.dup_n_grams})
        return top, dup

    def writes(self) -> list[str]:
        top, dup = self._ns()
        return [
            "gopher_repetition_dup_para_frac",
            "gopher_repetition_dup_para_char_frac",
            "gopher_repetition_dup_line_frac",
            "gopher_repetition_dup_line_char_frac",
            *(f"gopher_repetition_top_{n}_gram_frac" for n in top),
            *(f"gopher_repetition_dup_{n}_gram_frac" for n in dup),
        ]

    def annotate_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Table:
        cfg = self.config
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        chars = to_numpy(pc.utf8_length(texts)).astype(np.float64)

        # paragraphs: count, duplicates, duplicate chars; then the same for lines
        blocks = np.zeros((n, 6), dtype=np.float64)
        blocks[:, :3] = _duplicates(
            pc.split_pattern_regex(pc.utf8_trim_whitespace(texts), _PARAGRAPHS), n
        )
        blocks[:, 3:] = _duplicates(pc.split_pattern_regex(texts, _LINES), n)
        blocks[chars == 0] = 0
        columns: dict[str, np.ndarray] = {
            "gopher_repetition_dup_para_frac": ratio(blocks[:, 1], blocks[:, 0]),
            "gopher_repetition_dup_para_char_frac": ratio(blocks[:, 2], chars),
            "gopher_repetition_dup_line_frac": ratio(blocks[:, 4], blocks[:, 3]),
            "gopher_repetition_dup_line_char_frac": ratio(blocks[:, 5], chars),
        }

        zh = cfg.chinese or cfg
        # as datatrove, stop at the first failing rule: the n-gram signals of a document
        # rejected by an earlier rule are not computed (null), which spares the most
        # repetitive documents, the costliest to count
        alive = chars > 0
        for name in ("dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac"):
            limit = per_profile(is_zh, getattr(cfg, name), getattr(zh, name))
            alive &= ~exceeds(columns[f"gopher_repetition_{name}"], limit)
        top_ns, dup_ns = self._ns()
        limits = {
            (kind, ngram): per_profile(
                is_zh, dict(getattr(cfg, attr)).get(ngram), dict(getattr(zh, attr)).get(ngram)
            )
            for kind, attr, ns in (("top", "top_n_grams", top_ns), ("dup", "dup_n_grams", dup_ns))
            for ngram in ns
        }
        # only the documents still alive are split into words and counted
        live = np.flatnonzero(alive)
        words = _text.split_words_batch(texts.take(pa.array(live)), cfg.cjk_segmenter)
        fracs = _ngram_repetition(
            words,
            top_ns,
            dup_ns,
            cfg.seed,
            ~is_zh[live],
            chars[live],
            {key: limit[live] for key, limit in limits.items()},
            np.ones(live.size, dtype=bool),
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

    def reasons_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Array:
        cfg = self.config
        zh = cfg.chinese or cfg
        texts = text_array(batch, cfg.text_column)

        def col(name: str) -> np.ndarray:
            return to_numpy(batch[f"gopher_repetition_{name}"]).astype(np.float64)

        def thr(field: str) -> np.ndarray:
            return per_profile(is_zh, getattr(cfg, field), getattr(zh, field))

        empty = to_numpy(pc.equal(pc.utf8_length(texts), 0)).astype(bool)
        checks = [
            (empty, "gopher_empty"),
            (exceeds(col("dup_para_frac"), thr("dup_para_frac")), "gopher_dup_para_frac"),
            (
                exceeds(col("dup_para_char_frac"), thr("dup_para_char_frac")),
                "gopher_dup_para_char_frac",
            ),
            (exceeds(col("dup_line_frac"), thr("dup_line_frac")), "gopher_dup_line_frac"),
            (
                exceeds(col("dup_line_char_frac"), thr("dup_line_char_frac")),
                "gopher_dup_line_char_frac",
            ),
        ]
        for kind, attr, code in (
            ("top_{n}_gram_frac", "top_n_grams", "gopher_top_{n}_gram"),
            ("dup_{n}_gram_frac", "dup_n_grams", "gopher_duplicated_{n}_n_grams"),
        ):
            en_limits = dict(getattr(cfg, attr))
            zh_limits = dict(getattr(zh, attr))
            for ngram in sorted(set(en_limits) | set(zh_limits)):
                limit = per_profile(is_zh, en_limits.get(ngram), zh_limits.get(ngram))
                checks.append((exceeds(col(kind.format(n=ngram)), limit), code.format(n=ngram)))
        return _text.first_reason(checks, batch.num_rows)


_PARAGRAPHS = r"\n{2,}"
_LINES = r"\n+"


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


def _ngram_repetition(
    words: _text.BatchWords,
    top_ns: list[int],
    dup_ns: list[int],
    seed: int,
    count_single: np.ndarray,
    chars: np.ndarray,
    limits: dict[tuple[str, int], np.ndarray],
    alive: np.ndarray,
) -> dict[tuple[str, int], np.ndarray]:
    """Per document and n: the fraction of characters covered by the commonest n-gram
    (``("top", n)``) and in repeated n-grams (``("dup", n)``).

    ``top``: (characters of the n-gram joined with spaces) x (its count), for the n-gram
    with the highest count, the earliest one on ties (``Counter.most_common(1)``). Where
    ``count_single`` is false, an n-gram seen once does not count (see the class doc).
    ``dup``: datatrove ``find_all_duplicate``; characters of the n-gram joined without spaces.
    n grows, and a document whose fraction exceeds its limit (``limits``, NaN: none) is not
    counted for larger n: its later fractions are NaN, as are all of those of documents not
    ``alive`` on entry.
    """
    counts = words.counts
    n_docs = len(counts)
    alive = alive.copy()
    top = {ngram: np.zeros(n_docs) for ngram in top_ns}
    dup = {ngram: np.zeros(n_docs) for ngram in dup_ns}
    total = int(counts.sum())
    seed_mix = fmix64(np.array([seed], dtype=np.uint64) + _SEED_SALT)

    def word_values(strings: pa.Array) -> np.ndarray:
        return fmix64(hash_strings64(strings) ^ seed_mix)

    values = words.vocabulary.word_property(("ngram_value", seed), word_values)[words.ids]
    lengths = words.lengths()
    cum = np.concatenate([[0], np.cumsum(lengths)])
    doc_of = np.repeat(np.arange(n_docs), counts)
    doc_end = np.cumsum(counts)[doc_of]
    salt = doc_of.astype(np.uint64) * _DOC_SALT

    doc_start = np.cumsum(counts) - counts
    hashes = values.copy()
    # An n-gram can only repeat where the (n-1)-gram at the same position repeats, so each
    # step groups only the previous step's repeated positions (most positions drop out early).
    candidates = np.arange(total)
    out: dict[tuple[str, int], np.ndarray] = {}
    for ngram in range(2, max([*top_ns, *dup_ns, 1]) + 1):
        size = total - ngram + 1
        if size > 0:
            hashes = hashes[:size] * _MULTIPLIER + values[ngram - 1 :]
        if candidates.size:
            in_doc = candidates + ngram <= doc_end[candidates]
            candidates = candidates[in_doc & alive[doc_of[candidates]]]
        if ngram in top:
            # without repeats the commonest n-gram is the first one, counted once
            long_enough = np.flatnonzero((counts >= ngram) & count_single & alive)
            first = doc_start[long_enough]
            top[ngram][long_enough] = cum[first + ngram] - cum[first] + ngram - 1
        if candidates.size:
            keys = hashes[candidates] ^ salt[candidates]
            groups = _group_ids(keys)
            group_counts = np.bincount(groups)
            repeated = group_counts[groups] > 1
            if ngram in top and repeated.any():
                _top_repeated(top[ngram], candidates, groups, group_counts, ngram, cum, doc_of)
            if ngram in dup and repeated.any():
                dup[ngram] = _greedy_repeats(
                    candidates[repeated].tolist(),
                    groups[repeated].tolist(),
                    ngram,
                    cum,
                    doc_of,
                    n_docs,
                )
            candidates = candidates[repeated]
        for kind, table in (("top", top), ("dup", dup)):
            if ngram in table:
                frac = ratio(table[ngram], chars)
                frac[~alive] = np.nan
                out[(kind, ngram)] = frac
                alive &= ~exceeds(frac, limits[(kind, ngram)])
    return out


def _group_ids(keys: np.ndarray) -> np.ndarray:
    """Ids of equal keys, numbered in order of first appearance (a hash table, no sort)."""
    try:
        import pandas as pd  # Ray Data's dependency; its factorize is about twice Arrow's speed
    except ImportError:
        return to_numpy(pc.dictionary_encode(pa.array(keys)).indices).astype(np.int64)
    return np.asarray(pd.factorize(keys)[0], dtype=np.int64)


def _top_repeated(
    out: np.ndarray,
    positions: np.ndarray,
    groups: np.ndarray,
    group_counts: np.ndarray,
    ngram: int,
    cum: np.ndarray,
    doc_of: np.ndarray,
) -> None:
    """Set ``out[doc]`` for documents with a repeated n-gram: the commonest one, earliest on ties.

    Group ids follow first appearance (positions are sorted), so a group's first occurrence is
    where the running maximum of the ids grows, and groups come in document order.
    """
    running = np.maximum.accumulate(groups)
    is_first = np.ones(len(groups), dtype=bool)
    is_first[1:] = running[1:] > running[:-1]
    first_pos = positions[is_first]
    keep = group_counts > 1
    first_pos = first_pos[keep]
    counts = group_counts[keep]
    group_doc = doc_of[first_pos]
    starts = np.flatnonzero(np.r_[True, group_doc[1:] != group_doc[:-1]])
    best = np.maximum.reduceat(counts, starts)
    is_best = counts == np.repeat(best, np.diff(np.r_[starts, len(group_doc)]))
    order = np.arange(len(counts))
    pick = np.minimum.reduceat(np.where(is_best, order, len(order)), starts)
    span = cum[first_pos[pick] + ngram] - cum[first_pos[pick]] + ngram - 1
    out[group_doc[starts]] = span * best


def _greedy_repeats(
    positions: list[int],
    groups: list[int],
    ngram: int,
    cum: np.ndarray,
    doc_of: np.ndarray,
    n_docs: int,
) -> np.ndarray:
    """datatrove ``find_all_duplicate`` over the positions whose n-gram occurs twice or more.

    Positions whose n-gram is unique never change the outcome: they are never a repeat and
    their n-gram is never looked up. Group ids are per document, so one pass serves the batch.
    """
    out = np.zeros(n_docs)
    hits: list[int] = []
    seen: set[int] = set()
    skip_until = -1
    for pos, group in zip(positions, groups, strict=True):
        if pos < skip_until:
            continue
        if group in seen:
            hits.append(pos)
            skip_until = pos + ngram
        else:
            seen.add(group)
    if hits:
        at = np.asarray(hits, dtype=np.int64)
        np.add.at(out, doc_of[at], cum[at + ngram] - cum[at])
    return out

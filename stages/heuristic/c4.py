"""C4's line cleaning and page rules (Raffel et al. 2020, "Exploring the Limits of Transfer
Learning with a Unified Text-to-Text Transformer", https://jmlr.org/papers/v21/20-074.html,
section 2.2), following datatrove ``pipeline/filters/c4_filters.py`` (``C4QualityFilter``),
itself after TensorFlow Datasets ``text/c4_utils.py``.

The stage rewrites ``text``: kept documents keep only their kept lines; rejected documents keep
their original text, so the reject sink shows what was judged. All lines of a batch are judged
at once with Arrow kernels; the rare lines that need words (a line longer than
``max_word_length``, the lines of Chinese pages) are tokenized with ``stages.textutil.words``.
"""

from __future__ import annotations

import re
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import Resources, Stage, register_stage, set_reject_reasons
from stages.textutil.arrays import set_column, text_array, to_numpy
from stages.textutil.chinese import ChineseAwareConfig, Thresholds, chinese_mask
from stages.textutil.lines import split_lines
from stages.textutil.punctuation import TERMINAL_PUNCTUATION, re2_class
from stages.textutil.sentences import count_sentences
from stages.textutil.words import split_words_batch

__all__ = ["C4ChineseThresholds", "C4QualityConfig", "C4QualityFilter", "C4Thresholds"]

#: C4: "we only retained lines that ended in a terminal punctuation mark".
END_PUNCTUATION = (".", "?", "!", '"', "'")
#: Chinese documents also accept the full-width marks and closing quotes.
CHINESE_END_PUNCTUATION = ("。", "？", "！", "．", "”", "’", "」", "』")
ELLIPSES = ("...", "…")
POLICY_SUBSTRINGS = [
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
]
#: The same boilerplate in Chinese (privacy policy, terms of use/service, cookies).
CHINESE_POLICY_SUBSTRINGS = ["隐私政策", "隐私权政策", "使用条款", "服务条款", "使用cookie"]
#: Wikipedia-style citation marks removed from every line (datatrove ``CITATION_REGEX``; its
#: ``\d`` is any Unicode decimal digit, ``\p{Nd}`` in RE2).
CITATION_RE2 = r"\[\p{Nd}*\]|\[edit\]|\[citation needed\]"


class C4Thresholds(Thresholds):
    """C4's line and page thresholds (the published values); -1 disables a rule."""

    min_num_sentences: int = Field(5, description="fewest sentences in kept lines; -1 disables")
    min_words_per_line: int = Field(3, description="lines with fewer words are dropped; -1 off")
    max_word_length: int = Field(1000, description="lines with a longer word are dropped; -1 off")


class C4ChineseThresholds(C4Thresholds):
    """The thresholds for Chinese pages, where words are Han characters (or jieba words)."""

    min_num_sentences: int = Field(3, description="fewest sentences in kept lines; -1 disables")
    min_words_per_line: int = Field(5, description="lines with fewer words are dropped; -1 off")


class C4QualityConfig(ChineseAwareConfig[C4ChineseThresholds], C4Thresholds):
    """Top-level thresholds apply to non-Chinese pages (C4's published values)."""

    remove_citations: bool = Field(True, description="strip [1], [edit], [citation needed]")
    filter_no_terminal_punct: bool = Field(
        True, description="drop lines not ending in . ? ! \" ' (or ending in an ellipsis)"
    )
    filter_lorem_ipsum: bool = Field(True, description="reject pages containing 'lorem ipsum'")
    filter_javascript: bool = Field(True, description="drop lines mentioning 'javascript'")
    filter_curly_bracket: bool = Field(True, description="reject pages containing '{'")
    filter_policy: bool = Field(True, description="drop cookie / terms-of-use / privacy lines")


# What each line's rules say: keep it, drop it, or reject its page.
_KEEP, _DROP, _REJECT_LOREM, _REJECT_CURLY = 0, 1, 2, 3
_REJECT_CODES = {_REJECT_LOREM: "c4_lorem_ipsum", _REJECT_CURLY: "c4_curly_bracket"}


@register_stage("c4_quality")
class C4QualityFilter(Stage[C4QualityConfig]):
    """C4's line cleaning, then its page rules (Raffel et al. 2020; datatrove ``C4QualityFilter``).

    Each line is stripped, then dropped if it holds a word longer than 1000 characters, does
    not end in terminal punctuation (or ends in an ellipsis), has fewer than 3 words, mentions
    "javascript" or a cookie/terms-of-use/privacy phrase. Citation marks are removed. The page
    is rejected with ``c4_lorem_ipsum`` or ``c4_curly_bracket`` when a line that survived the
    first checks contains "lorem ipsum" or "{", and with ``c4_too_few_sentences`` when the kept
    lines hold fewer than 5 sentences (sentences as spaCy's sentencizer splits them). Kept pages
    are rewritten to their kept lines.

    English lines count whitespace-separated pieces as words, as C4's reference code does.
    Chinese pages count words (``stages.textutil.words``: Han characters or jieba words), accept
    full-width terminal punctuation and Chinese policy phrases, and use the thresholds under
    ``chinese:``.

    Cleaning and judging are one pass over the lines (a page is rejected in the middle of its
    lines), so this is a plain ``Stage`` whose ``__call__`` does both.

    Writes ``text`` and ``c4_quality_lines_kept``, ``c4_quality_lines_dropped``,
    ``c4_quality_sentences``.
    """

    config_cls = C4QualityConfig
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [
            self.config.text_column,
            "c4_quality_lines_kept",
            "c4_quality_lines_dropped",
            "c4_quality_sentences",
        ]

    def __call__(self, batch: pa.Table) -> pa.Table:
        cfg = self.config
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        is_zh = chinese_mask(batch, cfg)
        lines, page, _ = split_lines(texts)
        lines = pc.utf8_trim_whitespace(lines)
        line_zh = is_zh[page]
        cited = (
            pc.replace_substring_regex(lines, CITATION_RE2, "") if cfg.remove_citations else lines
        )
        status = self._line_status(lines, cited, line_zh)

        # a page ends at its first rejecting line: the lines after it are not judged
        rejecting = np.flatnonzero((status == _REJECT_LOREM) | (status == _REJECT_CURLY))
        first_reject = np.full(n, len(status), dtype=np.int64)
        pages, first = np.unique(page[rejecting], return_index=True)
        first_reject[pages] = rejecting[first]
        reasons = np.full(n, None, dtype=object)
        for code, reason in _REJECT_CODES.items():
            reasons[pages[status[first_reject[pages]] == code]] = reason
        judged = np.arange(len(status)) < first_reject[page]
        keep = judged & (status == _KEEP)
        kept = np.bincount(page[keep], minlength=n).astype(np.int32)
        dropped = np.bincount(page[judged & (status == _DROP)], minlength=n).astype(np.int32)

        kept_lines = cited.filter(pa.array(keep))
        counted = self._per_line(line_zh[keep], "min_num_sentences") != -1
        per_line = self._line_sentences(kept_lines) * counted
        sentences = np.bincount(page[keep], weights=per_line, minlength=n).astype(np.int32)
        too_few = sentences < self._per_line(is_zh, "min_num_sentences")
        reasons[(reasons == None) & too_few] = "c4_too_few_sentences"  # noqa: E711

        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(kept, out=offsets[1:])
        joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), kept_lines), "\n")
        rejected = pa.array(reasons != None)  # noqa: E711
        out_text = pc.if_else(rejected, texts, pc.utf8_trim_whitespace(joined))
        batch = set_column(batch, cfg.text_column, out_text)
        batch = set_column(batch, "c4_quality_lines_kept", pa.array(kept))
        batch = set_column(batch, "c4_quality_lines_dropped", pa.array(dropped))
        batch = set_column(batch, "c4_quality_sentences", pa.array(sentences))
        return set_reject_reasons(batch, pa.array(reasons, pa.string()))

    def _per_line(self, zh: np.ndarray, name: str) -> np.ndarray:
        """A threshold for every row of ``zh``: the Chinese one where it is true."""
        english = getattr(self.config, name)
        chinese = getattr(self.config.chinese, name) if self.config.chinese else english
        return np.asarray(np.where(zh, chinese, english), dtype=np.int64)

    def _line_status(self, lines: pa.Array, cited: pa.Array, line_zh: np.ndarray) -> np.ndarray:
        """What C4's rules say of each stripped line, in C4's order: a line with a too long
        word, without terminal punctuation or with too few words (counted before citations
        are removed) is dropped; of the others, "lorem ipsum" rejects the page, "javascript"
        drops the line, "{" rejects the page, a policy phrase drops the line."""
        cfg = self.config
        passed = ~_has_long_word(lines, line_zh, self._per_line(line_zh, "max_word_length"), cfg)
        passed &= _enough_words(lines, line_zh, self._per_line(line_zh, "min_words_per_line"), cfg)
        if cfg.filter_no_terminal_punct:
            # English lines: . ? ! " ' and no "..."; Chinese ones also full-width marks and no "…"
            ends_en = _ends_with(cited, END_PUNCTUATION)
            passed &= np.where(
                line_zh,
                (ends_en | _ends_with(cited, CHINESE_END_PUNCTUATION))
                & ~_ends_with(cited, ELLIPSES),
                ends_en & ~_ends_with(cited, ELLIPSES[:1]),
            )
        status = np.where(passed, _KEEP, _DROP)
        rows = np.flatnonzero(passed)
        candidates = cited.take(pa.array(rows))
        lower = pc.utf8_lower(candidates)
        checks: list[tuple[np.ndarray, int]] = []
        if cfg.filter_lorem_ipsum:
            checks.append((_matches(lower, "lorem ipsum"), _REJECT_LOREM))
        if cfg.filter_javascript:
            checks.append((_matches(lower, "javascript"), _DROP))
        if cfg.filter_curly_bracket:
            checks.append((_matches(candidates, r"\{"), _REJECT_CURLY))
        if cfg.filter_policy:
            english = _matches(lower, "|".join(map(re.escape, POLICY_SUBSTRINGS)))
            chinese = _matches(lower, "|".join(map(re.escape, CHINESE_POLICY_SUBSTRINGS)))
            checks.append((english | (line_zh[rows] & chinese), _DROP))
        undecided = np.ones(len(rows), dtype=bool)
        for hit, code in checks:
            status[rows[undecided & hit]] = code
            undecided &= ~hit
        return np.asarray(status)

    def _line_sentences(self, lines: pa.Array) -> np.ndarray:
        """Sentences of each kept line. A line whose only terminal mark is its last character
        is one sentence (it has words, and ends in that mark), so only lines with an inner
        mark are tokenized."""
        out = np.ones(len(lines), dtype=np.int64)
        inner = np.flatnonzero(_matches(lines, _INNER_TERMINAL))
        if inner.size:
            out[inner] = count_sentences(lines.take(pa.array(inner)), self.config.cjk_segmenter)
        return out


_INNER_TERMINAL = f"[{re2_class(TERMINAL_PUNCTUATION)}](?s:.)"
# ``str.split``'s whitespace, for RE2 (whose ``\s`` is ASCII only)
_SPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}"
)


def _matches(lines: pa.Array, pattern: str) -> np.ndarray:
    return np.asarray(to_numpy(pc.match_substring_regex(lines, pattern)), dtype=bool)


def _ends_with(lines: pa.Array, suffixes: tuple[str, ...]) -> np.ndarray:
    out = np.zeros(len(lines), dtype=bool)
    for suffix in suffixes:
        out |= to_numpy(pc.ends_with(lines, suffix)).astype(bool)
    return out


def _word_lengths(lines: pa.Array, zh: bool, cfg: C4QualityConfig) -> tuple[np.ndarray, np.ndarray]:
    """(line of each word, its length) for the words of ``lines``: whitespace-separated
    pieces on English lines, ``stages.textutil.words`` words on Chinese ones."""
    if zh:
        words = split_words_batch(lines, cfg.cjk_segmenter)
        line_of = np.repeat(np.arange(len(lines)), words.counts)
        is_word = words.is_word()
        return line_of[is_word], words.lengths()[is_word]
    pieces = pc.utf8_split_whitespace(lines)
    flat = pc.list_flatten(pieces)
    non_empty = to_numpy(pc.greater(pc.binary_length(flat), 0)).astype(bool)
    line_of = to_numpy(pc.list_parent_indices(pieces)).astype(np.int64)
    return line_of[non_empty], to_numpy(pc.utf8_length(flat)).astype(np.int64)[non_empty]


def _has_long_word(
    lines: pa.Array, line_zh: np.ndarray, limit: np.ndarray, cfg: C4QualityConfig
) -> np.ndarray:
    """Per line: whether a word is longer than ``limit`` (-1: no limit). Only lines longer than
    the limit can hold such a word, and only those are split."""
    out = np.zeros(len(lines), dtype=bool)
    candidates = (limit != -1) & (to_numpy(pc.utf8_length(lines)) > limit)
    for zh in (False, True):
        rows = np.flatnonzero(candidates & (line_zh == zh))
        if rows.size:
            line_of, lengths = _word_lengths(lines.take(pa.array(rows)), zh, cfg)
            long_word = lengths > limit[rows][line_of]
            out[rows[np.unique(line_of[long_word])]] = True
    return out


def _enough_words(
    lines: pa.Array, line_zh: np.ndarray, minimum: np.ndarray, cfg: C4QualityConfig
) -> np.ndarray:
    """``words >= minimum`` per stripped line. English lines are checked with one expression
    that stops at the minimum's last piece instead of splitting every line."""
    out = np.ones(len(lines), dtype=bool)
    for value in np.unique(minimum[~line_zh]).tolist():
        if value <= 0:
            continue
        rows = np.flatnonzero(~line_zh & (minimum == value))
        pattern = rf"[^{_SPACE}]+(?:[{_SPACE}]+[^{_SPACE}]+){{{value - 1}}}"
        if value > 100:  # RE2 refuses large repetition counts
            line_of, _ = _word_lengths(lines.take(pa.array(rows)), False, cfg)
            out[rows] = np.bincount(line_of, minlength=rows.size) >= value
        else:
            out[rows] = _matches(lines.take(pa.array(rows)), pattern)
    zh_rows = np.flatnonzero(line_zh)
    if zh_rows.size:
        line_of, _ = _word_lengths(lines.take(pa.array(zh_rows)), True, cfg)
        out[zh_rows] = np.bincount(line_of, minlength=zh_rows.size) >= minimum[zh_rows]
    return out

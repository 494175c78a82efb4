"""C4's line cleaning and page rules (Raffel et al. 2020, "Exploring the Limits of Transfer
Learning with a Unified Text-to-Text Transformer", https://jmlr.org/papers/v21/20-074.html,
section 2.2), following datatrove ``pipeline/filters/c4_filters.py`` (``C4QualityFilter``),
itself after TensorFlow Datasets ``text/c4_utils.py``.

The stage rewrites ``text``: kept documents keep only their kept lines; rejected documents keep
their original text, so the reject sink shows what was judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import regex
from pydantic import BaseModel, ConfigDict, Field

from refinery.stage import (
    Resources,
    StageConfig,
    register_stage,
    set_reject_reasons,
)
from stages.heuristic import _text
from stages.heuristic._base import ChineseAwareFilter, set_column, text_array
from stages.heuristic._text import CjkMode
from stages.text.scripts import characters, property_table

__all__ = ["C4ChineseThresholds", "C4QualityConfig", "C4QualityFilter"]

#: Wikipedia-style citation marks removed from every line (datatrove ``CITATION_REGEX``).
CITATION_REGEX = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
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


class C4ChineseThresholds(BaseModel):
    """Line and page thresholds for Chinese documents (words are Han characters or words)."""

    model_config = ConfigDict(extra="forbid")

    min_num_sentences: int = Field(3, description="fewest sentences in kept lines; -1 disables")
    min_words_per_line: int = Field(5, description="lines with fewer words are dropped; -1 off")
    max_word_length: int = Field(1000, description="lines with a longer word are dropped; -1 off")


class C4QualityConfig(StageConfig):
    text_column: str = "text"
    remove_citations: bool = Field(True, description="strip [1], [edit], [citation needed]")
    filter_no_terminal_punct: bool = Field(
        True, description="drop lines not ending in . ? ! \" ' (or ending in an ellipsis)"
    )
    min_num_sentences: int = Field(5, description="fewest sentences in kept lines; -1 disables")
    min_words_per_line: int = Field(3, description="lines with fewer words are dropped; -1 off")
    max_word_length: int = Field(1000, description="lines with a longer word are dropped; -1 off")
    filter_lorem_ipsum: bool = Field(True, description="reject pages containing 'lorem ipsum'")
    filter_javascript: bool = Field(True, description="drop lines mentioning 'javascript'")
    filter_curly_bracket: bool = Field(True, description="reject pages containing '{'")
    filter_policy: bool = Field(True, description="drop cookie / terms-of-use / privacy lines")
    chinese: C4ChineseThresholds | None = Field(
        default_factory=C4ChineseThresholds,
        description="thresholds for Chinese documents; null applies the English ones to all",
    )
    chinese_min_han_ratio: float = Field(
        0.2, ge=0, le=1, description="Han share of letters from which a document is Chinese"
    )
    cjk_segmenter: Literal["jieba", "char"] = Field(
        "char", description="how Han characters are counted as words in Chinese lines"
    )


@register_stage("c4_quality")
class C4QualityFilter(ChineseAwareFilter[C4QualityConfig]):
    """C4's line cleaning, then its page rules (Raffel et al. 2020; datatrove ``C4QualityFilter``).

    Each line is stripped, then dropped if it holds a word longer than 1000 characters, does
    not end in terminal punctuation (or ends in an ellipsis), has fewer than 3 words, mentions
    "javascript" or a cookie/terms-of-use/privacy phrase. Citation marks are removed. The page
    is rejected with ``c4_lorem_ipsum`` or ``c4_curly_bracket`` when a line that survived the
    first checks contains "lorem ipsum" or "{", and with ``c4_too_few_sentences`` when the kept
    lines hold fewer than 5 sentences (sentences as spaCy's sentencizer splits them). Kept pages
    are rewritten to their kept lines.

    Chinese pages use full-width terminal punctuation, count Han characters (or jieba words) as
    words, and use the thresholds under ``chinese:``.

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

    def annotate_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Table:
        raise NotImplementedError("c4_quality rewrites text while judging it: call the stage")

    def reasons_with(self, batch: pa.Table, is_zh: np.ndarray) -> pa.Array:
        raise NotImplementedError("c4_quality rewrites text while judging it: call the stage")

    def __call__(self, batch: pa.Table) -> pa.Table:
        # Cleaning and judging are one pass over the lines (a page is rejected in the middle of
        # its lines), so this stage implements __call__ instead of annotate + reject_reasons.
        # All lines of the batch are judged at once with Arrow kernels (``_judge_lines``);
        # the pages those do not cover (Chinese pages in jieba mode, pages with a line longer
        # than ``max_word_length``) go through ``_clean``, the same rules a line at a time.
        cfg = self.config
        n = batch.num_rows
        texts = text_array(batch, cfg.text_column)
        is_zh = self.is_chinese(batch) & (cfg.chinese is not None)
        lines, parents, _ = _text.lines_for_gopher(texts)
        lines = pc.utf8_trim_whitespace(lines)
        max_word = _per_line(cfg, is_zh[parents], "max_word_length")
        long_line = (max_word != -1) & (_text.to_numpy(pc.utf8_length(lines)) > max_word)
        by_line = np.ones(n, dtype=bool)
        by_line[parents[long_line]] = False
        if cfg.cjk_segmenter != "char":
            by_line &= ~is_zh
        if not by_line.all():
            mine = by_line[parents]
            lines, parents = lines.filter(pa.array(mine)), parents[mine]
        judged = _judge_lines(cfg, lines, parents, is_zh)
        out_text = pc.if_else(pa.array(judged.reasons == None), judged.text, texts)  # noqa: E711
        if not by_line.all():
            patched = out_text.to_pylist()
            for i in np.flatnonzero(~by_line).tolist():
                text = texts[i].as_py()
                cleaned, kept, dropped, sentences, reason = self._clean(text, bool(is_zh[i]))
                patched[i] = text if reason is not None else cleaned
                judged.kept[i], judged.dropped[i], judged.sentences[i] = kept, dropped, sentences
                judged.reasons[i] = reason
            out_text = pa.array(patched, pa.string())
        batch = set_column(batch, cfg.text_column, out_text)
        batch = set_column(batch, "c4_quality_lines_kept", pa.array(judged.kept))
        batch = set_column(batch, "c4_quality_lines_dropped", pa.array(judged.dropped))
        batch = set_column(batch, "c4_quality_sentences", pa.array(judged.sentences))
        return set_reject_reasons(batch, pa.array(judged.reasons, pa.string()))

    def _clean(self, text: str, chinese: bool) -> tuple[str, int, int, int, str | None]:
        """(cleaned text, lines kept, lines dropped, sentences, reason) for one document."""
        cfg = self.config
        zh = cfg.chinese if chinese and cfg.chinese is not None else None
        min_words = zh.min_words_per_line if zh else cfg.min_words_per_line
        max_word = zh.max_word_length if zh else cfg.max_word_length
        min_sentences = zh.min_num_sentences if zh else cfg.min_num_sentences
        end_punct = END_PUNCTUATION + CHINESE_END_PUNCTUATION if zh else END_PUNCTUATION
        policies = POLICY_SUBSTRINGS + CHINESE_POLICY_SUBSTRINGS if zh else POLICY_SUBSTRINGS
        segmenter = cfg.cjk_segmenter

        kept: list[str] = []
        dropped = 0
        n_sentences = 0
        for raw in text.splitlines():
            line = raw.strip()
            if zh:
                words = _chinese_words(line, segmenter)
            else:
                words = line.split()
            # a word can only be too long in a line that is
            if max_word != -1 and len(line) > max_word and any(len(w) > max_word for w in words):
                dropped += 1
                continue
            if cfg.remove_citations and "[" in line:
                line = CITATION_REGEX.sub("", line)
            if cfg.filter_no_terminal_punct and (
                not line.endswith(end_punct) or line.endswith(ELLIPSES if zh else ELLIPSES[0])
            ):
                dropped += 1
                continue
            if len(words) < min_words:
                dropped += 1
                continue
            lower = line.lower()
            if cfg.filter_lorem_ipsum and "lorem ipsum" in lower:
                return text, len(kept), dropped, n_sentences, "c4_lorem_ipsum"
            if cfg.filter_javascript and "javascript" in lower:
                dropped += 1
                continue
            if cfg.filter_curly_bracket and "{" in line:
                return text, len(kept), dropped, n_sentences, "c4_curly_bracket"
            if cfg.filter_policy and any(p in lower for p in policies):
                dropped += 1
                continue
            if min_sentences != -1:
                n_sentences += _sentences_in_line(line, segmenter)
            kept.append(line)
        if n_sentences < min_sentences:
            return text, len(kept), dropped, n_sentences, "c4_too_few_sentences"
        return "\n".join(kept).strip(), len(kept), dropped, n_sentences, None


# Words of a Chinese line: each Han character, or each run of other letters and digits.
_CHINESE_WORD = regex.compile(r"\p{Han}|[^\s\p{Han}\p{P}\p{S}]+")
_TERMINAL_CLASS = regex.compile(f"[{_text.re2_class(_text.TERMINAL_PUNCTUATION)}]")


def _chinese_words(line: str, segmenter: str) -> list[str]:
    if segmenter == "char":
        return list(_CHINESE_WORD.findall(line))
    return [w for w in _text.split_words(line, "jieba") if not _is_punct(w)]


def _sentences_in_line(line: str, segmenter: str) -> int:
    """Sentences in a kept line. A line whose only terminal mark is its last character is one
    sentence whatever its words, so only lines with an inner mark are tokenized."""
    if _TERMINAL_CLASS.search(line, 0, len(line) - 1) is None:
        return 1
    return _text.count_sentences(_text.split_words(line, segmenter))  # type: ignore[arg-type]


def _is_punct(word: str) -> bool:
    return all(ch in _text.SYMBOL_CHARS for ch in word)


# -------------------------------------------------------------------- all lines of a batch

_KEEP, _DROP, _REJECT_LOREM, _REJECT_CURLY = 0, 1, 2, 3
_REJECT_CODES = {_REJECT_LOREM: "c4_lorem_ipsum", _REJECT_CURLY: "c4_curly_bracket"}
# Python's ``\d`` (in CITATION_REGEX) is any Unicode decimal digit: \p{Nd} for RE2
_CITATION_RE2 = r"\[\p{Nd}*\]|\[edit\]|\[citation needed\]"
_INNER_TERMINAL_RE2 = f"[{_text.re2_class(_text.TERMINAL_PUNCTUATION)}](?s:.)"


@dataclass
class _Judged:
    """Per document: cleaned text (kept lines), counts, and the reason code or None."""

    text: pa.Array
    kept: np.ndarray
    dropped: np.ndarray
    sentences: np.ndarray
    reasons: np.ndarray


def _per_line(cfg: C4QualityConfig, line_zh: np.ndarray, name: str) -> np.ndarray:
    """A threshold for every line: the Chinese one on lines of Chinese pages."""
    english = getattr(cfg, name)
    chinese = getattr(cfg.chinese, name) if cfg.chinese is not None else english
    values: np.ndarray = np.where(line_zh, chinese, english).astype(np.int64)
    return values


def _matches(lines: pa.Array, pattern: str) -> np.ndarray:
    return np.asarray(_text.to_numpy(pc.match_substring_regex(lines, pattern)), dtype=bool)


def _enough_words(lines: pa.Array, line_zh: np.ndarray, minimum: np.ndarray) -> np.ndarray:
    """``len(words) >= minimum`` per (stripped) line: words as ``str.split`` gives them on
    English lines, as ``_chinese_words(line, "char")`` on Chinese ones."""
    out = np.zeros(len(lines), dtype=bool)
    for value in np.unique(minimum[~line_zh]).tolist():
        rows = np.flatnonzero(~line_zh & (minimum == value))
        out[rows] = _at_least_words(lines.take(pa.array(rows)), value)
    if line_zh.any():
        zh = np.flatnonzero(line_zh)
        out[zh] = _chinese_word_counts(lines.take(pa.array(zh))) >= minimum[zh]
    return out


# ``str.split``'s whitespace, for RE2 (whose ``\s`` is ASCII only)
_SPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}"
)


def _at_least_words(lines: pa.Array, minimum: int) -> np.ndarray:
    """``len(line.split()) >= minimum`` per stripped line, with one expression that stops at
    the minimum's last word instead of splitting every line."""
    if minimum <= 0:
        return np.ones(len(lines), dtype=bool)
    if minimum > 100:
        counts = _text.to_numpy(pc.list_value_length(pc.utf8_split_whitespace(lines)))
        return np.asarray(counts >= minimum)
    return _matches(lines, rf"[^{_SPACE}]+(?:[{_SPACE}]+[^{_SPACE}]+){{{minimum - 1}}}")


def _chinese_word_counts(lines: pa.Array) -> np.ndarray:
    """``len(_CHINESE_WORD.findall(line))`` of each line: its Han characters plus its runs of
    other characters that are neither whitespace, punctuation nor symbols."""
    cp, bounds = characters(lines)
    han_table = property_table(r"\p{Han}+")
    cp = np.minimum(cp, len(han_table) - 1)
    han = han_table[cp]
    other = ~han & ~property_table(r"[\s\p{P}\p{S}]+")[cp]
    run_start = other.copy()
    run_start[1:] &= ~other[:-1]
    # a run that goes on from the end of the previous line starts anew
    first = bounds[:-1][bounds[:-1] < len(cp)]
    run_start[first] = other[first]
    line_of = np.repeat(np.arange(len(lines)), np.diff(bounds))
    return np.bincount(line_of[han | run_start], minlength=len(lines))


def _line_status(
    cfg: C4QualityConfig, stripped: pa.Array, lines: pa.Array, line_zh: np.ndarray
) -> np.ndarray:
    """What each line's rules say: keep it, drop it, or reject its page. Words are counted
    on the ``stripped`` lines, the other rules read ``lines`` (citations removed)."""
    passed = _enough_words(stripped, line_zh, _per_line(cfg, line_zh, "min_words_per_line"))
    if cfg.filter_no_terminal_punct:
        # English lines: . ? ! " ' and no "..."; Chinese ones also full-width marks and no "…"
        ends_en = _ends_with(lines, END_PUNCTUATION)
        ends = np.where(
            line_zh,
            (ends_en | _ends_with(lines, CHINESE_END_PUNCTUATION)) & ~_ends_with(lines, ELLIPSES),
            ends_en & ~_ends_with(lines, ELLIPSES[:1]),
        )
        passed &= ends
    status = np.where(passed, _KEEP, _DROP)
    # the page and line checks in C4's order, on the lines that passed: lorem ipsum,
    # javascript, {, policies
    rows = np.flatnonzero(passed)
    candidates = lines.take(pa.array(rows))
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


def _ends_with(lines: pa.Array, suffixes: tuple[str, ...]) -> np.ndarray:
    out = np.zeros(len(lines), dtype=bool)
    for suffix in suffixes:
        out |= _text.to_numpy(pc.ends_with(lines, suffix)).astype(bool)
    return out


def _line_sentences(lines: pa.Array, segmenter: CjkMode) -> np.ndarray:
    """``_sentences_in_line`` of each line: 1 unless a terminal mark stands before the last
    character, else spaCy's sentencizer rule (``_text.count_sentences``) over its words."""
    out = np.ones(len(lines), dtype=np.int64)
    inner = np.flatnonzero(_matches(lines, _INNER_TERMINAL_RE2))
    if inner.size == 0:
        return out
    words = _text.split_words_batch(lines.take(pa.array(inner)), segmenter)
    kind = words.vocabulary.word_property("c4_sentence_kind", _sentence_kind)[words.ids]
    # a sentence starts at every word that is not punctuation and follows a terminal mark
    # since the previous such word (or the start of its line)
    line_of = np.repeat(np.arange(inner.size), words.counts)
    terminals = np.cumsum(kind == _TERMINAL)
    starts = np.cumsum(words.counts) - words.counts
    before_line = np.where(starts > 0, terminals[np.maximum(starts - 1, 0)], 0)
    at = np.flatnonzero(kind == _WORD)
    seen = terminals[at]
    previous = np.empty_like(seen)
    previous[1:] = seen[:-1]
    first_in_line = np.ones(at.size, dtype=bool)
    first_in_line[1:] = line_of[at[1:]] != line_of[at[:-1]]
    previous[first_in_line] = before_line[line_of[at[first_in_line]]]
    new = np.bincount(line_of[at[seen > previous]], minlength=inner.size)
    out[inner] = (words.counts > 0) + new
    return out


_WORD, _PUNCTUATION, _TERMINAL = 0, 1, 2


def _sentence_kind(words: pa.Array) -> np.ndarray:
    terminal = _text.to_numpy(pc.is_in(words, pa.array(sorted(_text.TERMINAL_PUNCTUATION))))
    punctuation = _matches(words, r"^\p{P}+$")
    return np.where(terminal, _TERMINAL, np.where(punctuation, _PUNCTUATION, _WORD))


def _judge_lines(
    cfg: C4QualityConfig, lines: pa.Array, parents: np.ndarray, is_zh: np.ndarray
) -> _Judged:
    """C4's rules on every line of a batch (stripped, in page order; ``parents``: the page of
    each line), and their pages' outcome."""
    n = len(is_zh)
    line_zh = is_zh[parents]
    if cfg.remove_citations:
        cited = pc.replace_substring_regex(lines, _CITATION_RE2, "")
    else:
        cited = lines
    status = _line_status(cfg, lines, cited, line_zh)
    # a page ends at its first rejecting line: the lines after it are not judged
    rejecting = np.flatnonzero((status == _REJECT_LOREM) | (status == _REJECT_CURLY))
    first_reject = np.full(n, len(status), dtype=np.int64)
    pages, first = np.unique(parents[rejecting], return_index=True)
    first_reject[pages] = rejecting[first]
    reasons = np.full(n, None, dtype=object)
    for code, reason in _REJECT_CODES.items():
        here = pages[status[first_reject[pages]] == code]
        reasons[here] = reason
    judged = np.arange(len(status)) < first_reject[parents]
    keep = judged & (status == _KEEP)
    kept = np.bincount(parents[keep], minlength=n).astype(np.int32)
    dropped = np.bincount(parents[judged & (status == _DROP)], minlength=n).astype(np.int32)
    kept_lines = cited.filter(pa.array(keep))
    line_sentences = _line_sentences(kept_lines, cfg.cjk_segmenter)
    counted = _per_line(cfg, line_zh[keep], "min_num_sentences") != -1
    sentences = np.bincount(parents[keep], weights=line_sentences * counted, minlength=n).astype(
        np.int32
    )
    too_few = (reasons == None) & (sentences < _per_line(cfg, is_zh, "min_num_sentences"))  # noqa: E711
    reasons[too_few] = "c4_too_few_sentences"
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(kept, out=offsets[1:])
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), kept_lines), "\n")
    text = pc.utf8_trim_whitespace(joined)
    return _Judged(text, kept, dropped, sentences, reasons)

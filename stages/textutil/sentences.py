"""Sentences of English and Chinese text, by the rule of spaCy's ``Sentencizer``.

A sentence ends at a sentence-terminal token (``. ! ? 。 ！ ？`` and the other Unicode
``Sentence_Terminal`` marks); the next token that is not punctuation starts a new one.
Abbreviations and decimals stay inside one token (``stages.textutil.tokens``), so their periods
never end a sentence. datatrove's C4 filter counts sentences this way.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.textutil.arrays import to_numpy
from stages.textutil.punctuation import TERMINAL_PUNCTUATION
from stages.textutil.tokens import CjkMode
from stages.textutil.words import split_words_batch

__all__ = ["count_sentences"]

_WORD, _PUNCTUATION, _TERMINAL = 0, 1, 2


def count_sentences(texts: pa.Array | pa.ChunkedArray, cjk: CjkMode = "char") -> np.ndarray:
    """Sentences of each text (0 for a text without tokens; nulls read as empty)."""
    words = split_words_batch(texts, cjk)
    n = len(words.counts)
    kind = words.vocabulary.word_property("sentence_kind", _token_kind)[words.ids]
    # a sentence starts at every token that is not punctuation and follows a terminal mark
    # since the previous such token (or the start of its text)
    text_of = np.repeat(np.arange(n), words.counts)
    terminals = np.cumsum(kind == _TERMINAL)
    starts = np.cumsum(words.counts) - words.counts
    before_text = np.where(starts > 0, terminals[np.maximum(starts - 1, 0)], 0)
    at = np.flatnonzero(kind == _WORD)
    seen = terminals[at]
    previous = np.empty_like(seen)
    previous[1:] = seen[:-1]
    first_in_text = np.ones(at.size, dtype=bool)
    first_in_text[1:] = text_of[at[1:]] != text_of[at[:-1]]
    previous[first_in_text] = before_text[text_of[at[first_in_text]]]
    new = np.bincount(text_of[at[seen > previous]], minlength=n)
    return np.asarray((words.counts > 0) + new, dtype=np.int64)


def _token_kind(tokens: pa.Array) -> np.ndarray:
    terminal = to_numpy(pc.is_in(tokens, pa.array(sorted(TERMINAL_PUNCTUATION))))
    punctuation = to_numpy(pc.match_substring_regex(tokens, r"^\p{P}+$")).astype(bool)
    return np.where(terminal, _TERMINAL, np.where(punctuation, _PUNCTUATION, _WORD))

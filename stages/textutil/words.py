"""Words of English and Chinese text: the one definition every stage family uses.

**A word** is a token of ``split_words`` that is not made only of punctuation and symbols
(``SYMBOL_CHARS``):

- Text is first cut at whitespace into *chunks*. An English chunk is cut into tokens by
  spaCy's English rules (``stages.textutil.tokens``): ``"don't"`` is ``do`` + ``n't``,
  ``"(see above)."`` is ``(``, ``see``, ``above``, ``)``, ``.`` and ``"e.g."``, ``"3.14"`` and
  URLs stay whole. The published English rules (Gopher, C4, FineWeb) were tuned on these tokens.
- Chinese has no spaces: in a chunk holding Han characters every Han character is a token
  (``cjk="char"``, the default), or every word of the jieba segmenter (``cjk="jieba"``); each
  non-ASCII punctuation mark is a token of its own; Latin runs inside it follow the English
  rules. ``"使用Python编写。"`` is ``使``, ``用``, ``Python``, ``编``, ``写``, ``。``.
- Tokens made only of punctuation and symbols (``,``, ``。``, ``--``, ``...``) are not words.

So ``"我们用 Python 3.12, don't we?"`` holds the words ``我 们 用 Python 3.12 do n't we``
(8 words of 10 tokens). ``count_words`` counts them per text of a batch; ``split_words_batch``
gives every token of a batch with a word mask (``BatchWords.is_word``), for rules that also
look at punctuation (Gopher's symbol ratios, ``stages.textutil.sentences``).

**The one-expression count.** ``count_words_by_pattern`` counts with one RE2 expression per
batch (``WORD_PATTERN``: a CJK character, or a run of characters that are not whitespace,
punctuation or symbols), several times cheaper than tokenizing. It is the same notion without
spaCy's exceptions: ``"3.14"`` and ``"e.g."`` are two words there, ``"10km"`` one; on prose the
two counts agree to a word or two. Cheap gates use it (``length_filter``); rules calibrated on
published thresholds use ``count_words``.

Chunks repeat (Zipf), so each distinct chunk of the process is tokenized once
(``Vocabulary``) and a batch's tokens come back as integer ids gathered with numpy.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.textutil.arrays import to_numpy
from stages.textutil.punctuation import SYMBOL_CHARS, re2_class
from stages.textutil.tokens import CjkMode, load_segmenter, split_chunks

__all__ = [
    "BatchWords",
    "CjkMode",
    "Vocabulary",
    "WORD_PATTERN",
    "count_words",
    "count_words_by_pattern",
    "load_segmenter",
    "split_words",
    "split_words_batch",
]


class _Growing:
    """An int64 array that grows by appending, with amortised doubling."""

    def __init__(self) -> None:
        self._data = np.zeros(1024, dtype=np.int64)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self._data):
            grown = np.zeros(max(need, 2 * len(self._data)), dtype=np.int64)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : need] = values
        self.size = need

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.size]


class Vocabulary:
    """Per-process ids for whitespace-delimited chunks and for the words they split into.

    Chunks repeat (Zipf), so the expressions run once per distinct chunk (spaCy caches the same
    way), and every word gets an integer id: a batch's words come back as an id array, and
    per-word properties (length, "is a symbol", n-gram hash values) are computed once per
    distinct word of the process (``word_property``) and gathered with numpy. When the chunk
    table outgrows ``max_chunks`` everything is dropped and ids start again; ids are valid
    for the call that returned them.
    """

    max_chunks = 1_000_000

    def __init__(self, cjk: CjkMode) -> None:
        self.cjk = cjk
        self.reset()

    generation = 0

    def reset(self) -> None:
        self.generation += 1
        # a plain dict, so that set.difference(chunk_slot) takes CPython's fast dict path
        self.chunk_slot: dict[str, int] = {}
        self.chunk_tokens: list[tuple[str, ...]] = []
        self.chunk_start = _Growing()  # first position of each chunk's words in word_ids
        self.chunk_size = _Growing()
        self.word_ids = _Growing()
        self.word_id: dict[str, int] = {}
        self.words: list[str] = []
        self._ids_done = 0  # chunks whose words have ids (see assign_word_ids)
        self._properties: dict[object, tuple[int, list[np.ndarray]]] = {}

    def add_missing(self, chunks: list[str]) -> None:
        missing = set(chunks).difference(self.chunk_slot)
        if not missing:
            return
        if len(self.chunk_slot) + len(missing) > self.max_chunks:
            # start afresh, keeping nothing: every chunk of this request is split again
            self.reset()
            missing = set(chunks)
        # in order of first appearance, so that ids do not depend on set iteration order
        new = [chunk for chunk in dict.fromkeys(chunks) if chunk in missing]
        tokens = split_chunks(new, self.cjk)
        first = len(self.chunk_tokens)
        self.chunk_tokens.extend(map(tokens.__getitem__, new))
        self.chunk_slot.update(zip(new, range(first, first + len(new)), strict=True))

    def assign_word_ids(self) -> None:
        """Give the words of the chunks added since the last call their ids, in bulk.

        ``split_words`` (one text at a time) only needs a chunk's words; the id arrays are
        built when a batch asks for them, so that many small additions cost one Arrow pass.
        """
        chunk_words = self.chunk_tokens[self._ids_done :]
        if not chunk_words:
            return
        self._ids_done = len(self.chunk_tokens)
        sizes = np.fromiter(map(len, chunk_words), dtype=np.int64, count=len(chunk_words))
        # Arrow finds the distinct words of the new chunks, and only those are looked up in
        # (or added to) the word table
        flat = pc.dictionary_encode(pa.array(list(chain.from_iterable(chunk_words)), pa.string()))
        distinct = flat.dictionary.to_pylist()
        word_id = self.word_id
        known = list(map(word_id.get, distinct))
        if None in known:
            new = [word for word, wid in zip(distinct, known, strict=True) if wid is None]
            word_id.update(
                zip(new, range(len(self.words), len(self.words) + len(new)), strict=True)
            )
            self.words.extend(new)
        global_ids = np.fromiter(map(word_id.__getitem__, distinct), np.int64, len(distinct))
        starts = self.word_ids.size + np.cumsum(sizes) - sizes
        self.chunk_start.extend(starts)
        self.chunk_size.extend(sizes)
        self.word_ids.extend(global_ids[to_numpy(flat.indices).astype(np.int64)])

    def word_property(self, key: object, compute: Callable[[pa.Array], np.ndarray]) -> np.ndarray:
        """``compute`` (an array of words -> one value per word) for every word id, computed
        for the words added since the last call with the same ``key``."""
        self.assign_word_ids()
        done, parts = self._properties.get(key, (0, []))
        if done < len(self.words):
            parts.append(np.asarray(compute(pa.array(self.words[done:], pa.string()))))
            if len(parts) > 1:
                parts[:] = [np.concatenate(parts)]
            self._properties[key] = (len(self.words), parts)
        if not parts:  # no word yet: an empty array of the property's own dtype
            return np.asarray(compute(pa.array([], pa.string())))
        return parts[0]

    def word_strings(self, ids: np.ndarray) -> pa.Array:
        """The words with these ids."""
        return pa.array([self.words[i] for i in ids.tolist()], pa.string())


_VOCABULARIES: dict[str, Vocabulary] = {"jieba": Vocabulary("jieba"), "char": Vocabulary("char")}


def split_words(text: str, cjk: CjkMode = "char") -> list[str]:
    """The words of ``text``: spaCy-English-like tokens, with Han runs segmented.

    Whitespace never appears in a word; punctuation marks are words of their own (as in
    spaCy), so callers that want only "real" words drop the all-symbol ones.
    """
    vocabulary = _VOCABULARIES[cjk]
    chunks = text.split()
    try:
        slots = list(map(vocabulary.chunk_slot.__getitem__, chunks))
    except KeyError:
        vocabulary.add_missing(chunks)
        slots = list(map(vocabulary.chunk_slot.__getitem__, chunks))
    return list(chain.from_iterable(map(vocabulary.chunk_tokens.__getitem__, slots)))


@dataclass(frozen=True)
class BatchWords:
    """The words of a batch of texts: ``ids`` (into ``vocabulary``) of every word in text
    order and ``counts``, the number of words of each text."""

    ids: np.ndarray
    counts: np.ndarray
    vocabulary: Vocabulary

    def lengths(self) -> np.ndarray:
        """Characters of each word."""
        lengths: np.ndarray = self.vocabulary.word_property("length", _utf8_length)[self.ids]
        return lengths

    def strings(self) -> pa.Array:
        return self.vocabulary.word_strings(self.ids)

    def is_word(self) -> np.ndarray:
        """Per token: whether it is a word (not only punctuation and symbols)."""
        mask: np.ndarray = self.vocabulary.word_property("is_word", _is_word)[self.ids]
        return mask


def _utf8_length(words: pa.Array) -> np.ndarray:
    return to_numpy(pc.utf8_length(words)).astype(np.int64)


def split_words_batch(texts: pa.Array | pa.ChunkedArray, cjk: CjkMode = "char") -> BatchWords:
    """The words of every text of a batch (``split_words`` of each, nulls read as empty).

    Only the distinct chunks of the batch pass through Python: Arrow splits the texts at
    whitespace (the same characters as ``str.split``), the chunks are dictionary-encoded, each
    distinct chunk is looked up in (or added to) the vocabulary once, and the word ids of
    every chunk occurrence are gathered with numpy.
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    vocabulary = _VOCABULARIES[cjk]
    reused = _LAST_BATCH[cjk].words_of(texts, vocabulary)
    if reused is not None:
        return reused
    words = _split_batch(texts, vocabulary)
    _LAST_BATCH[cjk] = _BatchMemo(texts, words)
    return words


class _BatchMemo:
    """The words of the last batch split, by text.

    The stages of a segment run one after another on the same worker, each on the rows the
    previous one kept: ``gopher_quality`` sees the texts ``gopher_repetition`` just split.
    A batch whose every text was in the last one takes its words from there (ids stay valid
    while the vocabulary keeps its ``generation``). Only the last batch is held, and its
    texts are read into Python only when a batch no longer than it asks.
    """

    def __init__(self, texts: pa.Array | None, words: BatchWords | None) -> None:
        self.texts = texts
        self.words = words
        self.generation = words.vocabulary.generation if words is not None else -1
        self._rows: dict[str, int] | None = None

    def words_of(self, texts: pa.Array, vocabulary: Vocabulary) -> BatchWords | None:
        words = self.words
        if words is None or self.texts is None or words.vocabulary is not vocabulary:
            return None
        if self.generation != vocabulary.generation or not 0 < len(texts) <= len(self.texts):
            return None
        if self._rows is None:
            known = pc.fill_null(self.texts, "").to_pylist()
            self._rows = dict(zip(known, range(len(known)), strict=True))
        strings = pc.fill_null(texts, "").to_pylist()
        try:
            rows = np.fromiter(map(self._rows.__getitem__, strings), np.int64, len(strings))
        except KeyError:
            return None
        ends = np.cumsum(words.counts)
        counts = words.counts[rows]
        starts = (ends - words.counts)[rows]
        total = int(counts.sum())
        # position of every word of the new batch in the memo's id array
        shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        return BatchWords(words.ids[shift + np.arange(total, dtype=np.int64)], counts, vocabulary)


_LAST_BATCH: dict[str, _BatchMemo] = {mode: _BatchMemo(None, None) for mode in _VOCABULARIES}


def _split_batch(texts: pa.Array, vocabulary: Vocabulary) -> BatchWords:
    n = len(texts)
    pieces = pc.utf8_split_whitespace(pc.fill_null(texts, ""))
    chunks = pc.list_flatten(pieces)
    parents = to_numpy(pc.list_parent_indices(pieces)).astype(np.int64)
    # Arrow keeps empty pieces at the ends of a text and for all-whitespace texts
    non_empty = pc.greater(pc.binary_length(chunks), 0)
    chunks = chunks.filter(non_empty)
    parents = parents[to_numpy(non_empty).astype(bool)]
    encoded = pc.dictionary_encode(chunks)
    distinct = encoded.dictionary.to_pylist()
    with _no_gc():
        # look up first: most chunks are known, and only the unknown ones are split
        found = list(map(vocabulary.chunk_slot.get, distinct))
        if None in found:
            missing = [chunk for chunk, slot in zip(distinct, found, strict=True) if slot is None]
            generation = vocabulary.generation
            vocabulary.add_missing(missing)
            if vocabulary.generation != generation:
                # the table was full and started afresh: the chunks found before are gone
                vocabulary.add_missing(distinct)
            found = list(map(vocabulary.chunk_slot.__getitem__, distinct))
        slots = np.fromiter(found, dtype=np.int64, count=len(found))
        vocabulary.assign_word_ids()
    occurrences = slots[to_numpy(encoded.indices).astype(np.int64)]
    sizes = vocabulary.chunk_size.values[occurrences]
    # the word_ids positions of every chunk occurrence, in text order
    total = int(sizes.sum())
    shift = np.repeat(
        vocabulary.chunk_start.values[occurrences] - (np.cumsum(sizes) - sizes), sizes
    )
    ids = vocabulary.word_ids.values[shift + np.arange(total, dtype=np.int64)]
    counts = np.bincount(parents, weights=sizes, minlength=n).astype(np.int64)
    return BatchWords(ids, counts, vocabulary)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: splitting a batch allocates hundreds of thousands
    of small tuples (no cycles), and collections triggered by them cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def count_words(texts: pa.Array | pa.ChunkedArray, cjk: CjkMode = "char") -> np.ndarray:
    """Words (tokens not only punctuation or symbols) of each text; nulls count 0."""
    words = split_words_batch(texts, cjk)
    doc_of = np.repeat(np.arange(len(words.counts)), words.counts)
    return np.bincount(doc_of[words.is_word()], minlength=len(words.counts)).astype(np.int64)


_SYMBOL_CLASS = re2_class(SYMBOL_CHARS)


def _is_word(tokens: pa.Array) -> np.ndarray:
    """A token is a word when it has a character outside ``SYMBOL_CHARS``; searching for one
    stops at the first character of almost every token."""
    return to_numpy(pc.match_substring_regex(tokens, f"[^{_SYMBOL_CLASS}]")).astype(bool)


_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
#: One CJK character is one word; elsewhere a word is a run of characters that are not
#: whitespace, CJK, punctuation or symbols ("don't" → 2, "3.14" → 2, "中文text" → 3).
WORD_PATTERN = rf"[{_CJK}]|[^\s{_CJK}\p{{P}}\p{{S}}]+"


def count_words_by_pattern(texts: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Words per text by ``WORD_PATTERN``, one Arrow kernel over the batch (nulls count 0)."""
    return pc.fill_null(pc.count_substring_regex(texts, WORD_PATTERN), 0)

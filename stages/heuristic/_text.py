"""Word, line and sentence splitting shared by the heuristic filters, for English and Chinese.

The published rules (Gopher, C4, FineWeb) count *words*. datatrove counts them with spaCy's
English tokenizer; running spaCy on every document costs more than all the rules together, so
``split_words`` reproduces the parts of that tokenizer the rules are sensitive to with one
regular-expression pass (see ``_EN_SPLIT``):

- whitespace separates chunks; inside a chunk, leading punctuation, quotes and currency signs
  are split off as prefixes, and trailing punctuation, quotes, ``'s`` and units after digits as
  suffixes (spaCy ``lang/punctuation.py``: ``TOKENIZER_PREFIXES`` / ``TOKENIZER_SUFFIXES``);
- a trailing period is split after a lower-case letter, digit or punctuation, or after two
  capitals, except in the abbreviations spaCy keeps whole (``e.g.``, ``Mr.``, ``x.``);
- infixes are split: hyphens between letters, ``,`` between letters, ``:<>=/`` between a letter
  or digit and a letter, arithmetic signs between digits, ``.`` between a lower-case and an
  upper-case letter, and ellipses (``TOKENIZER_INFIXES``);
- contractions split as in spaCy's English exceptions (``do n't``, ``I 'm``);
- URLs stay whole.

Chinese has no spaces, so a chunk holding Han characters is segmented further: each run of Han
characters into words (jieba) or into single characters (``cjk="char"``), and every non-ASCII
punctuation mark becomes its own token. Without this a Chinese paragraph is one giant "word".

Punctuation sets (``SYMBOL_CHARS``, ``TERMINAL_PUNCTUATION``) follow datatrove
``utils/text.py``, which lists ASCII and full-width punctuation and the Unicode
``Sentence_Terminal`` characters.
"""

from __future__ import annotations

import gc
import re
import string
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import regex

from stages.text.scripts import HAN, LATIN, script_counts

__all__ = [
    "BatchWords",
    "CjkMode",
    "SYMBOL_CHARS",
    "TERMINAL_PUNCTUATION",
    "Vocabulary",
    "han_ratio",
    "lines_for_gopher",
    "split_words",
    "split_words_batch",
    "count_sentences",
]

CjkMode = Literal["jieba", "char"]

# ---------------------------------------------------------------------------- character sets

#: Characters that make a token a "symbol" rather than a word (Gopher's symbol words): ASCII
#: punctuation, control characters, typographic and full-width punctuation. Mirrors datatrove
#: ``PUNCTUATION``, which also lists these; Unicode sentence terminals are added below.
_CONTROL = "".join(chr(c) for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for c in range(a, b))
_TYPOGRAPHIC = "—–‘’“”„«»´…►━∶"
_FULL_WIDTH = "、。〈〉《》「」【】（），．：；？！％～"


@cache
def _sentence_terminals() -> frozenset[str]:
    pattern = regex.compile(r"\p{Sentence_Terminal}")
    return frozenset(chr(c) for c in range(sys.maxunicode + 1) if pattern.match(chr(c)))


#: Unicode ``Sentence_Terminal`` characters: ``. ! ?`` and their full-width and other-script
#: forms (``。！？｡``). FineWeb's "line ends in punctuation" and the sentence counter use them.
TERMINAL_PUNCTUATION: frozenset[str] = _sentence_terminals()
SYMBOL_CHARS: frozenset[str] = (
    frozenset(string.punctuation + _CONTROL + _TYPOGRAPHIC + _FULL_WIDTH) | TERMINAL_PUNCTUATION
)


def re2_class(chars: frozenset[str] | str) -> str:
    """A character class body (no brackets) matching ``chars``, escaped for RE2 and ``re``."""
    out = []
    for ch in sorted(chars):
        if ch in "\\]^-[":
            out.append("\\" + ch)
        elif ord(ch) < 32 or 127 <= ord(ch) < 160:
            out.append(f"\\x{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- word splitting

# spaCy char classes (lang/char_classes.py) as `re` class bodies.
_PUNCT = r"…,:;!?¿؟¡()\[\]{}<>_#*&。？！，、；：～·।،۔؛٪"
_QUOTES = r"'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧"
_CURRENCY = r"$£€¥฿₽﷼₴₠-₿"
_ICONS = "©®°™\u2500-\u27bf"
_LOWER = "a-zß-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"
_UNITS = (
    "km² km³ km m² m³ dm² dm³ dm cm² cm³ cm mm² mm³ mm ha µm nm yd in ft kg g mg µg t lb oz "
    "m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K m %"
).split()
# Tokens spaCy's English exceptions keep whole although a rule would split their final
# period (tokenizer_exceptions.py); lower-case single letters are among them.
_ABBREVIATIONS = (
    "a.m p.m e.g i.e E.g E.G I.e I.E v.s vs co Co Corp Inc Ltd Jr Dr Mr Mrs Ms Mt St Prof "
    "Rev Sen Rep Gen Gov Adm Bros Messrs Ph.D D.C N.C N.D N.H N.J N.M N.Y S.C "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Ak Ala Ariz Ark Calif Colo Conn Del Fla Ga Ia Id Ill Ind Kan Kans Ky La Mass Md Mich "
    "Minn Miss Mo Mont Neb Nebr Nev Okla Ore Pa Tenn Va Wash Wis ä ö ü"
).split() + list(string.ascii_lowercase)
# Apostrophe-less contractions spaCy splits in two (tokenizer_exceptions.py): first part.
_CONTRACTIONS = {
    "ai": "nt",
    "are": "nt",
    "can": "not",
    "ca": "nt",
    "could": "nt|ve",
    "did": "nt",
    "does": "nt",
    "do": "nt",
    "had": "nt",
    "has": "nt",
    "have": "nt",
    "he": "d|s",
    "i": "d|m|ve",
    "is": "nt",
    "it": "d|ll",
    "might": "ve",
    "must": "ve",
    "should": "nt|ve",
    "she": "s",
    "that": "d|ll|s",
    "there": "d|ll|re|s|ve",
    "they": "d|ll|re|ve",
    "was": "nt",
    "we": "d|ve",
    "were": "nt",
    "what": "ll|re|s|ve",
    "who": "ll|s|ve",
    "wo": "nt",
    "would": "nt|ve",
    "you": "d|ll|re|ve",
}
_CONTRACTION_RE = "|".join(
    f"[{w[0]}{w[0].upper()}]{re.escape(w[1:])}(?=(?:{rest}){{tail}})"
    for w, rest in sorted(_CONTRACTIONS.items(), key=lambda kv: -len(kv[0]))
)

_PREFIX = f"§%=—–{_PUNCT}{_QUOTES}{_CURRENCY}{_ICONS}"
_SUFFIX = f"{_PUNCT}{_QUOTES}{_ICONS}—–"
# What may follow a suffix up to the end of its chunk: more suffixes, then whitespace.
_TAIL = rf"(?:[{_SUFFIX}.%+]|['’][sS]|n['’]t)*(?:\s|$)"
_START = r"(?<!\S)"
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_ABBR = "|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len, reverse=True))

# spaCy strips prefixes one by one from the start of a chunk: the run of them is split off
# first (``_PREFIX_RUN_AT_START``), so that the main expression sees every chunk start right
# after whitespace.
_PREFIX_PIECE = re.compile(r"\.\.+|.")
# Emoticons are special cases that spaCy re-merges after splitting (tokenizer_exceptions.py).
_EMOTICONS = (
    ":) :-) :)) :-)) (: (-: =) (= :] :-] [: [-: [= =] :} :-} ;) ;-) (; (-; :( :-( :(( "
    "): )-: =( >:( :') :'-) :'( :/ :-/ =/ =| :| :-| ]= =[ :() :* :-* :> :-> ^_^ >.< ._. ;_; "
    "-_- <3 <33 </3"
).split()
_EMOTICON = "|".join(re.escape(e) for e in sorted(_EMOTICONS, key=len, reverse=True))

# Most positions are inside a plain word and start no token: the gate rejects them with a
# few cheap tests before the alternatives are tried.
_GATE = r"(?=[\W_]|(?<!\S)|n['’]t|(?<=[0-9])[^\W\d_])"
_EN_SPLIT = re.compile(
    "("
    + _GATE
    + "(?:"
    + "|".join(
        [
            # kept whole: URLs and host names with a path (spaCy URL_MATCH), abbreviations
            rf"{_START}(?:(?:https?|ftp)://|www\.)\S+?(?={_TAIL})",
            rf"{_START}(?:[\w-]+\.)+[^\W\d_]{{2,}}(?::\d+)?/\S*?(?={_TAIL})",
            rf"{_START}(?:(?:{_ABBR})\.|and/or)(?={_TAIL})",
            rf"{_START}(?:{_CONTRACTION_RE.format(tail=_TAIL)})",
            rf"(?:{_EMOTICON})(?={_TAIL})",
            r"\.\.+|…|''",
            # suffixes: contractions, possessives, units, periods, punctuation
            rf"(?<=\w)n['’]t(?={_TAIL})",
            rf"(?<=\w)['’](?:[sSdDmM]|re|RE|ve|VE|ll|LL)(?={_TAIL})",
            rf"(?<=[0-9])(?:{_UNIT}|[{_CURRENCY}]|\+)(?={_TAIL})",
            rf"(?:(?<=[0-9{_LOWER}%²\-+{_PUNCT}{_QUOTES}])|(?<=[{_UPPER}][{_UPPER}]))\.(?={_TAIL})",
            rf"[{_SUFFIX}](?={_TAIL})",
            # infixes
            r"(?<=[0-9])[+\-*^](?=[0-9-])",
            rf"(?<=[{_LOWER}{_QUOTES}])\.(?=[{_UPPER}{_QUOTES}])",
            r"(?<=[^\W\d_]),(?=[^\W\d_])",
            r"(?<=[^\W_])(?:---|--|——|-|–|—|~)(?=[^\W\d_])",
            r"(?<=[^\W_])[:<>=/](?=[^\W\d_])",
        ]
    )
    + "))"
)

_HAN = regex.compile(r"\p{Han}")
# Inside a chunk holding Han characters, character mode makes a word of each Han character
# and each non-ASCII punctuation mark (_cjk_char_class); segmenter mode cuts the chunk into
# Han runs, those marks and whatever lies between (_CJK_RUN), and segments the Han runs.
_CJK_RUN = regex.compile(r"\p{Han}+|[^\x00-\x7f\P{P}]|[^\p{Han}\p{P}]+|\p{P}")


def load_segmenter(cjk: CjkMode) -> None:
    """Load the Chinese segmenter now (jieba reads its dictionary in about a second)."""
    if cjk == "jieba":
        _jieba()


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _segment_han(piece: str) -> list[str]:
    """jieba words of the Han runs of ``piece``; other characters as in character mode."""
    out: list[str] = []
    for run in _CJK_RUN.findall(piece):
        if _HAN.match(run) and len(run) > 1:
            out.extend(w for w in _jieba().lcut(run, HMM=True) if not w.isspace())
        else:
            out.append(run)
    return out


# Chunk boundaries of a joined batch of chunks (chunks never hold whitespace).
_BOUNDARY = "\n"
_PREFIX_RUN_AT_START = re.compile(rf"(?<!\S)((?:[{_PREFIX}]|\+(?![0-9])|\.\.+)+)")


def _split_chunks(chunks: list[str], cjk: CjkMode) -> dict[str, tuple[str, ...]]:
    """Tokens of many whitespace-free chunks.

    The commonest shapes are split directly (``_simple_tokens``: plain ASCII words with at
    most one closing mark, and in character mode chunks of nothing but Han characters and
    non-ASCII punctuation); the others go through the expressions (``_split_by_expressions``).
    Both give the same tokens (``test_simple_chunks_split_as_the_expressions_do``).
    """
    out: dict[str, tuple[str, ...]] = {}
    hard: list[str] = []
    char_mode = cjk == "char"
    contraction = _CONTRACTION_TOKENS.get
    closing = _CLOSING_MARKS
    abbreviations = _ABBREVIATION_SET
    for chunk in chunks:
        if chunk.isascii():
            if chunk.isalpha():
                out[chunk] = contraction(chunk) or (chunk,)
                continue
            word, last = chunk[:-1], chunk[-1]
            if word.isalpha():
                if last in closing:
                    out[chunk] = (contraction(word) or (word,)) + (last,)
                    continue
                if last == ".":
                    # spaCy keeps "Mr." and "e.g." whole and splits the period off after a
                    # lower-case letter or two capitals
                    if word in abbreviations:
                        out[chunk] = (chunk,)
                    elif word[-1].islower():
                        out[chunk] = (contraction(word) or (word,)) + (".",)
                    elif len(word) > 1 and word[-2].isupper():
                        out[chunk] = (word, ".")
                    else:
                        out[chunk] = (chunk,)
                    continue
        elif char_mode and _not_cjk_char().search(chunk) is None and _HAN.search(chunk) is not None:
            # Han characters and punctuation only: each character is a word of its own
            out[chunk] = tuple(chunk)
            continue
        hard.append(chunk)
    if hard:
        out.update(_split_by_expressions(hard, cjk))
    return out


# Apostrophe-less contractions as whole chunks ("dont" -> "do", "nt"), for _split_chunks.
_CONTRACTION_TOKENS = {
    first + word[1:] + rest: (first + word[1:], rest)
    for word, rests in _CONTRACTIONS.items()
    for first in (word[0], word[0].upper())
    for rest in rests.split("|")
}
# Marks that a plain word sheds as a suffix whatever precedes them (not the period).
_CLOSING_MARKS = frozenset(',;:!?)"')
_ABBREVIATION_SET = frozenset(_ABBREVIATIONS)


@cache
def _cjk_char_class() -> str:
    """A ``re`` class body of the characters that are words of their own in character mode:
    Han characters and non-ASCII punctuation (``regex``: ``\\p{Han}|[^\\x00-\\x7f\\P{P}]``).
    ``re`` matches such a class much faster than ``regex`` matches the properties."""
    from stages.text.scripts import property_table

    table = property_table(r"\p{Han}+") | property_table(r"[^\x00-\x7f\P{P}]+")
    points = np.flatnonzero(table[:-1])
    breaks = np.flatnonzero(np.diff(points) > 1)
    starts = points[np.r_[0, breaks + 1]].tolist()
    ends = points[np.r_[breaks, len(points) - 1]].tolist()
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in zip(starts, ends, strict=True))


@cache
def _not_cjk_char() -> re.Pattern[str]:
    return re.compile(f"[^{_cjk_char_class()}]")


@cache
def _cjk_char_split() -> re.Pattern[str]:
    return re.compile(f"([{_cjk_char_class()}])")


def _split_by_expressions(chunks: list[str], cjk: CjkMode) -> dict[str, tuple[str, ...]]:
    """Tokens of many whitespace-free chunks, with one pass of each expression over all of
    them joined by newlines (per-chunk calls would cost more than the matching itself)."""
    joined = _BOUNDARY.join(chunks)
    # 1. each prefix character of the run that opens a chunk becomes a token
    parts = _PREFIX_RUN_AT_START.split(joined)
    parts[1::2] = [" ".join(_PREFIX_PIECE.findall(run)) + " " for run in parts[1::2]]
    # 2. suffixes, infixes and kept-whole tokens: matches come back at the odd indices
    spaced = " ".join(_EN_SPLIT.split("".join(parts)))
    pieces = spaced.split(_BOUNDARY)
    assert len(pieces) == len(chunks), f"{len(pieces)=} != {len(chunks)=}"
    # (an ASCII chunk holds no Han character, and isascii() is a flag read)
    han = [i for i, c in enumerate(chunks) if not c.isascii() and _HAN.search(c) is not None]
    if han and cjk == "char":
        # 3. Chinese, one word per character: space out the Han characters and non-ASCII
        # punctuation of the chunks holding Han, all of them in one pass
        spaced_han = " ".join(_cjk_char_split().split(_BOUNDARY.join(pieces[i] for i in han)))
        for i, piece in zip(han, spaced_han.split(_BOUNDARY), strict=True):
            pieces[i] = piece
    out = {chunk: tuple(piece.split()) for chunk, piece in zip(chunks, pieces, strict=True)}
    if han and cjk != "char":
        # 3. Chinese with a segmenter: segment the tokens holding Han characters
        for i in han:
            out[chunks[i]] = tuple(
                w
                for token in out[chunks[i]]
                for w in (_segment_han(token) if _HAN.search(token) else (token,))
            )
    return out


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
        new = list(dict.fromkeys(chunk for chunk in chunks if chunk in missing))
        tokens = _split_chunks(new, self.cjk)
        first = len(self.chunk_tokens)
        self.chunk_tokens.extend(tokens[chunk] for chunk in new)
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
        return parts[0] if parts else np.zeros(0)

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
    vocabulary = _VOCABULARIES[cjk]
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


def count_sentences(words: Sequence[str]) -> int:
    """Sentences in a run of words, by spaCy's ``Sentencizer`` rule.

    A sentence ends at a sentence-terminal mark (``. ! ? 。 ！ ？``); the next word that is not
    punctuation starts a new one. Abbreviations and decimals stay inside one word, so their
    periods never end a sentence.
    """
    if not words:
        return 0
    sentences = 1
    seen_terminal = False
    for word in words:
        if word in TERMINAL_PUNCTUATION:
            seen_terminal = True
        elif seen_terminal and _PUNCT_WORD.fullmatch(word) is None:
            sentences += 1
            seen_terminal = False
    return sentences


_PUNCT_WORD = regex.compile(r"\p{P}+")

# --------------------------------------------------------------------------- batch helpers

_LINE_BOUNDARY = r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x{85}\x{2028}\x{2029}]"


def han_ratio(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Han characters / (Han characters + Latin letters), per text (0 for texts with neither)."""
    out = np.zeros(len(texts), dtype=np.float64)
    # most texts have no Han character, and finding a first one is cheaper than counting
    has_han = np.flatnonzero(to_numpy(pc.match_substring_regex(texts, r"\p{Han}")))
    if has_han.size:
        counts = script_counts(pc.take(texts, pa.array(has_han))).astype(np.float64)
        out[has_han] = counts[:, HAN] / (counts[:, HAN] + counts[:, LATIN])
    return out


def lines_for_gopher(texts: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Lines as ``str.splitlines`` gives them: flat lines, their text index, and lines per text.

    Arrow splits at every boundary and keeps a trailing empty piece; ``splitlines`` drops it
    (and returns no lines for an empty text), so those pieces are removed here.
    """
    pieces = pc.split_pattern_regex(texts, _LINE_BOUNDARY)
    parents = pc.list_parent_indices(pieces).to_numpy()
    flat = pc.list_flatten(pieces)
    per_text = pc.list_value_length(pieces).to_numpy(zero_copy_only=False).astype(np.int64)
    ends_with_break = pc.match_substring_regex(texts, f"(?:{_LINE_BOUNDARY})$")
    empty = pc.equal(pc.utf8_length(texts), 0)
    drop_last = pc.or_(ends_with_break, empty).to_numpy(zero_copy_only=False)
    if drop_last.any():
        last_index = np.cumsum(per_text) - 1
        keep = np.ones(len(flat), dtype=bool)
        keep[last_index[drop_last & (per_text > 0)]] = False
        flat = flat.filter(pa.array(keep))
        parents = parents[keep]
        per_text = per_text - drop_last.astype(np.int64)
    return flat, parents, per_text


def first_reason(checks: Sequence[tuple[np.ndarray, str]], n_rows: int) -> pa.Array:
    """Reason codes from ordered ``(failed, code)`` checks: the first failed check wins, null
    where every check passed (as datatrove's filters return at their first failing rule)."""
    reasons = np.full(n_rows, None, dtype=object)
    for failed, code in reversed(checks):
        reasons[failed] = code
    return pa.array(reasons, pa.string())


def per_profile(is_zh: np.ndarray, english: float | None, chinese: float | None) -> np.ndarray:
    """A per-row threshold: ``chinese`` where ``is_zh``, else ``english``; NaN = rule disabled.

    As in datatrove, a threshold of ``None`` or 0 disables its rule.
    """
    en = float(english) if english else np.nan
    zh = float(chinese) if chinese else np.nan
    return np.where(is_zh, zh, en)


def exceeds(values: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """``values > limit`` where the limit is enabled (not NaN)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(~np.isnan(limit) & (values > limit))


def below(values: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """``values < limit`` where the limit is enabled (not NaN)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(~np.isnan(limit) & (values < limit))


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise ratio, 0 where the denominator is 0."""
    out = np.zeros(len(numerator), dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def to_numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False))

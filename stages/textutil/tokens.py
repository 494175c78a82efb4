"""Tokens of English and Chinese text, as spaCy's English tokenizer cuts them.

The published rules (Gopher, C4, FineWeb) were tuned on spaCy's tokens: datatrove counts with
spaCy's English tokenizer. Running spaCy on every document costs more than all the rules
together, so ``split_chunks`` reproduces the parts of that tokenizer the rules are sensitive to
with one regular-expression pass (see ``_EN_SPLIT``):

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
punctuation mark becomes its own token. Without this a Chinese paragraph is one giant token.

Callers use ``stages.textutil.words``, which caches the tokens of every distinct chunk; what a
*word* is (a token that is not only punctuation) is defined there.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import cache
from typing import Any, Literal

import numpy as np
import regex

__all__ = ["CjkMode", "load_segmenter", "split_chunks"]

#: How runs of Han characters become tokens: one per character, or jieba's words.
CjkMode = Literal["jieba", "char"]

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


def split_chunks(chunks: list[str], cjk: CjkMode) -> dict[str, tuple[str, ...]]:
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
            wrapped = _wrapped_word(chunk, contraction)
            if wrapped is not None:
                out[chunk] = wrapped
                continue
        elif char_mode and _not_cjk_char().search(chunk) is None and _HAN.search(chunk) is not None:
            # Han characters and punctuation only: each character is a word of its own
            out[chunk] = tuple(chunk)
            continue
        hard.append(chunk)
    if hard:
        out.update(_split_by_expressions(hard, cjk))
    return out


def _wrapped_word(
    chunk: str, contraction: Callable[[str], tuple[str, str] | None]
) -> tuple[str, ...] | None:
    """Tokens of an ASCII word inside brackets and quotes (``(see``, ``"word",``, ``[x]``,
    ``word!)``): each mark is a token; None for any other shape. Marks that start an
    emoticon or a special token (``;)``, ``:``, ``.``, ``'``) are left to the expressions."""
    core = chunk.lstrip(_WRAP_OPEN)
    opening = len(chunk) - len(core)
    core = core.rstrip(_WRAP_CLOSE)
    closing = chunk[opening + len(core) :]
    if not core.isalpha() or ";)" in closing or not (opening or closing):
        return None
    return (*chunk[:opening], *(contraction(core) or (core,)), *closing)


_WRAP_OPEN = '([{"'
_WRAP_CLOSE = ')]}",;!?'

# Apostrophe-less contractions as whole chunks ("dont" -> "do", "nt"), for split_chunks.
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
    from stages.textutil.scripts import property_table

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

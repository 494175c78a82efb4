"""Text preparation shared by classifier training and inference.

A fastText model only means what it was trained on: the words it saw. So the trainer
(``train.py``) and the stage (``fasttext_classifier.py``) call the same function here, with
the settings the model card records, and a model is never scored on text prepared another way.

The steps, in order:

1. lower-casing (``lowercase``; Unicode-aware; Chinese has no case and is unchanged);
2. whitespace: fastText splits words on ASCII whitespace and ends a document at a newline.
   Newlines become spaces, and the Unicode spaces fastText would keep inside a word (the
   ideographic space U+3000 of Chinese text, no-break spaces, line/paragraph separators)
   become ASCII spaces, so for fastText every run of whitespace is one word boundary. Runs
   of spaces are left as they are: fastText's tokens are the same, and collapsing them
   would cost more than the prediction itself;
3. Chinese segmentation (``chinese``): a Chinese sentence has no spaces, so fastText would
   see a whole clause as one "word" and its word bigrams would mean nothing. Runs of Han
   characters are cut into words with jieba (dictionary only: ``jieba``; ``jieba_hmm`` also
   guesses unknown words with jieba's HMM, ~1.6x slower), or into single characters
   (``chars``: with word bigrams this gives character bigrams, no dictionary needed), and
   surrounded by spaces so punctuation and Latin text next to them become tokens of their
   own. Only documents that contain a Han character go through Python; the rest stay in
   Arrow (``prepare_array``), and the stage hands them to fastText as UTF-8 bytes.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ChineseSegmentation", "TextPrep", "prepare_array", "prepare_texts", "segment_han"]

ChineseSegmentation = Literal["jieba", "jieba_hmm", "chars", "none"]

# RE2 (pyarrow) and the `regex` module both know the Unicode script property.
_HAN = r"\p{Han}"
#: Whitespace that fastText does not split on (it splits on space, \t, \v, \f, \r, \0 and
#: ends a line at \n): NEL, no-break spaces, the Unicode spaces, separators, ideographic space.
_OTHER_SPACE = (
    r"[\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{1c}-\x{1f}]"
)
_lock = threading.Lock()
_han_runs: Any = None


class TextPrep(BaseModel):
    """How text is prepared for a fastText classifier; recorded in the model card."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lowercase: bool = Field(True, description="lower-case the text before tokenising")
    chinese: ChineseSegmentation = Field(
        "jieba",
        description="segmentation of Han text: 'jieba' (dictionary), 'jieba_hmm' (dictionary "
        "+ HMM for unknown words), 'chars' (one token per character), 'none'",
    )


def _jieba() -> Any:
    import logging

    import jieba

    with _lock:
        if not jieba.dt.initialized:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
    return jieba


def _pattern() -> Any:
    global _han_runs
    if _han_runs is None:
        import regex

        _han_runs = regex.compile(rf"({_HAN}+)")
    return _han_runs


def segment_han(text: str, mode: ChineseSegmentation) -> str:
    """``text`` with every run of Han characters cut into space-separated words.

    >>> segment_han("我们的银行贷款rate是3%。", "chars")
    '我 们 的 银 行 贷 款 rate 是 3%。'
    """
    if mode == "none":
        return text
    parts = _pattern().split(text)
    if len(parts) == 1:
        return text
    jieba = _jieba() if mode != "chars" else None
    hmm = mode == "jieba_hmm"
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:  # text between Han runs (split() puts captured runs at odd positions)
            if part:
                out.append(part)
        elif jieba is None:
            out.append(" ".join(part))
        else:
            out.append(" ".join(jieba.lcut(part, HMM=hmm)))
    return " ".join(p.strip() for p in out if not p.isspace()).strip()


def prepare_array(texts: pa.Array | pa.ChunkedArray, prep: TextPrep) -> pa.Array:
    """The prepared text of each document, one line each (null text → empty string), as an
    Arrow string array. Documents without Han characters never become Python strings."""
    arr = pc.fill_null(texts.cast(pa.string()), "")
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if prep.lowercase:
        arr = pc.utf8_lower(arr)
    arr = pc.replace_substring(arr, "\n", " ")
    if len(arr) == 0:
        return arr
    other_ws = pc.match_substring_regex(arr, _OTHER_SPACE)
    if pc.any(other_ws).as_py():  # rare: rewrite only the rows that have such a space
        fixed = pc.replace_substring_regex(arr.filter(other_ws), _OTHER_SPACE, " ")
        arr = pc.replace_with_mask(arr, other_ws, fixed)
    if prep.chinese == "none":
        return arr
    has_han = pc.match_substring_regex(arr, _HAN)
    if not pc.any(has_han).as_py():
        return arr
    out: list[str] = arr.to_pylist()
    for i in pc.indices_nonzero(has_han).to_pylist():
        out[i] = segment_han(out[i], prep.chinese)
    return pa.array(out, pa.string())


def prepare_texts(texts: pa.Array | pa.ChunkedArray, prep: TextPrep) -> list[str]:
    """The prepared text of each document, one line each (null text → empty string)."""
    out: list[str] = prepare_array(texts, prep).to_pylist()
    return out

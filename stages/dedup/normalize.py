"""Text normalisation before shingling: what two copies of one text may differ by and still
shingle the same.

On by default, each switchable (``minhash_dedup`` config keys of the same names):

- ``strip_markup``: HTML, Markdown and reStructuredText reduced to their text where a
  document looks like one of them (``markup.py``);
- ``nfkc``: Unicode NFKC, which folds full-width letters, digits and punctuation
  (``ＡＢＣ１２３，`` → ``ABC123,``), compatibility ideographs and ligatures;
- ``lowercase``: Unicode lower case (case folding for the scripts that have case);
- ``strip_punctuation``: character shingles (Chinese, Japanese, Korean) are built from the
  word characters only (letters, digits, ideographs, ``_``: Python's ``\\w``), so that copies
  differing in punctuation (including the full-width ``。，、「」《》`` that NFKC keeps) or
  whitespace shingle alike. Word shingles are always runs of ``\\w``, which ignore
  punctuation and whitespace whatever this says.

``normalize_one`` is the plain-Python twin of the batch path, used by the reference
shingler (``shingles.shingle_tokens``) and the tests.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "DEFAULT_NORMALIZATION",
    "Normalization",
    "ShingleMode",
    "normalize",
    "normalize_one",
    "prepare",
    "splice",
]


#: How a document becomes shingles: word n-grams, character n-grams, or chosen per document by
#: its share of CJK characters (``shingles.shingle_modes``). Here, not in ``shingles.py``, so
#: that a config can name it without importing the compiled kernels.
ShingleMode = Literal["auto", "word", "char"]


@dataclass(frozen=True)
class Normalization:
    """Which normalisations run before shingling (see the module docstring)."""

    strip_markup: bool = True
    nfkc: bool = True
    lowercase: bool = True
    strip_punctuation: bool = True


DEFAULT_NORMALIZATION = Normalization()


def prepare(texts: pa.Array | pa.ChunkedArray, norm: Normalization) -> pa.Array:
    """``texts`` as one large_string array, nulls empty, markup stripped if configured."""
    from stages.dedup.markup import strip_markup

    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.string())
    arr = pc.fill_null(texts.cast(pa.large_string()), "")
    return strip_markup(arr) if norm.strip_markup else arr


def normalize(texts: pa.Array, norm: Normalization, ascii_only: bool = False) -> pa.Array:
    """NFKC (``nfkc.nfkc``: the general normaliser only where a document needs it) and lower
    case as configured, on a prepared array. ``ascii_only``: the caller knows every text is
    ASCII, where NFKC is the identity and lower-casing is ASCII's."""
    if ascii_only:
        return pc.ascii_lower(texts) if norm.lowercase else texts
    if norm.nfkc:
        from stages.dedup.nfkc import nfkc

        texts = nfkc(texts)
    return pc.utf8_lower(texts) if norm.lowercase else texts


def normalize_one(text: str, norm: Normalization = DEFAULT_NORMALIZATION) -> str:
    """One text through ``prepare`` and ``normalize`` (markup via the batch function)."""
    if norm.strip_markup:
        text = str(prepare(pa.array([text], pa.large_string()), norm)[0].as_py())
    if norm.nfkc:
        text = unicodedata.normalize("NFKC", text)
    return text.lower() if norm.lowercase else text


def splice(base: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``base`` with ``values`` in place of its rows ``rows`` (one take, no Python loop)."""
    index = np.arange(len(base), dtype=np.int64)
    index[rows] = len(base) + np.arange(len(rows), dtype=np.int64)
    return pa.concat_arrays([base, values.cast(base.type)]).take(pa.array(index))


def is_word_char(ch: str) -> bool:
    """Python's ``\\w`` for one character: alphanumeric or ``_``."""
    return ch.isalnum() or ch == "_"

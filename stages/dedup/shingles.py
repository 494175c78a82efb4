"""Shingling: the set of n-grams a MinHash signature summarises, computed for a whole batch.

Defaults, and why:

- **Normalisation** (``normalize.py``, each step configurable): markup stripped to text
  where a document looks like HTML/Markdown/RST, Unicode NFKC (full-width → half-width),
  lower case, and punctuation dropped from character shingles. A copy converted between
  full- and half-width characters, re-punctuated or re-rendered in another markup
  shingles the same as its original.
- **Word n-grams for space-delimited text**: tokens are maximal runs of alphanumeric
  characters and ``_`` (Python's ``\\w``), so punctuation and whitespace edits do not change
  the shingles; a shingle is ``n`` consecutive tokens. ``n = 5`` as in datatrove's
  ``MinhashConfig`` and RefinedWeb (Penedo et al., 2023): short enough that a one-word edit
  touches only ``n`` shingles, long enough that unrelated documents rarely share many.
- **Character n-grams for CJK**: Chinese and Japanese have no spaces, so a word tokenizer
  sees a whole sentence as one token and a single edited character changes every shingle of
  the sentence (datatrove's English tokenizer finds under half the Chinese near-duplicates).
  We take ``n = 5`` consecutive word characters (``\\w``: letters, digits, ideographs),
  whitespace and punctuation dropped (with ``strip_punctuation: false``, punctuation kept).
- **Mode per document** (``auto``): a document is shingled by characters when its CJK
  characters are at least ``cjk_ratio`` (0.2) of its ASCII letters, i.e. when it is mostly
  Chinese/Japanese/Korean even if it quotes code or English terms.
- A document with fewer than ``n`` tokens is one shingle (the whole token sequence); a
  document with no token has no shingle and is never a near-duplicate.

Shingles are never materialised as strings: the normalised batch is one contiguous UTF-8
buffer, a token is a byte range of it, and a token's hash is a polynomial over its bytes, an
n-gram's the same polynomial over its token hashes (``hashing.hash_ranges64``). With numba the
token runs, both levels of hashes and the per-document counts are compiled loops
(``sketch_kernel``); without it, numpy gets the same values from one prefix sum over the bytes
and one over the token hashes. ``shingle_tokens`` is the slow reference used by tests and to
feed other libraries the same shingles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.dedup import sketch_kernel
from stages.dedup.hashing import (
    hash_bytes64,
    hash_ranges64,
    hash_sequence64,
    range_hash_prefix,
    string_buffers,
)
from stages.dedup.normalize import (
    DEFAULT_NORMALIZATION,
    Normalization,
    ShingleMode,
    is_word_char,
    normalize,
    normalize_one,
    prepare,
)
from stages.dedup.token_ranges import token_ranges

__all__ = [
    "ShingleHashes",
    "ShingleMode",
    "shingle_hash32",
    "shingle_hashes",
    "shingle_modes",
    "shingle_tokens",
    "encode_shingle",
    "SHINGLE_SEP",
]

_WORD_PY = re.compile(r"\w+")


@dataclass(frozen=True)
class ShingleHashes:
    """32-bit shingle hashes of a batch, grouped by document.

    ``hashes[offsets[i]:offsets[i+1]]`` are the shingles of document ``i`` (in text order,
    repeats kept: MinHash is a set sketch and a minimum ignores repeats).
    """

    hashes: np.ndarray
    offsets: np.ndarray
    char_mode: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)

    def distinct_counts(self) -> np.ndarray:
        """Number of distinct shingle hashes per document (the size of its shingle set)."""
        ndoc = len(self.offsets) - 1
        if len(self.hashes) == 0:
            return np.zeros(ndoc, dtype=np.int64)
        if sketch_kernel.AVAILABLE:
            counts: np.ndarray = sketch_kernel.distinct_counts(self.hashes, self.offsets)
            return counts
        doc = np.repeat(np.arange(ndoc, dtype=np.uint64), self.counts)
        joined = np.sort((doc << np.uint64(32)) | self.hashes.astype(np.uint64))
        first = np.ones(len(joined), dtype=bool)
        first[1:] = joined[1:] != joined[:-1]
        return np.bincount((joined[first] >> np.uint64(32)).astype(np.int64), minlength=ndoc)

    def head(self, length: int) -> ShingleHashes:
        """The first ``length`` shingles of each document."""
        counts = np.minimum(self.counts, length)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        src = np.repeat(self.offsets[:-1] - offsets[:-1], counts) + np.arange(int(offsets[-1]))
        return ShingleHashes(hashes=self.hashes[src], offsets=offsets, char_mode=self.char_mode)


def shingle_modes(norm: pa.Array, mode: ShingleMode, cjk_ratio: float) -> np.ndarray:
    """Boolean per document: True where the document is shingled by characters.

    CJK characters are counted from UTF-8 lead bytes 0xE3..0xED (U+3000..U+DFFF: CJK
    punctuation, kana, CJK unified ideographs, Hangul syllables) and 0xF0 (supplementary
    ideographs); Latin letters as ASCII ``a-z`` after lower-casing.
    """
    n = len(norm)
    if mode == "word":
        return np.zeros(n, dtype=bool)
    if mode == "char":
        return np.ones(n, dtype=bool)
    offsets, data = string_buffers(norm)
    if len(data) == 0:
        return np.zeros(n, dtype=bool)
    if sketch_kernel.AVAILABLE:
        n_cjk, n_lat = sketch_kernel.script_counts(data, offsets)
    else:
        cjk = ((data >= 0xE3) & (data <= 0xED)) | (data == 0xF0)
        latin = (data >= 0x61) & (data <= 0x7A)
        cum_cjk = np.concatenate([[0], np.cumsum(cjk, dtype=np.int64)])
        cum_lat = np.concatenate([[0], np.cumsum(latin, dtype=np.int64)])
        n_cjk = cum_cjk[offsets[1:]] - cum_cjk[offsets[:-1]]
        n_lat = cum_lat[offsets[1:]] - cum_lat[offsets[:-1]]
    by_char: np.ndarray = (n_cjk > 0) & (n_cjk >= cjk_ratio * n_lat)
    return by_char


def _ngram_hashes(
    buf: pa.Array, ngram: int, tokens: str, word_only: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(uint32 hashes, per-doc counts) of the token n-grams of a prepared buffer.

    Two levels: each token's bytes are hashed (``hash_ranges64``), then each run of
    ``ngram`` consecutive token hashes is hashed the same way over the token-hash sequence.
    Separators between tokens never enter a hash, so ``"a, b"`` and ``"a b"`` agree.
    """
    offsets, data = string_buffers(buf)
    ndoc = len(offsets) - 1
    if len(data) == 0:
        return np.zeros(0, dtype=np.uint32), np.zeros(ndoc, dtype=np.int64)
    starts, ends, ntok = token_ranges(offsets, data, tokens, word_only)
    nsh = np.where(ntok >= ngram, ntok - ngram + 1, np.minimum(ntok, 1))
    total = int(nsh.sum())
    if total == 0:
        return np.zeros(0, dtype=np.uint32), nsh
    tok_off = np.concatenate([[0], np.cumsum(ntok)])
    sh_off = np.concatenate([[0], np.cumsum(nsh)])
    if sketch_kernel.AVAILABLE:
        out = np.empty(total, dtype=np.uint32)
        sketch_kernel.ngram_hashes(data, starts, ends, tok_off, sh_off, ngram, out)
        return out, nsh
    prefix, pinv = range_hash_prefix(data)
    tok_hash = hash_ranges64(prefix, pinv, starts, ends)
    sh_doc = np.repeat(np.arange(ndoc), nsh)
    first = tok_off[sh_doc] + (np.arange(total) - sh_off[sh_doc])
    stop = np.minimum(first + ngram, tok_off[sh_doc + 1])
    prefix2, pinv2 = range_hash_prefix(tok_hash)
    h64 = hash_ranges64(prefix2, pinv2, first, stop)
    return (h64 >> np.uint64(32)).astype(np.uint32), nsh


def shingle_hashes(
    texts: pa.Array | pa.ChunkedArray,
    ngram: int = 5,
    mode: ShingleMode = "auto",
    cjk_ratio: float = 0.2,
    norm: Normalization = DEFAULT_NORMALIZATION,
) -> ShingleHashes:
    """Hash every shingle of every document of ``texts`` (see the module docstring).

    With numba and word-character shingles (the default), one compiled pass per document
    (``fused_shingles``) does it for every document whose characters a table normalises;
    the rest, and every document otherwise, take the vector passes (``_general``).
    """
    from stages.dedup import fused_shingles

    raw = prepare(texts, norm)
    if not (sketch_kernel.AVAILABLE and norm.strip_punctuation):
        return _general(raw, ngram, mode, cjk_ratio, norm)
    hashes, counts, char_mode, slow = fused_shingles.fused_shingle_hashes(
        raw, ngram, mode, cjk_ratio, norm
    )
    idx_slow = np.flatnonzero(slow)
    if len(idx_slow) == 0:
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return ShingleHashes(hashes=hashes, offsets=offsets, char_mode=char_mode)
    rest = _general(raw.take(pa.array(idx_slow)), ngram, mode, cjk_ratio, norm)
    counts[idx_slow] = rest.counts
    char_mode[idx_slow] = rest.char_mode
    idx_fast = np.flatnonzero(~slow)
    return _assemble(
        counts,
        char_mode,
        [(idx_fast, hashes, counts[idx_fast]), (idx_slow, rest.hashes, rest.counts)],
    )


def _assemble(
    counts: np.ndarray,
    char_mode: np.ndarray,
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> ShingleHashes:
    """One ``ShingleHashes`` in batch order from parts of (document indices, their hashes
    one document after another, their shingle counts)."""
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    hashes = np.empty(int(offsets[-1]), dtype=np.uint32)
    for idx, h, nsh in parts:
        if len(h) == 0:
            continue
        # scatter each document's run of hashes to its place in batch order
        src_off = np.concatenate([[0], np.cumsum(nsh)])
        dst = np.repeat(offsets[idx] - src_off[:-1], nsh) + np.arange(len(h))
        hashes[dst] = h
    return ShingleHashes(hashes=hashes, offsets=offsets, char_mode=char_mode)


def _general(
    raw: pa.Array, ngram: int, mode: ShingleMode, cjk_ratio: float, norm: Normalization
) -> ShingleHashes:
    """The vector passes over a prepared batch: normalisation, then tokens and hashes per
    group of documents (ASCII; non-ASCII by characters; non-ASCII by words)."""
    ndoc = len(raw)
    counts = np.zeros(ndoc, dtype=np.int64)
    char_mode = np.zeros(ndoc, dtype=bool)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    ascii_doc = pc.string_is_ascii(raw).to_numpy(zero_copy_only=False)
    # NFKC is the identity on ASCII and ASCII text has no CJK: ASCII documents only need
    # ASCII lower-casing, and are tokenised from their bytes (``_WORD_BYTE``) without a regex.
    idx_ascii = np.flatnonzero(ascii_doc)
    idx_other = np.flatnonzero(~ascii_doc)
    ascii_norm = normalize(raw.take(pa.array(idx_ascii)), norm, ascii_only=True)
    other_norm = normalize(raw.take(pa.array(idx_other)), norm)
    other_char = shingle_modes(other_norm, mode, cjk_ratio)
    char_mode[idx_other] = other_char
    if mode == "char":
        char_mode[:] = True
    # (document indices, normalised texts, tokenizer): ASCII documents are tokenised from
    # their bytes, the others by code point; neither needs a regex.
    groups: list[tuple[np.ndarray, pa.Array, str]] = [
        (idx_other[other_char], other_norm.filter(pa.array(other_char)), "char"),
        (idx_other[~other_char], other_norm.filter(pa.array(~other_char)), "unicode_word"),
        (idx_ascii, ascii_norm, "char" if mode == "char" else "ascii_word"),
    ]
    for idx, buf, tokens in groups:
        if len(idx) == 0:
            continue
        h, nsh = _ngram_hashes(buf, ngram, tokens, norm.strip_punctuation)
        counts[idx] = nsh
        parts.append((idx, h, nsh))
    return _assemble(counts, char_mode, parts)


def shingle_tokens(
    text: str,
    ngram: int = 5,
    mode: ShingleMode = "auto",
    cjk_ratio: float = 0.2,
    norm: Normalization = DEFAULT_NORMALIZATION,
) -> list[tuple[str, ...]]:
    """The shingles of one document as token tuples: the slow reference for ``shingle_hashes``.

    Word tokens are ``re.findall(r"\\w+")`` of the normalised text; character tokens are
    its word characters (or, with ``strip_punctuation`` off, its non-whitespace characters).
    ``shingle_hash32(encode_shingle(t))`` of each tuple equals the batch hash.
    """
    clean = normalize_one(text, norm)
    by_char = bool(shingle_modes(pa.array([clean], pa.large_string()), mode, cjk_ratio)[0])
    if not by_char:
        toks = _WORD_PY.findall(clean)
    elif norm.strip_punctuation:
        toks = [c for c in clean if is_word_char(c)]
    else:
        toks = list("".join(clean.split()))
    if not toks:
        return []
    if len(toks) < ngram:
        return [tuple(toks)]
    return [tuple(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)]


#: Separates the tokens of a shingle in its byte form (never part of a token).
SHINGLE_SEP = b"\x1f"


def encode_shingle(tokens: tuple[str, ...]) -> bytes:
    """The byte form of a shingle that ``shingle_hash32`` (and datasketch) take."""
    return SHINGLE_SEP.join(t.encode("utf-8") for t in tokens)


def shingle_hash32(shingle: bytes) -> int:
    """32-bit hash of one shingle in byte form; usable as datasketch ``MinHash(hashfunc=...)``.

    Scalar twin of the batch path: token hashes, then the hash of their sequence.
    """
    toks = shingle.split(SHINGLE_SEP)
    seq = np.array([hash_bytes64(t) for t in toks], dtype=np.uint64)
    return int(hash_sequence64(seq)) >> 32

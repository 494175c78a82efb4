"""The per-line pass of our fastText prediction (``fasttext_native.py`` says what it computes):
tokens, dictionary lookups, the rows of unknown words' character n-grams (``fasttext_hashing.py``)
and of word n-grams, and the sum of each line's input rows, over the UTF-8 bytes of an Arrow
string array; and the label scores of a hierarchical softmax.

fastText's ``Dictionary`` (``src/dictionary.cc``), step by step:

- a token is a run of bytes other than space, ``\\t``, ``\\v``, ``\\f``, ``\\r``, ``\\0`` and
  ``\\n``; a newline is the token ``</s>`` and ends the line, and so does a literal ``</s>``;
- a known word adds its own row and the rows of its character n-grams (``getSubwords``); an
  unknown word adds the rows of its character n-grams only (``computeSubwords``); a token
  starting with the label prefix adds nothing;
- word n-grams hash the word tokens' hashes (``addWordNgrams``) and go through the same
  pruning table as character n-grams.

The sums are float64; fastText adds float32 rows one at a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stages.textutil.fasttext_hashing import (
    PRUNE_ALL,
    PRUNE_TABLE,
    char_ngrams,
    fnv,
    jit,
    same_bytes,
    table_row,
)

__all__ = ["CACHE_TOKEN_BYTES", "doc_sums", "new_word_cache", "tree_scores"]

_NGRAM_MUL = 116049371
#: Unknown tokens of up to this many bytes have their n-gram sums remembered from one call to
#: the next (up to this many tokens, and this many float64 numbers in all).
CACHE_TOKEN_BYTES = 64
_CACHE_ENTRIES = 1 << 17
_CACHE_FLOATS = 1 << 21


def new_word_cache(width: int, enabled: bool) -> tuple[np.ndarray, ...]:
    """Empty memory of unknown words' n-gram sums for ``doc_sums`` (``ctable``, ``chash``,
    ``cstart``, ``cend``, ``cvec``, ``ccount``, ``arena``, ``cstate``): an open-addressing table
    (a power of two, at most half full) of entries holding the word's hash, its bytes (in
    ``arena``), its sum and count, and one more row of scratch space for a word not kept;
    ``cstate``: entries and arena bytes used. A result never depends on what is remembered:
    a word's sum is computed the same way either way."""
    cap = min(_CACHE_ENTRIES, max(_CACHE_FLOATS // max(width, 1), 1)) if enabled else 0
    size = 1 << max(1, (2 * cap - 1).bit_length()) if cap else 1
    return (
        np.full(size, -1, np.int64),
        np.empty(cap, np.uint64),
        np.empty(cap, np.int64),
        np.empty(cap, np.int64),
        np.empty((cap + 1, width)),
        np.empty(cap + 1, np.int64),
        np.empty(cap * 16, np.uint8),  # room for words of 16 bytes on average
        np.zeros(2, np.int64),
    )


@jit
def doc_sums(  # pragma: no cover - compiled; tests also run the Python version
    data: np.ndarray,
    offsets: np.ndarray,
    vbuf: np.ndarray,
    voff: np.ndarray,
    vhash: np.ndarray,
    vlabel: np.ndarray,
    table: np.ndarray,
    wsums: np.ndarray,
    wcounts: np.ndarray,
    rows: np.ndarray,
    nwords: int,
    bucket: int,
    word_ngrams: int,
    minn: int,
    maxn: int,
    prune: int,
    pbits: np.ndarray,
    pkeys: np.ndarray,
    pvals: np.ndarray,
    prefix: np.ndarray,
    eos: np.ndarray,
    ctable: np.ndarray,
    chash: np.ndarray,
    cstart: np.ndarray,
    cend: np.ndarray,
    cvec: np.ndarray,
    ccount: np.ndarray,
    arena: np.ndarray,
    cstate: np.ndarray,
) -> Any:
    """For each document ``data[offsets[d]:offsets[d+1]]`` (a line without its newline): the sum
    of the ``rows`` fastText would average, and how many rows. ``wsums``/``wcounts``: each
    word's own sum (``word_sums``). ``ctable`` ... ``cstate``: the unknown words remembered
    (``new_word_cache``), updated in place."""
    ndocs = offsets.shape[0] - 1
    width = rows.shape[1]
    sums = np.zeros((ndocs, width))
    counts = np.zeros(ndocs, np.int64)
    mask = np.uint64(table.shape[0] - 1)
    npend_max = max(word_ngrams - 1, 1)
    pend = np.zeros(npend_max, np.uint64)  # running n-gram hashes of the last n-1 words
    mul = np.uint64(_NGRAM_MUL)
    ubucket = np.uint64(max(bucket, 1))
    longest = 0
    if maxn > 0:
        for d in range(ndocs):
            longest = max(longest, offsets[d + 1] - offsets[d])
    starts = np.empty(longest + 3, np.int64)  # character starts of a token, for its n-grams
    # unknown short tokens' n-gram sums, computed once per call (a word recurs across lines):
    # an open-addressing table of entries (hash, first occurrence in data, sum, count)
    cap = chash.shape[0]
    cmask = np.uint64(ctable.shape[0] - 1)
    used = cstate[0]
    aused = cstate[1]
    for d in range(ndocs):
        pos = offsets[d]
        end = offsets[d + 1]
        npend = 0
        nrows = 0
        while True:
            while pos < end:  # skip blanks (space \t \v \f \r \0), stop at a newline
                c = data[pos]
                if c == 32 or c == 0 or (c >= 9 and c <= 13 and c != 10):
                    pos += 1
                else:
                    break
            if pos >= end or data[pos] == 10:  # the newline: token </s>, then stop
                tok = eos
                s = 0
                e = eos.shape[0]
                last = True
            else:
                s = pos
                while pos < end:
                    c = data[pos]
                    if c == 32 or c == 0 or (c >= 9 and c <= 13):
                        break
                    pos += 1
                tok = data
                e = pos
                last = same_bytes(data, s, e, eos, 0, eos.shape[0])  # "</s>" in the text stops too
            h = fnv(tok, s, e)
            wid = -1
            slot = h & mask
            while table[slot] >= 0:
                cand = table[slot]
                if vhash[cand] == h and same_bytes(tok, s, e, vbuf, voff[cand], voff[cand + 1]):
                    wid = cand
                    break
                slot = (slot + np.uint64(1)) & mask
            if wid >= 0:
                is_word = not vlabel[wid]
            else:
                is_word = not same_bytes(
                    tok, s, min(e, s + prefix.shape[0]), prefix, 0, prefix.shape[0]
                )
            if is_word:
                if wid >= 0:
                    for k in range(width):
                        sums[d, k] += wsums[wid, k]
                    nrows += wcounts[wid]
                elif maxn > 0 and not last:  # an unknown word: its character n-grams
                    entry = cap  # the scratch row
                    slot = h & cmask
                    short = e - s <= CACHE_TOKEN_BYTES
                    if short:
                        while ctable[slot] >= 0:
                            cand = ctable[slot]
                            if chash[cand] == h and same_bytes(
                                tok, s, e, arena, cstart[cand], cend[cand]
                            ):
                                entry = cand
                                break
                            slot = (slot + np.uint64(1)) & cmask
                    if entry == cap:  # not remembered: compute its sum (and remember it)
                        if short and used < cap and aused + e - s <= arena.shape[0]:
                            entry = used
                            used += 1
                            ctable[slot] = entry
                            chash[entry] = h
                            cstart[entry] = aused
                            for k in range(s, e):
                                arena[aused] = tok[k]
                                aused += 1
                            cend[entry] = aused
                        for k in range(width):
                            cvec[entry, k] = 0.0
                        ccount[entry] = char_ngrams(
                            tok, s, e, minn, maxn, bucket, nwords, prune, pbits, pkeys, pvals,
                            rows, cvec, entry, starts,
                        )  # fmt: skip
                    for k in range(width):
                        sums[d, k] += cvec[entry, k]
                    nrows += int(ccount[entry])
                if word_ngrams > 1:
                    x = np.uint64(h)
                    if x >= np.uint64(0x80000000):  # int32 hash sign-extended to 64 bits
                        x |= np.uint64(0xFFFFFFFF00000000)
                    for j in range(npend):
                        pend[j] = pend[j] * mul + x
                        r = np.int64(pend[j] % ubucket)
                        if prune == PRUNE_ALL:
                            r = np.int64(-1)
                        elif prune == PRUNE_TABLE:
                            r = np.int64(table_row(r, pkeys, pvals))
                        if r >= 0:
                            for k in range(width):
                                sums[d, k] += rows[nwords + r, k]
                            nrows += 1
                    if npend == word_ngrams - 1:  # the oldest start has its longest n-gram
                        for j in range(npend - 1):
                            pend[j] = pend[j + 1]
                        npend -= 1
                    pend[npend] = x
                    npend += 1
            if last:
                break
        counts[d] = nrows
    cstate[0] = used
    cstate[1] = aused
    return sums, counts


@jit
def tree_scores(  # pragma: no cover - compiled; tests also run the Python version
    hidden: np.ndarray, w_out: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Hierarchical softmax: each label's score (fastText's ``dfs`` without its pruning) for
    each hidden vector; inner node ``i`` (``osz`` to ``2 osz - 2``, the root last) has row
    ``i - osz`` of ``w_out`` and children ``left[i]``, ``right[i]`` of lower numbers."""
    n = hidden.shape[0]
    total = left.shape[0]
    osz = (total + 1) // 2
    out = np.empty((n, osz))
    node = np.zeros(total)
    for d in range(n):
        node[total - 1] = 0.0
        for i in range(total - 1, osz - 1, -1):
            x = 0.0
            for k in range(hidden.shape[1]):
                x += hidden[d, k] * w_out[i - osz, k]
            f = 1.0 / (1.0 + np.exp(-x))
            node[left[i]] = node[i] + np.log(1.0 - f + 1e-5)
            node[right[i]] = node[i] + np.log(f + 1e-5)
        for j in range(osz):
            out[d, j] = node[j]
    return out

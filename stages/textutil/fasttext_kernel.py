"""The compiled loops of our fastText prediction (``fasttext_native.py`` says what they compute):
tokens, hashes, dictionary lookups, character and word n-grams, and the sum of each line's input
rows, over the UTF-8 bytes of an Arrow string array.

fastText's ``Dictionary`` (``src/dictionary.cc``), step by step:

- a token is a run of bytes other than space, ``\\t``, ``\\v``, ``\\f``, ``\\r``, ``\\0`` and
  ``\\n``; a newline is the token ``</s>`` and ends the line, and so does a literal ``</s>``;
- its hash is 32-bit FNV-1a over its bytes, each sign-extended (``h ^= uint32_t(int8_t(c))``);
- a known word adds its own row and the rows of its character n-grams (``getSubwords``); an
  unknown word adds the rows of its character n-grams only (``computeSubwords``); a token
  starting with the label prefix adds nothing;
- character n-grams are the substrings of ``<`` + token + ``>`` of ``minn`` to ``maxn``
  UTF-8 characters, except the lone ``<`` and ``>``; the row of one is ``nwords + id``, where
  ``id`` is its hash modulo ``bucket``, mapped through the pruning table of a quantized model
  (an id the table lacks adds nothing, ``pushHash``);
- word n-grams hash the word tokens' hashes (``addWordNgrams``) and go through the same
  pruning table.

The sums are float64; fastText adds float32 rows one at a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "PRUNE_ALL",
    "PRUNE_NONE",
    "PRUNE_TABLE",
    "build_table",
    "doc_sums",
    "fnv",
    "new_word_cache",
    "tree_scores",
    "word_sums",
]

njit: Any
try:  # a dependency; without it the stages score with fastText's own predict
    from numba import njit
except ImportError:  # pragma: no cover - numba is installed with the project
    njit = None

_NGRAM_MUL = 116049371
#: How a bucket id (character or word n-gram) becomes a row: ``nwords + id`` (no pruning, every
#: model fastText did not quantize with a cutoff), nothing (a quantized model that kept no
#: n-gram), or through the kept ids' table.
PRUNE_NONE, PRUNE_ALL, PRUNE_TABLE = 0, 1, 2
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


def _jit(fn: Any) -> Any:
    """``fn`` compiled (cached on disk, releasing the GIL) when numba is there, else as is."""
    return njit(cache=True, nogil=True)(fn) if njit is not None else fn


@_jit
def _step(h: np.uint64, byte: Any) -> np.uint64:  # pragma: no cover - compiled
    c = np.uint64(byte)
    if c >= 128:  # fastText hashes signed chars: sign-extend the byte
        c |= np.uint64(0xFFFFFF00)
    return ((h ^ c) * np.uint64(16777619)) & np.uint64(0xFFFFFFFF)


@_jit
def fnv(buf: np.ndarray, start: int, end: int) -> np.uint64:  # pragma: no cover - compiled
    h = np.uint64(2166136261)
    for i in range(start, end):
        h = _step(h, buf[i])
    return h


@_jit
def build_table(vbuf: np.ndarray, voff: np.ndarray, size: int) -> Any:  # pragma: no cover
    """Hashes of the dictionary's entries and an open-addressing table (``size`` a power of 2)."""
    n = voff.shape[0] - 1
    hashes = np.empty(n, np.uint64)
    table = np.full(size, -1, np.int64)
    mask = np.uint64(size - 1)
    for i in range(n):
        h = fnv(vbuf, voff[i], voff[i + 1])
        hashes[i] = h
        slot = h & mask
        while table[slot] >= 0:
            slot = (slot + np.uint64(1)) & mask
        table[slot] = i
    return hashes, table


@_jit
def _same(
    a: np.ndarray, s: int, e: int, b: np.ndarray, bs: int, be: int
) -> bool:  # pragma: no cover
    if e - s != be - bs:
        return False
    for k in range(e - s):
        if a[s + k] != b[bs + k]:
            return False
    return True


@_jit
def _table_row(b: int, pkeys: np.ndarray, pvals: np.ndarray) -> int:  # pragma: no cover
    """The row offset (after ``nwords``) of kept bucket id ``b``, or -1."""
    mask = pkeys.shape[0] - 1
    slot = b & mask
    while pkeys[slot] >= 0:
        if pkeys[slot] == b:
            return int(pvals[slot])
        slot = (slot + 1) & mask
    return -1


@_jit
def _mod32(h: np.uint64, d: np.uint64, magic: np.uint64) -> np.int64:  # pragma: no cover
    """``h % d`` for 32-bit ``h`` and ``d`` without a division (Lemire, Kaser and Kurz, "Faster
    Remainder by Direct Computation", 2019): ``magic = (2**64 - 1) // d + 1``; the high 64 bits of
    the 96-bit product ``low * d`` are taken from its 32-bit halves."""
    low = magic * h  # wraps modulo 2**64
    hi = (low >> np.uint64(32)) * d
    lo = ((low & np.uint64(0xFFFFFFFF)) * d) >> np.uint64(32)
    return np.int64((hi + lo) >> np.uint64(32))


@_jit
def _char_ngrams(  # pragma: no cover - compiled
    tok: np.ndarray,
    s: int,
    e: int,
    minn: int,
    maxn: int,
    bucket: int,
    nwords: int,
    prune: int,
    pbits: np.ndarray,
    pkeys: np.ndarray,
    pvals: np.ndarray,
    rows: np.ndarray,
    out: np.ndarray,
    d: int,
    starts: np.ndarray,
) -> int:
    """Adds the rows of the character n-grams of token ``tok[s:e]`` to ``out[d]``; how many.
    ``starts``: scratch space of at least ``e - s + 3`` integers."""
    # character starts in "<" + token + ">": 0, then the token's lead bytes (offset by 1)
    nchars = 1
    starts[0] = 0
    for k in range(s, e):
        if (tok[k] & 0xC0) != 0x80:
            starts[nchars] = k - s + 1
            nchars += 1
    starts[nchars] = e - s + 1  # the ">"
    nchars += 1
    starts[nchars] = e - s + 2  # end
    width = rows.shape[1]
    added = 0
    ubucket = np.uint64(bucket)
    magic = np.uint64(0xFFFFFFFFFFFFFFFF) // ubucket + np.uint64(1)
    for i in range(nchars):
        h = np.uint64(2166136261)
        for n in range(1, maxn + 1):
            if i + n > nchars:
                break
            for k in range(starts[i + n - 1], starts[i + n]):
                if k == 0:
                    byte = 60
                elif k == e - s + 1:
                    byte = 62
                else:
                    byte = tok[s + k - 1]
                h = _step(h, byte)
            if n >= minn and not (n == 1 and (i == 0 or i + n == nchars)):
                # the row of bucket id b: nwords + b, or through a quantized model's kept ids
                # (most ids are not kept: one bit says so, from the CPU's cache)
                b = _mod32(h, ubucket, magic)
                r = b
                if prune == PRUNE_ALL:
                    r = -1
                elif prune == PRUNE_TABLE:
                    r = -1
                    if (pbits[b >> 3] >> (b & 7)) & 1:
                        r = _table_row(b, pkeys, pvals)
                if r >= 0:
                    for k in range(width):
                        out[d, k] += rows[nwords + r, k]
                    added += 1
    return added


@_jit
def word_sums(  # pragma: no cover - compiled; tests also run the Python version
    vbuf: np.ndarray,
    voff: np.ndarray,
    nwords: int,
    eos_id: int,
    minn: int,
    maxn: int,
    bucket: int,
    prune: int,
    pbits: np.ndarray,
    pkeys: np.ndarray,
    pvals: np.ndarray,
    rows: np.ndarray,
) -> Any:
    """For each dictionary word: the sum of the rows it adds to a line (its own and those of
    its character n-grams, none for ``</s>``), and how many (fastText's ``initNgrams``)."""
    sums = np.zeros((nwords, rows.shape[1]))
    counts = np.ones(nwords, np.int64)
    longest = 0
    for i in range(nwords):
        longest = max(longest, voff[i + 1] - voff[i])
    starts = np.empty(longest + 3, np.int64)
    for i in range(nwords):
        for k in range(rows.shape[1]):
            sums[i, k] = rows[i, k]
        if maxn > 0 and i != eos_id:
            counts[i] += _char_ngrams(
                vbuf, voff[i], voff[i + 1], minn, maxn, bucket, nwords, prune, pbits, pkeys, pvals,
                rows, sums, i, starts,
            )  # fmt: skip
    return sums, counts


@_jit
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
                last = _same(data, s, e, eos, 0, eos.shape[0])  # "</s>" in the text stops too
            h = fnv(tok, s, e)
            wid = -1
            slot = h & mask
            while table[slot] >= 0:
                cand = table[slot]
                if vhash[cand] == h and _same(tok, s, e, vbuf, voff[cand], voff[cand + 1]):
                    wid = cand
                    break
                slot = (slot + np.uint64(1)) & mask
            if wid >= 0:
                is_word = not vlabel[wid]
            else:
                is_word = not _same(tok, s, min(e, s + prefix.shape[0]), prefix, 0, prefix.shape[0])
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
                            if chash[cand] == h and _same(
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
                        ccount[entry] = _char_ngrams(
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
                            r = np.int64(_table_row(r, pkeys, pvals))
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


@_jit
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

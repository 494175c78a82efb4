"""fastText's supervised prediction, computed here: the same scores as the library's ``predict``,
several times faster.

fastText's ``predict`` of one line (``src/dictionary.cc`` ``getLine``, ``src/model.cc``,
``src/loss.cc``) does, in order:

1. tokens: bytes separated by space, ``\\t``, ``\\v``, ``\\f``, ``\\r`` or ``\\0``; a ``\\n``
   (the Python ``predict`` appends one) is the end-of-sentence token ``</s>``, and reading stops
   after the first ``</s>``, whether it came from a newline or from the text;
2. each token's hash: 32-bit FNV-1a over its bytes, each byte sign-extended from a signed
   char (``h ^= uint32_t(int8_t(c))``); a token starting with the label prefix (``__label__``)
   is a label and takes no further part;
3. the input rows: the id of each in-vocabulary word (models without character n-grams, i.e.
   ``maxn == 0``, add nothing for an unknown word) and, for word n-grams, ``nwords + g %
   bucket`` with ``g = h_i * 116049371 + h_i+1 ...`` in unsigned 64-bit arithmetic over the
   hashes of the word tokens (known or not), each hash sign-extended from ``int32``;
4. hidden = the mean of those rows of the input matrix; output = softmax(W_out · hidden); no
   rows (only labels, an empty vocabulary): no prediction;
5. the Python API returns ``exp(log(p + 1e-5))`` (``std_log`` in ``loss.cc``), i.e. p + 1e-5.

Because the output is linear in the hidden vector, ``W_out · mean(rows) = mean(W_out · row)``:
the rows of ``W_in · W_outᵀ`` (one number per label, computed once at load, in float64) are
averaged instead of rows of ``dim`` numbers. Steps 1-3 run in one compiled loop (numba) over the
UTF-8 bytes of an Arrow string array, with a hash table of the vocabulary built at load.

The scores equal the library's within float32 rounding: fastText sums the rows in float32,
this in float64, and the gap grows with the number of rows. The benchmark's 10,000 web
documents differ by at most 1.2e-7; ``tests/stages/classify/test_fasttext_native.py`` allows
1e-6 on the committed set and on awkward text, 5e-5 above 2,000 tokens (1.4e-5 for one word
repeated 5,000 times, where a float32 sum in fastText's order gives the library's number).

Models this does not cover are scored by the library itself (``native_support`` says why):
quantized (``.ftz``), a loss other than softmax (one-vs-all and negative sampling look the
sigmoid up in a table, hierarchical softmax walks a tree), character n-grams (``maxn > 0``),
or more labels than half the dimension (the projected table would outgrow the model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["NativeFastText", "native_support"]

njit: Any
try:  # a dependency; without it the stage scores with fastText's own predict
    from numba import njit
except ImportError:  # pragma: no cover - numba is installed with the project
    njit = None

_EOS = b"</s>"
_NGRAM_MUL = 116049371
_ROWS_PER_CHUNK = 1 << 13  # rows of W_in converted to float64 at a time when projecting


def _jit(fn: Any) -> Any:
    """``fn`` compiled (cached on disk, releasing the GIL) when numba is there, else as is."""
    return njit(cache=True, nogil=True)(fn) if njit is not None else fn


@_jit
def _fnv(buf: np.ndarray, start: int, end: int) -> np.uint64:  # pragma: no cover - compiled
    h = np.uint64(2166136261)
    for i in range(start, end):
        c = np.uint64(buf[i])
        if c >= 128:  # fastText hashes signed chars: sign-extend the byte
            c |= np.uint64(0xFFFFFF00)
        h = ((h ^ c) * np.uint64(16777619)) & np.uint64(0xFFFFFFFF)
    return h


@_jit
def _build_table(vbuf: np.ndarray, voff: np.ndarray, size: int) -> Any:  # pragma: no cover
    """Hashes of the dictionary's entries and an open-addressing table (``size`` a power of 2)."""
    n = voff.shape[0] - 1
    hashes = np.empty(n, np.uint64)
    table = np.full(size, -1, np.int64)
    mask = np.uint64(size - 1)
    for i in range(n):
        h = _fnv(vbuf, voff[i], voff[i + 1])
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
def _doc_sums(  # pragma: no cover - compiled; tests also run the Python version
    data: np.ndarray,
    offsets: np.ndarray,
    vbuf: np.ndarray,
    voff: np.ndarray,
    vhash: np.ndarray,
    vlabel: np.ndarray,
    table: np.ndarray,
    nwords: int,
    bucket: int,
    word_ngrams: int,
    proj: np.ndarray,
    prefix: np.ndarray,
    eos: np.ndarray,
) -> Any:
    """For each document ``data[offsets[d]:offsets[d+1]]`` (a line without its newline): the sum
    of the ``proj`` rows fastText would average, and how many rows."""
    ndocs = offsets.shape[0] - 1
    nlab = proj.shape[1]
    sums = np.zeros((ndocs, nlab))
    counts = np.zeros(ndocs, np.int64)
    mask = np.uint64(table.shape[0] - 1)
    npend_max = max(word_ngrams - 1, 1)
    pend = np.zeros(npend_max, np.uint64)  # running n-gram hashes of the last n-1 words
    mul = np.uint64(_NGRAM_MUL)
    ubucket = np.uint64(max(bucket, 1))
    for d in range(ndocs):
        pos = offsets[d]
        end = offsets[d + 1]
        npend = 0
        rows = 0
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
            h = _fnv(tok, s, e)
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
                    for k in range(nlab):
                        sums[d, k] += proj[wid, k]
                    rows += 1
                if word_ngrams > 1:
                    x = np.uint64(h)
                    if x >= np.uint64(0x80000000):  # int32 hash sign-extended to 64 bits
                        x |= np.uint64(0xFFFFFFFF00000000)
                    for j in range(npend):
                        pend[j] = pend[j] * mul + x
                        row = nwords + np.int64(pend[j] % ubucket)
                        for k in range(nlab):
                            sums[d, k] += proj[row, k]
                        rows += 1
                    if npend == word_ngrams - 1:  # the oldest start has its longest n-gram
                        for j in range(npend - 1):
                            pend[j] = pend[j + 1]
                        npend -= 1
                    pend[npend] = x
                    npend += 1
            if last:
                break
        counts[d] = rows
    return sums, counts


def native_support(model: Any) -> str | None:
    """Why the native path cannot score ``model`` (a ``fasttext`` model), or None if it can."""
    from fasttext.FastText import loss_name, model_name

    args = model.f.getArgs()
    if njit is None:
        return "numba is not installed"
    if model.f.isQuant():
        return "quantized model"
    if args.model != model_name.supervised:
        return f"not a supervised model ({args.model.name})"
    if args.loss != loss_name.softmax:
        return f"loss {args.loss.name} (only softmax is computed natively)"
    if args.maxn > 0:
        return "character n-grams (maxn > 0)"
    if args.wordNgrams > 1 and args.bucket <= 0:
        return "word n-grams without buckets"
    if 2 * len(model.get_labels()) > args.dim:
        return f"{len(model.get_labels())} labels for dimension {args.dim}"
    return None


@dataclass(frozen=True)
class _Dictionary:
    vbuf: np.ndarray  # the entries' bytes, concatenated
    voff: np.ndarray  # entry i is vbuf[voff[i]:voff[i+1]]
    vhash: np.ndarray
    vlabel: np.ndarray  # entry i is a label
    table: np.ndarray


class NativeFastText:
    """A supervised softmax fastText model reduced to what prediction needs: its dictionary and
    ``W_in · W_outᵀ``. Holds no reference to the fastText model, which can then be freed."""

    def __init__(self, model: Any) -> None:
        reason = native_support(model)
        if reason is not None:
            raise ValueError(f"fastText model not supported natively: {reason}")
        args = model.f.getArgs()
        words = model.f.getVocab("surrogateescape")[0]  # invalid UTF-8 kept as its bytes
        self.labels: list[str] = list(model.get_labels())
        entries = [w.encode("utf-8", "surrogateescape") for w in [*words, *self.labels]]
        self.nwords = len(words)
        self.bucket = int(args.bucket)
        self.word_ngrams = int(args.wordNgrams)
        self._prefix = np.frombuffer(args.label.encode("utf-8"), np.uint8)
        self._eos = np.frombuffer(_EOS, np.uint8)
        lengths = np.fromiter(map(len, entries), np.int64, len(entries))
        voff = np.zeros(len(entries) + 1, np.int64)
        np.cumsum(lengths, out=voff[1:])
        vbuf = np.frombuffer(b"".join(entries), np.uint8)
        size = 1 << max(4, (2 * len(entries) - 1).bit_length())  # load factor <= 1/2
        vhash, table = _build_table(vbuf, voff, size)
        vlabel = np.zeros(len(entries), np.bool_)
        vlabel[self.nwords :] = True
        self._dict = _Dictionary(vbuf, voff, vhash, vlabel, table)
        self._proj = _project(
            np.asarray(model.f.getInputMatrix()), np.asarray(model.f.getOutputMatrix())
        )
        self.predict_probs(pa.array(["warm up"]))  # compile (or load the cache) at setup

    def predict_probs(self, lines: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """For each line (text without newlines; a newline ends the line as in fastText, null is
        empty), the probability of every label (columns in ``labels`` order) as fastText's
        ``predict(line, k=-1)`` returns it; a row of zeros where fastText predicts nothing."""
        arr = pc.fill_null(lines.cast(pa.large_string()), "")
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        n = len(arr)
        if n == 0:
            return np.zeros((0, len(self.labels)), np.float32)
        _, off_buf, data_buf = arr.buffers()
        offsets = np.frombuffer(off_buf, np.int64)[arr.offset : arr.offset + n + 1]
        data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
        d = self._dict
        sums, counts = _doc_sums(
            data, offsets, d.vbuf, d.voff, d.vhash, d.vlabel, d.table, self.nwords,
            self.bucket, self.word_ngrams, self._proj, self._prefix, self._eos,
        )  # fmt: skip
        return _probabilities(sums, counts)

    def label_scores(self, lines: pa.Array | pa.ChunkedArray, label: str) -> np.ndarray:
        """The probability of ``label`` for each line (see ``predict_probs``), float32."""
        probs = self.predict_probs(lines)
        out: np.ndarray = np.ascontiguousarray(probs[:, self.labels.index(label)])
        return out


def _project(w_in: np.ndarray, w_out: np.ndarray) -> np.ndarray:
    """``W_in · W_outᵀ`` in float64, a block of rows at a time (W_in may be gigabytes)."""
    out64 = np.ascontiguousarray(w_out, np.float64).T
    proj = np.empty((w_in.shape[0], w_out.shape[0]), np.float64)
    for i in range(0, w_in.shape[0], _ROWS_PER_CHUNK):
        proj[i : i + _ROWS_PER_CHUNK] = w_in[i : i + _ROWS_PER_CHUNK].astype(np.float64) @ out64
    return proj


def _probabilities(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Softmax of the mean rows, returned as fastText's Python API does: p + 1e-5 through its
    float32 ``log`` and ``exp``; zeros for a line without rows."""
    has = counts > 0
    logits = sums[has] / counts[has, None]
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    p = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    p = np.exp(np.log(p.astype(np.float64) + 1e-5).astype(np.float32))
    out = np.zeros((len(counts), sums.shape[1]), np.float32)
    out[has] = p
    return out

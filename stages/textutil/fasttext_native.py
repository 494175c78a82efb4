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
3. the input rows: the id of each in-vocabulary word and the rows of its character n-grams
   (``maxn > 0``), the character n-gram rows of an unknown word and, for word n-grams,
   ``nwords + g % bucket`` with ``g = h_i * 116049371 + h_i+1 ...`` in unsigned 64-bit
   arithmetic over the hashes of the word tokens (known or not), each hash sign-extended from
   ``int32``; a quantized model maps n-gram ids through its pruning table
   (``fasttext_hashing.py`` and ``fasttext_kernel.py`` have the details);
4. hidden = the mean of those rows of the input matrix; no rows (only labels, an empty
   vocabulary): no prediction;
5. softmax: output = softmax(W_out · hidden), and the Python API returns
   ``exp(log(p + 1e-5))`` (``std_log`` in ``loss.cc``), i.e. p + 1e-5. Hierarchical softmax
   (``HierarchicalSoftmaxLoss``): a Huffman tree over the labels built from their training
   counts; a label's score is the sum, along its path from the root, of ``log(f + 1e-5)``
   where the path turns right and ``log(1 - f + 1e-5)`` where it turns left, ``f`` the sigmoid
   of the inner node's row of W_out times hidden; the API returns ``exp`` of it, for labels
   whose score is at least ``log(1e-5)`` (the threshold 0 after ``std_log``).

For softmax with few labels the output is linear in the hidden vector, ``W_out · mean(rows) =
mean(W_out · row)``: the rows of ``W_in · W_outᵀ`` (one number per label, computed once at load,
in float64) are averaged instead of rows of ``dim`` numbers. Otherwise the ``dim``-wide rows
are averaged and multiplied after. Each dictionary word's rows (its own and its character
n-grams') are summed once at load. Steps 1-3 run in one compiled loop (numba,
``fasttext_kernel.py``) over the UTF-8 bytes of an Arrow string array, with a hash table of
the vocabulary built at load. A quantized model's matrices are read from its file
(``fasttext_file.py``), since the library does not export them.

The scores equal the library's within float32 rounding: fastText sums the rows in float32,
this in float64, and the gap grows with the number of rows. The benchmark's 10,000 web
documents differ by at most 1.2e-7; ``tests/stages/classify/test_fasttext_native.py`` allows
1e-6 on the committed set and on awkward text, 5e-5 above 2,000 tokens (1.4e-5 for one word
repeated 5,000 times, where a float32 sum in fastText's order gives the library's number).

Models this does not cover are scored by the library itself (``native_support`` says why):
losses other than softmax and hierarchical softmax (one-vs-all and negative sampling look the
sigmoid up in a table), and quantized models given without their file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["NativeFastText", "native_support"]


from stages.textutil.fasttext_file import read_matrices
from stages.textutil.fasttext_hashing import (
    PRUNE_ALL,
    PRUNE_NONE,
    PRUNE_TABLE,
    build_table,
    njit,
    word_sums,
)
from stages.textutil.fasttext_kernel import doc_sums, new_word_cache, tree_scores

_EOS = b"</s>"
_ROWS_PER_CHUNK = 1 << 13  # rows of W_in converted to float64 at a time when projecting
_STD_LOG_ZERO = float(np.log(np.float32(1e-5)))  # a hierarchical-softmax label's lowest score


def native_support(model: Any, path: str | None = None) -> str | None:
    """Why the native path cannot score ``model`` (a ``fasttext`` model loaded from ``path``),
    or None if it can."""
    from fasttext.FastText import loss_name, model_name

    args = model.f.getArgs()
    if njit is None:
        return "numba is not installed"
    if model.f.isQuant() and path is None:
        return "quantized model given without its file"
    if args.model != model_name.supervised:
        return f"not a supervised model ({args.model.name})"
    if args.loss not in (loss_name.softmax, loss_name.hs):
        return f"loss {args.loss.name} (softmax and hs are computed natively)"
    if (args.wordNgrams > 1 or args.maxn > 0) and args.bucket <= 0:
        return "n-grams without buckets"
    return None


@dataclass(frozen=True)
class _Dictionary:
    vbuf: np.ndarray  # the entries' bytes, concatenated
    voff: np.ndarray  # entry i is vbuf[voff[i]:voff[i+1]]
    vhash: np.ndarray
    vlabel: np.ndarray  # entry i is a label
    table: np.ndarray


@dataclass(frozen=True)
class _Rows:
    """The rows a line's prediction averages, and how bucket ids map to them."""

    rows: np.ndarray  # W_in (float32), or W_in · W_outᵀ (float64) for softmax with few labels
    wsums: np.ndarray  # per dictionary word: the sum of the rows it adds
    wcounts: np.ndarray  # ... and how many
    prune: int
    pbits: np.ndarray  # one bit per bucket id, set for the kept ones
    pkeys: np.ndarray  # open-addressing table of kept bucket ids (-1: empty)
    pvals: np.ndarray


class NativeFastText:
    """A supervised fastText model reduced to what prediction needs: its dictionary, the rows
    of its input matrix (or of ``W_in · W_outᵀ``), each word's row sum, and the output matrix
    or tree. Holds no reference to the fastText model, which can then be freed."""

    def __init__(self, model: Any, path: str | None = None) -> None:
        from fasttext.FastText import loss_name

        reason = native_support(model, path)
        if reason is not None:
            raise ValueError(f"fastText model not supported natively: {reason}")
        args = model.f.getArgs()
        words = model.f.getVocab("surrogateescape")[0]  # invalid UTF-8 kept as its bytes
        labels, label_counts = model.get_labels(include_freq=True)
        self.labels: list[str] = list(labels)
        entries = [w.encode("utf-8", "surrogateescape") for w in [*words, *self.labels]]
        self.nwords = len(words)
        self.bucket = int(args.bucket)
        self.word_ngrams = int(args.wordNgrams)
        self.minn, self.maxn = int(args.minn), int(args.maxn)
        self._prefix = np.frombuffer(args.label.encode("utf-8"), np.uint8)
        self._eos = np.frombuffer(_EOS, np.uint8)
        lengths = np.fromiter(map(len, entries), np.int64, len(entries))
        voff = np.zeros(len(entries) + 1, np.int64)
        np.cumsum(lengths, out=voff[1:])
        vbuf = np.frombuffer(b"".join(entries), np.uint8)
        size = 1 << max(4, (2 * len(entries) - 1).bit_length())  # load factor <= 1/2
        vhash, table = build_table(vbuf, voff, size)
        vlabel = np.zeros(len(entries), np.bool_)
        vlabel[self.nwords :] = True
        self._dict = _Dictionary(vbuf, voff, vhash, vlabel, table)

        prune, pkeys, pvals = PRUNE_NONE, np.full(1, -1, np.int64), np.zeros(1, np.int64)
        pbits = np.zeros(1, np.uint8)
        if model.f.isQuant():
            mats = read_matrices(str(path))
            w_in, w_out = mats.input, mats.output
            if mats.pruned:
                prune = PRUNE_TABLE if len(mats.prune_keys) else PRUNE_ALL
                pkeys, pvals = _prune_table(mats.prune_keys, mats.prune_values)
                pbits = np.zeros(max(self.bucket, 1) // 8 + 1, np.uint8)
                np.bitwise_or.at(pbits, mats.prune_keys >> 3, 1 << (mats.prune_keys & 7))
        else:
            w_in, w_out = (
                np.asarray(model.f.getInputMatrix()),
                np.asarray(model.f.getOutputMatrix()),
            )
        self.hierarchical = args.loss == loss_name.hs
        self._w_out: np.ndarray | None = None
        if not self.hierarchical and 2 * len(self.labels) <= args.dim:
            rows = _project(w_in, w_out)
        else:  # average the dim-wide rows, multiply by W_out after
            rows = np.ascontiguousarray(w_in, np.float32)
            self._w_out = np.ascontiguousarray(w_out, np.float64)
        eos_id = words.index(_EOS.decode()) if _EOS.decode() in words else -1
        wsums, wcounts = word_sums(
            vbuf, voff, self.nwords, eos_id, self.minn, self.maxn, max(self.bucket, 1), prune,
            pbits, pkeys, pvals, rows,
        )  # fmt: skip
        self._rows = _Rows(rows, wsums, wcounts, prune, pbits, pkeys, pvals)
        self._cache = new_word_cache(rows.shape[1], self.maxn > 0)
        self._lock = threading.Lock()  # the kernel updates the cache: one call at a time
        if self.hierarchical:
            self._left, self._right = _tree([int(c) for c in label_counts])
        self.predict_probs(pa.array(["warm up"]))  # compile (or load the cache) at setup

    def __getstate__(self) -> dict[str, Any]:  # a lock does not pickle: a new one on load
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def kernel_args(self, data: np.ndarray, offsets: np.ndarray) -> tuple[Any, ...]:
        """The arguments of ``doc_sums`` for the lines ``data[offsets[i]:offsets[i+1]]``."""
        d, r = self._dict, self._rows
        return (
            data, offsets, d.vbuf, d.voff, d.vhash, d.vlabel, d.table, r.wsums, r.wcounts,
            r.rows, self.nwords, max(self.bucket, 1), self.word_ngrams, self.minn, self.maxn,
            r.prune, r.pbits, r.pkeys, r.pvals, self._prefix, self._eos, *self._cache,
        )  # fmt: skip

    def predict_probs(self, lines: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """For each line (text without newlines; a newline ends the line as in fastText, null is
        empty), the probability of every label (columns in ``labels`` order) as fastText's
        ``predict(line, k=-1)`` returns it; 0 for a label it does not return (hierarchical
        softmax below its threshold), a row of zeros where it predicts nothing."""
        arr = pc.fill_null(lines.cast(pa.large_string()), "")
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        n = len(arr)
        if n == 0:
            return np.zeros((0, len(self.labels)), np.float32)
        _, off_buf, data_buf = arr.buffers()
        offsets = np.frombuffer(off_buf, np.int64)[arr.offset : arr.offset + n + 1]
        data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
        with self._lock:
            sums, counts = doc_sums(*self.kernel_args(data, offsets))
        if self.hierarchical:
            return self._tree_probabilities(sums, counts)
        if self._w_out is not None:
            sums = sums @ self._w_out.T  # linear: the mean's product is the product's mean
        return _probabilities(sums, counts)

    def label_scores(self, lines: pa.Array | pa.ChunkedArray, label: str) -> np.ndarray:
        """The probability of ``label`` for each line (see ``predict_probs``), float32."""
        probs = self.predict_probs(lines)
        out: np.ndarray = np.ascontiguousarray(probs[:, self.labels.index(label)])
        return out

    def top_k(self, lines: pa.Array | pa.ChunkedArray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """fastText's ``predict(line, k)``: per line the indices (into ``labels``) of the ``k``
        most probable labels, best first, -1 past the labels it returns, and their
        probabilities (float32, 0 past them)."""
        probs = self.predict_probs(lines)
        k = min(k, len(self.labels))
        order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        top = np.take_along_axis(probs, order, axis=1)
        order[top <= 0] = -1
        return order, top

    def _tree_probabilities(self, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        assert self._w_out is not None
        has = counts > 0
        hidden = sums[has] / counts[has, None]
        score = tree_scores(hidden, self._w_out, self._left, self._right)
        probs = np.where(score >= _STD_LOG_ZERO, np.exp(score), 0.0).astype(np.float32)
        out = np.zeros((len(counts), len(self.labels)), np.float32)
        out[has] = probs
        return out


def _prune_table(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An open-addressing table (linear probing, ``slot = key & mask``) of a quantized model's
    kept bucket ids, as ``fasttext_hashing.table_row`` reads it."""
    size = 1 << max(4, (2 * len(keys) - 1).bit_length())
    pkeys = np.full(size, -1, np.int64)
    pvals = np.zeros(size, np.int64)
    mask = size - 1
    for key, value in zip(keys.tolist(), values.tolist(), strict=True):
        slot = key & mask
        while pkeys[slot] >= 0:
            slot = (slot + 1) & mask
        pkeys[slot] = key
        pvals[slot] = value
    return pkeys, pvals


def _tree(counts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """fastText's Huffman tree over labels of training ``counts`` (``buildTree``: leaves in
    label order, counts decreasing; inner node ``osz + i`` is row ``i`` of W_out, the root
    last): the left and the right child of each node (-1 for a leaf)."""
    osz = len(counts)
    total = 2 * osz - 1
    count = counts + [10**15] * (osz - 1)
    left, right = np.full(total, -1, np.int64), np.full(total, -1, np.int64)
    leaf, node = osz - 1, osz
    for i in range(osz, total):
        pick = [0, 0]
        for j in range(2):
            if leaf >= 0 and count[leaf] < count[node]:
                pick[j], leaf = leaf, leaf - 1
            else:
                pick[j], node = node, node + 1
        left[i], right[i] = pick
        count[i] = count[pick[0]] + count[pick[1]]
    return left, right


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

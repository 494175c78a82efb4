"""The matrices of a fastText model file, quantized ones (``.ftz``) decoded to float32.

fastText's Python binding refuses to export a quantized model's matrices and its pruning table,
so a quantized model is read here from its file, in the layout fastText 0.9 writes
(``FastText::saveModel``, all little-endian):

- ``int32`` magic 793712314, ``int32`` version (11 or 12);
- the arguments: 12 ``int32`` (dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket,
  minn, maxn, lrUpdateRate) and a ``float64`` (t);
- the dictionary: ``int32`` size, nwords, nlabels, ``int64`` ntokens, pruneidx_size; ``size``
  entries (bytes ending in ``\\0``, ``int64`` count, ``int8`` type); ``pruneidx_size`` pairs of
  ``int32`` (bucket id, kept index);
- ``bool`` quantized input; the input matrix; ``bool`` quantized output; the output matrix.

A dense matrix is ``int64`` m, n and m*n ``float32``. A quantized one (``QMatrix::save``) is
``bool`` qnorm, ``int64`` m, n, ``int32`` codesize, the codes (``uint8``), a product quantizer
(``int32`` dim, nsubq, dsub, lastdsub, then dim*256 ``float32`` centroids) and, with qnorm, m norm
codes and a second quantizer of dimension 1 for the norms. Row ``t`` is, for each sub-quantizer
``m``, the centroid its code names (``ProductQuantizer::addcode``), times the row's norm.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["ModelFileError", "ModelMatrices", "check_model_file", "read_matrices"]

_MAGIC = 793712314
_KSUB = 256  # centroids per sub-quantizer (fastText's nbits = 8)


class ModelFileError(ValueError):
    """The file is not a fastText model this reader understands (names the file, never data)."""


@dataclass(frozen=True)
class ModelMatrices:
    input: np.ndarray  # float32, nwords + kept n-gram rows (or nwords + bucket)
    output: np.ndarray  # float32, one row per label (softmax) or per inner tree node (hs)
    prune_keys: np.ndarray  # int64 bucket ids kept by quantization (pruneidx_ keys)
    prune_values: np.ndarray  # int64 their rows after nwords
    pruned: bool  # False: every bucket id is its own row (pruneidx_size < 0)


class _Reader:
    def __init__(self, buf: bytes | mmap.mmap, path: str) -> None:
        self.buf = buf
        self.off = 0
        self.path = path

    def take(self, fmt: str) -> tuple[int | float | bool, ...]:
        size = struct.calcsize(fmt)
        if self.off + size > len(self.buf):
            raise ModelFileError(f"{self.path}: fastText model file ends early")
        out = struct.unpack_from(fmt, self.buf, self.off)
        self.off += size
        return out

    def array(self, dtype: type, count: int) -> np.ndarray:
        nbytes = int(np.dtype(dtype).itemsize) * count
        if count < 0 or self.off + nbytes > len(self.buf):
            raise ModelFileError(f"{self.path}: fastText model file ends early")
        out: np.ndarray = np.frombuffer(self.buf, dtype, count, self.off)
        self.off += nbytes
        return out

    def skip_entry(self) -> None:
        end = self.buf.find(b"\0", self.off)
        if end < 0:
            raise ModelFileError(f"{self.path}: fastText model file ends early")
        self.off = end + 1 + 9  # the word, its count (int64) and type (int8)


def _quantizer(r: _Reader) -> tuple[int, int, int, np.ndarray]:
    dim, nsubq, dsub, lastdsub = (int(v) for v in r.take("<4i"))
    return nsubq, dsub, lastdsub, r.array(np.float32, dim * _KSUB)


def _decode(
    nsubq: int, dsub: int, lastdsub: int, centroids: np.ndarray, codes: np.ndarray
) -> np.ndarray:
    """Rows of a product-quantized matrix (codes: rows x nsubq)."""
    rows = codes.shape[0]
    dim = dsub * (nsubq - 1) + lastdsub
    out = np.empty((rows, dim), np.float32)
    for m in range(nsubq):
        d = lastdsub if m == nsubq - 1 else dsub
        table = centroids[m * _KSUB * dsub : m * _KSUB * dsub + _KSUB * d].reshape(_KSUB, d)
        out[:, m * dsub : m * dsub + d] = table[codes[:, m]]
    return out


def _matrix(r: _Reader, quantized: bool) -> np.ndarray:
    if not quantized:
        m, n = (int(v) for v in r.take("<2q"))
        return r.array(np.float32, m * n).reshape(m, n)
    qnorm = bool(r.take("<?")[0])
    m, _n = (int(v) for v in r.take("<2q"))
    codesize = int(r.take("<i")[0])
    codes = r.array(np.uint8, codesize)
    nsubq, dsub, lastdsub, centroids = _quantizer(r)
    if codesize != m * nsubq:
        raise ModelFileError(f"{r.path}: {codesize} codes for {m} rows of {nsubq} sub-quantizers")
    rows = _decode(nsubq, dsub, lastdsub, centroids, codes.reshape(m, nsubq))
    if qnorm:
        norm_codes = r.array(np.uint8, m)
        _, _, _, norms = _quantizer(r)
        rows *= norms[norm_codes][:, None]
    return rows


def read_matrices(path: str | Path) -> ModelMatrices:
    """The input and output matrices of the fastText model file at ``path`` and its pruning
    table; quantized matrices decoded to float32."""
    name = str(path)
    r = _Reader(Path(path).read_bytes(), name)
    magic, version = r.take("<2i")
    if magic != _MAGIC or version not in (11, 12):
        raise ModelFileError(f"{name}: not a fastText model file of version 11 or 12")
    r.take("<12id")
    size = int(r.take("<3i")[0])
    _ntokens, prune_size = (int(v) for v in r.take("<2q"))
    for _ in range(size):
        r.skip_entry()
    pairs = r.array(np.int32, 2 * max(prune_size, 0)).reshape(-1, 2).astype(np.int64)
    quant_input = bool(r.take("<?")[0])
    w_in = _matrix(r, quant_input)
    quant_output = bool(r.take("<?")[0])
    w_out = _matrix(r, quant_input and quant_output)
    if r.off != len(r.buf):
        raise ModelFileError(f"{name}: {len(r.buf) - r.off} bytes after the output matrix")
    return ModelMatrices(w_in, w_out, pairs[:, 0], pairs[:, 1], prune_size >= 0)


def _skip_matrix(r: _Reader, quantized: bool) -> None:
    """Past one matrix, reading only its sizes."""
    if not quantized:
        m, n = (int(v) for v in r.take("<2q"))
        if m < 0 or n < 0:
            raise ModelFileError(f"{r.path}: a matrix of {m} x {n}")
        r.array(np.float32, m * n)
        return
    qnorm = bool(r.take("<?")[0])
    m, _n = (int(v) for v in r.take("<2q"))
    r.array(np.uint8, int(r.take("<i")[0]))
    _quantizer(r)
    if qnorm:
        r.array(np.uint8, m)
        _quantizer(r)


def check_model_file(path: str | Path) -> None:
    """Raise ``ModelFileError`` unless the file at ``path`` has the layout of a fastText model
    file from its magic number to the last byte of its output matrix.

    fastText's loader trusts the sizes a file declares: a cut or damaged file can make it
    allocate and fill tens of GB before it fails. This walk reads the sizes only (the file is
    memory-mapped, the matrices are not read), so a model is checked before fastText loads it.
    """
    name = str(path)
    with open(path, "rb") as f:
        if not Path(path).stat().st_size:
            raise ModelFileError(f"{name}: empty file, not a fastText model")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            r = _Reader(buf, name)
            magic, version = r.take("<2i")
            if magic != _MAGIC or version not in (11, 12):
                raise ModelFileError(f"{name}: not a fastText model file of version 11 or 12")
            r.take("<12id")
            size = int(r.take("<3i")[0])
            prune_size = int(r.take("<2q")[1])
            for _ in range(max(size, 0)):
                r.skip_entry()
            r.array(np.int32, 2 * max(prune_size, 0))
            quant_input = bool(r.take("<?")[0])
            _skip_matrix(r, quant_input)
            quant_output = bool(r.take("<?")[0])
            _skip_matrix(r, quant_input and quant_output)
            if r.off != len(buf):
                raise ModelFileError(f"{name}: {len(buf) - r.off} bytes after the output matrix")

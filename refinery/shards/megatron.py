"""The Megatron-LM indexed dataset: ``PREFIX.bin`` (tokens) + ``PREFIX.idx`` (the index).

The layout Megatron-LM's ``IndexedDataset`` reads (``megatron/core/datasets/indexed_dataset.py``),
all integers little-endian:

    .idx  b"MMIDIDX\\x00\\x00"          9 bytes, the magic header
          version                      uint64, 1
          dtype code                   uint8: 1 uint8, 2 int8, 3 int16, 4 int32, 5 int64,
                                       6 float64, 7 float32, 8 uint16
          sequence count  S            uint64
          document count  D            uint64 (documents + 1: the indices start with 0)
          sequence lengths             int32[S], tokens per sequence
          sequence pointers            int64[S], byte offset of each sequence in .bin
          document indices             int64[D], 0 then the sequence index ending each document
    .bin  the tokens of every sequence, back to back, in the dtype of the code

Megatron's preprocessing picks uint16 for vocabularies under 65,500 and int32 otherwise
(``DType.optimal_dtype``); ``megatron_dtype`` does the same. Without packing a document is one
sequence; with packing each fixed-length sequence is its own document (its boundaries are in
the doc index of the shard instead).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["HEADER", "IndexedShard", "megatron_dtype", "read_index", "write_index"]

HEADER = b"MMIDIDX\x00\x00"
_CODES: dict[str, int] = {
    "uint8": 1,
    "int8": 2,
    "int16": 3,
    "int32": 4,
    "int64": 5,
    "float64": 6,
    "float32": 7,
    "uint16": 8,
}
_DTYPES = {code: np.dtype(name) for name, code in _CODES.items()}


def megatron_dtype(vocab_size: int) -> np.dtype[Any]:
    """Megatron's choice: uint16 below 65,500 ids, int32 otherwise."""
    return np.dtype(np.uint16) if vocab_size < 65500 else np.dtype(np.int32)


def write_index(f: Any, dtype: np.dtype[Any], sequence_lengths: np.ndarray[Any, Any]) -> None:
    """Write the ``.idx`` of sequences of ``sequence_lengths`` tokens, one document each
    (``document indices`` 0, 1, ..., S)."""
    lengths = np.asarray(sequence_lengths, dtype=np.int32)
    pointers = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1].astype(np.int64) * dtype.itemsize, out=pointers[1:])
    doc_indices = np.arange(len(lengths) + 1, dtype=np.int64)
    f.write(HEADER)
    f.write(struct.pack("<Q", 1))
    f.write(struct.pack("<B", _CODES[dtype.name]))
    f.write(struct.pack("<Q", len(lengths)))
    f.write(struct.pack("<Q", len(doc_indices)))
    f.write(lengths.astype("<i4").tobytes())
    f.write(pointers.astype("<i8").tobytes())
    f.write(doc_indices.astype("<i8").tobytes())


@dataclass
class IndexedShard:
    """A parsed ``.idx``: what a reader needs to find every sequence in the ``.bin``."""

    version: int
    dtype: np.dtype[Any]
    sequence_lengths: np.ndarray[Any, Any]
    sequence_pointers: np.ndarray[Any, Any]
    document_indices: np.ndarray[Any, Any]
    trailing_bytes: int

    def problems(self, bin_size: int) -> list[str]:
        """Where the index disagrees with itself or with a ``.bin`` of ``bin_size`` bytes."""
        out = []
        n = len(self.sequence_lengths)
        if (self.sequence_lengths < 0).any():
            out.append("a negative sequence length")
        expected = np.zeros(n, dtype=np.int64)
        if n > 1:
            np.cumsum(
                self.sequence_lengths[:-1].astype(np.int64) * self.dtype.itemsize, out=expected[1:]
            )
        if not np.array_equal(expected, self.sequence_pointers):
            out.append("sequence pointers do not follow the sequence lengths")
        total = int(self.sequence_lengths.astype(np.int64).sum()) * self.dtype.itemsize
        if total != bin_size:
            out.append(f".bin holds {bin_size} bytes, the index describes {total}")
        d = self.document_indices
        if len(d) == 0 or d[0] != 0 or d[-1] != n or (np.diff(d) < 0).any():
            out.append("document indices do not run from 0 to the sequence count")
        if self.trailing_bytes:
            out.append(f"{self.trailing_bytes} bytes after the document indices")
        return out

    def sequence(self, bin_data: np.ndarray[Any, Any], i: int) -> np.ndarray[Any, Any]:
        start = int(self.sequence_pointers[i]) // self.dtype.itemsize
        return bin_data[start : start + int(self.sequence_lengths[i])]


def read_index(data: bytes) -> IndexedShard:
    """Parse an ``.idx`` from its bytes; ``ValueError`` names what is wrong."""
    if data[:9] != HEADER:
        raise ValueError("not a Megatron index: bad magic header")
    if len(data) < 34:
        raise ValueError("index shorter than its 34-byte header")
    (version,) = struct.unpack_from("<Q", data, 9)
    if version != 1:
        raise ValueError(f"index version {version}, expected 1")
    (code,) = struct.unpack_from("<B", data, 17)
    if code not in _DTYPES:
        raise ValueError(f"unknown dtype code {code}")
    s, d = struct.unpack_from("<QQ", data, 18)
    need = 34 + 4 * s + 8 * s + 8 * d
    if len(data) < need:
        raise ValueError(f"index of {len(data)} bytes, its counts need {need}")
    off = 34
    lengths = np.frombuffer(data, dtype="<i4", count=s, offset=off)
    off += 4 * s
    pointers = np.frombuffer(data, dtype="<i8", count=s, offset=off)
    off += 8 * s
    docs = np.frombuffer(data, dtype="<i8", count=d, offset=off)
    return IndexedShard(
        version=int(version),
        dtype=_DTYPES[code],
        sequence_lengths=lengths,
        sequence_pointers=pointers,
        document_indices=docs,
        trailing_bytes=len(data) - need,
    )

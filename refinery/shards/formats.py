"""Writing and reading one output shard in each format.

- ``megatron``: ``part-NNNNN.bin`` + ``part-NNNNN.idx`` (see ``megatron``); one sequence per
  document, or per packed sequence;
- ``flat``: ``part-NNNNN.npy`` (1-D, or 2-D ``[sequences, seq_len]`` when packed) or a raw
  ``part-NNNNN.bin``, uint16 when the vocabulary fits, else uint32; EOS between documents;
- ``parquet``: ``part-NNNNN.parquet`` (zstd) with the columns asked for; ``input_ids``
  holds a document's tokens.

Every shard also has ``part-NNNNN.docs.parquet``, its doc index: one row per document copy
in shard order with ``source``, ``id``, ``copy``, ``input_shard``, ``row``, ``token_start``
(position in the shard's token stream) and ``token_count``. Any token position maps to its
document by a binary search on ``token_start``; with packing, position = sequence × seq_len
+ offset. No text is in the index.

Files are written under a hidden temporary name, hashed as they are written, and renamed.
"""

from __future__ import annotations

import io
import posixpath
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from refinery.errors import OutputError
from refinery.io.writers import HashingFile
from refinery.shards.megatron import megatron_dtype, read_index, write_index
from refinery.shards.tokenizer import token_dtype

__all__ = ["load_tokens", "shard_files", "write_file", "write_parquet", "write_tokens"]


def write_file(fs: Any, path: str, write: Any) -> dict[str, Any]:
    """Call ``write(f)`` on a temporary file, rename it to ``path``; its bytes and sha256."""
    head, tail = posixpath.split(path)
    tmp = posixpath.join(head, f".{tail}.tmp")
    try:
        with fs.open(tmp, "wb") as raw:
            f = HashingFile(raw, close_inner=False)
            write(f)
        fs.mv(tmp, path)
    except OSError as exc:
        try:
            fs.rm(tmp)
        except OSError:
            pass  # a hidden .tmp name, removed when the phase runs again
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return {"path": tail, "bytes": f.tell(), "sha256": f.hexdigest()}


def shard_files(fmt: str, flat_suffix: str, name: str) -> list[str]:
    """The data files of shard ``name`` (``part-NNNNN``), doc index excluded."""
    if fmt == "megatron":
        return [f"{name}.bin", f"{name}.idx"]
    if fmt == "flat":
        return [f"{name}.{flat_suffix}"]
    return [f"{name}.parquet"]


def write_tokens(
    fs: Any,
    directory: str,
    name: str,
    fmt: str,
    flat_suffix: str,
    vocab_size: int,
    stream: np.ndarray[Any, Any],
    seq_lengths: np.ndarray[Any, Any],
    packed: bool,
) -> list[dict[str, Any]]:
    """Write a token shard: ``stream`` cut into sequences of ``seq_lengths`` (all of one
    length when ``packed``: a 2-D ``.npy``)."""
    if fmt == "megatron":
        dtype = megatron_dtype(vocab_size)
        data = stream.astype(dtype.newbyteorder("<"))
        bin_entry = write_file(
            fs, posixpath.join(directory, f"{name}.bin"), lambda f: f.write(data.tobytes())
        )
        idx_entry = write_file(
            fs,
            posixpath.join(directory, f"{name}.idx"),
            lambda f: write_index(f, dtype, seq_lengths),
        )
        return [bin_entry, idx_entry]
    data = stream.astype(token_dtype(vocab_size).newbyteorder("<"))
    path = posixpath.join(directory, f"{name}.{flat_suffix}")
    if flat_suffix == "bin":
        return [write_file(fs, path, lambda f: f.write(data.tobytes()))]
    if packed and len(seq_lengths):
        data = data.reshape(len(seq_lengths), int(seq_lengths[0]))
    return [write_file(fs, path, lambda f: np.lib.format.write_array(f, data))]


def write_parquet(fs: Any, path: str, table: pa.Table) -> dict[str, Any]:
    return write_file(fs, path, lambda f: pq.write_table(table, f, compression="zstd"))


def load_tokens(
    fs: Any, directory: str, name: str, fmt: str, flat_suffix: str, vocab_size: int
) -> tuple[np.ndarray[Any, Any], list[str]]:
    """The token stream of a token shard and the format invariants it breaks (empty: none).

    Reads ``.idx`` with our reader of the published layout; a flat ``.npy`` must hold the
    dtype the vocabulary asks for."""
    problems: list[str] = []
    if fmt == "megatron":
        with fs.open(posixpath.join(directory, f"{name}.idx"), "rb") as f:
            idx_bytes = f.read()
        with fs.open(posixpath.join(directory, f"{name}.bin"), "rb") as f:
            bin_bytes = f.read()
        try:
            index = read_index(idx_bytes)
        except ValueError as exc:
            return np.zeros(0, dtype=np.int64), [f"{name}.idx: {exc}"]
        if index.dtype != megatron_dtype(vocab_size):
            problems.append(
                f"{name}.idx: dtype {index.dtype}, the vocabulary needs "
                f"{megatron_dtype(vocab_size)}"
            )
        problems += [f"{name}.idx: {p}" for p in index.problems(len(bin_bytes))]
        if len(bin_bytes) % index.dtype.itemsize:
            return np.zeros(0, dtype=np.int64), problems + [f"{name}.bin: partial token"]
        return np.frombuffer(bin_bytes, dtype=index.dtype.newbyteorder("<")), problems
    path = posixpath.join(directory, f"{name}.{flat_suffix}")
    dtype = token_dtype(vocab_size).newbyteorder("<")
    with fs.open(path, "rb") as f:
        raw = f.read()
    if flat_suffix == "bin":
        if len(raw) % dtype.itemsize:
            return np.zeros(0, dtype=np.int64), [f"{name}.bin: partial token"]
        return np.frombuffer(raw, dtype=dtype), problems
    try:
        arr = np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    except ValueError as exc:
        return np.zeros(0, dtype=np.int64), [f"{name}.npy: {exc}"]
    if arr.dtype != dtype:
        problems.append(f"{name}.npy: dtype {arr.dtype}, the vocabulary needs {dtype}")
    return arr.reshape(-1), problems

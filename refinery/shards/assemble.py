"""Pass 2, one task per output shard: gather a key range from every input, order, write.

Output shard ``b`` takes, from every pass-1 doc table, the rows whose shuffle key falls in
its range (a binary search in a key-sorted, memory-mapped table), drops the copies its
source's mix limits exclude (``mixing``), orders them by key (the global shuffle), gathers their tokens from the
memory-mapped token arrays, packs them if asked, and writes the shard and its doc index.
A worker holds one output shard's documents at a time; the driver receives counts.
"""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from refinery.rundir import local_path
from refinery.shards.config import TokenShardsConfig
from refinery.shards.formats import write_parquet, write_tokens
from refinery.shards.mixing import MixLimits
from refinery.shards.spill import spill_paths

__all__ = ["AssembleJob", "ShardSummary", "assemble_shard", "gather"]

#: The doc index columns, in order.
INDEX_COLUMNS = ["source", "id", "copy", "input_shard", "row", "token_start", "token_count"]


@dataclass
class AssembleJob:
    index: int
    fs: Any
    out_dir: str
    #: where pass 1 wrote, and how many text shards it read (``spill.spill_paths``)
    work_dir: str
    inputs: int
    #: the key range [lo, hi) of this shard; ``whole`` takes every row of spill ``index``
    lo: int
    hi: int
    whole: bool
    limits: dict[str, MixLimits]
    cfg: TokenShardsConfig
    vocab_size: int
    eos_id: int


@dataclass
class ShardSummary:
    name: str
    files: list[dict[str, Any]]
    docs: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    tokens_written: int = 0
    sequences: int = 0
    tokens_dropped: int = 0
    tokens_padding: int = 0
    doc_index: dict[str, Any] = field(default_factory=dict)


def _read_table(fs: Any, path: str) -> pa.Table:
    if local_path(fs):
        return pa.ipc.open_file(pa.memory_map(path, "r")).read_all()
    with fs.open(path, "rb") as f:
        return pa.ipc.open_file(pa.BufferReader(f.read())).read_all()


def _read_tokens(fs: Any, path: str) -> np.ndarray[Any, Any]:
    if local_path(fs):
        tokens: np.ndarray[Any, Any] = np.load(path, mmap_mode="r")
        return tokens
    with fs.open(path, "rb") as f:
        tokens = np.load(io.BytesIO(f.read()))
    return tokens


def _slices(
    tokens: np.ndarray[Any, Any], offsets: np.ndarray[Any, Any], counts: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """The token slices ``[offset, offset + count)`` one after another, in one gather."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=tokens.dtype)
    starts = np.cumsum(counts) - counts
    idx = np.repeat(offsets - starts, counts) + np.arange(total, dtype=np.int64)
    return np.asarray(tokens[idx])


def gather(job: AssembleJob) -> tuple[pa.Table, np.ndarray[Any, Any]]:
    """This shard's rows, ordered by key, and their tokens back to back."""
    tables, pieces = [], []
    for i in [job.index] if job.whole else range(job.inputs):
        tokens_path, docs_path = spill_paths(job.work_dir, i)
        docs = _read_table(job.fs, docs_path)
        if not job.whole:
            keys = docs.column("key").to_numpy()
            a = int(np.searchsorted(keys, np.uint64(job.lo), side="left"))
            b = (
                len(keys)
                if job.hi >= 1 << 64
                else int(np.searchsorted(keys, np.uint64(job.hi), side="left"))
            )
            docs = docs.slice(a, b - a)
        if docs.num_rows == 0:
            continue
        sources = docs.column("source").to_pylist()
        copy = docs.column("copy").to_numpy()
        whole = np.array([job.limits[s].whole for s in sources], dtype=np.int64)
        limit = np.where(
            copy < whole,
            np.array([job.limits[s].whole_below for s in sources], dtype=np.int64),
            np.array([job.limits[s].extra_below for s in sources], dtype=np.int64),
        )
        keep = docs.column("mix_bucket").to_numpy() < limit
        docs = docs.filter(pa.array(keep))
        tokens = _read_tokens(job.fs, tokens_path)
        offsets = docs.column("token_offset").to_numpy()
        counts = docs.column("token_count").to_numpy()
        pieces.append(_slices(tokens, offsets, counts))
        tables.append(docs)
    if not tables:
        return pa.table({}), np.zeros(0, dtype=np.int64)
    table = pa.concat_tables(tables).combine_chunks()
    stream = np.concatenate(pieces)
    counts = table.column("token_count").to_numpy()
    local_offsets = np.cumsum(counts) - counts
    order = np.argsort(table.column("key").to_numpy(), kind="stable")
    table = table.take(pa.array(order))
    stream = _slices(stream, local_offsets[order], counts[order])
    return table, stream


def assemble_shard(job: AssembleJob) -> ShardSummary:
    cfg = job.cfg
    name = f"part-{job.index:05d}"
    table, stream = gather(job)
    summary = ShardSummary(name=name, files=[])
    n = table.num_rows
    counts = table.column("token_count").to_numpy() if n else np.zeros(0, dtype=np.int64)
    starts = np.cumsum(counts) - counts
    if n:
        for src in sorted(set(table.column("source").to_pylist())):
            sel = pc.equal(table.column("source"), src).to_numpy(zero_copy_only=False)
            summary.docs[src] = int(sel.sum())
            summary.tokens[src] = int(counts[sel].sum())
    if cfg.type == "parquet":
        columns = {}
        for c in cfg.columns:
            if c == "input_ids":
                offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))
                values = pa.array(stream.astype(np.uint32))
                columns[c] = pa.LargeListArray.from_arrays(offsets, values)
            else:
                columns[c] = table.column(c) if n else pa.array([], pa.string())
        entry = write_parquet(
            job.fs, posixpath.join(job.out_dir, f"{name}.parquet"), pa.table(columns)
        )
        summary.files = [entry]
        summary.tokens_written = len(stream)
        summary.sequences = n
    else:
        seq_lengths = counts
        if cfg.pack is not None:
            length = cfg.pack.seq_len
            full, rest = divmod(len(stream), length)
            if rest and cfg.pack.remainder == "pad":
                pad = np.full(length - rest, job.eos_id, dtype=stream.dtype)
                stream = np.concatenate([stream, pad])
                summary.tokens_padding = length - rest
                full += 1
            elif rest:
                stream = stream[: full * length]
                summary.tokens_dropped = rest
            seq_lengths = np.full(full, length, dtype=np.int64)
        summary.files = write_tokens(
            job.fs,
            job.out_dir,
            name,
            cfg.type,
            cfg.flat_suffix,
            job.vocab_size,
            stream,
            seq_lengths,
            packed=cfg.pack is not None,
        )
        summary.tokens_written = len(stream)
        summary.sequences = len(seq_lengths)
    index = pa.table(
        {
            "source": table.column("source") if n else pa.array([], pa.string()),
            "id": table.column("id") if n else pa.array([], pa.string()),
            "copy": table.column("copy") if n else pa.array([], pa.int32()),
            "input_shard": table.column("input_shard") if n else pa.array([], pa.int32()),
            "row": table.column("row") if n else pa.array([], pa.int64()),
            "token_start": pa.array(starts.astype(np.int64)),
            "token_count": pa.array(counts.astype(np.int64)),
        }
    )
    summary.doc_index = write_parquet(
        job.fs, posixpath.join(job.out_dir, f"{name}.docs.parquet"), index
    )
    summary.doc_index["rows"] = n
    return summary

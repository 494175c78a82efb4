"""Pass 1, one task per text shard: read → tokenize → the shard's token array and doc table.

A task reads one Parquet shard of the run (``shards/part-NNNNN.parquet``), tokenizes its
documents in batches, and writes two work files under ``<directory>/.work/``:

- ``in-NNNNN.tokens.npy``: every document's tokens (EOS appended), back to back;
- ``in-NNNNN.docs.arrow``: one row per document *copy* (see ``mixing``), sorted by shuffle
  key: ``key``, ``source``, ``id``, ``copy``, ``mix_bucket``, ``token_offset``,
  ``token_count``, ``input_shard``, ``row`` and, for Parquet output, the columns asked for.
  Arrow IPC, uncompressed: pass 2 memory-maps it and slices key ranges without a copy.

It returns counts and, per source, the tokens in each mix bucket; the driver gets nothing
per document. Every candidate copy is written (see ``mixing.copies_emitted``); pass 2 keeps
those within the limits the driver fixes from the histograms.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from refinery.errors import OutputError, SourceError
from refinery.shards.config import MixConfig, TokenShardsConfig
from refinery.shards.mixing import MIX_BUCKETS, copies_emitted, mix_buckets, shuffle_keys
from refinery.shards.tokenizer import Tokenizer, load_tokenizer, token_dtype

__all__ = ["SpillJob", "SpillSummary", "spill_paths", "spill_shard", "worker_tokenizer"]

#: Columns of the text shards every pass reads.
_CORE = ["id", "source", "text"]


@dataclass
class SpillJob:
    index: int
    fs: Any
    shard_path: str
    work_dir: str
    cfg: TokenShardsConfig
    seed: int
    #: a Ray task holds one CPU: the tokenizer's own thread pool stays off
    one_thread: bool = False


@dataclass
class SpillSummary:
    index: int
    tokens_path: str
    docs_path: str
    #: the engine that encoded (``Tokenizer.describe()["engine"]``)
    engine: str = ""
    #: per source: documents and tokens read (one copy each, EOS included)
    docs_in: dict[str, int] = field(default_factory=dict)
    tokens_in: dict[str, int] = field(default_factory=dict)
    #: per source: tokens (one copy) in each mix bucket
    mix_histograms: dict[str, list[int]] = field(default_factory=dict)


_TOKENIZERS: dict[str, Tokenizer] = {}


def spill_paths(work_dir: str, index: int) -> tuple[str, str]:
    """The tokens (.npy) and doc table (.arrow) that pass 1 writes for text shard ``index``."""
    stem = posixpath.join(work_dir, f"in-{index:05d}")
    return f"{stem}.tokens.npy", f"{stem}.docs.arrow"


def worker_tokenizer(cfg: TokenShardsConfig) -> Tokenizer:
    """The tokenizer, loaded once per process (a Ray worker runs many tasks)."""
    key = cfg.tokenizer.model_dump_json()
    if key not in _TOKENIZERS:
        _TOKENIZERS[key] = load_tokenizer(cfg.tokenizer)
    return _TOKENIZERS[key]


def _with_eos(
    flat: np.ndarray[Any, Any], lengths: np.ndarray[Any, Any], eos: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Insert ``eos`` after each document's tokens."""
    out_lengths = lengths + 1
    ends = np.cumsum(out_lengths) - 1
    out = np.empty(int(out_lengths.sum()), dtype=flat.dtype)
    mask = np.ones(len(out), dtype=bool)
    mask[ends] = False
    out[mask] = flat
    out[ends] = eos
    return out, out_lengths


def spill_shard(job: SpillJob) -> SpillSummary:
    cfg = job.cfg
    if job.one_thread:
        # Hugging Face tokenizers batch-encode on a thread per core unless this says no; a
        # node running one task per core would otherwise run cores x cores threads
        os.environ["TOKENIZERS_PARALLELISM"] = "false"
    tok = worker_tokenizer(cfg)
    dtype = token_dtype(tok.vocab_size)
    extra = [c for c in cfg.columns if c not in _CORE and c != "input_ids"]
    want = _CORE + (extra if cfg.type == "parquet" else [])
    try:
        with job.fs.open(job.shard_path, "rb") as f:
            pf = pq.ParquetFile(f)
            missing = [c for c in want if c not in pf.schema_arrow.names]
            if missing:
                raise SourceError(
                    f"{job.shard_path}: no column(s) {missing} (output.format.columns); it "
                    f"has {pf.schema_arrow.names}"
                )
            table = pf.read(columns=want)
    except OSError as exc:
        raise SourceError(f"cannot read {job.shard_path}: {exc.strerror or exc}") from None
    sources = [str(s) for s in table.column("source").to_pylist()]
    ids = [str(i) for i in table.column("id").to_pylist()]
    text = table.column("text")
    pieces, lens = [], []
    for start in range(0, table.num_rows, cfg.batch_docs):
        # Python strings for one batch at a time; the shard's text stays in Arrow
        batch = [t or "" for t in text.slice(start, cfg.batch_docs).to_pylist()]
        flat, lengths = tok.encode_batch(batch)
        if cfg.append_eos:
            flat, lengths = _with_eos(flat, lengths, tok.eos_id)
        pieces.append(flat.astype(dtype))
        lens.append(lengths)
    tokens = np.concatenate(pieces) if pieces else np.zeros(0, dtype=dtype)
    lengths = np.concatenate(lens) if lens else np.zeros(0, dtype=np.int64)
    offsets = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1], out=offsets[1:])

    buckets = mix_buckets(job.seed, sources, ids)
    per_source = {src: copies_emitted(cfg.mix.get(src, MixConfig())) for src in set(sources)}
    copies = np.fromiter((per_source[s] for s in sources), dtype=np.int64, count=len(sources))
    summary = SpillSummary(
        index=job.index,
        tokens_path=spill_paths(job.work_dir, job.index)[0],
        docs_path=spill_paths(job.work_dir, job.index)[1],
        engine=tok.describe()["engine"],
    )
    src_arr = np.array(sources, dtype=object)
    for src in sorted(set(sources)):
        sel = src_arr == src
        summary.docs_in[src] = int(sel.sum())
        summary.tokens_in[src] = int(lengths[sel].sum())
        hist = np.bincount(buckets[sel], weights=lengths[sel], minlength=MIX_BUCKETS)
        summary.mix_histograms[src] = [int(x) for x in hist]

    # one row per copy; a document's copies share its tokens
    doc_of_copy = np.repeat(np.arange(len(ids)), copies)
    copy_no = np.arange(len(doc_of_copy)) - np.repeat(np.cumsum(copies) - copies, copies)
    if cfg.shuffle:
        keys = shuffle_keys(job.seed, sources, ids, copies)
    else:
        # the text shards' order: input shard, row, copy
        keys = (
            (np.uint64(job.index) << np.uint64(40))
            | (doc_of_copy.astype(np.uint64) << np.uint64(8))
            | copy_no.astype(np.uint64)
        )
    order = np.argsort(keys, kind="stable")
    rows = doc_of_copy[order]
    cols: dict[str, Any] = {
        "key": pa.array(keys[order], pa.uint64()),
        "source": table.column("source").take(pa.array(rows)),
        "id": table.column("id").take(pa.array(rows)),
        "copy": pa.array(copy_no[order].astype(np.int32)),
        "mix_bucket": pa.array(buckets[rows]),
        "token_offset": pa.array(offsets[rows]),
        "token_count": pa.array(lengths[rows]),
        "input_shard": pa.array(np.full(len(rows), job.index, dtype=np.int32)),
        "row": pa.array(rows.astype(np.int64)),
    }
    for c in extra if cfg.type == "parquet" else []:
        cols[c] = table.column(c).take(pa.array(rows))
    if cfg.type == "parquet" and "text" in cfg.columns:
        cols["text"] = table.column("text").take(pa.array(rows))
    docs = pa.table(cols)
    try:
        job.fs.makedirs(job.work_dir, exist_ok=True)
        with job.fs.open(summary.tokens_path, "wb") as f:
            np.lib.format.write_array(f, tokens)
        with job.fs.open(summary.docs_path, "wb") as f:
            with pa.ipc.new_file(f, docs.schema) as w:
                w.write_table(docs)
    except OSError as exc:
        raise OutputError(f"cannot write {job.work_dir}: {exc.strerror or exc}") from None
    return summary

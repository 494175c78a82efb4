"""``refinery shards verify`` and ``refinery shards stats``: re-read the token shards.

``verify_token_shards`` re-reads every file the token manifest lists and checks, in order:
size and sha256 of each file and doc index; the format's own invariants (the ``.idx``
header, version, dtype, pointers and document indices against the ``.bin``; a ``.npy``'s
dtype; Parquet row counts); the doc index (token ranges back to back from 0, covering the
stream); an EOS token at the end of every document when ``append_eos``; one sequence per
document in unpacked Megatron shards; and the per-source counts of every shard and of the
whole against the manifest. It returns every difference; the CLI exits 1 with the first.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from refinery.shards.formats import load_tokens
from refinery.shards.manifest import read_manifest
from refinery.shards.megatron import read_index

__all__ = ["ShardCheck", "length_histogram", "read_doc_index", "verify_token_shards"]


@dataclass
class ShardCheck:
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0


def _read(fs: Any, path: str) -> bytes:
    with fs.open(path, "rb") as f:
        data: bytes = f.read()
    return data


def read_doc_index(fs: Any, out_dir: str, shard: dict[str, Any]) -> pa.Table:
    return pq.read_table(io.BytesIO(_read(fs, posixpath.join(out_dir, shard["doc_index"]["path"]))))


def verify_token_shards(url: str, directory: str = "tokens") -> ShardCheck:
    import fsspec

    fs, run_dir = fsspec.core.url_to_fs(url)
    out_dir = posixpath.join(run_dir, directory)
    out = ShardCheck()
    try:
        out.manifest = read_manifest(fs, out_dir)
    except FileNotFoundError:
        out.problems.append(f"{directory}/manifest.json is missing: no token shards here")
        return out
    except (OSError, ValueError) as exc:
        out.problems.append(f"{directory}/manifest.json cannot be read: {type(exc).__name__}")
        return out
    m = out.manifest
    per_source: dict[str, list[int]] = {}
    for shard in m.get("shards", []):
        before = len(out.problems)
        _check_shard(fs, out_dir, m, shard, out)
        if len(out.problems) == before:
            for src, n in shard.get("docs", {}).items():
                per_source.setdefault(src, [0, 0])[0] += n
            for src, n in shard.get("tokens", {}).items():
                per_source.setdefault(src, [0, 0])[1] += n
    if not out.problems:
        for src, entry in m.get("sources", {}).items():
            docs, tokens = per_source.get(src, [0, 0])
            if (docs, tokens) != (entry.get("docs_out"), entry.get("tokens_out")):
                out.problems.append(
                    f"source {src!r}: the shards hold {docs} docs / {tokens} tokens, the "
                    f"manifest says {entry.get('docs_out')} / {entry.get('tokens_out')}"
                )
    return out


def _check_files(fs: Any, out_dir: str, entries: list[dict[str, Any]], out: ShardCheck) -> bool:
    for e in entries:
        path = posixpath.join(out_dir, e["path"])
        if not fs.exists(path):
            out.problems.append(f"{e['path']}: listed in the manifest but missing")
            return False
        data = _read(fs, path)
        out.files_checked += 1
        if len(data) != e["bytes"]:
            out.problems.append(
                f"{e['path']}: {len(data):,} bytes, the manifest says {e['bytes']:,}"
            )
            return False
        if hashlib.sha256(data).hexdigest() != e["sha256"]:
            out.problems.append(f"{e['path']}: content differs from the manifest (sha256)")
            return False
    return True


def _check_shard(
    fs: Any, out_dir: str, m: dict[str, Any], shard: dict[str, Any], out: ShardCheck
) -> None:
    name = shard["name"]
    if not _check_files(fs, out_dir, [*shard["files"], shard["doc_index"]], out):
        return
    index = read_doc_index(fs, out_dir, shard)
    if index.num_rows != shard["doc_index"].get("rows"):
        out.problems.append(
            f"{name}.docs.parquet: {index.num_rows} rows, the manifest says "
            f"{shard['doc_index'].get('rows')}"
        )
        return
    starts = index.column("token_start").to_numpy()
    counts = index.column("token_count").to_numpy()
    if len(starts) and (starts[0] != 0 or (starts[1:] != (starts + counts)[:-1]).any()):
        out.problems.append(f"{name}.docs.parquet: token ranges are not back to back from 0")
        return
    stream_tokens = int(counts.sum())
    cfg = m["config"]
    vocab = int(m["tokenizer"]["vocab_size"])
    eos = int(m["tokenizer"]["eos_id"])
    if m["format"] == "parquet":
        table = pq.read_table(io.BytesIO(_read(fs, posixpath.join(out_dir, f"{name}.parquet"))))
        if table.num_rows != index.num_rows:
            out.problems.append(
                f"{name}.parquet: {table.num_rows} rows, its index {index.num_rows}"
            )
            return
        if "input_ids" in table.column_names:
            lengths = np.asarray(table.column("input_ids").combine_chunks().value_lengths())
            if not np.array_equal(lengths, counts):
                out.problems.append(f"{name}.parquet: input_ids lengths differ from its index")
                return
        stream = None
    else:
        stream, problems = load_tokens(fs, out_dir, name, m["format"], cfg["flat_suffix"], vocab)
        if problems:
            out.problems.append(problems[0])
            return
        expected = stream_tokens - shard["tokens_dropped"] + shard["tokens_padding"]
        if len(stream) != expected or len(stream) != shard["tokens_written"]:
            out.problems.append(
                f"{name}: {len(stream)} tokens, the index and manifest say {expected} / "
                f"{shard['tokens_written']}"
            )
            return
        if m["format"] == "megatron" and cfg.get("pack") is None:
            idx = read_index(_read(fs, posixpath.join(out_dir, f"{name}.idx")))
            if not np.array_equal(idx.sequence_lengths.astype(np.int64), counts):
                out.problems.append(f"{name}.idx: sequence lengths differ from the documents")
                return
    if cfg.get("append_eos") and stream is not None and len(counts):
        ends = starts + counts - 1
        ends = ends[ends < len(stream)]
        if (stream[ends] != eos).any():
            out.problems.append(f"{name}: a document does not end with EOS ({eos})")
            return
    for src, n in shard.get("docs", {}).items():
        sel = np.asarray(index.column("source").to_pylist(), dtype=object) == src
        if int(sel.sum()) != n or int(counts[sel].sum()) != shard["tokens"][src]:
            out.problems.append(
                f"{name}: source {src!r} holds {int(sel.sum())} docs / {int(counts[sel].sum())} "
                f"tokens, the manifest says {n} / {shard['tokens'][src]}"
            )
            return


def length_histogram(counts: np.ndarray[Any, Any]) -> list[tuple[str, int]]:
    """Documents per token-length bin: powers of two (1, 2-3, 4-7, ...)."""
    if len(counts) == 0:
        return []
    bins = np.floor(np.log2(np.maximum(counts, 1))).astype(np.int64)
    out = []
    for b in range(int(bins.min()), int(bins.max()) + 1):
        n = int((bins == b).sum())
        lo, hi = 1 << b, (1 << (b + 1)) - 1
        out.append((f"{lo:,}-{hi:,}" if hi > lo else f"{lo:,}", n))
    return out

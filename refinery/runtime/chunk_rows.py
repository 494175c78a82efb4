"""A chunk between two operators (``ChunkState``), and a chunk as one row of ``CHUNK_SCHEMA``.

On Ray a chunk travels between operators as ONE row: its rows as Arrow IPC in ``payload``,
its counters and files so far in ``summary`` (see ``refinery.runtime.chunks``). Ray Data may
coalesce or split blocks, but never a row, so every operator sees whole chunks.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa

from refinery.runtime.counters import BatchRecord
from refinery.runtime.workdir import ChunkRef

__all__ = ["CHUNK_SCHEMA", "ChunkState", "decode_rows", "encode_rows"]

CHUNK_SCHEMA = pa.schema(
    [
        ("task", pa.int32()),
        ("chunk", pa.int32()),
        ("last", pa.bool_()),
        ("raw", pa.bool_()),
        ("payload", pa.large_binary()),
        ("summary", pa.string()),
    ]
)


@dataclass
class ChunkState:
    """A chunk between two operators: its rows still in play, its counters and files so far."""

    ref: ChunkRef
    last: bool
    table: pa.Table
    raw: bool = False
    records: list[BatchRecord] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    #: row stages whose output came from the stage cache: they pass the chunk on as it is
    skip: frozenset[str] = frozenset()


def encode_rows(states: list[ChunkState]) -> pa.Table:
    """Chunks as rows of ``CHUNK_SCHEMA`` (how they travel between Ray operators)."""
    payloads = []
    for s in states:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, s.table.schema) as w:
            w.write_table(s.table)
        payloads.append(sink.getvalue().to_pybytes())
    summaries = [
        json.dumps(
            {"records": [asdict(r) for r in s.records], "files": s.files, "skip": sorted(s.skip)}
        )
        for s in states
    ]
    return pa.Table.from_arrays(
        [
            pa.array([s.ref.task for s in states], pa.int32()),
            pa.array([s.ref.chunk for s in states], pa.int32()),
            pa.array([s.last for s in states], pa.bool_()),
            pa.array([s.raw for s in states], pa.bool_()),
            pa.array(payloads, pa.large_binary()),
            pa.array(summaries, pa.string()),
        ],
        schema=CHUNK_SCHEMA,
    )


def decode_rows(batch: pa.Table) -> list[ChunkState]:
    out = []
    for i in range(batch.num_rows):
        buf = batch["payload"][i].as_buffer()
        table = pa.ipc.open_stream(buf).read_all()
        summary = json.loads(batch["summary"][i].as_py())
        out.append(
            ChunkState(
                ref=ChunkRef(batch["task"][i].as_py(), batch["chunk"][i].as_py()),
                last=bool(batch["last"][i].as_py()),
                table=table,
                raw=bool(batch["raw"][i].as_py()),
                records=[BatchRecord(**r) for r in summary["records"]],
                files=summary["files"],
                skip=frozenset(summary.get("skip", ())),
            )
        )
    return out

"""Synthetic run directories with known contents (loaded by path: tests/ is not a package)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def stage(
    name: str, docs_in: int, docs_out: int, rejected: dict[str, int] | None = None, **extra: Any
) -> dict[str, Any]:
    rejected = rejected or {}
    return {
        "name": name,
        "docs_in": docs_in,
        "docs_out": docs_out,
        "docs_rejected": sum(rejected.values()),
        "rejected": rejected,
        "bytes_in": docs_in * 100,
        "bytes_out": docs_out * 100,
        "seconds": 0.1,
        "counters": {},
        **extra,
    }


def make_run(
    root: Path,
    shards: list[pa.Table],
    stages: list[dict[str, Any]],
    rejects: dict[str, pa.Table] | None = None,
    config: dict[str, Any] | None = None,
    row_group_rows: int = 3,
    **totals: Any,
) -> Path:
    """A run directory: stats.json, config.yaml, shards (small row groups), rejects."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "shards").mkdir()
    docs_out = sum(t.num_rows for t in shards)
    stats = {
        "run": root.name,
        "started": "2026-12-01T00:00:00+00:00",
        "runtime": "local",
        "docs_in": stages[0]["docs_in"] if stages else 0,
        "docs_out": docs_out,
        "docs_rejected": sum(s["docs_rejected"] for s in stages),
        "bytes_in": 0,
        "bytes_out": 0,
        "seconds": 1.0,
        "reconciled": True,
        "problems": [],
        "stages": stages,
        **totals,
    }
    (root / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    (root / "config.yaml").write_text(json.dumps(config or {"stages": []}), encoding="utf-8")
    for i, table in enumerate(shards):
        pq.write_table(
            table, root / "shards" / f"part-{i:05d}.parquet", row_group_size=row_group_rows
        )
    for name, table in (rejects or {}).items():
        (root / "rejects" / name).mkdir(parents=True)
        pq.write_table(
            table, root / "rejects" / name / "part-00000.parquet", row_group_size=row_group_rows
        )
    return root


def shard(texts: list[str], **columns: list[Any]) -> pa.Table:
    n = len(texts)
    data: dict[str, Any] = {
        "id": [f"doc-{i}" for i in range(n)],
        "text": texts,
        "source": ["s"] * n,
        "sensitivity": ["public"] * n,
        "meta": ["{}"] * n,
    }
    data.update(columns)
    return pa.table(data)

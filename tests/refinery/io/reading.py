"""Reading one source through its reader directly (no runtime): the reader tests' helper."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from refinery.config import validate_config
from refinery.io.readers import BATCH_SCHEMA, get_reader


def read_table(path: Path | str, **src_kwargs) -> pa.Table:
    """Every batch a source of ``path`` yields, each checked against the core schema."""
    cfg = validate_config({"sources": [{"name": "t", "path": str(path), **src_kwargs}]})
    src = cfg.sources[0]
    reader = get_reader(src.reader)
    tables = [t for task in reader.plan(src, 0) for t in reader.read(src, task)]
    for t in tables:
        assert t.schema.equals(BATCH_SCHEMA)
    return pa.concat_tables(tables) if tables else BATCH_SCHEMA.empty_table()


def read_rows(path: Path | str, **src_kwargs) -> list[dict]:
    return read_table(path, **src_kwargs).to_pylist()

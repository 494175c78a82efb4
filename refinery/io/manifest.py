"""``manifest.json``: every file of a run directory with its rows, bytes and sha256."""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow.parquet as pq

from refinery.errors import OutputError
from refinery.io.writers import FileDigest
from refinery.rundir import MANIFEST, temp_name

__all__ = ["build_manifest", "file_sha256", "write_json", "write_text"]


def _rows(fs: Any, path: str) -> int | None:
    if path.endswith(".parquet"):
        with fs.open(path, "rb") as f:
            return int(pq.ParquetFile(f).metadata.num_rows)
    if path.endswith(".jsonl"):
        with fs.open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    return None


def file_sha256(fs: Any, path: str) -> str:
    """sha256 of a file, read in 1 MiB pieces."""
    h = hashlib.sha256()
    with fs.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_manifest(
    fs: Any,
    run_dir: str,
    written: Mapping[str, FileDigest] | None = None,
    skip: Iterable[str] = (),
) -> dict[str, Any]:
    """Walk the run directory (everything but the manifest itself) in sorted order.

    ``written``: digests taken while writing (by path, as ``fs`` names it); those files are
    not read again, unless their size on disk differs from what was written. ``skip``: paths
    relative to the run directory that the run did not write (a user's own files)."""
    files = []
    written = written or {}
    skipped = set(skip)
    for path in sorted(fs.find(run_dir)):
        rel = posixpath.relpath(path, run_dir)
        if rel == MANIFEST or rel in skipped:
            continue
        size = int(fs.size(path))
        known = written.get(path)
        if known is not None and known.size == size:
            rows, sha = known.rows, known.sha256
        else:
            rows, sha = _rows(fs, path), file_sha256(fs, path)
        files.append({"path": rel, "rows": rows, "bytes": size, "sha256": sha})
    return {"version": 1, "files": files}


def write_json(fs: Any, path: str, data: Any) -> None:
    write_text(fs, path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_text(fs: Any, path: str, text: str) -> None:
    """Write ``text`` under a temporary name, then rename it: never a partial file at ``path``."""
    tmp = temp_name(path)
    try:
        with fs.open(tmp, "wb") as f:
            f.write(text.encode("utf-8"))
        fs.mv(tmp, path)
    except OSError as exc:
        try:
            fs.rm(tmp)
        except OSError:
            pass  # a hidden .tmp name, removed by the next --overwrite
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise OutputError(f"cannot write {path}: {reason}") from exc

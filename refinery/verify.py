"""Check a finished run directory against its own records: ``refinery inspect``.

A run directory can change after its run: a shard deleted or copied in, bytes flipped on a
bad disk, ``stats.json`` edited by hand. ``verify_run_dir`` re-checks it instead of trusting
the ``reconciled`` flag the run wrote:

- files: every file ``manifest.json`` lists exists with its size, and (unless ``quick``) its
  sha256 and, for Parquet, the row count in its footer; a Parquet file under ``shards/``,
  ``rejects/`` or ``clusters/`` that the manifest does not list is extra (a loader reading
  ``shards/*.parquet`` would read it);
- counts: each stage of ``stats.json`` reconciles (``docs_in == docs_out + rejected``), each
  stage receives what the one before passed on, the shards hold the last stage's
  ``docs_out`` rows, the rejects of each stage hold its rejected rows (when rejects were
  written), and the run totals agree with the stages and the files.

``quick`` reads no file content: sizes and existence only (counts use the manifest's rows).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

import yaml

from refinery.io.manifest import file_sha256
from refinery.rundir import MANIFEST, REPORT
from refinery.runtime.counters import StageTotals

__all__ = ["Verification", "verify_run_dir"]


@dataclass
class Verification:
    """What ``verify_run_dir`` found: ``problems`` fail the check, ``notes`` do not."""

    stats: dict[str, Any] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_run_dir(url: str, quick: bool = False) -> Verification:
    """Check the run directory at ``url`` (a path or fsspec URL); see the module docstring."""
    import fsspec

    fs, run_dir = fsspec.core.url_to_fs(url)
    out = Verification()
    stats = _load_json(fs, posixpath.join(run_dir, "stats.json"), out)
    manifest = _load_json(fs, posixpath.join(run_dir, MANIFEST), out)
    if stats is not None:
        out.stats = stats
    if manifest is None:
        return out
    out.files = list(manifest.get("files", []))
    _check_files(fs, run_dir, out.files, quick, out)
    if stats is not None:
        _check_counts(stats, out.files, _rejects_written(fs, run_dir), out)
    return out


def _load_json(fs: Any, path: str, out: Verification) -> Any:
    name = posixpath.basename(path)
    try:
        with fs.open(path, "r", encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        out.problems.append(f"{name} is missing")
    except (OSError, ValueError) as exc:
        out.problems.append(f"{name} cannot be read: {type(exc).__name__}")
    return None


def _check_files(
    fs: Any, run_dir: str, files: list[dict[str, Any]], quick: bool, out: Verification
) -> None:
    listed = set()
    for entry in files:
        rel = str(entry.get("path"))
        listed.add(rel)
        path = posixpath.join(run_dir, rel)
        if not fs.exists(path):
            out.problems.append(f"{rel}: listed in the manifest but missing")
            continue
        size = int(fs.size(path))
        if size != entry.get("bytes"):
            out.problems.append(f"{rel}: {size:,} bytes, the manifest says {entry.get('bytes'):,}")
            continue
        if quick:
            continue
        if file_sha256(fs, path) != entry.get("sha256"):
            out.problems.append(f"{rel}: content differs from the manifest (sha256)")
            continue
        if rel.endswith(".parquet"):
            rows = _parquet_rows(fs, path)
            if rows != entry.get("rows"):
                out.problems.append(f"{rel}: {rows} rows, the manifest says {entry.get('rows')}")
    for path in sorted(fs.find(run_dir)):
        rel = posixpath.relpath(path, run_dir)
        if rel in listed or rel in (MANIFEST, REPORT):
            continue
        top = rel.split("/", 1)[0]
        if top == "tokens":
            continue  # token shards have their own manifest: `refinery shards verify`
        if top in ("shards", "rejects", "clusters") and rel.endswith(".parquet"):
            out.problems.append(f"{rel}: not in the manifest (an extra file among the outputs)")
        elif posixpath.basename(rel).startswith(".") and rel.endswith(".tmp"):
            out.notes.append(f"{rel}: an unfinished file of a run that stopped")
        else:
            out.notes.append(f"{rel}: not written by the run")


def _parquet_rows(fs: Any, path: str) -> int | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with fs.open(path, "rb") as f:
            return int(pq.ParquetFile(f).metadata.num_rows)
    except (OSError, pa.ArrowException):
        return None


def _rejects_written(fs: Any, run_dir: str) -> bool:
    """``output.rejects.write`` of the config as run (default true)."""
    try:
        with fs.open(posixpath.join(run_dir, "config.yaml"), "r", encoding="utf-8") as f:
            cfg = yaml.safe_load(f)
        return bool(((cfg or {}).get("output") or {}).get("rejects", {}).get("write", True))
    except (OSError, yaml.YAMLError, AttributeError):
        return True


def _check_counts(
    stats: dict[str, Any], files: list[dict[str, Any]], rejects_written: bool, out: Verification
) -> None:
    from refinery.pipeline import check_accounting

    if stats.get("reconciled") is False:
        out.problems.append("the run itself did not reconcile: " + "; ".join(stats["problems"]))
    totals = []
    for s in stats.get("stages", []):
        t = StageTotals(
            name=s["name"],
            docs_in=s["docs_in"],
            docs_out=s["docs_out"],
            rejected=dict(s.get("rejected", {})),
        )
        if s.get("docs_rejected", t.docs_rejected) != t.docs_rejected:
            out.problems.append(
                f"stage {t.name!r}: docs_rejected {s['docs_rejected']} but its reasons sum "
                f"to {t.docs_rejected}"
            )
        totals.append(t)
    shard_rows = sum(int(f.get("rows") or 0) for f in files if f["path"].startswith("shards/"))
    reject_rows: dict[str, int] = {}
    for f in files:
        parts = f["path"].split("/")
        if parts[0] == "rejects" and len(parts) == 3:
            reject_rows[parts[1]] = reject_rows.get(parts[1], 0) + int(f.get("rows") or 0)
    if not rejects_written:
        reject_rows = {t.name: t.docs_rejected for t in totals}
    out.problems += check_accounting(totals, shard_rows, reject_rows)
    rejected = sum(t.docs_rejected for t in totals)
    first_in = totals[0].docs_in if totals else 0
    for key, want in (
        ("docs_in", first_in),
        ("docs_out", shard_rows),
        ("docs_rejected", rejected),
    ):
        if stats.get(key) != want:
            out.problems.append(
                f"stats.json {key} is {stats.get(key)}, the stages and files say {want}"
            )
    if stats.get("docs_in") != (stats.get("docs_out") or 0) + (stats.get("docs_rejected") or 0):
        out.problems.append(
            f"stats.json: docs_in {stats.get('docs_in')} != docs_out {stats.get('docs_out')} "
            f"+ docs_rejected {stats.get('docs_rejected')}"
        )

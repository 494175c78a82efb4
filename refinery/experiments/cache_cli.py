"""``refinery cache ls|prune``: what the stage cache holds, and removing it by age or size.

Entries are grouped by their stage chain (one row per cache point of a config: its chunks
together). ``ls`` and ``prune`` read ``entry.json`` files only: stage names, counts, sizes and
times, never rows. Removal takes ``entry.json`` first, so a run reading at the same time
finds no entry (and computes the chunk) rather than half of one.
"""

from __future__ import annotations

import json
import posixpath
import re
import time
from dataclasses import dataclass
from typing import Any

import click

from refinery.experiments.stagecache import ENTRY, LAYOUT, USED

__all__ = ["cache", "list_entries", "prune_entries"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SIZES = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20}
_SIZES |= {"g": 1 << 30, "gb": 1 << 30, "t": 1 << 40, "tb": 1 << 40}


@dataclass
class Entry:
    folder: str
    chain: str
    stages: list[str]
    bytes: int
    created: float
    used: float
    complete: bool


def _read_json(fs: Any, path: str) -> dict[str, Any] | None:
    try:
        with fs.open(path, "rb") as f:
            data = json.loads(f.read())
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def list_entries(fs: Any, root: str) -> list[Entry]:
    """Every entry folder under ``root``; an incomplete one (no ``entry.json``, as a killed
    writer leaves it) with its folder's size and time."""
    out = []
    for folder in sorted(fs.glob(posixpath.join(root, LAYOUT, "*", "*"))):
        if not fs.isdir(folder):
            continue
        entry = _read_json(fs, posixpath.join(folder, ENTRY))
        if entry is None:
            files = fs.find(folder, detail=True)
            size = sum(int(i.get("size") or 0) for i in files.values())
            mtime = max([_mtime(fs.info(folder)), *(_mtime(i) for i in files.values())])
            out.append(Entry(folder, "-", [], size, mtime, mtime, False))
            continue
        used = _read_json(fs, posixpath.join(folder, USED)) or {}
        created = float(entry.get("created", 0))
        out.append(
            Entry(
                folder,
                str(entry.get("chain", "-")),
                [str(s) for s in entry.get("stages", [entry.get("stage")])],
                int(entry.get("bytes", 0)),
                created,
                max(created, float(used.get("used", 0))),
                True,
            )
        )
    return out


def _mtime(info: dict[str, Any]) -> float:
    value = info.get("mtime", info.get("LastModified", info.get("updated", 0)))
    if hasattr(value, "timestamp"):
        return float(value.timestamp())
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def prune_entries(
    fs: Any,
    root: str,
    everything: bool = False,
    older_than: float | None = None,
    max_bytes: int | None = None,
    now: float | None = None,
) -> list[Entry]:
    """Remove every entry (``everything``), those last used more than ``older_than`` seconds
    ago, then the least recently used until the rest fit in ``max_bytes``. Returns them."""
    now = time.time() if now is None else now
    entries = sorted(list_entries(fs, root), key=lambda e: e.used)
    doomed = []
    for e in entries:
        if everything or (older_than is not None and now - e.used > older_than):
            doomed.append(e)
    if max_bytes is not None:
        kept = [e for e in entries if e not in doomed]
        total = sum(e.bytes for e in kept)
        for e in kept:  # least recently used first
            if total <= max_bytes:
                break
            doomed.append(e)
            total -= e.bytes
    for e in doomed:
        marker = posixpath.join(e.folder, ENTRY)
        if fs.exists(marker):
            fs.rm(marker)
        fs.rm(e.folder, recursive=True)
    return doomed


def parse_age(text: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text.lower())
    if not m:
        raise click.BadParameter(f"{text!r}: a number and a unit (s, m, h, d, w), e.g. 7d")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?)\s*", text.lower())
    if not m:
        raise click.BadParameter(f"{text!r}: a number and a unit (KB, MB, GB, TB), e.g. 20GB")
    return int(float(m.group(1)) * _SIZES[m.group(2)])


def _location(path: str | None, config: str | None) -> tuple[Any, str, str]:
    import fsspec

    if path is None:
        if config is None:
            raise click.UsageError("give the cache location: --path URL, or --config CONFIG")
        from refinery.config import load_config

        cfg = load_config(config)
        path = cfg.cache.path or posixpath.join(
            posixpath.dirname(cfg.output_dir.rstrip("/")) or ".", "_stage_cache"
        )
    fs, root = fsspec.core.url_to_fs(path)
    return fs, root, path


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def _when(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) if t else "-"


_path_opt = click.option("--path", help="The cache location (local path or fsspec URL).")
_config_opt = click.option(
    "--config", "-c", help="A run config: its `cache.path`, or the default beside its run dir."
)


@click.group("cache")
def cache() -> None:
    """The stage cache: list and prune what it holds (see docs/experiments.md)."""


@cache.command("ls")
@_path_opt
@_config_opt
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def ls(path: str | None, config: str | None, as_json: bool) -> None:
    """One row per cache point: key, stages, chunks, size, last used (UTC)."""
    fs, root, shown = _location(path, config)
    groups: dict[str, dict[str, Any]] = {}
    for e in list_entries(fs, root):
        g = groups.setdefault(
            e.chain, {"key": e.chain, "stages": e.stages, "chunks": 0, "bytes": 0, "used": 0.0}
        )
        g["chunks"] += 1
        g["bytes"] += e.bytes
        g["used"] = max(g["used"], e.used)
        if not e.complete:
            g["stages"] = ["(incomplete)"]
    rows = sorted(groups.values(), key=lambda g: -g["used"])
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{shown}: {len(rows)} cache points, {_human(sum(g['bytes'] for g in rows))}")
    for g in rows:
        stages = " > ".join(g["stages"])
        click.echo(
            f"{g['key'][:12]:12}  {g['chunks']:6d} chunks  {_human(g['bytes']):>9}  "
            f"{_when(g['used'])}  {stages}"
        )


@cache.command("prune")
@_path_opt
@_config_opt
@click.option("--all", "everything", is_flag=True, help="Remove every entry.")
@click.option("--older-than", help="Remove entries last used longer ago than this (e.g. 7d).")
@click.option("--max-size", help="Then remove the least recently used until under (e.g. 20GB).")
def prune(
    path: str | None,
    config: str | None,
    everything: bool,
    older_than: str | None,
    max_size: str | None,
) -> None:
    """Remove entries: all, by age of last use, or down to a size."""
    if not (everything or older_than or max_size):
        raise click.UsageError("say what to remove: --all, --older-than AGE or --max-size SIZE")
    fs, root, shown = _location(path, config)
    gone = prune_entries(
        fs,
        root,
        everything=everything,
        older_than=parse_age(older_than) if older_than else None,
        max_bytes=parse_size(max_size) if max_size else None,
    )
    click.echo(f"{shown}: removed {len(gone)} entries, {_human(sum(e.bytes for e in gone))}")

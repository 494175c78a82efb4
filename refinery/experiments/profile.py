"""What a finished run directory says about its data: the figures reports and comparisons show.

``profile_run`` reads ``stats.json`` (exact counts: the funnel, rejection reasons, stage
counters such as PII entities per type), ``config.yaml`` (which stage each instance is) and
the Parquet files, in bounded memory: only the columns it needs, one row group at a time.
The kept shards are scanned in parts of ``PART_ROWS`` rows (``scan_shard_part``) whose figures
merge in order into the same figures as one scan; a run on Ray scans them in Ray tasks.

- From the kept shards: document lengths (characters of ``text``, exact counts in fixed
  bins), every numeric signal column (a score, a ratio, a count a stage wrote; not ids or
  hashes), and the language mix (``lang``). Row groups beyond ``max_rows`` documents are
  sampled evenly (whole row groups, deterministic), and the profile says so. Quantiles and
  histogram shapes come from the finite values at every k-th scanned row, at most
  ``SAMPLE_SIZE`` per column (exact when fewer); count, min, max and mean are exact.
- From the rejects of dedup stages: cluster sizes, from the kept-document id each removed
  copy carries (``<stage>_kept_id``). Memory grows with the number of clusters, not text.

Nothing here keeps document text or ids: lengths and counts only, and language codes that
look like language codes (anything else is counted as ``other``).
"""

from __future__ import annotations

import json
import math
import posixpath
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from refinery.experiments.shard_scan import (
    LENGTH_EDGES,
    MapParts,
    NumericSummary,
    ShardPart,
    ShardScan,
    empty_part,
    map_here,
    pieces,
    scan_shard_part,
)

__all__ = [
    "LENGTH_EDGES",
    "PART_ROWS",
    "SAMPLE_SIZE",
    "ClusterSizes",
    "MapParts",
    "NumericSummary",
    "RunProfile",
    "ShardPart",
    "profile_run",
    "scan_shard_part",
    "tokens_of",
]

SAMPLE_SIZE = 100_000
#: Rows of kept shards per part of the scan (``map_parts`` runs one call per part).
PART_ROWS = 50_000
_NOT_SIGNALS = {"id", "text", "source", "sensitivity", "meta", "reject_stage", "reject_reason"}


@dataclass
class ClusterSizes:
    """Duplicate clusters a dedup stage found: documents per cluster → number of clusters."""

    column: str
    removed: int = 0
    sizes: dict[int, int] = field(default_factory=dict)

    @property
    def clusters(self) -> int:
        return sum(self.sizes.values())


@dataclass
class RunProfile:
    run_dir: str
    stats: dict[str, Any]
    #: instance name → registered stage name, from config.yaml
    stage_types: dict[str, str] = field(default_factory=dict)
    docs_kept: int = 0
    docs_scanned: int = 0
    length_counts: list[int] = field(default_factory=list)
    lengths: NumericSummary | None = None
    scores: dict[str, NumericSummary] = field(default_factory=dict)
    #: language code → [documents, characters (None when text was not read)]
    languages: dict[str, list[int | None]] = field(default_factory=dict)
    dedup: dict[str, ClusterSizes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.stats.get("run", posixpath.basename(self.run_dir.rstrip("/"))))

    @property
    def stages(self) -> list[dict[str, Any]]:
        return list(self.stats.get("stages", []))

    def pii_counts(self) -> dict[str, dict[str, int]]:
        """Entities per type of each PII-redacting stage, from stats.json counters."""
        return {
            s["name"]: dict(s.get("counters") or {})
            for s in self.stages
            if _redacts_pii(self.stage_types.get(s["name"], s["name"]))
        }

    def other_counters(self) -> dict[str, dict[str, int]]:
        pii = self.pii_counts()
        return {
            s["name"]: dict(s["counters"])
            for s in self.stages
            if s.get("counters") and s["name"] not in pii
        }


def tokens_of(stage: dict[str, Any]) -> int | None:
    """The tokens a stage passed on, when the run counts tokens (``tokens_out``)."""
    value = stage.get("tokens_out")
    return int(value) if isinstance(value, int | float) else None


def profile_run(
    fs: Any,
    run_dir: str,
    *,
    read_text: bool = True,
    max_rows: int | None = 1_000_000,
    map_parts: MapParts | None = None,
) -> RunProfile:
    """Profile the run directory ``run_dir`` on ``fs``; see the module docstring.

    ``read_text=False`` skips the ``text`` column (no lengths; comparisons need none).
    ``map_parts`` runs the scans of the kept shards' parts (``PART_ROWS`` rows each; by
    default here, one after the other); the figures are the same wherever they run."""
    with fs.open(posixpath.join(run_dir, "stats.json"), "r", encoding="utf-8") as f:
        stats = json.load(f)
    profile = RunProfile(run_dir=run_dir, stats=stats, stage_types=_stage_types(fs, run_dir))
    _scan_shards(fs, run_dir, profile, read_text, max_rows, map_parts or map_here)
    _scan_dedup(fs, run_dir, profile)
    return profile


def _stage_types(fs: Any, run_dir: str) -> dict[str, str]:
    try:
        with fs.open(posixpath.join(run_dir, "config.yaml"), "r", encoding="utf-8") as f:
            raw = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError):
        return {}
    entries = raw.get("stages") if isinstance(raw, dict) else None
    out: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and "stage" in entry:
            out[str(entry.get("name", entry["stage"]))] = str(entry["stage"])
    return out


def _redacts_pii(stage_type: str) -> bool:
    from refinery.errors import ConfigError
    from refinery.stage import get_stage, load_builtin_stages

    load_builtin_stages()
    try:
        return bool(get_stage(stage_type).redacts_pii)
    except ConfigError:
        return False  # a plugin stage not importable here: its counters show as generic


def _parquet_files(fs: Any, run_dir: str, folder: str) -> list[str]:
    """The run's Parquet files under ``folder`` (per the manifest when there is one)."""
    try:
        with fs.open(posixpath.join(run_dir, "manifest.json"), "r", encoding="utf-8") as f:
            listed = [e["path"] for e in json.load(f)["files"]]
        rels = [p for p in listed if p.startswith(folder + "/") and p.endswith(".parquet")]
        return sorted(posixpath.join(run_dir, p) for p in rels)
    except (OSError, ValueError, KeyError, TypeError):
        found = fs.glob(posixpath.join(run_dir, folder, "**", "*.parquet"))
        return sorted(p for p in found if not posixpath.basename(p).startswith("."))


def _signal_columns(schema: pa.Schema) -> list[str]:
    out = []
    for f in schema:
        if f.name in _NOT_SIGNALS or f.name.endswith(("_id", "_hash")):
            continue
        if pa.types.is_floating(f.type) or pa.types.is_integer(f.type):
            out.append(f.name)
    return out


def _scan_shards(
    fs: Any,
    run_dir: str,
    profile: RunProfile,
    read_text: bool,
    max_rows: int | None,
    map_parts: MapParts = map_here,
) -> None:
    files = _parquet_files(fs, run_dir, "shards")
    groups: list[tuple[str, int, int]] = []
    schema: pa.Schema | None = None
    for path in files:
        with fs.open(path, "rb") as f:
            meta = pq.ParquetFile(f).metadata
            schema = schema or meta.schema.to_arrow_schema()
            groups += [(path, i, meta.row_group(i).num_rows) for i in range(meta.num_row_groups)]
    profile.docs_kept = sum(n for _, _, n in groups)
    if schema is None:
        return
    chosen = _choose_groups(groups, max_rows)
    scanned = sum(n for _, _, n in chosen)
    scan = ShardScan(
        signals=tuple(_signal_columns(schema)),
        has_lang="lang" in schema.names,
        want_text=read_text and "text" in schema.names,
        stride=max(1, math.ceil(scanned / SAMPLE_SIZE)),
    )
    merged = empty_part(scan)
    if scan.columns:
        items: list[tuple[Any, ...]] = []
        first = 0
        for piece in pieces(chosen, PART_ROWS):
            items.append((fs, scan, piece, first))
            first += sum(n for _, _, n in piece)
        for part in map_parts(scan_shard_part, items):
            merged.merge(part)
    profile.scores = merged.scores
    if scan.want_text:
        profile.lengths = merged.lengths
        profile.length_counts = merged.length_counts
    profile.docs_scanned = scanned
    if scan.has_lang:
        profile.languages = {
            k: [n, merged.lang_chars[k] if scan.want_text else None]
            for k, n in merged.langs.most_common()
        }
    if scanned < profile.docs_kept:
        profile.notes.append(
            f"lengths, scores and languages from {scanned:,} of {profile.docs_kept:,} kept "
            f"documents (whole row groups chosen evenly; max_rows={max_rows:,})"
        )


def _choose_groups(
    groups: list[tuple[str, int, int]], max_rows: int | None
) -> list[tuple[str, int, int]]:
    total = sum(n for _, _, n in groups)
    if max_rows is None or total <= max_rows or not groups:
        return groups
    want = max(1, math.ceil(len(groups) * max_rows / total))
    n = len(groups)
    return [g for i, g in enumerate(groups) if (i + 1) * want // n > i * want // n]


def _scan_dedup(fs: Any, run_dir: str, profile: RunProfile) -> None:
    """Cluster sizes of each stage whose rejects carry a kept-document id column."""
    for stage in profile.stages:
        name = stage["name"]
        if not stage.get("docs_rejected"):
            continue
        files = _parquet_files(fs, run_dir, f"rejects/{name}")
        if not files:
            continue
        candidates = [f"{name}_kept_id", f"{profile.stage_types.get(name, name)}_kept_id"]
        with fs.open(files[0], "rb") as f:
            names = pq.ParquetFile(f).schema_arrow.names
        column = next((c for c in candidates if c in names), None)
        if column is None:
            continue
        profile.dedup[name] = _cluster_sizes(fs, files, column)
    if not any(s.get("docs_rejected") for s in profile.stages):
        return
    if not _parquet_files(fs, run_dir, "rejects"):
        profile.notes.append("rejects were not written: dedup cluster sizes are not available")


def _cluster_sizes(fs: Any, files: list[str], column: str) -> ClusterSizes:
    """Cluster sizes from the kept-document ids of a dedup stage's rejects: removed copies per
    kept id, then clusters per size (the kept document plus its copies).

    One polars query over all the files: only the id column is read (a lazy scan with
    projection pushdown on a local run directory), and the group-by runs in polars' native
    hash tables, not in Python objects per id: a run that removed millions of copies is
    counted in seconds, in memory proportional to the distinct kept ids.
    """
    import polars as pl

    if "file" in _protocols(fs):
        frame = pl.scan_parquet(files).select(column)
    else:  # remote storage: read the one column of each file through fsspec
        parts = []
        for path in files:
            with fs.open(path, "rb") as f:
                parts.append(pl.read_parquet(f, columns=[column]))
        frame = pl.concat(parts).lazy()
    per_kept = frame.drop_nulls().group_by(column).len(name="copies")
    sizes = per_kept.group_by("copies").len(name="clusters").sort("copies").collect().rows()
    return ClusterSizes(
        column=column,
        removed=sum(int(copies) * int(n) for copies, n in sizes),
        sizes={int(copies) + 1: int(n) for copies, n in sizes},
    )


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = getattr(fs, "protocol", ())
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)

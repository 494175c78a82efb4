"""The stage cache: a chunk's rows after a stage, kept between runs and reused by key.

**Key.** An entry is named by the sha256 of: the chunk (its partition's fingerprint, its
index), the configs and code versions of every stage up to the cache point (in order), the
seed, the engine's version and the output settings that shape reject files. After a global
stage the fingerprint of all inputs is part of it too (``refinery.resume.segment_keys``).
Equal keys mean equal content: a variant that changes a later stage finds the entries of the
stages before it, and one that changes an earlier stage (its config or its ``code_version``)
finds none. A stage's code version is its ``code_version`` attribute, or else the sha256 of
its module's source.

**Cache points.** After the stage before the last row stage of the run, after the last row
stage before each global stage (the segment boundaries the engine checkpoints), and after the
stages named in ``cache.after``. A sweep adds the point before the earliest stage it varies.
A chunk that finds an entry skips the stages up to it (segment 0 still reads its lines, not
decoding them); a global stage always runs.

**Entry.** ``<root>/v1/<key[:2]>/<key>/``: ``rows.parquet`` (the rows still in play),
``f<N>.parquet`` (copies of the reject files the chunk wrote so far in its segment) and,
written last under a temporary name then renamed, ``entry.json``: the chunk's counters, the
reject files' names and digests, and the digest of every file of the entry. An entry without
``entry.json``, or a file whose digest differs, is never used (the chunk is computed). Entry
files hold counts, reason codes, stage names and digests, never text or ids; the row files
are run data: the cache must be as protected as the run directories (by default it lies
beside them, in ``_stage_cache``).
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import logging
import posixpath
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import refinery
from refinery.runtime.counters import BatchRecord
from refinery.runtime.workdir import content_key

__all__ = ["CachePlan", "Hit", "code_version", "store_entry", "find_entry", "cache_points"]

LAYOUT = "v1"
ENTRY = "entry.json"
USED = "used.json"
log = logging.getLogger(__name__)


@cache
def code_version(cls: type) -> str:
    """A stage class's declared ``code_version``, or the sha256 of its module's source."""
    declared = getattr(cls, "code_version", None)
    if declared:
        return str(declared)
    module = sys.modules.get(cls.__module__)
    try:
        source = inspect.getsource(module) if module is not None else cls.__qualname__
    except (OSError, TypeError):
        source = cls.__module__ + "." + cls.__qualname__
    return hashlib.sha256(source.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CachePlan:
    """What workers need of the cache: where it is and the key of each cache point."""

    url: str
    #: stage name -> the key of the stage chain through it (configs, code versions, ...)
    points: dict[str, str]
    #: segment index -> (cache-point stage names, in order; every row stage of the segment)
    segments: dict[int, tuple[tuple[str, ...], tuple[str, ...]]]
    #: stage name -> the names of the stages through it (shown by ``refinery cache ls``)
    chains: dict[str, tuple[str, ...]]

    def fs(self) -> tuple[Any, str]:
        import fsspec

        return fsspec.core.url_to_fs(self.url)  # type: ignore[no-any-return]

    def entry_key(self, stage: str, task_fingerprint: str, task: int, chunk: int) -> str:
        return content_key("stage-cache", self.points[stage], task_fingerprint, task, chunk)

    def entry_dir(self, key: str) -> str:
        _, root = self.fs()
        return posixpath.join(root, LAYOUT, key[:2], key)


def cache_points(cfg: Any, segments: list[Any], extra: list[str]) -> list[str]:
    """Stage names to cache after: before the last row stage, at segment boundaries, ``extra``."""
    names = {spec.name for spec in cfg.stages}
    unknown = sorted(set(extra) - names)
    if unknown:
        from refinery.errors import ConfigError

        raise ConfigError(f"no stage named {', '.join(unknown)}", key="cache.after")
    from refinery.stage import GlobalStage

    whole = sorted(s.name for s in cfg.stages if s.name in extra and issubclass(s.cls, GlobalStage))
    if whole:
        from refinery.errors import ConfigError

        raise ConfigError(
            f"{', '.join(whole)}: a global stage's output is not cached; name a row stage",
            key="cache.after",
        )
    points = set(extra)
    last = segments[-1].stages
    if len(last) >= 2:
        points.add(last[-2].name)
    for seg in segments[:-1]:
        if seg.stages:
            points.add(seg.stages[-1].name)
    return [spec.name for spec in cfg.stages if spec.name in points]


def build_cache_plan(cfg: Any, segments: list[Any], chain_keys: dict[str, str]) -> CachePlan:
    """``chain_keys``: per stage name, the key of the stage chain through it."""
    import fsspec

    url = cfg.cache.path or posixpath.join(
        posixpath.dirname(cfg.output_dir.rstrip("/")) or ".", "_stage_cache"
    )
    fsspec.core.url_to_fs(url)  # a bad URL fails here, before the run
    wanted = set(cache_points(cfg, segments, list(cfg.cache.after)))
    by_segment = {}
    for seg in segments:
        row_names = tuple(s.name for s in seg.stages)
        by_segment[seg.index] = (tuple(n for n in row_names if n in wanted), row_names)
    names = [s.name for s in cfg.stages]
    chains = {n: tuple(names[: names.index(n) + 1]) for n in wanted}
    return CachePlan(url, {n: chain_keys[n] for n in wanted}, by_segment, chains)


def stage_dict(spec: Any) -> dict[str, Any]:
    return {
        "stage": spec.stage,
        "name": spec.name,
        "config": spec.config.model_dump(mode="json"),
        "renames": spec.renames,
        "code_version": code_version(spec.cls),
    }


def chain_keys(cfg: Any, segments: list[Any], partitions: list[Any], output: Any) -> dict[str, str]:
    """Per row stage: the key of the chain of stages up to and through it."""
    stages = [stage_dict(s) for s in cfg.stages]
    index = {spec.name: i for i, spec in enumerate(cfg.stages)}
    ids = _id_key_fingerprints(cfg)
    out = {}
    for seg in segments:
        inputs = partitions if seg.index > 0 else None
        for spec in seg.stages:
            i = index[spec.name]
            out[spec.name] = content_key(
                refinery.__version__, cfg.run.seed, stages[: i + 1], inputs, asdict(output), ids
            )
    return out


def _id_key_fingerprints(cfg: Any) -> list[tuple[str, str]]:
    """Per source whose ids are pseudonymised: an HMAC of a constant under its key (the key
    changes the ids, so it must change the entries; the fingerprint does not reveal it)."""
    import hmac
    import os

    from refinery.privacy import ReadGuard

    out = []
    for source, env in ReadGuard.from_sources(cfg.sources).sources:
        key = os.environ.get(env, "").encode()
        out.append((source, hmac.new(key, b"refinery stage cache", hashlib.sha256).hexdigest()))
    return out


@dataclass
class Hit:
    stage: str
    table: pa.Table
    records: list[BatchRecord]
    files: list[dict[str, Any]]
    #: the row stages of the segment the chunk skips (through ``stage``)
    skip: frozenset[str]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_bytes(fs: Any, path: str, data: bytes) -> None:
    """Under a temporary name unique to this writer, then renamed: never a partial ``path``."""
    head, tail = posixpath.split(path)
    tmp = posixpath.join(head, f".{tail}.{uuid.uuid4().hex}.tmp")
    with fs.open(tmp, "wb") as f:
        f.write(data)
    fs.mv(tmp, path)


def store_entry(
    plan: CachePlan,
    key: str,
    stage: str,
    segment: int,
    table: pa.Table,
    records: list[BatchRecord],
    files: list[dict[str, Any]],
    run_fs: Any,
    run_dir: str,
    last: bool = False,
) -> None:
    """Store a chunk's state after ``stage``; an entry already there is kept."""
    fs, _ = plan.fs()
    folder = plan.entry_dir(key)
    marker = posixpath.join(folder, ENTRY)
    if fs.exists(marker):
        return
    fs.makedirs(folder, exist_ok=True)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    rows = sink.getvalue()
    _write_bytes(fs, posixpath.join(folder, "rows.parquet"), rows)
    size = len(rows)
    kept_files = []
    for n, f in enumerate(files):
        with run_fs.open(posixpath.join(run_dir, f["path"]), "rb") as src:
            data = src.read()
        if _sha(data) != f["sha256"]:
            return  # the file changed since it was written: store nothing
        _write_bytes(fs, posixpath.join(folder, f"f{n}.parquet"), data)
        kept_files.append({**f, "blob": f"f{n}.parquet"})
        size += len(data)
    entry = {
        "version": 1,
        "key": key,
        "stage": stage,
        "chain": plan.points[stage],
        "stages": list(plan.chains[stage]),
        "segment": segment,
        "last": last,
        "created": time.time(),
        "rows": table.num_rows,
        "rows_sha256": _sha(rows),
        "bytes": size,
        "records": [asdict(r) for r in records],
        "files": kept_files,
    }
    _write_bytes(fs, marker, json.dumps(entry, sort_keys=True).encode())


def _read_entry(fs: Any, folder: str) -> dict[str, Any] | None:
    try:
        with fs.open(posixpath.join(folder, ENTRY), "rb") as f:
            data = json.loads(f.read())
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == 1 else None


def find_entry(
    plan: CachePlan, segment: int, task_fingerprint: str, task: int, chunk: int
) -> tuple[str, dict[str, Any]] | None:
    """The deepest complete entry of the chunk in ``segment``: (its folder, its entry.json)."""
    fs, _ = plan.fs()
    points, _ = plan.segments.get(segment, ((), ()))
    for stage in reversed(points):
        folder = plan.entry_dir(plan.entry_key(stage, task_fingerprint, task, chunk))
        entry = _read_entry(fs, folder)
        if entry is not None and entry.get("stage") == stage:
            return folder, entry
    return None


def load_hit(
    plan: CachePlan, segment: int, folder: str, entry: dict[str, Any], run_fs: Any, run_dir: str
) -> Hit | None:
    """The entry's rows, counters and reject files (copied into the run directory), or None
    when a file of the entry is missing or does not match its digest."""
    fs, _ = plan.fs()
    try:
        with fs.open(posixpath.join(folder, "rows.parquet"), "rb") as f:
            rows = f.read()
        blobs = []
        for spec in entry["files"]:
            with fs.open(posixpath.join(folder, spec["blob"]), "rb") as f:
                blobs.append(f.read())
    except FileNotFoundError:
        return None
    if _sha(rows) != entry["rows_sha256"] or any(
        _sha(b) != s["sha256"] for b, s in zip(blobs, entry["files"], strict=True)
    ):
        log.warning("stage cache entry %s does not match its digests; removed", entry["key"])
        fs.rm(posixpath.join(folder, ENTRY))  # stored again by this run
        return None
    for data, spec in zip(blobs, entry["files"], strict=True):
        path = posixpath.join(run_dir, spec["path"])
        run_fs.makedirs(posixpath.dirname(path), exist_ok=True)
        _write_bytes(run_fs, path, data)
    _write_bytes(fs, posixpath.join(folder, USED), json.dumps({"used": time.time()}).encode())
    records = [BatchRecord(**{**r, "seconds": 0.0}) for r in entry["records"]]
    files = [{k: v for k, v in s.items() if k != "blob"} for s in entry["files"]]
    points, row_names = plan.segments[segment]
    through = row_names.index(entry["stage"])
    return Hit(
        entry["stage"],
        pq.read_table(io.BytesIO(rows)),
        records,
        files,
        frozenset(row_names[: through + 1]),
    )


def reuse(
    plan: CachePlan, segment: int, fingerprint: str, ref: Any, run_fs: Any, run_dir: str
) -> Hit | None:
    """The chunk ``ref`` as the deepest complete cache entry of ``segment`` holds it."""
    found = find_entry(plan, segment, fingerprint, ref.task, ref.chunk)
    if found is None:
        return None
    return load_hit(plan, segment, found[0], found[1], run_fs, run_dir)


def keep(
    plan: CachePlan, stage: str, fingerprint: str, state: Any, run_fs: Any, run_dir: str
) -> None:
    """Store the chunk ``state`` (a ``ChunkState``) as it is after ``stage``."""
    key = plan.entry_key(stage, fingerprint, state.ref.task, state.ref.chunk)
    segment = next(i for i, (_, names) in plan.segments.items() if stage in names)
    store_entry(
        plan,
        key,
        stage,
        segment,
        state.table,
        state.records,
        state.files,
        run_fs,
        run_dir,
        state.last,
    )


def plan_for_run(
    cfg: Any, segments: list[Any], record: dict[str, Any], output: Any
) -> CachePlan | None:
    """The run's ``CachePlan`` when ``cache.enabled``, else None."""
    if not cfg.cache.enabled:
        return None
    keys = chain_keys(cfg, segments, record["partitions"], output)
    return build_cache_plan(cfg, segments, keys)


def check_config(cfg: Any) -> None:
    """``ConfigError`` for a ``cache`` section that names no row stage, before a run starts."""
    if cfg.cache.enabled:
        from refinery.runtime.segments import plan_segments

        cache_points(cfg, plan_segments(cfg.stages), list(cfg.cache.after))


@dataclass(frozen=True)
class Shortcut:
    """Every chunk of a segment's work has an entry after ``stage``: the segment starts from
    the cache, without reading its partitions and without the stages through ``stage``."""

    stage: str
    chunks: tuple[tuple[Any, bool], ...]
    skip: frozenset[str]


def shortcut(job: Any, segment: int, work: Any) -> Shortcut | None:
    """A ``Shortcut`` for ``work`` (a ``SegmentWork``) at the deepest cache point of ``segment``
    where every chunk has a complete entry, or None. In segment 0 a partition's chunks are
    the entries found for chunk 0, 1, ... up to one marked ``last``."""
    plan: CachePlan | None = job.cache
    if plan is None:
        return None
    from refinery.runtime.workdir import ChunkRef

    fs, _ = plan.fs()
    points, row_names = plan.segments.get(segment, ((), ()))
    for stage in reversed(points):
        chunks: list[tuple[Any, bool]] = []
        ok = True
        if work.reads:
            for task, skip in sorted(work.reads.items()):
                fp = job.task_fingerprints[task]
                chunk, last = 0, False
                while ok and not last:
                    entry = _read_entry(fs, plan.entry_dir(plan.entry_key(stage, fp, task, chunk)))
                    ok = entry is not None and "last" in entry
                    last = bool(entry and entry.get("last"))
                    if ok and chunk not in skip:
                        chunks.append((ChunkRef(task, chunk), last))
                    chunk += 1
        else:
            for ref, last in work.chunks:
                fp = job.task_fingerprints[ref.task]
                ok = ok and fs.exists(
                    posixpath.join(
                        plan.entry_dir(plan.entry_key(stage, fp, ref.task, ref.chunk)), ENTRY
                    )
                )
                chunks.append((ref, last))
        if ok and chunks:
            through = row_names.index(stage)
            return Shortcut(stage, tuple(chunks), frozenset(row_names[: through + 1]))
    return None

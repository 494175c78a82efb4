"""What a run records at plan time so that a resume continues the same run, or refuses.

``_work/run.json`` holds the run's identity: the config (without the keys that cannot change
the output: ``runtime``, ``ray``, ``run.output``), the partitions (one per read task: source,
path, size and mtime) and the code version. ``refinery run --resume`` and ``refinery resume``
compare it with the config and inputs of now and refuse with the keys and files that differ:
a chunk finished against other inputs or another partitioning would be mixed with chunks
computed now (a peer lost data that way).

The same record gives the content keys of checkpoints (``refinery.runtime.workdir``).
"""

from __future__ import annotations

import copy
from typing import Any

import refinery
from refinery.errors import OutputError
from refinery.io.readers import ReadTask
from refinery.runtime.workdir import WorkDir, content_key

__all__ = ["ResumeRefused", "check_same_run", "plan_record", "segment_keys", "task_fingerprints"]

#: Config keys that do not change what a run writes (a resume may change them).
_FREE_KEYS = ("runtime", "ray")


class ResumeRefused(OutputError):
    """The run directory holds a run of another config or other inputs."""


def config_identity(raw: dict[str, Any]) -> dict[str, Any]:
    ident = copy.deepcopy(raw)
    for key in _FREE_KEYS:
        ident.pop(key, None)
    run = ident.get("run")
    if isinstance(run, dict):
        run.pop("output", None)
    return ident


def _partition(fs_task: ReadTask, sources: list[Any]) -> dict[str, Any]:
    """A read task's fingerprint: source, path, and the size and mtime of its file (when it is
    one; a database table is named by its task alone)."""
    import fsspec

    src = sources[fs_task.source_index]
    out: dict[str, Any] = {"source": src.name, "path": fs_task.path, "relpath": fs_task.relpath}
    if fs_task.extra:
        out["extra"] = {k: str(v) for k, v in sorted(fs_task.extra.items())}
    try:
        fs, path = fsspec.core.url_to_fs(fs_task.path)
        info = fs.info(path)
    except (OSError, ValueError):
        return out
    out["size"] = int(info.get("size") or 0)
    mtime = info.get("mtime", info.get("LastModified", info.get("updated")))
    if mtime is not None:
        out["mtime"] = str(mtime)
    return out


def plan_record(plan: Any) -> dict[str, Any]:
    ident = config_identity(plan.cfg.raw)
    return {
        "version": 1,
        "code_version": refinery.__version__,
        "config": ident,
        "config_hash": content_key(ident),
        "partitions": [_partition(t, plan.cfg.sources) for t in plan.tasks],
    }


def task_fingerprints(record: dict[str, Any], plan: Any) -> list[str]:
    """Per read task: its partition fingerprint with its source's config (reader, fields,
    ``batch_rows``: what cuts it into chunks)."""
    out = []
    for part, task in zip(record["partitions"], plan.tasks, strict=True):
        src = plan.cfg.sources[task.source_index]
        out.append(content_key(part, src.model_dump(mode="json")))
    return out


def segment_keys(record: dict[str, Any], plan: Any, closers: list[int]) -> list[str]:
    """Per segment: the key of the stage chain up to its end (``closers``: the index in the
    stage list of the global stage that ends each segment, or the number of stages). After a
    global stage a chunk depends on every partition, so those keys take all of them."""
    stages = [
        {
            "stage": spec.stage,
            "name": spec.name,
            "config": spec.config.model_dump(mode="json"),
            "renames": spec.renames,
        }
        for spec in plan.cfg.stages
    ]
    keys = []
    for i, end in enumerate(closers):
        inputs = record["partitions"] if i > 0 else None
        keys.append(
            content_key(record["code_version"], plan.cfg.run.seed, stages[: end + 1], inputs)
        )
    return keys


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}.{i}"))
        return out or {prefix: []}
    return {prefix: value}


def differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What changed between two plan records, as readable lines (no document content)."""
    lines = []
    if before.get("code_version") != now.get("code_version"):
        lines.append(
            f"refinery version: {before.get('code_version')} then, {now.get('code_version')} now"
        )
    if before.get("config_hash") != now.get("config_hash"):
        a, b = _flatten(before.get("config", {})), _flatten(now.get("config", {}))
        keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        lines.append(
            "config keys changed: " + ", ".join(keys[:20]) + (" ..." if len(keys) > 20 else "")
        )
    then = {p["path"]: p for p in before.get("partitions", [])}
    current = {p["path"]: p for p in now.get("partitions", [])}
    for path in sorted(set(then) - set(current)):
        lines.append(f"input removed: {path}")
    for path in sorted(set(current) - set(then)):
        lines.append(f"input added: {path}")
    for path in sorted(set(then) & set(current)):
        old, new = then[path], current[path]
        for key in ("size", "mtime", "source", "extra"):
            if old.get(key) != new.get(key):
                lines.append(
                    f"input changed: {path} ({key} {old.get(key)} then, {new.get(key)} now)"
                )
    if not lines and [p["path"] for p in before.get("partitions", [])] != [
        p["path"] for p in now.get("partitions", [])
    ]:
        lines.append("the inputs are planned in another order (partitioning changed)")
    return lines


def check_same_run(work: WorkDir, record: dict[str, Any]) -> dict[str, Any]:
    """The recorded plan, if it is this one; ``ResumeRefused`` naming what changed if not."""
    before = work.read_json(work.plan_path)
    if before is None:
        raise ResumeRefused(f"{work.run_dir}: no record of an unfinished run to resume")
    changed = differences(before, record)
    if changed:
        raise ResumeRefused(
            f"cannot resume the run in {work.run_dir}: it was started with other settings or "
            "inputs, and finished parts would not match the rest:\n  "
            + "\n  ".join(changed)
            + "\nRun it again with --overwrite to start over."
        )
    return before

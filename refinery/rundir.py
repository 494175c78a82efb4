"""The run directory before a run: can it be written, and what did an earlier run leave there.

- ``check_output_location``: the directory (or, when it does not exist yet, the nearest
  existing folder above it) is a writable directory; ``refinery validate`` and ``run`` both
  check it, so a file in the way or a read-only folder is an error before anything runs.
- ``prepare_run_dir``: a directory that holds an earlier run is refused unless the caller
  says ``overwrite``; then only what a run writes is deleted: the files the earlier
  manifest lists and the names Refinery gives its files (``shards/part-NNNNN.parquet``,
  ``rejects/<stage>/part-NNNNN.parquet``, ``clusters/*.parquet``, ``stats.json``, ...). A
  file of the user's own, even inside ``shards/``, is kept and reported.

``ExistingRun`` names what to do with an earlier run: refuse, overwrite, or ``resume`` it
(keep everything; the run continues from its completion markers in ``_work/``, see
``refinery.resume``). A resume removes only the hidden ``.tmp`` files a killed run left.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from typing import Any, Literal

from refinery.errors import OutputError

__all__ = [
    "MANIFEST",
    "REPORT",
    "RUN_FILES",
    "ExistingRun",
    "check_output_location",
    "earlier_run",
    "is_run_file",
    "local_path",
    "prepare_run_dir",
    "temp_name",
]

MANIFEST = "manifest.json"
#: The run's HTML report: written after the manifest (a view of the run, rebuilt by
#: ``refinery report``), so the manifest does not list it.
REPORT = "report.html"
#: Files and folders at the top of a run directory that only a run writes.
RUN_FILES = (
    "config.yaml", "stats.json", MANIFEST, "shards", "rejects", "clusters", "_work", "tokens"
)  # fmt: skip
ExistingRun = Literal["refuse", "overwrite", "resume"]

_RUN_FILE = re.compile(
    r"(config\.yaml|stats\.json|manifest\.json|report\.html"
    r"|shards/(\.)?part-\d{5}(-\d{5}){0,2}\.parquet(\.tmp)?"
    r"|rejects/[^/]+/(\.)?part-\d{5}(-\d{5}){0,2}\.parquet(\.tmp)?"
    r"|clusters/(\.)?[^/]+\.parquet(\.tmp)?"
    r"|_work/.+"
    r"|tokens/(\.?manifest\.json(\.tmp)?|\.?part-\d{5}(\.docs)?\.(bin|idx|npy|parquet)(\.tmp)?|\.work/.*)"
    r"|\.(config\.yaml|stats\.json|manifest\.json|report\.html)\.tmp)"
)


def temp_name(path: str) -> str:
    """Where ``path`` is written until it is complete: a hidden name in the same folder."""
    head, tail = posixpath.split(path)
    return posixpath.join(head, f".{tail}.tmp")


def is_run_file(rel: str) -> bool:
    """Whether a path (relative to the run directory) has a name only Refinery writes."""
    return _RUN_FILE.fullmatch(rel) is not None


def local_path(fs: Any) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    return bool({"file", "local"} & set(protocol))


def check_output_location(fs: Any, run_dir: str) -> None:
    """Raise ``OutputError`` if ``run_dir`` cannot be a run directory: it (or a folder above
    it) is a file, or the folder that would hold it is not writable."""
    path = run_dir.rstrip("/") or "/"
    if fs.exists(path) and not fs.isdir(path):
        raise OutputError(f"the run directory {run_dir} is a file; choose a directory (-o)")
    if not local_path(fs):
        return  # object stores: permissions show at the first write, named by OutputError
    existing = path
    while not os.path.exists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            break
        existing = parent
    if not os.path.isdir(existing):
        raise OutputError(
            f"cannot create the run directory {run_dir}: {existing} is a file, not a directory"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "the run directory" if existing == path else f"{existing}, which would hold it,"
        raise OutputError(f"cannot write the run directory {run_dir}: {what} is not writable")


def earlier_run(fs: Any, run_dir: str) -> list[str]:
    """The files and folders of an earlier run that ``run_dir`` holds (empty: none)."""
    return [name for name in RUN_FILES if fs.exists(posixpath.join(run_dir, name))]


def prepare_run_dir(fs: Any, run_dir: str, existing: ExistingRun = "refuse") -> list[str]:
    """Make ``run_dir`` ready for a run; return the files (relative paths) of the user's own
    that it holds and that the run leaves alone."""
    check_output_location(fs, run_dir)
    try:
        fs.makedirs(run_dir, exist_ok=True)
        files = [posixpath.relpath(p, run_dir) for p in fs.find(run_dir)]
    except OSError as exc:
        raise OutputError(f"cannot create the run directory {run_dir}: {_reason(exc)}") from None
    earlier = earlier_run(fs, run_dir)
    if earlier and existing == "refuse":
        raise OutputError(
            f"{run_dir} holds an earlier run ({', '.join(earlier)}); pass --overwrite to "
            "replace it, --resume to finish an interrupted one, or choose another run "
            "directory (-o)"
        )
    listed = _manifest_paths(fs, run_dir)
    ours = sorted(f for f in files if f in listed or is_run_file(f))
    user = sorted(set(files) - set(ours))
    if existing == "resume":
        ours = [f for f in ours if posixpath.basename(f).endswith(".tmp")]
    try:
        for rel in ours:
            fs.rm(posixpath.join(run_dir, rel))
        _remove_empty_dirs(fs, run_dir)
    except OSError as exc:
        raise OutputError(f"cannot replace the earlier run in {run_dir}: {_reason(exc)}") from None
    return user


def _manifest_paths(fs: Any, run_dir: str) -> set[str]:
    path = posixpath.join(run_dir, MANIFEST)
    try:
        with fs.open(path, "r", encoding="utf-8") as f:
            manifest = json.load(f)
        return {str(entry["path"]) for entry in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        # no manifest (a run that stopped early) or an unreadable one: the names alone decide
        return set()


def _remove_empty_dirs(fs: Any, run_dir: str) -> None:
    """Remove the folders of a run (``shards/``, ``rejects/<stage>/``, ...) left empty."""
    for top in ("shards", "rejects", "clusters", "_work", "tokens"):
        root = posixpath.join(run_dir, top)
        if not fs.isdir(root):
            continue
        dirs = sorted(
            (
                p
                for p, info in fs.find(root, withdirs=True, detail=True).items()
                if info["type"] == "directory"
            ),
            key=len,
            reverse=True,
        )
        for d in [*dirs, root]:
            if fs.isdir(d) and not fs.ls(d):
                fs.rmdir(d)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__

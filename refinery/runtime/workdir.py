"""The run directory's work folder (``_work/``): what a run needs to resume, deleted at success.

Layout::

    _work/run.json                       the plan: config hash, partitions with fingerprints
    _work/done/s<K>/t<TTTTT>-c<CCCCC>.json  completion marker of one chunk after segment K
    _work/checkpoints/<key>.parquet      a chunk's rows still in play before a global stage
    _work/global/g<K>.started.json       the global stage before segment K has started
    _work/global/g<K>.json               completion marker of the global stage before segment K
    _work/global/g<K>/t<TTTTT>-c<CCCCC>/<first row>.parquet   its output, per chunk

A completion marker is written (temporary name, then rename) after every file of its chunk,
and holds the chunk's counters and the digests of those files: a marker therefore always
means "complete", and a chunk without one is recomputed, its files rewritten under the same
names. Hidden ``.tmp`` files a killed run left behind are removed before a resume.

**Checkpoint store.** A checkpoint is named by a content key: the sha256 of the input
partition's fingerprint (path, size, mtime; the chunk index; ``batch_rows``), the configs of
the stages that made it (in order), the seed and the code version. After a global stage the
rows of a chunk depend on every partition, so from then on the fingerprint of all inputs
takes the place of the partition's. Equal keys mean equal content, so a store shared between
runs can reuse a checkpoint by its key alone. These checkpoints live in the run directory and
go with ``_work/`` when the run succeeds; the stage cache shared between runs and sweep
variants (``refinery.experiments.stagecache``, a ``cache:`` section) keys its entries the same
way and keeps them outside the run directory.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass
from typing import Any

from refinery.io.manifest import write_json

__all__ = ["ChunkRef", "WorkDir", "content_key", "WORK_DIR"]

WORK_DIR = "_work"


@dataclass(frozen=True, order=True)
class ChunkRef:
    """One chunk of one partition: the ``chunk``-th batch the reader cut from read task ``task``."""

    task: int
    chunk: int

    @property
    def name(self) -> str:
        return f"t{self.task:05d}-c{self.chunk:05d}"

    @property
    def file_prefix(self) -> str:
        """The start of the names of its shard and reject files: ``part-TTTTT-CCCCC``."""
        return f"part-{self.task:05d}-{self.chunk:05d}"


def content_key(*parts: Any) -> str:
    """sha256 of the JSON of ``parts`` (sorted keys): equal inputs, equal key."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class WorkDir:
    """Paths below ``<run dir>/_work`` and reading/writing its markers (``fs`` paths)."""

    fs: Any
    run_dir: str

    @property
    def root(self) -> str:
        return posixpath.join(self.run_dir, WORK_DIR)

    @property
    def plan_path(self) -> str:
        return posixpath.join(self.root, "run.json")

    def marker_path(self, segment: int, ref: ChunkRef) -> str:
        return posixpath.join(self.root, "done", f"s{segment}", f"{ref.name}.json")

    def checkpoint_path(self, key: str) -> str:
        return posixpath.join(self.root, "checkpoints", f"{key}.parquet")

    def global_marker_path(self, segment: int) -> str:
        return posixpath.join(self.root, "global", f"g{segment}.json")

    def global_started_path(self, segment: int) -> str:
        """Written when the global stage before ``segment`` starts (it shows what runs)."""
        return posixpath.join(self.root, "global", f"g{segment}.started.json")

    def global_dir(self, segment: int) -> str:
        return posixpath.join(self.root, "global", f"g{segment}")

    def fragment_dir(self, segment: int, ref: ChunkRef) -> str:
        return posixpath.join(self.global_dir(segment), ref.name)

    def write_marker(self, path: str, data: dict[str, Any]) -> None:
        self.fs.makedirs(posixpath.dirname(path), exist_ok=True)
        write_json(self.fs, path, data)

    def read_json(self, path: str) -> dict[str, Any] | None:
        try:
            with self.fs.open(path, "r", encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return None
        return data if isinstance(data, dict) else None

    def markers(self, segment: int) -> dict[ChunkRef, dict[str, Any]]:
        """The completion markers of ``segment``, by chunk."""
        folder = posixpath.join(self.root, "done", f"s{segment}")
        if not self.fs.isdir(folder):
            return {}
        out: dict[ChunkRef, dict[str, Any]] = {}
        for path in self.fs.ls(folder, detail=False):
            name = posixpath.basename(path)
            if name.startswith(".") or not name.endswith(".json"):
                continue  # a marker still under its temporary name: not written
            data = self.read_json(path)
            if data is not None:
                out[ChunkRef(int(data["task"]), int(data["chunk"]))] = data
        return out

    def clear_global(self, segment: int) -> None:
        """Remove what an interrupted run of the global stage before ``segment`` left."""
        folder = self.global_dir(segment)
        if self.fs.exists(folder):
            self.fs.rm(folder, recursive=True)

    def remove(self) -> None:
        if self.fs.exists(self.root):
            self.fs.rm(self.root, recursive=True)

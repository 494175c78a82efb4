"""What every reader shares: the batch schema, read tasks, stable ids, the batch builder with
its one quarantine helper, the ``Reader`` base class and the registry, and path expansion.

A reader runs in two places: ``plan()`` on the driver (expand paths, check they exist and the
format fits; errors here stop the run before it starts) and ``read()`` in a Ray task, once per
``ReadTask`` (usually one file).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pyarrow as pa

from refinery.errors import ConfigError, SourceError
from refinery.stage import REJECT_REASON

__all__ = [
    "BATCH_SCHEMA",
    "LONE_SURROGATE",
    "BatchBuilder",
    "ReadTask",
    "Reader",
    "expand_paths",
    "get_reader",
    "infer_reader",
    "register_reader",
    "registered_readers",
    "stable_id",
    "strip_compression",
]

BATCH_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("source", pa.string()),
        ("sensitivity", pa.string()),
        ("meta", pa.string()),
        (REJECT_REASON, pa.string()),
    ]
)

#: Longest ``error`` detail kept in a quarantined record's ``meta``.
ERROR_CHARS = 300

_GLOB_CHARS = re.compile(r"[*?\[]")
#: A UTF-16 surrogate code point: a Python string may hold one, UTF-8 cannot.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ReadTask:
    """One unit of reading work, shipped to a Ray task: usually one file."""

    source_index: int
    path: str
    #: ``path`` relative to the source's root; ids derive from it, so moving a tree keeps ids.
    relpath: str
    extra: dict[str, Any] = field(default_factory=dict)


def stable_id(source: str, relpath: str, position: int | str) -> str:
    """A 16-hex id that depends only on the source label, relative path and line/row."""
    h = hashlib.sha1(f"{source}\x00{relpath}\x00{position}".encode(), usedforsecurity=False)
    return h.hexdigest()[:16]


class BatchBuilder:
    """Accumulates records of one source and cuts them into core-schema tables."""

    def __init__(self, source: str, sensitivity: str, batch_rows: int) -> None:
        self.source = source
        self.sensitivity = sensitivity
        self.batch_rows = batch_rows
        self._ids: list[str] = []
        self._texts: list[str | None] = []
        self._metas: list[str] = []
        self._reasons: list[str | None] = []

    def add(self, id_: str, text: str | None, meta: str) -> None:
        """A good record: ``meta`` is its JSON object string."""
        self._ids.append(id_)
        self._texts.append(text)
        self._metas.append(meta)
        self._reasons.append(None)

    def quarantine(
        self,
        id_: str,
        text: str | None,
        reason: str,
        *,
        file: str,
        error: str | None = None,
        **where: Any,
    ) -> None:
        """A record the runtime routes to ``rejects/read/``: the one way readers reject.

        ``meta`` becomes ``{"file": ..., **where, "error": ...}`` (``where`` is ``line=`` or
        ``row=`` and what else locates the record); ``error`` is cut to ``ERROR_CHARS`` and
        never holds document text. What could be read of the text is kept, with any lone
        surrogate replaced by U+FFFD so that the row can be stored as UTF-8.
        """
        meta: dict[str, Any] = {"file": file, **where}
        if error is not None:
            meta["error"] = error[:ERROR_CHARS]
        if text is not None:
            text = LONE_SURROGATE.sub("\ufffd", text)
        self._ids.append(id_)
        self._texts.append(text)
        self._metas.append(json.dumps(meta, ensure_ascii=False))
        self._reasons.append(reason)

    def full(self) -> bool:
        return len(self._ids) >= self.batch_rows

    def __len__(self) -> int:
        return len(self._ids)

    def flush(self) -> pa.Table:
        n = len(self._ids)
        table = pa.Table.from_arrays(
            [
                pa.array(self._ids, pa.string()),
                pa.array(self._texts, pa.string()),
                pa.array([self.source] * n, pa.string()),
                pa.array([self.sensitivity] * n, pa.string()),
                pa.array(self._metas, pa.string()),
                pa.array(self._reasons, pa.string()),
            ],
            schema=BATCH_SCHEMA,
        )
        self._ids, self._texts, self._metas, self._reasons = [], [], [], []
        return table


class Reader:
    """Base class of readers. Subclasses set ``name``/``extensions`` and implement ``read``."""

    name: ClassVar[str] = ""
    #: Extensions (without compression suffix) this reader claims, for inference and dirs.
    extensions: ClassVar[tuple[str, ...]] = ()
    #: True for readers with ``read_raw``/``decode`` (cheap split on one core, parse anywhere).
    two_phase: ClassVar[bool] = False
    #: The source config model (a ``SourceConfig`` subclass with the reader's own keys);
    #: None means plain ``refinery.config.SourceConfig``.
    config_cls: ClassVar[Any] = None

    def plan(self, src: Any, source_index: int) -> list[ReadTask]:
        """Expand the source's paths into read tasks; raise ``SourceError`` if none exist."""
        tasks = []
        for root, path in expand_paths(src.paths, self.extensions, src.name):
            rel = posixpath.relpath(path, root) if root else posixpath.basename(path)
            tasks.append(ReadTask(source_index, path, rel))
        self.check(src, tasks)
        return tasks

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        """Cheap format check on the driver (e.g. the text column exists). Default: none."""

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        raise NotImplementedError

    def read_raw(self, src: Any, task: ReadTask, task_index: int) -> Iterator[pa.Table]:
        """Two-phase readers: undecoded records (``RAW_SCHEMA``), cheap, one task per file."""
        raise NotImplementedError(f"reader {self.name!r} is not two-phase")

    def decode(self, src: Any, task: ReadTask, raw: pa.Table) -> pa.Table:
        """Two-phase readers: records of ``read_raw`` → a core-schema batch."""
        raise NotImplementedError(f"reader {self.name!r} is not two-phase")


_READERS: dict[str, Reader] = {}


def register_reader(cls: type[Reader]) -> type[Reader]:
    _READERS[cls.name] = cls()
    return cls


def registered_readers() -> dict[str, Reader]:
    return dict(_READERS)


def get_reader(name: str) -> Reader:
    if name not in _READERS:
        raise ConfigError(f"Unknown reader {name!r}. Choose from: {', '.join(sorted(_READERS))}.")
    return _READERS[name]


COMPRESSIONS = (".gz", ".zst", ".zstd", ".bz2", ".xz")


def strip_compression(path: str) -> str:
    """``path`` lower-cased, without a compression suffix."""
    lower = path.lower()
    for ext in COMPRESSIONS:
        if lower.endswith(ext):
            return lower[: -len(ext)]
    return lower


def infer_reader(path: str) -> str | None:
    """The reader whose extensions match ``path`` (compression suffixes ignored)."""
    base = strip_compression(path.rstrip("/"))
    for reader in _READERS.values():
        if any(base.endswith(ext) for ext in reader.extensions):
            return reader.name
    return None


def _fs_and_path(url: str) -> tuple[Any, str]:
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


def _unstrip(fs: Any, path: str) -> str:
    """Back to a URL that ``fsspec.open`` understands (protocol kept for remote stores)."""
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol in ("file", "local"):
        return path
    return f"{protocol}://{path}"


def expand_paths(
    paths: Iterable[str], extensions: tuple[str, ...], source: str
) -> list[tuple[str, str]]:
    """(root, file) pairs for files, directories (recursive) and globs, sorted; errors if none."""
    out: list[tuple[str, str]] = []
    for url in paths:
        fs, path = _fs_and_path(url)
        glob = _GLOB_CHARS.search(path)
        if glob:
            root = path[: glob.start()]
            root = root if root.endswith("/") else posixpath.dirname(root)
            found = sorted(p for p in fs.glob(path) if fs.isfile(p))
            if not found:
                raise SourceError(f"source {source!r}: no files match {url!r}")
            out += [(root, _unstrip(fs, p)) for p in found]
        elif fs.isdir(path):
            found = sorted(
                p
                for p in fs.find(path)
                if strip_compression(p).endswith(extensions) or not extensions
            )
            if not found:
                exts = ", ".join(extensions)
                raise SourceError(f"source {source!r}: directory {url!r} has no {exts} files")
            out += [(path, _unstrip(fs, p)) for p in found]
        elif fs.exists(path):
            out.append(("", _unstrip(fs, path)))
        else:
            raise SourceError(f"source {source!r}: path not found: {url!r}")
    return out

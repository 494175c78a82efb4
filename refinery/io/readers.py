"""Readers: sources → Arrow batches in the core schema, bad records quarantined.

Every reader yields ``pa.Table`` batches with exactly the columns of ``BATCH_SCHEMA``:
``id, text, source, sensitivity, meta`` (``meta`` is a JSON object string) plus
``reject_reason``: null for a good record, a reason code for a quarantined one. A quarantined
record keeps what could be read of it and its location (``meta.file``, ``meta.line`` or
``meta.row``), and the runtime routes it to ``rejects/read/``. Nothing a reader sees is
dropped without a row saying why.

Reader reason codes: ``malformed_json``, ``not_an_object``, ``missing_text``, ``invalid_utf8``
(``invalid_encoding`` for declared non-UTF-8 codecs), ``malformed_csv_row``, ``empty_file``,
``unreadable_file``.

A reader runs in two places: ``plan()`` on the driver (expand paths, check they exist and the
format fits; errors here stop the run before it starts) and ``read()`` in a Ray task, once per
``ReadTask`` (usually one file).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from refinery.errors import ConfigError, SourceError
from refinery.stage import REJECT_REASON

__all__ = [
    "BATCH_SCHEMA",
    "BatchBuilder",
    "ReadTask",
    "Reader",
    "expand_paths",
    "get_reader",
    "infer_reader",
    "register_reader",
    "registered_readers",
    "stable_id",
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

_GLOB_CHARS = re.compile(r"[*?\[]")


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

    def add(self, id_: str, text: str | None, meta: str, reason: str | None = None) -> None:
        self._ids.append(id_)
        self._texts.append(text)
        self._metas.append(meta)
        self._reasons.append(reason)

    def quarantine(self, id_: str, text: str | None, reason: str, **where: Any) -> None:
        self.add(id_, text, json.dumps(where, ensure_ascii=False), reason)

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


_COMPRESSIONS = (".gz", ".zst", ".zstd", ".bz2", ".xz")


def _strip_compression(path: str) -> str:
    lower = path.lower()
    for ext in _COMPRESSIONS:
        if lower.endswith(ext):
            return lower[: -len(ext)]
    return lower


def infer_reader(path: str) -> str | None:
    """The reader whose extensions match ``path`` (compression suffixes ignored)."""
    base = _strip_compression(path.rstrip("/"))
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
        if _GLOB_CHARS.search(path):
            root = path[: _GLOB_CHARS.search(path).start()]  # type: ignore[union-attr]
            root = root if root.endswith("/") else posixpath.dirname(root)
            found = sorted(p for p in fs.glob(path) if fs.isfile(p))
            if not found:
                raise SourceError(f"source {source!r}: no files match {url!r}")
            out += [(root, _unstrip(fs, p)) for p in found]
        elif fs.isdir(path):
            found = sorted(
                p
                for p in fs.find(path)
                if _strip_compression(p).endswith(extensions) or not extensions
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


class _Closing(io.BufferedReader):
    """A buffered decompressing reader that also closes the underlying file."""

    def __init__(self, raw: Any, inner: Any) -> None:
        super().__init__(raw, buffer_size=1 << 20)
        self._inner = inner

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._inner.close()


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of a zstd stream of one or more frames.

    zstandard's own stream reader ends quietly where a truncated file ends; this one raises
    ``EOFError`` when the input stops inside a frame (as ``gzip`` does), so that the reader
    records where the file was cut instead of losing its tail without a word.
    """

    def __init__(self, inner: Any, dctx: Any) -> None:
        super().__init__()
        self._inner = inner
        self._dctx = dctx
        self._frame: Any = None  # the decompressor of the frame being read, if any
        self._out = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at == len(self._out):
            data = self._inner.read(1 << 20)
            if not data:
                if self._frame is not None:
                    raise EOFError("the zstd stream ends inside a frame (truncated file)")
                return 0
            parts = []
            while data:
                if self._frame is None:
                    self._frame = self._dctx.decompressobj()
                parts.append(self._frame.decompress(data))
                if self._frame.eof:
                    data = self._frame.unused_data
                    self._frame = None
                else:
                    data = b""
            self._out, self._at = b"".join(parts), 0
        n = min(len(buffer), len(self._out) - self._at)
        buffer[:n] = memoryview(self._out)[self._at : self._at + n]
        self._at += n
        return n


def _open_binary(path: str) -> Any:
    """A binary, line-iterable file; .gz/.zst/.bz2/.xz are decompressed as a stream."""
    import fsspec

    f = fsspec.open(path, "rb").open()
    lower = path.lower()
    if lower.endswith((".zst", ".zstd")):
        import zstandard

        return _Closing(_ZstdFrames(f, zstandard.ZstdDecompressor()), f)
    if lower.endswith(".gz"):
        import gzip

        return _Closing(gzip.GzipFile(fileobj=f), f)
    if lower.endswith(".bz2"):
        import bz2

        return _Closing(bz2.BZ2File(f), f)
    if lower.endswith(".xz"):
        import lzma

        return _Closing(lzma.LZMAFile(f), f)
    return f


def _decode(raw: bytes, encoding: str) -> tuple[str, str | None]:
    """(text, reason): strict decode; on failure the text decoded with replacement chars."""
    codecs = ("utf-8", "gb18030") if encoding == "auto" else (encoding,)
    for codec in codecs:
        try:
            return raw.decode(codec), None
        except UnicodeDecodeError:
            continue
    reason = (
        "invalid_utf8"
        if codecs[0].replace("_", "-").lower() in ("utf-8", "utf8")
        else "invalid_encoding"
    )
    return raw.decode(codecs[0], errors="replace"), reason


def _holds_float(value: Any) -> bool:
    """Whether a parsed JSON value holds a float anywhere (text records rarely do)."""
    values = value.values() if type(value) is dict else value
    for v in values:
        kind = type(v)
        if kind is str or kind is int or kind is bool or v is None:
            continue
        if kind is float or ((kind is dict or kind is list) and _holds_float(v)):
            return True
    return False


def _meta_json(record: dict[str, Any], skip: set[str], keep: list[str] | None) -> str:
    if keep is not None:
        sub = {k: record[k] for k in keep if k in record}
    else:
        sub = {k: v for k, v in record.items() if k not in skip}
    return json.dumps(sub, ensure_ascii=False, default=str) if sub else "{}"


def _record_id(src: Any, record: dict[str, Any], task: ReadTask, position: int) -> str:
    if src.id_field is not None:
        value = record.get(src.id_field)
        if value is not None and value != "":
            return str(value)
    return stable_id(src.name, task.relpath, position)


def _add_record(
    out: BatchBuilder,
    src: Any,
    task: ReadTask,
    skip: set[str],
    record: dict[str, Any],
    **where: int,
) -> None:
    """Add one parsed record, or quarantine it without text; ``where`` is its ``line=`` or
    ``row=`` (also the position its derived id comes from)."""
    (position,) = where.values()
    doc_text, bad = _text_of(record, src.text_field)
    id_ = _record_id(src, record, task, position)
    if bad:
        out.quarantine(id_, doc_text, bad, file=task.path, **where)
    else:
        out.add(id_, doc_text, _meta_json(record, skip, src.meta_fields))


def _text_of(record: dict[str, Any], field_name: str) -> tuple[str | None, str | None]:
    value = record.get(field_name)
    if value is None:
        return None, "missing_text"
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, default=str), "missing_text"
    return value, None


@register_reader
class JsonlReader(Reader):
    """JSON Lines (plain, .gz, .zst, .bz2, .xz): one JSON object per line; blank lines skipped.

    Two phases, so that one big compressed file still uses every core: ``read_raw`` only
    decompresses and splits lines (one task per file), ``decode`` parses them (in parallel,
    fused with the first stages on Ray).
    """

    name = "jsonl"
    extensions = (".jsonl", ".json", ".ndjson")
    two_phase = True

    def read_raw(self, src: Any, task: ReadTask, task_index: int) -> Iterator[pa.Table]:
        # The decompressed stream is read in large pieces, each cut at its newlines into an
        # Arrow binary array over the piece's bytes: no Python object per line. One read of
        # the underlying stream at a time (read1), so that a stream failing half way keeps
        # every line before the failure.
        raw = _RawBuilder(task_index, src.batch_rows)
        line_no = 0
        partial = b""  # the start of a line that the next piece ends
        try:
            with _open_binary(task.path) as f:
                read = getattr(f, "read1", f.read)
                while True:
                    piece = read(_READ_BLOCK)
                    if not piece:
                        break
                    data = partial + piece if partial else piece
                    cut = data.rfind(b"\n") + 1
                    partial = data[cut:]
                    if cut:
                        line_no = raw.add_block(memoryview(data)[:cut], line_no)
                    while raw.full():
                        yield raw.flush()
            if partial:
                line_no = raw.add_block(memoryview(partial), line_no)
        except (OSError, EOFError, ValueError) as exc:
            # A truncated or corrupt stream: what was read is kept; the failure is one
            # quarantined record naming where it stopped, so the run goes on.
            raw.fail(line_no, "unreadable_file", f"{type(exc).__name__}: {exc}"[:300])
        if raw.lines_seen == 0 and len(raw) == 0:
            raw.fail(0, "empty_file", None)
        while len(raw):
            yield raw.flush()

    def decode(self, src: Any, task: ReadTask, raw: pa.Table) -> pa.Table:
        out = BatchBuilder(src.name, src.sensitivity, max(1, raw.num_rows))
        skip = {src.text_field} | ({src.id_field} if src.id_field else set())
        lines = raw["_line"].to_pylist()
        payloads = raw["_raw"].to_pylist()
        failures = raw["_reason"].to_pylist()
        details = raw["_detail"].to_pylist()
        for line_no, payload, failure, detail in zip(
            lines, payloads, failures, details, strict=True
        ):
            if failure is not None:
                key = "empty" if failure == "empty_file" else f"error@{line_no}"
                where: dict[str, Any] = {"file": task.path}
                if failure != "empty_file":
                    where.update(line=line_no, error=detail)
                out.quarantine(stable_id(src.name, task.relpath, key), None, failure, **where)
                continue
            # fast path: orjson parses the bytes and checks their UTF-8 in one go; what it
            # refuses (bad bytes, bad JSON, NaN) takes the path below, which accepts what the
            # json module accepts and names the problem. orjson reads integers past 64 bits as
            # floats, so records holding a float take that path too.
            try:
                record = orjson.loads(payload)
            except orjson.JSONDecodeError:
                record = None
            if isinstance(record, dict) and not _holds_float(record):
                _add_record(out, src, task, skip, record, line=line_no)
                continue
            fallback_id = stable_id(src.name, task.relpath, line_no)
            text, bad = _decode(payload.rstrip(b"\r\n"), "utf-8")
            if bad:
                out.quarantine(fallback_id, text, bad, file=task.path, line=line_no)
                continue
            try:
                record = json.loads(text)
            except ValueError as exc:
                out.quarantine(
                    fallback_id,
                    text,
                    "malformed_json",
                    file=task.path,
                    line=line_no,
                    error=str(exc)[:200],
                )
                continue
            if not isinstance(record, dict):
                out.quarantine(fallback_id, text, "not_an_object", file=task.path, line=line_no)
                continue
            _add_record(out, src, task, skip, record, line=line_no)
        return out.flush()

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        for raw in self.read_raw(src, task, 0):
            yield self.decode(src, task, raw)


RAW_SCHEMA = pa.schema(
    [
        ("_task", pa.int32()),
        ("_line", pa.int64()),
        ("_raw", pa.binary()),
        ("_reason", pa.string()),
        ("_detail", pa.string()),
    ]
)


#: Decompressed bytes read at a time by the JSONL reader (its lines are cut out of them).
_READ_BLOCK = 4 << 20
#: Bytes ``bytes.strip`` removes: a line of only these is blank.
_ASCII_SPACE = np.frombuffer(b" \t\n\r\x0b\x0c", dtype=np.uint8)


class _RawBuilder:
    """Undecoded lines of one read task, plus read-time failures (empty/unreadable file),
    cut into tables of ``batch_rows`` rows (``RAW_SCHEMA``)."""

    def __init__(self, task_index: int, batch_rows: int) -> None:
        self.task_index = task_index
        self.batch_rows = batch_rows
        self.lines_seen = 0  # non-blank lines
        self._parts: list[tuple[pa.Array, np.ndarray, list[str | None], list[str | None]]] = []
        self._rows = 0

    def add_block(self, block: memoryview, line_no: int) -> int:
        """Add the non-blank lines of ``block``: whole lines, each with its newline (the last
        line of a file may have none); ``line_no`` is the number of the line before it.
        Returns the number of its last line."""
        data = block.obj if isinstance(block.obj, bytes) else bytes(block)
        size = len(block)
        ends: list[int] = []
        find = data.find
        at = find(b"\n", 0, size)
        while at != -1:
            ends.append(at + 1)
            at = find(b"\n", at + 1, size)
        if not ends or ends[-1] != size:
            ends.append(size)
        if size >= 2**31:
            # a binary array's offsets are 32-bit; the read stops here, recorded as unreadable
            raise ValueError(
                f"line {line_no + 1} or the next holds 2 GiB or more without a newline"
            )
        offsets = np.zeros(len(ends) + 1, dtype=np.int32)
        offsets[1:] = ends
        numbers = np.arange(line_no + 1, line_no + 1 + len(ends), dtype=np.int64)
        lines = pa.Array.from_buffers(
            pa.binary(), len(ends), [None, pa.py_buffer(offsets), pa.py_buffer(block)]
        )
        # a line is blank when it holds only ASCII whitespace; most lines start with "{"
        starts = offsets[:-1]
        firsts = np.frombuffer(block, dtype=np.uint8)[starts]
        maybe = np.flatnonzero(np.isin(firsts, _ASCII_SPACE))
        blank = [i for i in maybe.tolist() if not data[starts[i] : ends[i]].strip()]
        if blank:
            keep = np.ones(len(ends), dtype=bool)
            keep[blank] = False
            lines, numbers = lines.filter(pa.array(keep)), numbers[keep]
        n = len(numbers)
        if n:
            self._parts.append((lines, numbers, [None] * n, [None] * n))
            self._rows += n
            self.lines_seen += n
        return line_no + len(ends)

    def fail(self, line_no: int, reason: str, detail: str | None) -> None:
        self._parts.append((pa.array([None], pa.binary()), np.array([line_no]), [reason], [detail]))
        self._rows += 1

    def full(self) -> bool:
        return self._rows >= self.batch_rows

    def __len__(self) -> int:
        return self._rows

    def flush(self) -> pa.Table:
        """The first ``batch_rows`` rows (or all, if fewer), as one compact table."""
        take: list[tuple[pa.Array, np.ndarray, list[str | None], list[str | None]]] = []
        rows = 0
        while self._parts and rows < self.batch_rows:
            lines, numbers, reasons, details = self._parts.pop(0)
            room = self.batch_rows - rows
            if len(numbers) > room:
                rest = (lines.slice(room), numbers[room:], reasons[room:], details[room:])
                self._parts.insert(0, rest)
                lines, numbers, reasons, details = (
                    lines.slice(0, room),
                    numbers[:room],
                    reasons[:room],
                    details[:room],
                )
            take.append((lines, numbers, reasons, details))
            rows += len(numbers)
        self._rows -= rows
        # concatenating copies the lines out of the read blocks: a table holds only its own
        # bytes
        data = pa.concat_arrays([part[0] for part in take])
        return pa.Table.from_arrays(
            [
                pa.array(np.full(rows, self.task_index, dtype=np.int32)),
                pa.array(np.concatenate([part[1] for part in take])),
                data,
                pa.array([r for part in take for r in part[2]], pa.string()),
                pa.array([d for part in take for d in part[3]], pa.string()),
            ],
            schema=RAW_SCHEMA,
        )


@register_reader
class ParquetReader(Reader):
    """Parquet files, read in row batches; ``text_field`` must be a column."""

    name = "parquet"
    extensions = (".parquet", ".pq")

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        if not tasks:
            return
        try:
            with _open_binary(tasks[0].path) as f:
                names = pq.ParquetFile(f).schema_arrow.names
        except Exception as exc:  # any parse failure means "not Parquet": say so before the run
            raise SourceError(
                f"source {src.name!r}: {tasks[0].path} is not a readable Parquet file: {exc}"
            ) from None
        if src.text_field not in names:
            raise SourceError(
                f"source {src.name!r}: {tasks[0].path} has no column {src.text_field!r} "
                f"(text_field). Columns: {', '.join(names)}"
            )

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        skip = {src.text_field} | ({src.id_field} if src.id_field else set())
        row = 0
        try:
            with _open_binary(task.path) as f:
                pf = pq.ParquetFile(f)
                if pf.metadata.num_rows == 0:
                    out.quarantine(
                        stable_id(src.name, task.relpath, "empty"),
                        None,
                        "empty_file",
                        file=task.path,
                    )
                for batch in pf.iter_batches(batch_size=src.batch_rows):
                    for record in batch.to_pylist():
                        row += 1
                        _add_record(out, src, task, skip, record, row=row)
                    if out.full():
                        yield out.flush()
        except (OSError, ValueError, pa.ArrowException) as exc:
            out.quarantine(
                stable_id(src.name, task.relpath, f"error@{row}"),
                None,
                "unreadable_file",
                file=task.path,
                row=row,
                error=f"{type(exc).__name__}: {exc}"[:300],
            )
        if len(out):
            yield out.flush()


class _DelimitedReader(Reader):
    """CSV/TSV with a header row; quoted fields may span lines. Encoding declared or 'auto'."""

    default_delimiter: ClassVar[str] = ","

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        for task in tasks[:1]:
            header = self._header(src, task)
            if header is not None and src.text_field not in header:
                raise SourceError(
                    f"source {src.name!r}: {task.path} has no column {src.text_field!r} "
                    f"(text_field). Header: {', '.join(header)}"
                )

    def _header(self, src: Any, task: ReadTask) -> list[str] | None:
        try:
            with _open_binary(task.path) as f:
                first = f.readline()
        except OSError as exc:
            raise SourceError(f"source {src.name!r}: cannot open {task.path}: {exc}") from None
        if not first.strip():
            return None
        text, _ = _decode(first.lstrip(b"\xef\xbb\xbf"), src.encoding)
        return next(csv.reader([text], delimiter=self._delimiter(src)))

    def _delimiter(self, src: Any) -> str:
        return src.delimiter or self.default_delimiter

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        skip = {src.text_field} | ({src.id_field} if src.id_field else set())
        bad_lines: set[int] = set()
        state = {"line": 0}

        def lines(f: Any) -> Iterator[str]:
            for raw in f:
                state["line"] += 1
                if state["line"] == 1:
                    raw = raw.lstrip(b"\xef\xbb\xbf")
                text, bad = _decode(raw, src.encoding)
                if bad:
                    bad_lines.add(state["line"])
                yield text

        row = 0
        try:
            with _open_binary(task.path) as f:
                reader = csv.reader(lines(f), delimiter=self._delimiter(src))
                header = next(reader, None)
                if header is None:
                    out.quarantine(
                        stable_id(src.name, task.relpath, "empty"),
                        None,
                        "empty_file",
                        file=task.path,
                    )
                    yield out.flush()
                    return
                start = state["line"] + 1
                while True:
                    try:
                        values = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:
                        row += 1
                        out.quarantine(
                            stable_id(src.name, task.relpath, row),
                            None,
                            "malformed_csv_row",
                            file=task.path,
                            line=start,
                            error=str(exc)[:200],
                        )
                        start = state["line"] + 1
                        continue
                    end = state["line"]
                    if not values:
                        start = end + 1
                        continue
                    row += 1
                    fallback = stable_id(src.name, task.relpath, row)
                    enc_bad = any(n in bad_lines for n in range(start, end + 1))
                    if len(values) != len(header):
                        out.quarantine(
                            fallback,
                            None,
                            "malformed_csv_row",
                            file=task.path,
                            line=start,
                            error=f"{len(values)} fields, header has {len(header)}",
                        )
                    else:
                        record = dict(zip(header, values, strict=True))
                        doc_text, bad = _text_of(record, src.text_field)
                        id_ = _record_id(src, record, task, row)
                        if enc_bad:
                            reason = (
                                "invalid_utf8"
                                if src.encoding in ("utf-8", "utf8")
                                else "invalid_encoding"
                            )
                            out.quarantine(id_, doc_text, reason, file=task.path, line=start)
                        elif bad:
                            out.quarantine(id_, doc_text, bad, file=task.path, line=start)
                        else:
                            out.add(id_, doc_text, _meta_json(record, skip, src.meta_fields))
                    start = end + 1
                    if out.full():
                        yield out.flush()
        except (OSError, EOFError, ValueError) as exc:
            out.quarantine(
                stable_id(src.name, task.relpath, f"error@{state['line']}"),
                None,
                "unreadable_file",
                file=task.path,
                line=state["line"],
                error=f"{type(exc).__name__}: {exc}"[:300],
            )
        if len(out):
            yield out.flush()


@register_reader
class CsvReader(_DelimitedReader):
    name = "csv"
    extensions = (".csv",)
    default_delimiter = ","


@register_reader
class TsvReader(_DelimitedReader):
    name = "tsv"
    extensions = (".tsv",)
    default_delimiter = "\t"


@register_reader
class TxtReader(Reader):
    """Plain-text files, one document per file; the id derives from the relative path."""

    name = "txt"
    extensions = (".txt", ".md")

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        id_ = stable_id(src.name, task.relpath, 0)
        meta = json.dumps({"path": task.relpath}, ensure_ascii=False)
        try:
            with _open_binary(task.path) as f:
                raw = f.read()
        except (OSError, EOFError, ValueError) as exc:
            out.quarantine(
                id_,
                None,
                "unreadable_file",
                file=task.path,
                error=f"{type(exc).__name__}: {exc}"[:300],
            )
            yield out.flush()
            return
        if not raw.strip():
            out.quarantine(id_, None, "empty_file", file=task.path)
        else:
            text, bad = _decode(raw.lstrip(b"\xef\xbb\xbf"), src.encoding)
            if bad:
                out.quarantine(id_, text, bad, file=task.path)
            else:
                out.add(id_, text, meta)
        yield out.flush()


def read_all(src: Any, tasks: list[ReadTask]) -> Iterator[pa.Table]:
    """Every batch of every task of one source, in order (the local runtime's reader)."""
    reader = get_reader(src.reader)
    for task in tasks:
        yield from reader.read(src, task)

"""JSON Lines: one JSON object per line, plain or compressed; blank lines skipped.

Two phases, so that one big compressed file still uses every core: ``read_raw`` only
decompresses and splits lines (one task per file), ``decode`` parses them (in parallel, fused
with the first stages on Ray).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from refinery.io.readers.base import BatchBuilder, Reader, ReadTask, register_reader, stable_id
from refinery.io.readers.records import (
    MAX_DEPTH,
    add_record,
    decode_bytes,
    holds_float_or_too_deep,
    too_deep,
)
from refinery.io.readers.sniff import check_text_files
from refinery.io.readers.streams import open_text

__all__ = ["RAW_SCHEMA", "JsonlReader"]

RAW_SCHEMA = pa.schema(
    [
        ("_task", pa.int32()),
        ("_line", pa.int64()),
        ("_raw", pa.binary()),
        ("_reason", pa.string()),
        ("_detail", pa.string()),
    ]
)

#: Decompressed bytes read at a time (its lines are cut out of them).
_READ_BLOCK = 4 << 20
#: Bytes ``bytes.strip`` removes: a line of only these is blank.
_ASCII_SPACE = np.frombuffer(b" \t\n\r\x0b\x0c", dtype=np.uint8)
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"


@register_reader
class JsonlReader(Reader):
    """JSON Lines (plain, .gz, .zst, .bz2, .xz): one JSON object per line; blank lines skipped."""

    name = "jsonl"
    extensions = (".jsonl", ".json", ".ndjson")
    two_phase = True

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        check_text_files(src, tasks, self.name)

    def read_raw(self, src: Any, task: ReadTask, task_index: int) -> Iterator[pa.Table]:
        # The decompressed stream is read in large pieces, each cut at its newlines into an
        # Arrow binary array over the piece's bytes: no Python object per line. One read of
        # the underlying stream at a time (read1), so that a stream failing half way keeps
        # every line before the failure.
        raw = _RawBuilder(task_index, src.batch_rows)
        line_no = 0
        partial = b""  # the start of a line that the next piece ends
        try:
            f, what = open_text(task.path)
            with f:
                if what is not None:
                    raise ValueError(f"content looks like {what}, not JSON lines")
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
            # quarantined record naming the last line read, so the run goes on.
            raw.fail(line_no, "unreadable_file", f"{type(exc).__name__}: {exc}")
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
                if failure == "empty_file":
                    key = stable_id(src.name, task.relpath, "empty")
                    out.quarantine(key, None, failure, file=task.path)
                else:
                    key = stable_id(src.name, task.relpath, f"error@{line_no}")
                    out.quarantine(key, None, failure, file=task.path, line=line_no, error=detail)
                continue
            # fast path: orjson parses the bytes and checks their UTF-8 in one go; what it
            # refuses (bad bytes, bad JSON, NaN, lone surrogates, nesting past 1,024) takes
            # the path below, which accepts what the json module accepts and names the
            # problem. orjson reads integers past 64 bits as floats, so records holding a
            # float take that path too, as do records nested deeper than MAX_DEPTH.
            try:
                record = orjson.loads(payload)
            except orjson.JSONDecodeError:
                record = None
            if type(record) is dict and not holds_float_or_too_deep(record):
                add_record(out, src, task, skip, record, line=line_no)
                continue
            self._decode_exactly(out, src, task, skip, payload, line_no)
        return out.flush()

    def _decode_exactly(
        self,
        out: BatchBuilder,
        src: Any,
        task: ReadTask,
        skip: set[str],
        payload: bytes,
        line_no: int,
    ) -> None:
        """The slow path of one line: Python's json module, every problem named."""
        fallback_id = stable_id(src.name, task.relpath, line_no)
        text, bad = decode_bytes(payload.rstrip(b"\r\n"), "utf-8")
        if line_no == 1:
            text = text.removeprefix("\ufeff")  # a byte-order mark starts the file, not a record
        if bad:
            out.quarantine(fallback_id, text, bad, file=task.path, line=line_no)
            return
        error: str | None = None
        try:
            record = json.loads(text)
        except RecursionError:
            error = _TOO_DEEP
        except ValueError as exc:
            error = str(exc)
        else:
            if too_deep(record):
                error = _TOO_DEEP
        if error is not None:
            out.quarantine(
                fallback_id, text, "malformed_json", file=task.path, line=line_no, error=error
            )
        elif type(record) is not dict:
            out.quarantine(fallback_id, text, "not_an_object", file=task.path, line=line_no)
        else:
            add_record(out, src, task, skip, record, check_unicode=True, line=line_no)

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        for raw in self.read_raw(src, task, 0):
            yield self.decode(src, task, raw)


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

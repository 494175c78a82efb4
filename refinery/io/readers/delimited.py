"""CSV and TSV with a header row; quoted fields may span lines.

The encoding is declared (``encoding:``) or ``auto`` (UTF-8, else GB18030). Each physical line
is decoded on its own so that one undecodable row is quarantined (``invalid_utf8``, or
``invalid_encoding`` for other codecs) and the rows around it are kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, ClassVar

import pyarrow as pa

from refinery.errors import SourceError
from refinery.io.readers.base import BatchBuilder, Reader, ReadTask, register_reader, stable_id
from refinery.io.readers.records import add_record, decode_bytes
from refinery.io.readers.sniff import check_text_files
from refinery.io.readers.streams import open_binary, open_text

__all__ = ["CsvReader", "TsvReader"]

#: A byte-order mark: one at the start of a file's decoded text is not part of it.
_BOM = "\ufeff"
#: Longest field read, in characters (the most a csv field can hold).
_FIELD_LIMIT = 2**31 - 1
#: Physical lines read at plan time to find the header row.
_HEADER_LINES = 100


class _DelimitedReader(Reader):
    """CSV/TSV with a header row; quoted fields may span lines. Encoding declared or 'auto'."""

    default_delimiter: ClassVar[str] = ","

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        check_text_files(src, tasks, self.name)
        for task in tasks[:1]:
            header = self._header(src, task)
            if header is not None and src.text_field not in header:
                raise SourceError(
                    f"source {src.name!r}: {task.path} has no column {src.text_field!r} "
                    f"(text_field). Header: {', '.join(header)}"
                )

    def _header(self, src: Any, task: ReadTask) -> list[str] | None:
        """The header row (a quoted name may span lines), or None if there is none to check."""

        def lines(f: Any) -> Iterator[str]:
            for number, raw in enumerate(f):
                if number == _HEADER_LINES:
                    return
                text = decode_bytes(raw, src.encoding)[0]
                yield text.removeprefix(_BOM) if number == 0 else text

        try:
            with open_binary(task.path) as f:
                header = next(csv.reader(lines(f), delimiter=self._delimiter(src)), None)
        except (OSError, EOFError) as exc:
            raise SourceError(f"source {src.name!r}: cannot read {task.path}: {exc}") from None
        except csv.Error:
            return None  # a header the csv module refuses: reading quarantines what follows
        return header or None  # an empty first line: reading quarantines the rows after it

    def _delimiter(self, src: Any) -> str:
        return src.delimiter or self.default_delimiter

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        skip = {src.text_field} | ({src.id_field} if src.id_field else set())
        bad_lines: dict[int, str] = {}  # line number → invalid_utf8 or invalid_encoding
        state = {"line": 0}

        def lines(f: Any) -> Iterator[str]:
            for raw in f:
                state["line"] += 1
                text, bad = decode_bytes(raw, src.encoding)
                if bad:
                    bad_lines[state["line"]] = bad
                yield text.removeprefix(_BOM) if state["line"] == 1 else text

        row = 0
        try:
            f, what = open_text(task.path, src.encoding)
            with f:
                if what is not None:
                    raise ValueError(f"content looks like {what}, not {self.name} text")
                reader = csv.reader(lines(f), delimiter=self._delimiter(src))
                try:
                    header = _next_row(reader)
                except StopIteration:
                    header = None
                except csv.Error as exc:  # without a header no row can be read
                    raise ValueError(f"the header row: {exc}") from None
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
                    error: str | None = None
                    try:
                        values: list[str] | None = _next_row(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:
                        values, error = None, str(exc)
                    end = state["line"]
                    if values is not None and not values:
                        start = end + 1
                        continue
                    row += 1
                    if values is not None and len(values) != len(header):
                        error = f"{len(values)} fields, header has {len(header)}"
                    if error is not None or values is None:
                        out.quarantine(
                            stable_id(src.name, task.relpath, row),
                            None,
                            "malformed_csv_row",
                            file=task.path,
                            line=start,
                            error=error,
                        )
                    elif bad := next(
                        (bad_lines[n] for n in range(start, end + 1) if n in bad_lines), None
                    ):
                        record = dict(zip(header, values, strict=True))
                        id_ = record.get(src.id_field) if src.id_field else None
                        out.quarantine(
                            id_ or stable_id(src.name, task.relpath, row),
                            record.get(src.text_field),
                            bad,
                            file=task.path,
                            line=start,
                        )
                    else:
                        record = dict(zip(header, values, strict=True))
                        add_record(out, src, task, skip, record, position=row, line=start)
                    start = end + 1
                    if out.full():
                        yield out.flush()
                if row == 0:  # a header and no records: say so, as for a file without lines
                    out.quarantine(
                        stable_id(src.name, task.relpath, "empty"),
                        None,
                        "empty_file",
                        file=task.path,
                    )
        except (OSError, EOFError, ValueError) as exc:
            out.quarantine(
                stable_id(src.name, task.relpath, f"error@{state['line']}"),
                None,
                "unreadable_file",
                file=task.path,
                line=state["line"],
                error=f"{type(exc).__name__}: {exc}",
            )
        if len(out):
            yield out.flush()


def _next_row(reader: Any) -> list[str]:
    """The next row of a ``csv.reader``, fields up to ``_FIELD_LIMIT`` characters long.

    Python's csv module refuses a field over 128 Ki characters by default, and documents are
    longer; its limit is process-wide, so it is raised for this call only."""
    previous = csv.field_size_limit(_FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(previous)


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

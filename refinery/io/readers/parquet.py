"""Parquet files, read in row batches; ``text_field`` must be a column.

The text column may be a string (``string``, ``large_string``, ``string_view``) or binary
(``binary``, ``large_binary``, ``binary_view``, ``fixed_size_binary``) column, or dictionary
of one; binary text is decoded as UTF-8 and a value that does not decode is quarantined as
``invalid_utf8``. Parquet does not check that string columns hold valid UTF-8: a row whose
string values do not decode is quarantined as ``invalid_utf8`` (naming the column), and the
rows around it are read as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from refinery.errors import SourceError
from refinery.io.readers.base import BatchBuilder, Reader, ReadTask, register_reader, stable_id
from refinery.io.readers.records import add_record
from refinery.io.readers.streams import open_binary

__all__ = ["ParquetReader"]


def _is_text_type(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        return _is_text_type(kind.value_type)
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_binary_view(kind)
        or pa.types.is_fixed_size_binary(kind)
        or pa.types.is_null(kind)
    )


@register_reader
class ParquetReader(Reader):
    """Parquet files, read in row batches; ``text_field`` must be a string or binary column."""

    name = "parquet"
    extensions = (".parquet", ".pq")

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        if not tasks:
            return
        try:
            with open_binary(tasks[0].path) as f:
                schema = pq.ParquetFile(f).schema_arrow
        except Exception as exc:  # any parse failure means "not Parquet": say so before the run
            raise SourceError(
                f"source {src.name!r}: {tasks[0].path} is not a readable Parquet file: {exc}"
            ) from None
        if src.text_field not in schema.names:
            raise SourceError(
                f"source {src.name!r}: {tasks[0].path} has no column {src.text_field!r} "
                f"(text_field). Columns: {', '.join(schema.names)}"
            )
        kind = schema.field(src.text_field).type
        if not _is_text_type(kind):
            raise SourceError(
                f"source {src.name!r}: {tasks[0].path}: column {src.text_field!r} (text_field) "
                f"has type {kind}; expected a string or binary (UTF-8) column"
            )

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        skip = {src.text_field} | ({src.id_field} if src.id_field else set())
        row = 0
        try:
            with open_binary(task.path) as f:
                pf = pq.ParquetFile(f)
                if pf.metadata.num_rows == 0:
                    out.quarantine(
                        stable_id(src.name, task.relpath, "empty"),
                        None,
                        "empty_file",
                        file=task.path,
                    )
                for batch in pf.iter_batches(batch_size=src.batch_rows):
                    for record, bad_column in _records(batch, src.text_field):
                        row += 1
                        if bad_column is None:
                            add_record(out, src, task, skip, record, row=row)
                        else:
                            id_ = record.get(src.id_field) if src.id_field else None
                            if id_ is None or id_ == "":
                                id_ = stable_id(src.name, task.relpath, row)
                            out.quarantine(
                                str(id_),
                                record.get(src.text_field),
                                "invalid_utf8",
                                file=task.path,
                                row=row,
                                error=f"column {bad_column!r} holds invalid UTF-8",
                            )
                    if out.full():
                        yield out.flush()
        except (OSError, ValueError, pa.ArrowException) as exc:
            out.quarantine(
                stable_id(src.name, task.relpath, f"error@{row}"),
                None,
                "unreadable_file",
                file=task.path,
                row=row,
                error=f"{type(exc).__name__}: {exc}",
            )
        if len(out):
            yield out.flush()


def _records(batch: pa.RecordBatch, text_field: str) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(record, None) for each row of ``batch``, or (what could be read, the column that
    holds invalid UTF-8) for a row that does not decode."""
    try:
        rows = batch.to_pylist()
    except UnicodeDecodeError:
        pass  # some string value is not UTF-8: find the rows, one at a time
    else:
        for record in rows:
            yield record, None
        return
    for i in range(batch.num_rows):
        one = batch.slice(i, 1)
        try:
            yield one.to_pylist()[0], None
            continue
        except UnicodeDecodeError:
            pass
        partial: dict[str, Any] = {}
        bad: str | None = None
        for name, column in zip(one.schema.names, one.columns, strict=True):
            try:
                partial[name] = column.to_pylist()[0]
            except UnicodeDecodeError:
                bad = bad or name
                if name == text_field:
                    partial[name] = _replaced(column)
        yield partial, bad


def _replaced(column: pa.Array) -> str | None:
    """The one value of a string column that is not UTF-8, decoded with U+FFFD for bad bytes."""
    try:
        raw = column.cast(pa.large_binary())[0].as_py()
    except pa.ArrowException:  # not a plain string column: nothing to show
        return None
    return raw.decode("utf-8", errors="replace") if raw is not None else None

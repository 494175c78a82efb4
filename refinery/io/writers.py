"""Writers: kept rows → ``shards/``, rejected rows → ``rejects/<stage>/``, both Parquet.

Shards roll over at a target compressed size. Rows of confidential sources that were
rejected are written with ``text`` omitted unless the config says otherwise, so a reject
file never holds confidential text that did not pass PII redaction.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from refinery.privacy import guard_rejects
from refinery.stage import REJECT_REASON, REJECT_STAGE

__all__ = ["FileDigest", "HashingFile", "OutputWriter", "RollingParquetWriter"]


@dataclass(frozen=True)
class FileDigest:
    """What ``manifest.json`` says of a file: rows, bytes, sha256."""

    rows: int | None
    size: int
    sha256: str


class HashingFile:
    """A write-only file that hashes (sha256) and counts the bytes written through it, so
    that the manifest needs no second read of the run's files."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._hash = hashlib.sha256()
        self._size = 0

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._hash.update(view)
        self._size += view.nbytes
        self._inner.write(view)
        return view.nbytes

    def tell(self) -> int:
        return self._size

    def flush(self) -> None:
        self._inner.flush()

    @property
    def closed(self) -> bool:
        return bool(self._inner.closed)

    def close(self) -> None:
        self._inner.close()

    def writable(self) -> bool:
        return True

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class RollingParquetWriter:
    """Parquet files ``<dir>/part-NNNNN.parquet``; a new file past ``target_bytes``.

    Batches are buffered into row groups of ``row_group_rows``. A batch whose schema differs
    from the open file's is conformed (missing columns as nulls, null-typed columns cast);
    if it cannot be, the file is closed and the next one takes the new schema.
    """

    def __init__(
        self, fs: Any, directory: str, target_bytes: int, compression: str, row_group_rows: int
    ) -> None:
        self.fs = fs
        self.directory = directory
        self.target_bytes = target_bytes
        self.compression = None if compression == "none" else compression
        self.row_group_rows = row_group_rows
        self.files: list[str] = []
        #: rows, bytes and sha256 of each closed file, taken as it was written
        self.written: dict[str, FileDigest] = {}
        self.rows = 0
        self._file_rows = 0
        self._index = 0
        self._file: Any = None
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._buffer: list[pa.Table] = []
        self._buffered = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        if self._schema is not None:
            conformed = _conform(table, self._schema)
            if conformed is None:
                self._flush()
                self._close_file()
                self._schema = None
            else:
                table = conformed
        if self._schema is None:
            self._schema = table.schema
        self._buffer.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        table = pa.concat_tables(self._buffer)
        self._buffer, self._buffered = [], 0
        if self._writer is None:
            self.fs.makedirs(self.directory, exist_ok=True)
            path = posixpath.join(self.directory, f"part-{self._index:05d}.parquet")
            self._index += 1
            self._file = HashingFile(self.fs.open(path, "wb"))
            self._writer = pq.ParquetWriter(self._file, table.schema, compression=self.compression)
            self.files.append(path)
            self._file_rows = 0
        for start in range(0, table.num_rows, self.row_group_rows):
            # one chunk per row group: the bytes then depend only on the rows, not on how
            # the runtime happened to batch them (runs stay comparable by sha256)
            self._writer.write_table(table.slice(start, self.row_group_rows).combine_chunks())
        self._file_rows += table.num_rows
        if self._file.tell() >= self.target_bytes:
            self._close_file()

    def _close_file(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._file.close()
            self.written[self.files[-1]] = FileDigest(
                rows=self._file_rows, size=self._file.tell(), sha256=self._file.hexdigest()
            )
        self._writer, self._file = None, None

    def close(self) -> None:
        self._flush()
        self._close_file()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table | None:
    if table.schema.equals(schema):
        return table
    if set(table.column_names) - set(schema.names):
        return None
    arrays = []
    for f in schema:
        if f.name in table.column_names:
            col = table[f.name]
            if not col.type.equals(f.type):
                try:
                    col = col.cast(f.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    return None
            arrays.append(col)
        else:
            arrays.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


class OutputWriter:
    """Splits each final batch into kept rows (shards) and rejected rows (rejects per stage)."""

    def __init__(
        self,
        fs: Any,
        run_dir: str,
        shard_bytes: int,
        compression: str,
        row_group_rows: int,
        write_rejects: bool,
        confidential_text: str,
        stages_after_redaction: set[str],
    ) -> None:
        self.fs = fs
        self.run_dir = run_dir
        self.shards = RollingParquetWriter(
            fs, posixpath.join(run_dir, "shards"), shard_bytes, compression, row_group_rows
        )
        self._reject_args = (compression, row_group_rows)
        self.rejects: dict[str, RollingParquetWriter] = {}
        self.reject_rows: dict[str, int] = {}
        self.write_rejects = write_rejects
        self.confidential_text = confidential_text
        self.stages_after_redaction = stages_after_redaction
        self.docs_out = 0
        self.bytes_out = 0
        self.rejected_bytes = 0

    def write(self, batch: pa.Table) -> None:
        if batch.num_rows == 0:
            return
        if REJECT_REASON not in batch.column_names:
            kept, rejected = batch, None
        else:
            mask = pc.is_null(batch[REJECT_REASON])
            n_kept = pc.sum(mask).as_py() or 0
            kept = batch if n_kept == batch.num_rows else batch.filter(mask)
            rejected = None if n_kept == batch.num_rows else batch.filter(pc.invert(mask))
            kept = kept.drop_columns(
                [c for c in (REJECT_REASON, REJECT_STAGE) if c in kept.column_names]
            )
        if kept.num_rows:
            self.docs_out += kept.num_rows
            self.bytes_out += int(pc.sum(pc.binary_length(kept["text"])).as_py() or 0)
            self.shards.write(kept)
        if rejected is not None and rejected.num_rows:
            self._write_rejects(rejected)

    def _write_rejects(self, rejected: pa.Table) -> None:
        rejected = self._guard_confidential(rejected)
        for stage in pc.unique(rejected[REJECT_STAGE]).to_pylist():
            part = rejected.filter(pc.equal(rejected[REJECT_STAGE], stage))
            self.reject_rows[stage] = self.reject_rows.get(stage, 0) + part.num_rows
            if not self.write_rejects:
                continue
            if stage not in self.rejects:
                self.rejects[stage] = RollingParquetWriter(
                    self.fs,
                    posixpath.join(self.run_dir, "rejects", stage),
                    self.shards.target_bytes,
                    *self._reject_args,
                )
            self.rejects[stage].write(part)

    def _guard_confidential(self, rejected: pa.Table) -> pa.Table:
        """Confidential rows rejected before redaction lose text and meta (see privacy)."""
        return guard_rejects(rejected, self.stages_after_redaction, self.confidential_text)

    def close(self) -> None:
        self.shards.close()
        for w in self.rejects.values():
            w.close()

    def files(self) -> list[str]:
        out = list(self.shards.files)
        for w in self.rejects.values():
            out += w.files
        return out

    def written(self) -> dict[str, FileDigest]:
        """Rows, bytes and sha256 of every file written (after ``close``)."""
        out = dict(self.shards.written)
        for w in self.rejects.values():
            out.update(w.written)
        return out

"""Writers: kept rows → ``shards/``, rejected rows → ``rejects/<stage>/``, both Parquet.

Shards roll over near a target compressed size; every file is written under a temporary
name and renamed when complete. Rows of confidential sources that were
rejected are written with ``text`` omitted unless the config says otherwise, so a reject
file never holds confidential text that did not pass PII redaction.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from refinery.errors import OutputError
from refinery.privacy import guard_rejects
from refinery.rundir import temp_name
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
    that the manifest needs no second read of the run's files.

    With ``close_inner=False`` closing it leaves the wrapped file open (pyarrow's writers
    close what they are given; the caller's ``with`` closes the real file)."""

    def __init__(self, inner: Any, close_inner: bool = True) -> None:
        self._inner = inner
        self._close_inner = close_inner
        self._closed = False
        self._hash = hashlib.sha256()
        self._size = 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
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
        return self._closed or (self._close_inner and bool(self._inner.closed))

    def close(self) -> None:
        self._closed = True
        if self._close_inner:
            self._inner.close()

    def writable(self) -> bool:
        return True

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class RollingParquetWriter:
    """Parquet files ``<dir>/<prefix>-NNNNN.parquet``, each near ``target_bytes``.

    Every file is written under a hidden temporary name (``.part-NNNNN.parquet.tmp``) and
    renamed when it is complete, so a run that stops (a full disk, a kill) never leaves a
    partial file under a final name. A failed write raises ``OutputError`` naming the file.

    Row groups are cut where a file should end: each holds ``row_group_rows`` rows, or fewer
    when the rows' value bytes, scaled by the compression ratio seen so far, and the footer
    would pass ``target_bytes`` (the first row group of a run assumes no compression, so it
    falls short). A file closes when the room left is under a row or 2% of the target, so it
    lands near its target instead of overshooting by up to a whole row group. Cuts depend on the rows alone, never on how the runtime
    batched them: the same rows give the same files (and sha256) from Ray and the local runtime.

    A batch whose schema differs from the open file's is conformed (missing columns as nulls,
    null-typed columns cast); if it cannot be, the file is closed and the next one takes the
    new schema.
    """

    def __init__(
        self,
        fs: Any,
        directory: str,
        target_bytes: int,
        compression: str,
        row_group_rows: int,
        prefix: str = "part",
    ) -> None:
        self.fs = fs
        self.prefix = prefix
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
        self._pending: pa.Table | None = None
        #: bytes on disk per value byte of the last closed file (None before the first closes)
        self._last_ratio: float | None = None
        self._file_value_bytes = 0
        #: footer bytes per row group of the last closed file
        self._footer_per_group: float | None = None
        self._file_groups = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        if self._schema is not None:
            conformed = _conform(table, self._schema)
            if conformed is None:
                self._drain(final=True)
                self._close_file()
                self._schema = None
            else:
                table = conformed
        if self._schema is None:
            self._schema = table.schema
        self._pending = table if self._pending is None else pa.concat_tables([self._pending, table])
        self.rows += table.num_rows
        self._drain(final=False)

    def _drain(self, final: bool) -> None:
        """Write row groups while enough rows are pending (all of them when ``final``)."""
        while self._pending is not None and self._pending.num_rows:
            pending = self._pending
            if pending.num_rows < self.row_group_rows and not final:
                return  # the cut is decided on full row groups only: runtime batching is moot
            rows = self._next_group_rows(pending)
            group = pending.slice(0, rows)
            rest = pending.slice(rows)
            self._pending = rest if rest.num_rows else None
            self._write_group(group.combine_chunks())

    def _next_group_rows(self, pending: pa.Table) -> int:
        """Rows of the next row group: as many of the pending rows as fit in the room left,
        their value bytes scaled by the compression ratio seen so far."""
        written = self._file.tell() if self._file is not None else 0
        groups = self._file_groups if self._file is not None else 0
        room = self.target_bytes - written - self._footer_bytes(groups + 1, pending.num_columns)
        head = pending.slice(0, self.row_group_rows)
        cumulative = np.cumsum(_row_value_bytes(head)) * self._ratio()
        fits = int(np.searchsorted(cumulative, max(room, 1), side="right"))
        return max(1, min(fits, int(head.num_rows)))

    def _ratio(self) -> float:
        """Bytes on disk per value byte: of the open file, else of the last one, else 1 (an
        overestimate: compression only shrinks values, so a first cut falls short, not over)."""
        if self._file is not None and self._file_value_bytes:
            return max(1e-3, (int(self._file.tell()) - 4) / self._file_value_bytes)
        return self._last_ratio or 1.0

    def _footer_bytes(self, groups: int, columns: int) -> float:
        """The Parquet footer of a file of ``groups`` row groups (it grows with each one):
        as measured on the last file, else a typical 160 bytes per column chunk."""
        per_group = self._footer_per_group or 160.0 * columns
        return 1024 + per_group * groups

    def _write_group(self, group: pa.Table) -> None:
        try:
            if self._writer is None:
                self.fs.makedirs(self.directory, exist_ok=True)
                path = posixpath.join(self.directory, f"{self.prefix}-{self._index:05d}.parquet")
                self._index += 1
                self.files.append(path)
                self._file = HashingFile(self.fs.open(temp_name(path), "wb"))
                self._writer = pq.ParquetWriter(
                    self._file, group.schema, compression=self.compression
                )
                self._file_rows = 0
                self._file_groups = 0
                self._file_value_bytes = 0
            self._writer.write_table(group)
        except OSError as exc:
            self._fail(exc)
        self._file_rows += group.num_rows
        self._file_groups += 1
        value_bytes = int(_row_value_bytes(group).sum())
        self._file_value_bytes += value_bytes
        footer = self._footer_bytes(self._file_groups, group.num_columns)
        room = self.target_bytes - self._file.tell() - footer
        per_row = self._ratio() * value_bytes / group.num_rows
        if room < max(per_row, 0.02 * self.target_bytes):
            self._close_file()

    def _close_file(self) -> None:
        if self._writer is None:
            return
        path = self.files[-1]
        data_bytes = self._file.tell()
        try:
            self._writer.close()
            self._file.close()
            self.fs.mv(temp_name(path), path)
        except OSError as exc:
            self._fail(exc)
        size = self._file.tell()
        self.written[path] = FileDigest(
            rows=self._file_rows, size=size, sha256=self._file.hexdigest()
        )
        self._last_ratio = max(1e-3, (data_bytes - 4) / max(1, self._file_value_bytes))
        self._footer_per_group = max(1.0, size - data_bytes - 1024) / max(1, self._file_groups)
        self._writer, self._file = None, None

    def _fail(self, exc: OSError) -> NoReturn:
        path = self.files[-1] if self.files else self.directory
        self.abort()
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise OutputError(f"cannot write {path}: {reason}") from exc

    def close(self) -> None:
        self._drain(final=True)
        self._close_file()

    def abort(self) -> None:
        """Drop the file being written (its temporary name) after a failure; files already
        complete stay. Never raises: it runs while another error is on its way up."""
        writer, file = self._writer, self._file
        self._writer, self._file, self._pending = None, None, None
        if file is None:
            return
        for step in (getattr(writer, "close", None), file.close):
            try:
                if step is not None:
                    step()
            except Exception:  # noqa: BLE001 - the file is being discarded; the first error wins
                pass
        try:
            self.fs.rm(temp_name(self.files[-1]))
        except OSError:
            pass  # a hidden .tmp name, removed by the next --overwrite


def _row_value_bytes(table: pa.Table) -> np.ndarray:
    """Bytes of each row's values: string/binary lengths plus fixed-width widths.

    Computed from values, not buffers, so that it does not depend on how rows are chunked.
    """
    sizes = np.zeros(table.num_rows, dtype=np.int64)
    for col in table.columns:
        t = col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t):
            lengths = pc.fill_null(pc.binary_length(col), 0)
            sizes += lengths.to_numpy().astype(np.int64)
        elif pa.types.is_primitive(t) and t.bit_width:
            sizes += max(1, t.bit_width // 8)
        else:
            sizes += 8
    return sizes


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

    def abort(self) -> None:
        """After a failure: drop the files being written; complete ones stay."""
        self.shards.abort()
        for w in self.rejects.values():
            w.abort()

    def written(self) -> dict[str, FileDigest]:
        """Rows, bytes and sha256 of every file written (after ``close``)."""
        out = dict(self.shards.written)
        for w in self.rejects.values():
            out.update(w.written)
        return out

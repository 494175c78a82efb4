"""Database sources: SQLite files and PostgreSQL servers, read as Arrow batches through ADBC.

A database source names a table (or a SELECT query), the column that holds each row's stable
id, and one or more text columns. Several text columns become one document either joined with
blank lines or through a ``template`` such as ``"{subject}\\n\\n{body}"`` whose fields are
text or meta columns; ``meta_columns`` are copied into ``meta`` as JSON.

Reading goes through ADBC (``adbc-driver-sqlite``, ``adbc-driver-postgresql``): the PostgreSQL
driver streams the result with the binary COPY protocol straight into Arrow record batches, so
no Python object is built per row except for the id/text assembly. SQLite falls back to the
standard library's ``sqlite3`` when the ADBC driver is not installed.

Credentials never sit in the config: a PostgreSQL ``dsn`` with a password is refused. The
password comes from the environment variable named by ``password_env`` or from the file named by
``secrets_file`` (the whole file, or the ``secrets_key`` entry of a YAML/JSON mapping), is put
into the connection URI in memory only, and is scrubbed from any error message before it is
raised. The ``path`` of the source config is not used by these readers.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit, urlunsplit

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, field_validator, model_validator

from refinery.config import SourceConfig
from refinery.errors import SourceError
from refinery.io.readers import BATCH_SCHEMA, Reader, ReadTask, register_reader
from refinery.io.readers.records import meta_json

__all__ = [
    "DatabaseSourceConfig",
    "PostgresReader",
    "PostgresSourceConfig",
    "SqliteReader",
    "SqliteSourceConfig",
]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


class DatabaseSourceConfig(SourceConfig):
    """Keys shared by database sources (``path`` is not used)."""

    path: str | list[str] = Field("", description="unused by database readers")
    table: str | None = Field(None, description="table (or schema.table) to read; or set `query`")
    query: str | None = Field(None, description="a SELECT statement to read instead of `table`")
    id_column: str = Field(description="column with a stable, unique id per row")
    text_columns: list[str] = Field(min_length=1, description="column(s) that make up the text")
    template: str | None = Field(
        None,
        description="Python format string over text/meta columns, e.g. '{subject}\\n\\n{body}'; "
        "default: the text columns joined by a blank line",
    )
    meta_columns: list[str] = Field(default_factory=list, description="columns copied into `meta`")

    @field_validator("path")
    @classmethod
    def _non_empty(cls, v: str | list[str]) -> str | list[str]:
        return v

    @field_validator("text_columns", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _check_source(self) -> DatabaseSourceConfig:
        if (self.table is None) == (self.query is None):
            raise ValueError("set exactly one of `table` and `query`")
        if self.table is not None and not _IDENT.match(self.table):
            raise ValueError("table must be a plain identifier or schema.table")
        for col in (self.id_column, *self.text_columns, *self.meta_columns):
            if not _IDENT.match(col) or "." in col:
                raise ValueError(f"column names must be plain identifiers, got {col!r}")
        if self.template is not None:
            allowed = set(self.text_columns) | set(self.meta_columns)
            for _, field_name, spec, conv in string.Formatter().parse(self.template):
                if field_name is None:
                    continue
                if field_name not in allowed or spec or conv:
                    raise ValueError(
                        f"template field {{{field_name}}} must be a plain text or meta column name "
                        f"({', '.join(sorted(allowed))})"
                    )
        return self

    @property
    def paths(self) -> list[str]:
        return []

    def select_sql(self, limit: int | None = None) -> str:
        """The statement the reader runs: the query as given, or a SELECT of the columns."""
        if self.query is not None:
            sql = self.query.strip().rstrip(";")
            return f"SELECT * FROM ({sql}) AS q LIMIT {limit}" if limit is not None else sql
        # id and text are cast to text in the database, so a column whose storage type varies
        # from row to row (SQLite) still arrives as one Arrow string column.
        as_text = dict.fromkeys([self.id_column, *self.text_columns])
        cols = [f"CAST(src.{c} AS TEXT) AS {c}" for c in as_text]
        cols += [f"src.{c}" for c in dict.fromkeys(self.meta_columns) if c not in as_text]
        sql = f"SELECT {', '.join(cols)} FROM {self.table} AS src ORDER BY src.{self.id_column}"
        return f"{sql} LIMIT {limit}" if limit is not None else sql


class SqliteSourceConfig(DatabaseSourceConfig):
    database: str = Field(description="path of the SQLite database file")


class PostgresSourceConfig(DatabaseSourceConfig):
    dsn: str = Field(
        description="libpq URI without a password, e.g. postgresql://reader@10.0.0.5:5432/bank"
    )
    password_env: str | None = Field(
        None, description="name of the environment variable holding the password"
    )
    secrets_file: str | None = Field(
        None, description="file holding the password, or a YAML/JSON mapping with `secrets_key`"
    )
    secrets_key: str = Field("password", description="key of the password in a secrets mapping")

    @field_validator("dsn")
    @classmethod
    def _no_password(cls, v: str) -> str:
        parts = urlsplit(v)
        if parts.scheme not in ("postgresql", "postgres"):
            raise ValueError("dsn must be a postgresql:// URI")
        if parts.password is not None or re.search(r"(?i)[?&]password=", parts.query):
            # The value itself is not repeated: it holds a secret.
            raise ValueError("dsn must not contain a password; use password_env or secrets_file")
        return v

    @model_validator(mode="after")
    def _one_secret_source(self) -> PostgresSourceConfig:
        if self.password_env is not None and self.secrets_file is not None:
            raise ValueError("set at most one of `password_env` and `secrets_file`")
        return self


def _password(src: PostgresSourceConfig) -> str | None:
    if src.password_env is not None:
        value = os.environ.get(src.password_env)
        if not value:
            raise SourceError(
                f"source {src.name!r}: environment variable {src.password_env!r} "
                "(password_env) is not set"
            )
        return value
    if src.secrets_file is not None:
        try:
            raw = Path(src.secrets_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(
                f"source {src.name!r}: cannot read secrets_file {src.secrets_file!r}: "
                f"{type(exc).__name__}"
            ) from None
        import yaml

        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            value = data.get(src.secrets_key)
            if not isinstance(value, str | int) or value == "":
                raise SourceError(
                    f"source {src.name!r}: secrets_file has no {src.secrets_key!r} entry"
                )
            return str(value)
        value = raw.strip()
        if not value:
            raise SourceError(f"source {src.name!r}: secrets_file is empty")
        return value
    return None


def _uri_with_password(dsn: str, password: str | None) -> str:
    if password is None:
        return dsn
    parts = urlsplit(dsn)
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _scrub(message: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***").replace(quote(secret, safe=""), "***")
    return message[:300]


def _as_text(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr.cast(pa.string())
    if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
        return pa.array(
            [None if v is None else v.decode("utf-8", errors="replace") for v in arr.to_pylist()],
            pa.string(),
        )
    return arr.cast(pa.string())


def _render_text(src: DatabaseSourceConfig, batch: pa.RecordBatch) -> pa.Array:
    cols = {name: _as_text(batch.column(name)) for name in batch.schema.names}
    if src.template is None:
        values = [cols[c].to_pylist() for c in src.text_columns]
        joined = ["\n\n".join(v for v in row if v) for row in zip(*values, strict=True)]
        return pa.array([t or None for t in joined], pa.string())
    parts: list[pa.Array | str] = []
    for literal, field_name, _, _ in string.Formatter().parse(src.template):
        if literal:
            parts.append(literal)
        if field_name is not None:
            parts.append(pc.fill_null(cols[field_name], ""))
    if not parts:
        return pa.array([src.template] * batch.num_rows, pa.string())
    arrays = [
        p if isinstance(p, pa.Array) else pa.array([p] * batch.num_rows, pa.string()) for p in parts
    ]
    if len(arrays) == 1:
        rendered = arrays[0]
    else:
        rendered = pc.binary_join_element_wise(*arrays, "")
    # A row whose text columns are all null or empty has no document text.
    present = None
    for c in src.text_columns:
        ok = pc.fill_null(pc.greater(pc.utf8_length(cols[c]), 0), False)
        present = ok if present is None else pc.or_(present, ok)
    return pc.if_else(present, rendered, pa.scalar(None, pa.string()))


def _to_core(src: DatabaseSourceConfig, batch: pa.RecordBatch) -> pa.Table:
    names = batch.schema.names
    missing = [c for c in (src.id_column, *src.text_columns, *src.meta_columns) if c not in names]
    if missing:
        raise SourceError(
            f"source {src.name!r}: the result has no column(s) {missing}. Columns: {', '.join(names)}"
        )
    n = batch.num_rows
    ids = _as_text(batch.column(src.id_column))
    text = _render_text(src, batch)
    if src.meta_columns:
        rows = pa.Table.from_batches([batch]).select(src.meta_columns).to_pylist()
        # strict JSON: a float column's NaN or ±Infinity becomes null
        meta = pa.array([meta_json(r, set(), None) for r in rows], pa.string())
    else:
        meta = pa.array(["{}"] * n, pa.string())
    reason = pc.if_else(
        pc.is_null(text),
        pa.scalar("missing_text", pa.string()),
        pc.if_else(
            pc.is_null(ids), pa.scalar("missing_id", pa.string()), pa.scalar(None, pa.string())
        ),
    )
    # Rows without an id get a positional stand-in so the reject can still be found.
    return pa.Table.from_arrays(
        [
            pc.fill_null(ids, "<null-id>"),
            text,
            pa.array([src.name] * n, pa.string()),
            pa.array([src.sensitivity] * n, pa.string()),
            meta,
            reason,
        ],
        schema=BATCH_SCHEMA,
    )


def _rebatch(reader: Any, rows: int) -> Iterator[pa.RecordBatch]:
    """Record batches of at most ``rows`` rows from an Arrow stream."""
    for batch in reader:
        for offset in range(0, batch.num_rows, rows):
            yield batch.slice(offset, rows)


class _DatabaseReader(Reader):
    """Shared plan/read logic; subclasses open the connection."""

    extensions: ClassVar[tuple[str, ...]] = ()

    def _connect(self, src: Any) -> tuple[Any, list[str]]:
        raise NotImplementedError

    def _location(self, src: Any) -> str:
        raise NotImplementedError

    def plan(self, src: Any, source_index: int) -> list[ReadTask]:
        task = ReadTask(source_index, self._location(src), src.table or "query")
        self.check(src, [task])
        return [task]

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        """Run the statement with LIMIT 0 on the driver: connection, table and columns."""
        names = self._columns(src)
        missing = [
            c for c in (src.id_column, *src.text_columns, *src.meta_columns) if c not in names
        ]
        if missing:
            raise SourceError(
                f"source {src.name!r}: {src.table or 'the query'} has no column(s) {missing}. "
                f"Columns: {', '.join(names)}"
            )

    def _columns(self, src: Any) -> list[str]:
        with self._cursor(src, "cannot query") as cur:
            sql = f"SELECT * FROM {src.table} LIMIT 0" if src.table else src.select_sql(limit=0)
            cur.execute(sql)
            return [d[0] for d in cur.description or []]

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        # A failure while rows stream can quote a row's value (a failed cast, say): for a
        # confidential source only the exception type is kept.
        with self._cursor(src, "reading", failed=True, rows_seen=True) as cur:
            cur.execute(src.select_sql())
            for batch in self._stream(cur, src.batch_rows):
                if batch.num_rows:
                    yield _to_core(src, batch)

    @contextmanager
    def _cursor(
        self, src: Any, doing: str, failed: bool = False, rows_seen: bool = False
    ) -> Iterator[Any]:
        """A cursor on a fresh connection, both closed after; a driver error becomes a
        ``SourceError`` with the connection's secrets scrubbed (and, where rows were seen, only
        the exception type for a confidential source)."""
        conn, secrets = self._connect(src)
        try:
            cur = conn.cursor()
            try:
                yield cur
            finally:
                cur.close()
        except SourceError:
            raise
        except Exception as exc:  # driver errors vary by backend; re-raised, scrubbed
            if rows_seen and src.sensitivity == "confidential":
                detail = type(exc).__name__
            else:
                detail = _scrub(f"{type(exc).__name__}: {exc}", secrets)
            what = f"{doing} {src.table or 'the query'}" + (" failed" if failed else "")
            raise SourceError(f"source {src.name!r}: {what}: {detail}") from None
        finally:
            conn.close()

    def _stream(self, cur: Any, rows: int) -> Iterator[pa.RecordBatch]:
        return _rebatch(cur.fetch_record_batch(), rows)


@register_reader
class SqliteReader(_DatabaseReader):
    """A table or query of a SQLite database file (ADBC; stdlib sqlite3 as a fallback)."""

    name = "sqlite"
    config_cls = SqliteSourceConfig

    def _location(self, src: Any) -> str:
        return str(src.database)

    def _connect(self, src: Any) -> tuple[Any, list[str]]:
        if not Path(src.database).is_file():
            raise SourceError(f"source {src.name!r}: SQLite database not found: {src.database!r}")
        uri = Path(src.database).resolve().as_uri() + "?mode=ro"
        try:
            import adbc_driver_sqlite.dbapi as adbc_sqlite
        except ImportError:
            import sqlite3

            return sqlite3.connect(uri, uri=True), []
        return adbc_sqlite.connect(uri), []

    def _stream(self, cur: Any, rows: int) -> Iterator[pa.RecordBatch]:
        if hasattr(cur, "fetch_record_batch"):
            yield from _rebatch(cur.fetch_record_batch(), rows)
            return
        names = [d[0] for d in cur.description or []]
        while True:
            chunk = cur.fetchmany(rows)
            if not chunk:
                return
            cols = list(zip(*chunk, strict=True))
            yield pa.RecordBatch.from_arrays([pa.array(list(c)) for c in cols], names=names)


@register_reader
class PostgresReader(_DatabaseReader):
    """A table or query of a PostgreSQL database (ADBC, binary COPY into Arrow)."""

    name = "postgres"
    config_cls = PostgresSourceConfig

    def _location(self, src: Any) -> str:
        parts = urlsplit(str(src.dsn))
        return str(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))

    def _connect(self, src: Any) -> tuple[Any, list[str]]:
        try:
            import adbc_driver_postgresql.dbapi as adbc_pg
        except ImportError:
            raise ImportError(
                "the postgres reader needs adbc-driver-postgresql: pip install adbc-driver-postgresql"
            ) from None
        password = _password(src)
        secrets = [password] if password else []
        try:
            conn = adbc_pg.connect(_uri_with_password(src.dsn, password))
        except (
            Exception
        ) as exc:  # driver errors vary; re-raised as SourceError with secrets scrubbed
            raise SourceError(
                f"source {src.name!r}: cannot connect to {self._location(src)}: "
                f"{_scrub(f'{type(exc).__name__}: {exc}', secrets)}"
            ) from None
        return conn, secrets

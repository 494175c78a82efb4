"""Database readers: SQLite (embedded) and PostgreSQL (a real server started per module)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from refinery.config import validate_config
from refinery.errors import ConfigError, SourceError
from refinery.io.readers import BATCH_SCHEMA, get_reader
from tests.refinery.io.pg_server import PgServer, postgres_server

ROWS = [
    (1, "Card lost", "Customer reported a lost card.", "SZ"),
    (2, None, "Only a body here.", "SH"),
    (3, "Subject only", None, "BJ"),
    (4, None, None, "GZ"),
    (5, "转账", "客户要求转账。", "SZ"),
]


def _source(**kw: Any) -> Any:
    return validate_config({"sources": [{"name": "bank", **kw}]}).sources[0]


def _sqlite(database: str, table: str = "notes", id_column: str = "note_id", **kw: Any) -> Any:
    """A SQLite source over ``table`` of ``database`` (the notes table unless told otherwise)."""
    return _source(reader="sqlite", database=database, table=table, id_column=id_column, **kw)


def _notes(database: str, **kw: Any) -> list[dict[str, Any]]:
    """The rows of the notes table, subject and body as the text and the branch as meta."""
    src = _sqlite(database, text_columns=["subject", "body"], meta_columns=["branch"], **kw)
    return _read_all(src).to_pylist()


def _read_all(src: Any) -> pa.Table:
    reader = get_reader(src.reader)
    tasks = reader.plan(src, 0)
    batches = [b for t in tasks for b in reader.read(src, t)]
    assert all(b.schema == BATCH_SCHEMA for b in batches)
    return pa.concat_tables(batches)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    path = tmp_path / "bank.db"
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE notes (note_id INTEGER PRIMARY KEY, subject TEXT, body TEXT, branch TEXT)"
    )
    con.executemany("INSERT INTO notes VALUES (?, ?, ?, ?)", ROWS)
    con.commit()
    con.close()
    return str(path)


def test_sqlite_table_joins_text_columns_and_copies_meta(sqlite_db: str) -> None:
    out = _notes(sqlite_db, sensitivity="confidential")
    assert [r["id"] for r in out] == ["1", "2", "3", "4", "5"]
    assert out[0]["text"] == "Card lost\n\nCustomer reported a lost card."
    assert out[1]["text"] == "Only a body here."
    assert out[2]["text"] == "Subject only"
    assert out[3]["text"] is None and out[3]["reject_reason"] == "missing_text"
    assert out[4]["text"] == "转账\n\n客户要求转账。"
    assert json.loads(out[0]["meta"]) == {"branch": "SZ"}
    assert {r["source"] for r in out} == {"bank"}
    assert {r["sensitivity"] for r in out} == {"confidential"}
    assert [r["reject_reason"] for r in out].count(None) == 4


def test_sqlite_template_renders_fields(sqlite_db: str) -> None:
    out = _notes(sqlite_db, template="[{branch}] {subject}: {body}")
    assert out[0]["text"] == "[SZ] Card lost: Customer reported a lost card."
    assert out[1]["text"] == "[SH] : Only a body here."
    assert out[3]["reject_reason"] == "missing_text"


def test_sqlite_query_and_small_batches(sqlite_db: str) -> None:
    src = _source(
        reader="sqlite",
        database=sqlite_db,
        id_column="note_id",
        text_columns="body",
        query="SELECT note_id, body FROM notes WHERE body IS NOT NULL ORDER BY note_id",
        batch_rows=2,
    )
    reader = get_reader("sqlite")
    batches = list(reader.read(src, reader.plan(src, 0)[0]))
    assert [b.num_rows for b in batches] == [2, 1]
    assert pa.concat_tables(batches)["id"].to_pylist() == ["1", "2", "5"]


def test_sqlite_plan_names_missing_columns(sqlite_db: str) -> None:
    src = _sqlite(
        sqlite_db,
        text_columns=["nope"],
    )
    with pytest.raises(SourceError, match=r"no column\(s\) \['nope'\]"):
        get_reader("sqlite").plan(src, 0)


def test_sqlite_missing_database(tmp_path: Path) -> None:
    src = _sqlite(str(tmp_path / "absent.db"), table="t", id_column="id", text_columns=["x"])
    with pytest.raises(SourceError, match="not found"):
        get_reader("sqlite").plan(src, 0)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"table": "notes", "query": "SELECT 1"}, "exactly one of `table` and `query`"),
        ({}, "exactly one of `table` and `query`"),
        ({"table": "notes; DROP TABLE notes"}, "plain identifier"),
        ({"table": "notes", "template": "{body.__class__}"}, "template field"),
        ({"table": "notes", "template": "{secret}"}, "template field"),
    ],
)
def test_sqlite_config_errors(sqlite_db: str, extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _source(
            reader="sqlite", database=sqlite_db, id_column="note_id", text_columns=["body"], **extra
        )


# --------------------------------------------------------------------------- PostgreSQL

PG_PASSWORD = "Pg-pass-7c1e"


@pytest.fixture(scope="module")
def pg() -> Any:
    pytest.importorskip("adbc_driver_postgresql")
    with postgres_server(PG_PASSWORD) as server:
        import adbc_driver_postgresql.dbapi as adbc_pg

        con = adbc_pg.connect(server.uri)
        cur = con.cursor()
        cur.execute(
            "CREATE TABLE notes (note_id BIGINT PRIMARY KEY, subject TEXT, body TEXT, branch TEXT, "
            "amount NUMERIC(12, 2))"
        )
        for row in ROWS:
            cur.execute("INSERT INTO notes VALUES ($1, $2, $3, $4, 10.5)", row)
        cur.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, txt TEXT)")
        cur.execute("INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 5000) g")
        con.commit()
        cur.close()
        con.close()
        yield server


def _pg_source(server: PgServer, **kw: Any) -> Any:
    base = {
        "reader": "postgres",
        "dsn": server.dsn,
        "id_column": "note_id",
        "text_columns": ["subject", "body"],
    }
    return _source(**{**base, **kw})


def test_postgres_reads_table_with_password_from_env(
    pg: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANK_PG_PASSWORD", PG_PASSWORD)
    src = _pg_source(
        pg, table="notes", password_env="BANK_PG_PASSWORD", meta_columns=["branch", "amount"]
    )
    out = _read_all(src).to_pylist()
    assert [r["id"] for r in out] == ["1", "2", "3", "4", "5"]
    assert out[0]["text"] == "Card lost\n\nCustomer reported a lost card."
    assert out[3]["reject_reason"] == "missing_text"
    assert json.loads(out[4]["meta"])["branch"] == "SZ"


def test_postgres_streams_in_batches(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANK_PG_PASSWORD", PG_PASSWORD)
    src = _pg_source(
        pg,
        table="big",
        id_column="id",
        text_columns=["txt"],
        password_env="BANK_PG_PASSWORD",
        batch_rows=1000,
    )
    reader = get_reader("postgres")
    batches = list(reader.read(src, reader.plan(src, 0)[0]))
    assert sum(b.num_rows for b in batches) == 5000
    assert max(b.num_rows for b in batches) <= 1000
    assert batches[0]["text"][0].as_py() == "row 1"


@pytest.mark.parametrize(
    "content",
    [PG_PASSWORD + "\n", f"password: {PG_PASSWORD}\n", json.dumps({"password": PG_PASSWORD})],
)
def test_postgres_password_from_secrets_file(pg: PgServer, tmp_path: Path, content: str) -> None:
    secrets = tmp_path / "pg.secret"
    secrets.write_text(content, encoding="utf-8")
    src = _pg_source(
        pg,
        query="SELECT note_id, subject, body FROM notes WHERE note_id < 3",
        secrets_file=str(secrets),
    )
    assert _read_all(src)["id"].to_pylist() == ["1", "2"]


def test_postgres_dsn_with_password_is_refused_without_echoing_it(pg: PgServer) -> None:
    dsn = f"postgresql://refinery:{PG_PASSWORD}@127.0.0.1:{pg.port}/postgres"
    with pytest.raises(ConfigError) as err:
        _source(
            reader="postgres", dsn=dsn, table="notes", id_column="note_id", text_columns=["body"]
        )
    assert "must not contain a password" in str(err.value)
    assert PG_PASSWORD not in str(err.value)


def test_postgres_wrong_password_error_is_scrubbed(
    pg: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "Wrong-pass-93a"
    monkeypatch.setenv("BANK_PG_PASSWORD", wrong)
    src = _pg_source(pg, table="notes", password_env="BANK_PG_PASSWORD")
    with pytest.raises(SourceError) as err:
        get_reader("postgres").plan(src, 0)
    assert wrong not in str(err.value) and PG_PASSWORD not in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_postgres_unset_password_env(pg: PgServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BANK_PG_PASSWORD", raising=False)
    src = _pg_source(pg, table="notes", password_env="BANK_PG_PASSWORD")
    with pytest.raises(SourceError, match="BANK_PG_PASSWORD"):
        get_reader("postgres").plan(src, 0)


def test_postgres_missing_table_is_a_plan_error(
    pg: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANK_PG_PASSWORD", PG_PASSWORD)
    src = _pg_source(pg, table="no_such_table", password_env="BANK_PG_PASSWORD")
    with pytest.raises(SourceError, match="no_such_table"):
        get_reader("postgres").plan(src, 0)


def test_sqlite_infinite_meta_values_are_written_as_null(tmp_path: Path) -> None:
    # SQLite keeps ±Infinity in REAL columns (it stores NaN as NULL); meta is strict JSON
    path = tmp_path / "scores.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT, score REAL)")
    con.execute("INSERT INTO t VALUES (1, 'a', 9e999), (2, 'b', -9e999), (3, 'c', 0.5)")
    con.commit()
    con.close()
    src = _sqlite(
        str(path), table="t", id_column="id", text_columns=["body"], meta_columns=["score"]
    )
    metas = _read_all(src)["meta"].to_pylist()
    assert metas == ['{"score": null}', '{"score": null}', '{"score": 0.5}']

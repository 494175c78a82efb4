"""The paths around redaction: ids, meta, extra fields, rejects, stage errors, Ray's logs.

Identifiers with valid check digits are planted in every column a confidential row can carry:
the text, the id (a resident ID used as the customer key), extra JSONL fields that are not
listed, listed `meta_fields`, a database table's `meta_columns`, a malformed line and a record
without text. One run succeeds, one meets a stage that raises with the row's content in its
message. After each, every file the run wrote (Parquet decoded), the console output, the log
records and every file of the Ray session's log directory are searched: no planted value.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from refinery import stage as stage_mod
from refinery.cli import main
from refinery.stage import Stage, StageConfig, register_stage

pytest.importorskip("jieba")

PLANTED = {
    "id_key_1": "11010519491231002X",  # resident IDs as customer keys (GB 11643 check char)
    "id_key_2": "440305199003071236",
    "id_key_3": "110101199003074477",
    "id_text": "320106198001011233",
    "card": "6222021234567890128",  # Luhn
    "card_meta": "4111111111111111",
    "phone_extra": "13912345678",
    "phone_meta": "13698765432",
    "email_meta": "li.na@example.com",
    "email_db": "wang.fang@example.org",
    "phone_bad_line": "13700001111",
}


class _ExplodeConfig(StageConfig):
    pass


@pytest.fixture
def exploding_stage():
    @register_stage("test_explode")
    class Explode(Stage[_ExplodeConfig]):
        """Fails on every batch, quoting the rows, as a careless parser would."""

        config_cls = _ExplodeConfig

        def reads(self) -> list[str]:
            return ["text", "meta", "id"]

        def __call__(self, batch: pa.Table) -> pa.Table:
            rows = batch.select(["id", "text", "meta"]).to_pylist()
            raise ValueError(f"cannot parse rows {rows}")

    yield
    del stage_mod._REGISTRY["test_explode"]


def _sources(tmp_path: Path) -> list[dict[str, object]]:
    db = tmp_path / "crm.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (cust_key TEXT PRIMARY KEY, body TEXT, rm TEXT)")
    con.executemany(
        "INSERT INTO customers VALUES (?, ?, ?)",
        [
            (
                PLANTED["id_key_1"],
                f"客户来电要求挂失银行卡，卡号{PLANTED['card']}，已为其办理临时挂失手续。",
                f"客户经理邮箱{PLANTED['email_db']}",
            ),
            (PLANTED["id_key_2"], "短", f"RM {PLANTED['email_db']}"),
        ],
    )
    con.commit()
    con.close()
    notes = tmp_path / "notes.jsonl"
    lines = [
        json.dumps(
            {
                "cust": PLANTED["id_key_3"],
                "text": f"KYC review: customer ID {PLANTED['id_text']} verified in branch, "
                "documents complete, risk rating unchanged.",
                "mobile": PLANTED["phone_extra"],  # not listed: must not reach meta
                "note": f"call back on {PLANTED['phone_meta']}, card {PLANTED['card_meta']}",
                "rm_email": PLANTED["email_meta"],
            },
            ensure_ascii=False,
        ),
        '{"cust": "' + PLANTED["id_key_2"] + '", "text": "broken ' + PLANTED["phone_bad_line"],
        json.dumps({"cust": PLANTED["id_key_1"], "note": PLANTED["phone_meta"]}),
    ]
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [
        {
            "name": "crm",
            "reader": "sqlite",
            "database": str(db),
            "table": "customers",
            "id_column": "cust_key",
            "text_columns": ["body"],
            "meta_columns": ["rm"],
            "sensitivity": "confidential",
        },
        {
            "name": "kyc_notes",
            "path": str(notes),
            "id_field": "cust",
            "meta_fields": ["note", "rm_email"],
            "sensitivity": "confidential",
        },
    ]


def _config(tmp_path: Path, stages: list[dict[str, object]], runtime: str) -> Path:
    cfg = {
        "run": {"name": "leaks", "output": str(tmp_path / "run")},
        "runtime": runtime,
        "sources": _sources(tmp_path),
        "stages": stages,
    }
    path = tmp_path / "leaks.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def _written(run_dir: Path) -> str:
    parts = []
    for path in sorted(run_dir.rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
            if path.suffix == ".parquet":
                rows = pq.read_table(path).to_pylist()
                parts.append(json.dumps(rows, ensure_ascii=False, default=str))
    return "\n".join(parts)


def _ray_session_logs() -> str:
    import ray

    node = ray._private.worker._global_node
    assert node is not None, "embedded Ray is running, so its log directory must be found"
    logs = Path(node.get_logs_dir_path())
    files = [p for p in logs.rglob("*") if p.is_file()]
    assert any(p.name == "ray-data.log" for p in files), "Ray Data's log must be searched too"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def _assert_nothing_planted(*blobs: str) -> None:
    everything = "\n".join(blobs)
    leaked = sorted(k for k, v in PLANTED.items() if v in everything)
    assert not leaked, f"planted values found: {leaked}"


@pytest.mark.parametrize("runtime", [pytest.param("ray", marks=pytest.mark.ray), "local"])
def test_no_planted_identifier_in_any_column_or_file(
    runtime, request, tmp_path, runner, caplog
) -> None:
    if runtime == "ray":
        request.getfixturevalue("ray_local")
    caplog.set_level(logging.DEBUG)
    cfg = _config(
        tmp_path,
        [{"stage": "length_filter", "min_chars": 5, "min_words": 1}, {"stage": "pii_redact"}],
        runtime,
    )
    result = runner.invoke(main, ["run", str(cfg), "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "run"
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["docs_in"] == 5 and stats["reconciled"]
    shards = pq.read_table(out / "shards").to_pylist()
    rejects = pq.read_table(out / "rejects").to_pylist()
    assert sorted(r["reject_reason"] for r in rejects) == [
        "malformed_json",
        "missing_text",
        "too_few_chars",
    ]
    # ids: pseudonymised where read, the same token for the same key in both sources
    ids = [r["id"] for r in shards + rejects]
    assert all(i.startswith("pid_") and len(i) == 28 for i in ids if "cust" not in i)
    by_id: dict[str, list[str]] = {}
    for r in shards + rejects:
        by_id.setdefault(r["id"], []).append(r["source"])
    assert sorted(by_id[next(i for i in by_id if len(by_id[i]) == 2)]) == ["crm", "kyc_notes"]
    # meta: the unlisted field is gone, listed values redacted, the table's meta column too
    kyc = next(r for r in shards if r["source"] == "kyc_notes")
    assert json.loads(kyc["meta"]) == {
        "note": "call back on [PHONE], card [BANK_CARD]",
        "rm_email": "[EMAIL]",
    }
    crm = next(r for r in shards if r["source"] == "crm")
    assert json.loads(crm["meta"]) == {"rm": "客户经理邮箱[EMAIL]"}
    # a row rejected before redaction keeps only where it came from
    short = next(r for r in rejects if r["reject_reason"] == "too_few_chars")
    assert short["text"] is None and json.loads(short["meta"]) == {}
    gov = stats["governance"]
    assert gov["ids"] == {"crm": "pseudonymized", "kyc_notes": "pseudonymized"}
    assert gov["meta_fields"] == {"crm": ["rm"], "kyc_notes": ["note", "rm_email"]}
    logs = _ray_session_logs() if runtime == "ray" else ""
    _assert_nothing_planted(
        _written(out), result.output, "\n".join(r.getMessage() for r in caplog.records), logs
    )


@pytest.mark.parametrize("runtime", [pytest.param("ray", marks=pytest.mark.ray), "local"])
def test_a_stage_that_quotes_confidential_rows_in_its_error_leaks_nothing(
    runtime, request, tmp_path, runner, caplog, exploding_stage
) -> None:
    if runtime == "ray":
        request.getfixturevalue("ray_local")
    caplog.set_level(logging.DEBUG)
    cfg = _config(tmp_path, [{"stage": "test_explode"}, {"stage": "pii_redact"}], runtime)
    result = runner.invoke(main, ["run", str(cfg), "-q"])
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "stage 'test_explode' failed on a batch of" in message
    assert "ValueError (message withheld: the batch holds confidential rows)" in message
    assert "ids pid_" in message
    logs = _ray_session_logs() if runtime == "ray" else ""
    if runtime == "ray":
        assert "message withheld" in logs  # the error did reach Ray's log, scrubbed
    _assert_nothing_planted(
        _written(tmp_path / "run"),
        result.output,
        "\n".join(r.getMessage() for r in caplog.records),
        logs,
    )

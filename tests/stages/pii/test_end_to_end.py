"""Private bank data end to end: a PostgreSQL table and a PDF → `refinery run` → shards.

Known identifiers (valid check digits, generated here) are planted in the confidential
sources. After the run, no planted value may appear in any file the run wrote (Parquet files
are decoded, not just grepped), in the command's output, in the log records, or in Ray's worker
logs; the accounting must reconcile.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from refinery.cli import main
from tests.refinery.io.pdf_fixture import make_pdf
from tests.refinery.io.pg_server import postgres_server

pytest.importorskip("jieba")
pytest.importorskip("adbc_driver_postgresql")


PASSWORD = "E2e-db-pass-51f"
# Planted values: resident IDs (GB 11643 check character), cards (Luhn), IBAN (mod 97), ...
PLANTED = {
    "id1": "11010519491231002X",
    "id2": "440305199003071235",
    "card1": "6222021234567890128",
    "card2": "4111 1111 1111 1111",
    "phone1": "13812345678",
    "phone2": "+86 139-8765-4321",
    "email": "zhang.wei@example.com",
    "iban": "GB82 WEST 1234 5698 7654 32",
    "uscc": "91110000802100433B",
    "passport": "E12345678",
    "name_zh": "张伟",
    "name_en": "Priscilla Lindqvist",
    "ip": "203.0.113.77",
}


def _luhn_ok(number: str) -> bool:
    from stdnum import luhn

    return luhn.is_valid(number.replace(" ", ""))


ROWS = [
    (
        1,
        "挂失",
        f"客户{PLANTED['name_zh']}来电，身份证号{PLANTED['id1']}，卡号{PLANTED['card1']}，手机{PLANTED['phone1']}。",
    ),
    (
        2,
        "转账",
        f"付款人{PLANTED['name_zh']}，收款账户IBAN {PLANTED['iban']}，联系电话{PLANTED['phone2']}。",
    ),
    (
        3,
        "开户",
        f"企业统一社会信用代码{PLANTED['uscc']}，法定代表人{PLANTED['name_zh']}，邮箱{PLANTED['email']}，登录IP {PLANTED['ip']}。",
    ),
    (
        4,
        "护照",
        f"客户护照号码{PLANTED['passport']}，身份证{PLANTED['id2']}，请核实后办理境外汇款业务。",
    ),
    (5, "短", f"{PLANTED['id2']}"),
    (6, "普通", "本行理财产品说明会将于下周举行，欢迎客户参加，详情请咨询网点工作人员。"),
]
PDF_LINES = [
    "Loan committee note",
    f"Borrower: {PLANTED['name_en']}, card {PLANTED['card2']}.",
    f"Chinese ID {PLANTED['id1']}, mobile {PLANTED['phone1']}, email {PLANTED['email']}.",
    "The committee approved the loan subject to the usual conditions and covenants.",
]


def _forms(value: str) -> set[str]:
    compact = value.replace(" ", "").replace("-", "")
    return {value, compact, compact.lstrip("+86") if value.startswith("+86") else compact}


def _everything_in(run_dir: Path) -> str:
    """Every file of the run as text; Parquet files decoded row by row."""
    parts = []
    for path in sorted(run_dir.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        parts.append(raw.decode("utf-8", errors="replace"))
        if path.suffix == ".parquet":
            parts.append(
                json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str)
            )
    return "\n".join(parts)


def _ray_logs() -> str:
    try:
        import ray

        node = ray._private.worker._global_node  # the embedded node's log directory
        logs = Path(node.get_logs_dir_path()) if node is not None else None
    except (
        Exception
    ):  # Ray internals move between versions; without a log dir there is nothing to grep
        return ""
    if logs is None or not logs.is_dir():
        return ""
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in logs.glob("*") if p.is_file()
    )


@pytest.mark.slow
@pytest.mark.parametrize("runtime", [pytest.param("ray", marks=pytest.mark.ray), "local"])
def test_postgres_and_pdf_to_shards_without_leaks(
    runtime, runner, request, tmp_path, monkeypatch, caplog
):
    if runtime == "ray":
        request.getfixturevalue("ray_local")
    assert _luhn_ok(PLANTED["card1"]) and _luhn_ok(PLANTED["card2"])
    caplog.set_level(logging.DEBUG)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "loan_note.pdf").write_bytes(make_pdf([PDF_LINES]))

    with postgres_server(PASSWORD) as server:
        import adbc_driver_postgresql.dbapi as adbc_pg

        con = adbc_pg.connect(server.uri)
        cur = con.cursor()
        cur.execute(
            "CREATE TABLE customer_notes (note_id BIGINT PRIMARY KEY, topic TEXT, body TEXT)"
        )
        for row in ROWS:
            cur.execute("INSERT INTO customer_notes VALUES ($1, $2, $3)", row)
        con.commit()
        cur.close()
        con.close()

        # The password reaches the readers, which run in Ray workers, as a mounted secrets
        # file (workers do not see environment variables set after Ray started).
        secret = tmp_path / "secrets" / "pg.yaml"
        secret.parent.mkdir()
        secret.write_text(f"password: {PASSWORD}\n", encoding="utf-8")
        secret.chmod(0o600)
        config = {
            "run": {"name": "bank_private"},
            "sources": [
                {
                    "name": "customer_notes",
                    "reader": "postgres",
                    "dsn": server.dsn,
                    "secrets_file": str(secret),
                    "table": "customer_notes",
                    "id_column": "note_id",
                    "text_columns": ["topic", "body"],
                    "template": "【{topic}】{body}",
                    "sensitivity": "confidential",
                },
                {
                    "name": "loan_pdfs",
                    "reader": "pdf",
                    "path": str(docs),
                    "sensitivity": "confidential",
                },
            ],
            "stages": [
                {"stage": "length_filter", "min_chars": 25, "min_words": 1},
                {"stage": "pii_redact", "actions": {"PASSPORT": "drop"}},
            ],
            "output": {"shard_size_mb": 1},
        }
        cfg_path = tmp_path / "bank.yaml"
        cfg_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        out = tmp_path / "run"
        result = runner.invoke(
            main, ["run", str(cfg_path), "--output", str(out), "--runtime", runtime, "-q"]
        )
        assert result.exit_code == 0, result.output

    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    shards = pq.read_table(out / "shards")
    rejects = pq.read_table(out / "rejects")
    # Accounting: 6 rows + 1 PDF in, every one either in the shards or in the rejects.
    assert stats["docs_in"] == len(ROWS) + 1
    assert shards.num_rows + rejects.num_rows == stats["docs_in"]
    assert stats.get("reconciled", True) is True
    reasons = sorted(rejects["reject_reason"].to_pylist())
    assert reasons == ["pii_passport", "too_few_chars"]
    texts = shards["text"].to_pylist()
    assert any("[ID_CARD]" in t and "[BANK_CARD]" in t for t in texts)
    assert any("[NAME]" in t and "Loan committee note" in t for t in texts)
    # Rejected before redaction: confidential text omitted; rejected by redaction: no raw value.
    by_reason = dict(
        zip(rejects["reject_reason"].to_pylist(), rejects["text"].to_pylist(), strict=True)
    )
    assert by_reason["too_few_chars"] is None

    written = _everything_in(out)
    logged = result.output + "\n".join(r.getMessage() for r in caplog.records) + _ray_logs()
    for key, value in PLANTED.items():
        for form in _forms(value):
            assert form not in written, f"planted {key} found in the run directory"
            assert form not in logged, f"planted {key} found in the output or logs"
    assert PASSWORD not in written and PASSWORD not in logged

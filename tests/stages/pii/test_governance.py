"""Governance with private sources, without a database server or Ray: confidential sources
must pass pii_redact, and a local run leaves no planted identifier anywhere it writes."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from refinery.cli import main

pytest.importorskip("jieba")
docx = pytest.importorskip("docx")

PLANTED = [
    "11010519491231002X",
    "6222021234567890128",
    "13812345678",
    "zhang.wei@example.com",
    "张伟",
]


def _config(tmp_path: Path, stages: list[dict[str, object]]) -> Path:
    db = tmp_path / "crm.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE tickets (ticket_id INTEGER PRIMARY KEY, body TEXT)")
    con.executemany(
        "INSERT INTO tickets VALUES (?, ?)",
        [
            (1, f"客户张伟来电，身份证号{PLANTED[0]}，卡号{PLANTED[1]}，要求挂失。"),
            (2, f"Customer Mr. Zhang Wei asked to update his mobile to {PLANTED[2]}."),
            (3, "短"),
        ],
    )
    con.commit()
    con.close()
    docs = tmp_path / "docs"
    docs.mkdir()
    d = docx.Document()
    d.add_paragraph(
        f"KYC 备注：客户张伟，邮箱{PLANTED[3]}，手机{PLANTED[2]}，职业为工程师，资料已核实。"
    )
    d.save(docs / "kyc.docx")
    cfg = {
        "run": {"name": "gov"},
        "runtime": "local",
        "sources": [
            {
                "name": "crm",
                "reader": "sqlite",
                "database": str(db),
                "table": "tickets",
                "id_column": "ticket_id",
                "text_columns": ["body"],
                "sensitivity": "confidential",
            },
            {"name": "kyc", "reader": "docx", "path": str(docs), "sensitivity": "confidential"},
        ],
        "stages": stages,
    }
    path = tmp_path / "gov.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def test_confidential_sources_without_redaction_are_refused(tmp_path: Path, runner) -> None:
    cfg = _config(tmp_path, [{"stage": "length_filter", "min_chars": 5, "min_words": 1}])
    result = runner.invoke(main, ["validate", str(cfg)])
    assert result.exit_code == 2
    assert "confidential" in result.output
    assert not any(p in result.output for p in PLANTED)


def test_validate_accepts_redacted_pipeline(tmp_path: Path, runner) -> None:
    cfg = _config(tmp_path, [{"stage": "pii_redact"}])
    result = runner.invoke(main, ["validate", str(cfg)])
    assert result.exit_code == 0, result.output


def test_local_run_leaves_no_planted_identifier(tmp_path: Path, runner, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    cfg = _config(
        tmp_path,
        [{"stage": "length_filter", "min_chars": 5, "min_words": 1}, {"stage": "pii_redact"}],
    )
    out = tmp_path / "run"
    result = runner.invoke(main, ["run", str(cfg), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    shards = pq.read_table(out / "shards")
    assert stats["docs_in"] == 4 and shards.num_rows == 3
    assert all("[" in t for t in shards["text"].to_pylist())
    pii = next(s for s in stats["stages"] if s["name"] == "pii_redact")
    assert pii["counters"] and all(k.isupper() and v > 0 for k, v in pii["counters"].items())
    blobs = [result.output, "\n".join(r.getMessage() for r in caplog.records)]
    for path in out.rglob("*"):
        if path.is_file():
            blobs.append(path.read_bytes().decode("utf-8", errors="replace"))
            if path.suffix == ".parquet":
                blobs.append(
                    json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str)
                )
    everything = "\n".join(blobs)
    for value in PLANTED:
        assert value not in everything, "a planted identifier leaked into the run's files or logs"


@pytest.mark.parametrize(
    ("stage", "named"),
    [
        (
            {"stage": "pii_redact", "text_column": "source"},
            "redacts ['meta', 'source'], not `text`",
        ),
        (
            {"stage": "pii_redact", "entities": ["PHONE", "EMAIL", "NAME"]},
            "leaves out the entity types ['ADDRESS', 'BANK_ACCOUNT', 'BANK_CARD'",
        ),
    ],
)
def test_redaction_that_misses_text_or_identifier_types_is_refused(
    tmp_path: Path, runner, stage, named
) -> None:
    cfg = _config(tmp_path, [stage])
    result = runner.invoke(main, ["validate", str(cfg)])
    assert result.exit_code == 2, result.output
    assert named in " ".join(result.output.split())


def test_waived_types_are_allowed_with_a_reason_and_recorded(tmp_path: Path, runner) -> None:
    from stages.pii.detector import ENTITY_TYPES

    kept = [t for t in ENTITY_TYPES if t not in ("PASSPORT", "IP_ADDRESS")]
    waive = {"PASSPORT": "no travel documents in CRM", "IP_ADDRESS": "no logs in this table"}
    cfg = _config(tmp_path, [{"stage": "pii_redact", "entities": kept, "waive": waive}])
    out = tmp_path / "run"
    result = runner.invoke(main, ["run", str(cfg), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    gov = json.loads((out / "stats.json").read_text(encoding="utf-8"))["governance"]
    assert gov["waivers"] == dict(sorted(waive.items()))
    assert gov["redaction_stage"] == "pii_redact"
    assert gov["ids"] == {"crm": "pseudonymized", "kyc": "derived"}


@pytest.mark.parametrize(
    "waive",
    [{"PASSPORT": "   "}, {"EMAIL": "detected anyway"}, {"SSN": "unknown type"}],
)
def test_waivers_without_reason_or_for_detected_types_are_refused(
    tmp_path: Path, runner, waive
) -> None:
    entities = ["ID_CARD", "BANK_CARD", "EMAIL"]
    cfg = _config(tmp_path, [{"stage": "pii_redact", "entities": entities, "waive": waive}])
    result = runner.invoke(main, ["validate", str(cfg)])
    assert result.exit_code == 2
    assert "waive" in result.output


def test_ids_from_the_data_need_the_key_or_a_declaration(
    tmp_path: Path, runner, monkeypatch
) -> None:
    monkeypatch.delenv("REFINERY_PII_KEY", raising=False)
    cfg = _config(tmp_path, [{"stage": "pii_redact"}])
    result = runner.invoke(main, ["validate", str(cfg)])
    assert result.exit_code == 2
    assert "REFINERY_PII_KEY" in result.output and "ids: keep" in result.output
    raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    raw["sources"][0]["ids"] = "keep"
    cfg.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "run"
    result = runner.invoke(main, ["run", str(cfg), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["governance"]["ids"]["crm"] == "kept (declared safe)"
    assert {"1", "2", "3"} <= set(pq.read_table(out / "shards")["id"].to_pylist())

"""`refinery pii-detect` and `refinery pii-scan` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from refinery.cli import main
from stages.pii.cli import masked_context, pii_detect, pii_scan
from stages.pii.patterns import Entity

pytest.importorskip("jieba")

ID = "11010519491231002X"


def test_commands_are_attached_to_refinery() -> None:
    assert main.commands.get("pii-scan") is pii_scan
    assert main.commands.get("pii-detect") is pii_detect


def test_pii_detect_writes_offsets(tmp_path: Path, runner: CliRunner) -> None:
    texts = {"a": f"客户张伟，身份证{ID}", "b": "nothing here", "c": "mail x.y@example.com"}
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n" for k, v in texts.items()
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["pii-detect", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    spans = {
        x["id"]: [(texts[x["id"]][e["start"] : e["end"]], e["type"]) for e in x["entities"]]
        for x in lines
    }
    assert spans == {
        "a": [("张伟", "NAME"), (ID, "ID_CARD")],
        "b": [],
        "c": [("x.y@example.com", "EMAIL")],
    }


def test_pii_detect_bad_line_names_the_line_not_the_text(tmp_path: Path, runner: CliRunner) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "ok"}) + "\n" + f"{{broken {ID}\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["pii-detect", str(src), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code != 0
    assert "in.jsonl:2" in result.output and ID not in result.output


def test_pii_detect_skips_bad_lines_and_reads_on(tmp_path: Path, runner: CliRunner) -> None:
    """Every kind of bad line is skipped with its line number and reason, never its content;
    the lines after it are still written, and the exit status says lines were skipped."""
    src = tmp_path / "in.jsonl"
    good = json.dumps({"id": "g1", "text": f"身份证{ID}"}, ensure_ascii=False)
    src.write_bytes(
        b"\n".join(
            [
                good.encode(),
                f'{{"id": "b1", "text": "{ID}"'.encode(),  # cut short: not JSON
                f'["{ID}"]'.encode(),  # JSON, no object
                json.dumps({"id": "b3", "txt": ID}).encode(),  # no text
                b'{"id": "b4", "text": "\xff' + ID.encode() + b'"}',  # not UTF-8
                b"",
                json.dumps({"id": "g2", "text": "mail a.b@example.com"}).encode(),
            ]
        )
        + b"\n"
    )
    out = tmp_path / "o.jsonl"
    result = runner.invoke(main, ["pii-detect", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert ID not in result.output
    for line_no, reason in [(2, "not JSON"), (3, "not a JSON object"), (4, 'no string "text"')]:
        assert f"in.jsonl:{line_no}: skipped: {reason}" in result.output
    assert "in.jsonl:5: skipped: not UTF-8" in result.output
    assert "skipped 4 of 6 lines" in result.output
    written = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in written] == ["g1", "g2"]
    assert [e["type"] for e in written[1]["entities"]] == ["EMAIL"]


def test_pii_scan_counts_and_masks(tmp_path: Path, runner: CliRunner) -> None:
    data = tmp_path / "notes.jsonl"
    docs = [
        f"客户张伟，身份证号{ID}，手机13812345678。",
        "Dear Ms. Emily Hall, your card 4111 1111 1111 1111 is ready.",
        "无个人信息。",
    ]
    data.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in docs), encoding="utf-8"
    )
    cfg = tmp_path / "run.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "sources": [{"name": "notes", "path": str(data), "sensitivity": "confidential"}],
                "stages": [{"stage": "pii_redact"}],
            }
        ),
        encoding="utf-8",
    )
    report_path = tmp_path / "scan.json"
    result = runner.invoke(main, ["pii-scan", str(cfg), "--json", str(report_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    src = report["sources"]["notes"]
    assert src["documents"] == 3 and src["documents_with_pii"] == 2
    assert src["counts"] == {"BANK_CARD": 1, "ID_CARD": 1, "NAME": 2, "PHONE": 1}
    everything = result.output + report_path.read_text(encoding="utf-8")
    for value in (ID, "13812345678", "4111 1111 1111 1111", "张伟", "Emily Hall"):
        assert value not in everything
    assert any("[ID_CARD]" in s for s in src["samples"]["ID_CARD"])


def test_masked_context_masks_every_entity_in_the_window() -> None:
    text = "name Li Na phone 13812345678 end"
    ents = [Entity(5, 10, "NAME"), Entity(17, 28, "PHONE")]
    assert masked_context(text, ents, 1, width=20) == "name [NAME] phone [PHONE] end"
    assert masked_context(text, ents, 0, width=3) == "…me [NAME] ph…"

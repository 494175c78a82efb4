"""report.html: written by every run, rebuilt by `refinery report`, static, and leak-free."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from refinery.cli import main
from refinery.rundir import is_run_file

ROOT = Path(__file__).resolve().parents[3]

# (deliberately not importing PLANTED from conftest: tests/ is not a package)
PLANTED = [
    "CUST-778899-SECRET",
    "778899",
    "Lujiazui-Branch-4471",
    "11010519491231002X",
    "6222021234567890128",
    "13812345678",
    "zhang.wei@example.com",
    "E12345678",
    "张伟",
]


def _section(html: str, title: str) -> str:
    match = re.search(rf"<h2>{re.escape(title)}</h2>(.*?)</section>", html, re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_a_run_writes_report_html_with_every_section(finished_run: Path) -> None:
    html = (finished_run / "report.html").read_text(encoding="utf-8")
    stats = json.loads((finished_run / "stats.json").read_text())
    funnel = _section(html, "Funnel")
    for st in stats["stages"]:
        assert f"{st['docs_out']:,} (" in funnel and st["name"] in funnel
    reasons = _section(html, "Rejection reasons")
    assert "pii_redact: pii_passport" in reasons and "exact_duplicate" in reasons
    assert "kept documents per length bin" in _section(html, "Document lengths")
    scores = _section(html, "Scores")
    assert "lang_score" in scores and "length_filter_words" in scores
    assert "minhash_dedup_cluster_id" not in scores  # an id, not a signal
    langs = _section(html, "Language mix")
    assert ">en<" in langs and ">zh<" in langs
    dedup = _section(html, "Dedup clusters")
    assert "copies removed: 2; largest cluster: 3 documents" in dedup  # en-0 and two copies
    assert "copies removed: 1; largest cluster: 2 documents" in dedup  # zh-0 and a near copy
    pii = _section(html, "PII entities")
    counters = next(s for s in stats["stages"] if s["name"] == "pii_redact")["counters"]
    assert counters["PHONE"] == 2
    for entity, n in counters.items():
        assert f"<title>{entity}: {n}</title>" in pii


def test_the_report_holds_no_document_text_ids_or_planted_values(finished_run: Path) -> None:
    html = (finished_run / "report.html").read_text(encoding="utf-8")
    for value in PLANTED:
        assert value not in html, value
    rows = []
    for path in [*finished_run.glob("shards/*.parquet"), *finished_run.glob("rejects/*/*.parquet")]:
        rows += pq.read_table(path, columns=["id", "text", "meta"]).to_pylist()
    assert len(rows) > 10
    for row in rows:
        assert row["id"] not in html
        text = row["text"] or ""  # (null: a confidential reject, text omitted)
        pieces = [text[i : i + 12] for i in range(0, len(text) - 11, 6)] or [text]
        for piece in filter(None, pieces):  # no 12-character piece of any text
            assert piece not in html
        for value in json.loads(row["meta"] or "{}").values():
            assert str(value) not in html


def test_the_report_is_static_and_self_contained(finished_run: Path) -> None:
    html = (finished_run / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=|href=", html, re.I)
    assert set(re.findall(r"https?://[^\"' <]+", html)) == {"http://www.w3.org/2000/svg"}


def test_refinery_report_rebuilds_the_same_bytes(finished_run, runner, tmp_path) -> None:
    run = tmp_path / "run"
    shutil.copytree(finished_run, run)
    original = (run / "report.html").read_bytes()
    (run / "report.html").unlink()
    result = runner.invoke(main, ["report", str(run)])
    assert result.exit_code == 0, result.output
    assert (run / "report.html").read_bytes() == original
    result = runner.invoke(main, ["inspect", str(run)])
    assert result.exit_code == 0 and "report.html" not in result.output  # not noted as foreign
    assert is_run_file("report.html") and is_run_file(".report.html.tmp")  # --overwrite: ours


def test_refinery_report_refuses_a_directory_without_stats(runner, tmp_path) -> None:
    result = runner.invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "is it a run directory?" in result.output


def _tiny_args(out: Path) -> list[str]:
    args = ["run", str(ROOT / "configs/tiny.yaml"), "-o", str(out), "--runtime", "local", "-q"]
    return args + ["--set", "sources.0.path=" + str(ROOT / "tests/data/tiny.jsonl")]


def test_a_report_that_cannot_be_built_is_a_warning_not_a_failed_run(
    runner, tmp_path, monkeypatch
) -> None:
    from refinery.experiments import report

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report, "profile_run", broken)
    out = tmp_path / "run"
    result = runner.invoke(main, _tiny_args(out))
    assert result.exit_code == 0, result.output
    assert "warning: report.html was not written: RuntimeError: disk on fire" in result.output
    assert (out / "stats.json").exists() and not (out / "report.html").exists()


@pytest.mark.parametrize("max_rows", ["0", "2"])
def test_refinery_report_max_rows(finished_run, runner, tmp_path, max_rows) -> None:
    run = tmp_path / "run"
    shutil.copytree(finished_run, run)
    result = runner.invoke(main, ["report", str(run), "--max-rows", max_rows])
    assert result.exit_code == 0, result.output
    sampled = "kept documents (whole row groups chosen evenly" in (run / "report.html").read_text()
    assert sampled == (max_rows == "2")

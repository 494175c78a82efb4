"""`refinery compare`: documents and tokens per stage, reasons, quantiles, languages."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import fsspec

from refinery.cli import main
from refinery.experiments.compare import compare_runs, to_markdown


def _load(name: str) -> Any:
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"refinery_exp_tests_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


runs = _load("runs")
FS = fsspec.filesystem("file")


def _pair(tmp_path: Path, tokens: bool = False) -> tuple[Path, Path]:
    def extra(n: int) -> dict[str, Any]:
        return {"tokens_out": n} if tokens else {}

    a = runs.make_run(
        tmp_path / "base",
        [runs.shard(["a"] * 4, score=[0.1, 0.2, 0.3, 0.4], lang=["en", "en", "zh", "zh"])],
        [
            runs.stage("read", 10, 10, **extra(1000)),
            runs.stage("filter", 10, 4, {"low_quality": 6}, **extra(400)),
        ],
    )
    b = runs.make_run(
        tmp_path / "strict",
        [runs.shard(["a"] * 2, score=[0.3, 0.4], lang=["zh", "zh"])],
        [
            runs.stage("read", 10, 10, **extra(1000)),
            runs.stage("filter", 10, 2, {"low_quality": 7, "too_short": 1}, **extra(200)),
        ],
    )
    return a, b


def _rows(md: str, title: str) -> dict[str, list[str]]:
    block = md.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in block.splitlines():
        if line.startswith("| ") and not line.startswith("| stage |"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            out[" ".join(cells[:-2])] = cells[-2:]
    return out


def test_counts_reasons_quantiles_and_languages_side_by_side(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    md = to_markdown(compare_runs(FS, [str(a), str(b)]))
    assert "| stage | base | strict |" in md
    assert _rows(md, "Documents per stage")["filter"] == ["4", "2 (-50.0%)"]
    assert "## Text bytes per stage" in md and "## Tokens per stage" not in md
    reasons = _rows(md, "Rejection reasons")
    assert reasons["filter low_quality"] == ["6", "7 (+16.7%)"]
    assert reasons["filter too_short"] == ["0", "1"]
    assert _rows(md, "Score quantiles")["score"] == ["0.13 / 0.25 / 0.37", "0.31 / 0.35 / 0.39"]
    langs = _rows(md, "Language mix")
    assert langs["en"] == ["50.0% (2)", "0.0% (0)"] and langs["zh"] == ["50.0% (2)", "100.0% (2)"]


def test_tokens_are_compared_when_every_run_counts_them(tmp_path: Path) -> None:
    a, b = _pair(tmp_path, tokens=True)
    md = to_markdown(compare_runs(FS, [str(a), str(b)]))
    assert _rows(md, "Tokens per stage")["filter"] == ["400", "200 (-50.0%)"]
    assert "## Text bytes per stage" not in md


def test_cli_markdown_and_html(runner, tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    html = tmp_path / "out" / "cmp.html"
    result = runner.invoke(main, ["compare", str(a), str(b), "--markdown", "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Comparison of 2 runs")
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<script" not in page
    assert set(re.findall(r"https?://[^\"' <]+", page)) == {"http://www.w3.org/2000/svg"}
    result = runner.invoke(main, ["compare", str(a), str(b)])
    assert result.exit_code == 0 and "Rejection reasons" in result.output


def test_a_sweep_directory_stands_for_its_finished_variants(runner, tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    index = {
        "variants": [
            {"dir": "base", "status": "ok"},
            {"dir": "strict", "status": "ok"},
            {"dir": "broken", "status": "failed"},
        ]
    }
    (tmp_path / "sweep.json").write_text(json.dumps(index))
    result = runner.invoke(main, ["compare", str(tmp_path), "--markdown"])
    assert result.exit_code == 0, result.output
    assert "| stage | base | strict |" in result.output


def test_a_directory_that_is_not_a_run_is_named(runner, tmp_path: Path) -> None:
    a, _ = _pair(tmp_path)
    result = runner.invoke(main, ["compare", str(a), str(tmp_path / "nope")])
    assert result.exit_code == 2 and "nope/stats.json not found" in result.output

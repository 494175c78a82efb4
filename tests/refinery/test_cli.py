"""The `refinery` command end to end; `run` goes through embedded Ray."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from refinery.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.ray
def test_run_tiny_on_embedded_ray(runner, ray_local, tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(main, ["run", "configs/tiny.yaml", "--output", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "7 docs in" in result.output.replace(",", "")
    stats = json.loads((out / "stats.json").read_text())
    assert stats["runtime"] == "ray"
    assert stats["docs_in"] == 7
    shards = pq.read_table(out / "shards")
    rejects = pq.read_table(out / "rejects")
    assert shards.num_rows + rejects.num_rows == stats["docs_in"]
    assert sorted(rejects["reject_reason"].to_pylist()) == [
        "empty_text",
        "malformed_json",
        "too_few_chars",
    ]
    texts = dict(zip(shards["id"].to_pylist(), shards["text"].to_pylist(), strict=True))
    assert texts["tw-1"] == texts["zh-1"], "Traditional text should be converted to Simplified"
    resolved = (out / "config.yaml").read_text()
    assert "to_simplified: true" in resolved

    shown = runner.invoke(main, ["inspect", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "length_filter" in shown.output
    assert "shards/part-00000-00000-00000.parquet" in shown.output


@pytest.mark.ray
def test_ray_and_local_runtimes_agree(runner, ray_local, tmp_path):
    # small shards and row groups: cuts inside and between Ray's and the local runtime's
    # batches, so the files are the same only if cuts depend on the rows alone
    small = ["--set", "output.shard_size_mb=0.15", "--set", "output.row_group_rows=256"]
    for rt in ("ray", "local"):
        result = runner.invoke(
            main,
            ["run", "configs/demo.yaml", "-o", str(tmp_path / rt), "--runtime", rt, "-q", *small],
        )
        assert result.exit_code == 0, result.output
    a = json.loads((tmp_path / "ray" / "manifest.json").read_text())["files"]
    b = json.loads((tmp_path / "local" / "manifest.json").read_text())["files"]

    def digest(files):
        return {
            f["path"]: (f["rows"], f["sha256"])
            for f in files
            if f["path"].startswith(("shards", "rejects"))
        }

    assert digest(a) == digest(b)
    assert len([p for p in digest(a) if p.startswith("shards/")]) > 3
    assert len([p for p in digest(a) if p.startswith("rejects/gopher_quality/")]) > 1


def test_validate_ok_and_error(runner, tmp_path):
    ok = runner.invoke(main, ["validate", "configs/demo.yaml"])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output and "length_filter" in ok.output
    bad = runner.invoke(main, ["validate", "configs/demo.yaml", "--set", "stages.2.min_char=3"])
    assert bad.exit_code == 2
    assert "stages.2(length_filter).min_char: unknown key" in bad.output


def test_run_with_missing_input_fails_before_running(runner, tmp_path):
    result = runner.invoke(
        main,
        [
            "run",
            "configs/tiny.yaml",
            "-o",
            str(tmp_path / "r"),
            "--set",
            "sources.0.path=nope/*.jsonl",
        ],
    )
    assert result.exit_code == 1
    assert "no files match" in result.output
    assert not (tmp_path / "r").exists()


def test_stages_lists_registry(runner):
    result = runner.invoke(main, ["stages"])
    assert result.exit_code == 0
    assert "normalize" in result.output and "min_words" in result.output
    as_json = json.loads(runner.invoke(main, ["stages", "--json"]).output)
    names = [s["name"] for s in as_json]
    assert "length_filter" in names
    lf = next(s for s in as_json if s["name"] == "length_filter")
    assert lf["fields"]["min_chars"]["default"] == "1"


def test_inspect_without_stats_is_an_error(runner, tmp_path):
    result = runner.invoke(main, ["inspect", str(tmp_path)])
    assert result.exit_code == 2
    assert "stats.json" in result.output


def test_local_cli_run_does_not_need_ray(tmp_path):
    # a fresh interpreter in which importing Ray fails: the local runtime must not touch it
    script = f"""
import importlib.abc, sys

class NoRay(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"{{name}} is not available in this test")
        return None

sys.meta_path.insert(0, NoRay())
from refinery.cli import main
main(["run", "configs/tiny.yaml", "-o", {str(tmp_path / "r")!r}, "--runtime", "local", "-q"])
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stats = json.loads((tmp_path / "r" / "stats.json").read_text())
    assert stats["runtime"] == "local" and stats["docs_in"] == 7
    assert (tmp_path / "r" / "manifest.json").exists()

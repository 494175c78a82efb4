"""``refinery dedup`` as a click command: the config it builds, and one local run."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from stages.dedup.cli import build_dedup_config, dedup


def test_builds_a_valid_config_with_one_source_per_input(tmp_path):
    from refinery.config import validate_config

    raw = build_dedup_config(
        ["a/web.jsonl.zst", "b/web.jsonl.zst", "c.parquet"], str(tmp_path), 0.7, exact=True
    )
    assert [s["name"] for s in raw["sources"]] == ["web", "web_2", "c"]
    assert [s["stage"] for s in raw["stages"]] == ["exact_dedup", "minhash_dedup"]
    cfg = validate_config(raw)
    assert cfg.stages[-1].config.threshold == 0.7


def test_dedup_command_runs_locally(tmp_path):
    pytest.importorskip("refinery.pipeline")
    base = "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat " * 4
    rows = [
        {"id": "a", "text": base},
        {"id": "b", "text": base + "today"},
        {"id": "c", "text": "an entirely different document about bank loan notes and regulations"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(
        dedup, [str(src), "--output", str(out), "--runtime", "local", "--id-field", "id"]
    )
    assert result.exit_code == 0, result.output
    assert "3 docs in → 2 kept, 1 removed" in result.output
    assert any((out / "clusters").iterdir())
    args = [str(src), "--output", str(out), "--runtime", "local", "--id-field", "id"]
    again = CliRunner().invoke(dedup, args)
    assert again.exit_code != 0 and "--overwrite" in again.output  # the first run is kept
    assert CliRunner().invoke(dedup, [*args, "--overwrite"]).exit_code == 0

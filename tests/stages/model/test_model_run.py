"""A run config with the model-scored stages, through `refinery run`, locally and on Ray."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
import yaml

pytest.importorskip("torch")

from refinery.cli import main  # noqa: E402
from stages.model.examples import tiny_model  # noqa: E402


def _config(tmp_path, runtime):
    docs = [
        "Interest rates on savings accounts rose by a quarter point this month.",
        "Interest rates on savings accounts rose by a quarter point this month.",
        "本行今日宣布，个人住房贷款利率下调十个基点。",
        "The river flooded the village after three days of rain.",
        "Customers can open an account online in ten minutes.",
        "我们今天去公园散步，天气很好。",
    ] * 3
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(docs))
    )
    cfg = {
        "run": {"name": "model", "output": str(tmp_path / f"run-{runtime}")},
        "runtime": runtime,
        "sources": [{"name": "s", "path": str(src), "id_field": "id", "batch_rows": 5}],
        "stages": [
            {"stage": "model_embedding", "model_path": tiny_model("encoder"), "max_length": 32},
            {
                "stage": "model_classifier",
                "model_path": tiny_model("regression"),
                "classifier": "edu",
                "min_int_score": None,
                "max_length": 32,
            },
            {
                "stage": "model_perplexity",
                "model_path": tiny_model("causal_lm"),
                "max_length": 32,
                "resources": {"num_cpus": 1, "batch_size": 4, "concurrency": 1},
            },
            {"stage": "perplexity_buckets", "lang_column": None, "keep": ["head", "middle"]},
            {"stage": "semantic_dedup", "threshold": 0.999, "n_clusters": 2},
            {"stage": "top_fraction", "score_column": "edu_score", "fraction": 0.5},
        ],
    }
    path = tmp_path / f"{runtime}.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True))
    return path


def _run(runner, tmp_path, runtime):
    result = runner.invoke(main, ["run", str(_config(tmp_path, runtime)), "--quiet"])
    assert result.exit_code == 0, result.output
    run_dir = tmp_path / f"run-{runtime}"
    stats = json.loads((run_dir / "stats.json").read_text())
    assert stats["reconciled"] and stats["docs_in"] == 18
    stages = {s["name"]: s for s in stats["stages"]}
    for name in ("model_embedding", "model_classifier", "model_perplexity"):
        assert stages[name]["counters"]["model_docs"] == stages[name]["docs_in"]
        assert stages[name]["rates"]["model_tokens_per_s"] > 0
    # exact duplicates (3 copies of doc 0 and 1 each) are semantic duplicates
    assert stages["semantic_dedup"]["rejected"]["semantic_duplicate"] >= 5
    shards = pq.read_table(run_dir / "shards")
    assert {"model_embedding", "edu_score", "lm_perplexity", "perplexity_bucket"} <= set(
        shards.column_names
    )
    return shards.sort_by("id"), stages


def test_model_stages_run_locally_and_on_ray_alike(runner, tmp_path, ray_local):
    local, local_stages = _run(runner, tmp_path, "local")
    ray, ray_stages = _run(runner, tmp_path, "ray")
    assert local["id"].to_pylist() == ray["id"].to_pylist()
    for col in ("edu_score", "lm_nll"):
        for a, b in zip(local[col].to_pylist(), ray[col].to_pylist(), strict=True):
            assert a == pytest.approx(b, abs=1e-5)
    for name in local_stages:
        assert local_stages[name]["rejected"] == ray_stages[name]["rejected"], name

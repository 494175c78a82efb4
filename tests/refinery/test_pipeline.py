"""The run as a whole on the local runtime: outputs, stats, manifest, accounting, governance."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from refinery import stage as stage_mod
from refinery.config import validate_config
from refinery.errors import AccountingError, PlanError
from refinery.pipeline import build_plan, check_accounting, run_pipeline
from refinery.runtime.counters import StageTotals
from refinery.stage import Stage, StageConfig, register_stage


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


DOCS = [
    {"id": f"d{i}", "text": t}
    for i, t in enumerate(
        [
            "A long enough English document about interest rates and deposits.",
            "short",
            "一份足够长的中文文档，讨论存款利率和贷款政策的变化。",
            "   ",
            "Another English document that easily passes the length filter rules.",
        ]
    )
]


def config(tmp_path: Path, stages: list[dict] | None = None, **extra) -> dict:
    src = write_jsonl(tmp_path / "in.jsonl", DOCS)
    (tmp_path / "bad.jsonl").write_text(
        '{"text": "fine and long enough to keep"}\n{oops\n', encoding="utf-8"
    )
    return {
        "run": {"name": "t", "output": str(tmp_path / "run")},
        "runtime": "local",
        "sources": [
            {"name": "web", "path": str(src), "id_field": "id", "sensitivity": "public"},
            {"name": "bad", "path": str(tmp_path / "bad.jsonl"), "sensitivity": "public"},
        ],
        "stages": stages
        if stages is not None
        else [{"stage": "normalize"}, {"stage": "length_filter", "min_chars": 10, "min_words": 3}],
        **extra,
    }


def test_run_writes_shards_rejects_stats_and_manifest(tmp_path):
    result = run_pipeline(validate_config(config(tmp_path)))
    run = tmp_path / "run"
    stats = json.loads((run / "stats.json").read_text())
    assert stats["docs_in"] == 7
    assert stats["docs_out"] == 4
    assert stats["docs_rejected"] == 3
    assert stats["docs_in"] == stats["docs_out"] + stats["docs_rejected"]
    assert stats["reconciled"] is True
    by_name = {s["name"]: s for s in stats["stages"]}
    assert list(by_name) == ["read", "normalize", "length_filter"]
    assert by_name["read"]["rejected"] == {"malformed_json": 1}
    assert by_name["length_filter"]["rejected"] == {"empty_text": 1, "too_few_chars": 1}
    for s in stats["stages"]:
        assert s["docs_in"] == s["docs_out"] + sum(s["rejected"].values())
        assert {"bytes_in", "bytes_out", "seconds"} <= set(s)

    shards = pq.read_table(run / "shards")
    assert shards.num_rows == 4
    assert {"d0", "d2", "d4"} <= set(shards["id"].to_pylist())
    assert "reject_reason" not in shards.column_names
    assert "length_filter_words" in shards.column_names
    rejects = pq.read_table(run / "rejects" / "length_filter")
    assert sorted(rejects["reject_reason"].to_pylist()) == ["empty_text", "too_few_chars"]
    assert set(rejects["reject_stage"].to_pylist()) == {"length_filter"}
    read_rejects = pq.read_table(run / "rejects" / "read")
    assert json.loads(read_rejects["meta"][0].as_py())["line"] == 2

    manifest = json.loads((run / "manifest.json").read_text())
    paths = {f["path"]: f for f in manifest["files"]}
    assert {
        "config.yaml",
        "stats.json",
        "shards/part-00000-00000-00000.parquet",
        "rejects/length_filter/part-00000-00000-00000.parquet",
    } <= set(paths)
    shard = paths["shards/part-00000-00000-00000.parquet"]
    assert shard["rows"] == 3  # the first source's kept documents; the second's: read task 1
    assert paths["shards/part-00001-00000-00000.parquet"]["rows"] == 1
    assert shard["sha256"] == hashlib.sha256((run / shard["path"]).read_bytes()).hexdigest()
    assert shard["bytes"] == (run / shard["path"]).stat().st_size
    assert result.stats == stats


def test_runs_are_reproducible(tmp_path):
    raw = config(tmp_path)
    run_pipeline(validate_config(raw))
    first = json.loads((tmp_path / "run" / "manifest.json").read_text())
    run_pipeline(validate_config(raw), existing="overwrite")
    second = json.loads((tmp_path / "run" / "manifest.json").read_text())

    def sums(m):
        return {
            f["path"]: f["sha256"]
            for f in m["files"]
            if f["path"].startswith(("shards", "rejects"))
        }

    assert sums(first) == sums(second)


def test_shards_roll_over_at_target_size(tmp_path):
    records = [{"id": f"x{i}", "text": f"document number {i} " + "word " * 200} for i in range(400)]
    src = write_jsonl(tmp_path / "many.jsonl", records)
    raw = {
        "run": {"output": str(tmp_path / "run")},
        "runtime": "local",
        "sources": [{"name": "s", "path": str(src), "batch_rows": 50}],
        "output": {"shard_size_mb": 0.005, "row_group_rows": 50},
    }
    result = run_pipeline(validate_config(raw))
    shards = sorted((tmp_path / "run" / "shards").glob("*.parquet"))
    assert len(shards) > 2
    assert sum(pq.ParquetFile(p).metadata.num_rows for p in shards) == 400
    assert result.stats["docs_out"] == 400


@pytest.fixture
def leaky_stage():
    class LeakyConfig(StageConfig):
        pass

    @register_stage("test_leaky")
    class Leaky(Stage[LeakyConfig]):
        """Drops the first row of every batch without saying why (a bug)."""

        config_cls = LeakyConfig

        def __call__(self, batch: pa.Table) -> pa.Table:
            return batch.slice(1)

    yield Leaky
    del stage_mod._REGISTRY["test_leaky"]


def test_a_leaky_stage_fails_the_run(tmp_path, leaky_stage):
    raw = config(tmp_path, stages=[{"stage": "normalize"}, {"stage": "test_leaky"}])
    with pytest.raises(AccountingError, match="test_leaky") as info:
        run_pipeline(validate_config(raw))
    assert "unaccounted" in str(info.value)
    stats = json.loads((tmp_path / "run" / "stats.json").read_text())
    assert stats["reconciled"] is False
    assert stats["problems"]


def test_check_accounting_reports_each_kind_of_mismatch():
    a = StageTotals(name="read", docs_in=10, docs_out=9, rejected={"malformed_json": 1})
    b = StageTotals(name="f", docs_in=8, docs_out=5, rejected={"x": 2})
    problems = check_accounting([a, b], shard_rows=4, reject_rows={"read": 1, "f": 1})
    text = "\n".join(problems)
    assert "'f': docs_in 8 != docs_out 5 + rejected 2" in text
    assert "received 8 docs but 'read' passed on 9" in text
    assert "shards hold 4" in text
    assert "rejects of 'f': 1 rows written, 2 counted" in text
    assert check_accounting([a], shard_rows=9, reject_rows={"read": 1}) == []


def test_missing_column_is_a_plan_error(tmp_path):
    raw = config(tmp_path, stages=[{"stage": "length_filter", "text_column": "body"}])
    with pytest.raises(PlanError) as info:
        build_plan(validate_config(raw))
    assert info.value.key == "stages.0"
    assert "body" in str(info.value)


def test_confidential_source_without_redaction_is_refused(tmp_path):
    raw = config(tmp_path)
    raw["sources"][0]["sensitivity"] = "confidential"
    with pytest.raises(PlanError, match="confidential"):
        build_plan(validate_config(raw))


def test_rejected_confidential_rows_are_written_without_text(tmp_path, bare_job):
    from refinery.config import _stage_spec
    from refinery.runtime.chunks import ChunkState, apply_chunk
    from refinery.runtime.workdir import ChunkRef

    spec = _stage_spec({"stage": "length_filter", "min_words": 3}, 0)
    job = bare_job
    chunk = pa.table(
        {
            "id": ["a", "b", "c"],
            "text": ["secret 6222020200112233445", "public text", "kept secret words here"],
            "source": ["s", "s", "s"],
            "sensitivity": ["confidential", "public", "confidential"],
            "meta": ["{}", "{}", "{}"],
        }
    )
    state = apply_chunk(job, spec, spec.build(), ChunkState(ChunkRef(0, 0), True, chunk))
    assert state.table["id"].to_pylist() == ["c"]
    rejects = pq.read_table(tmp_path / "rejects" / "length_filter")
    assert rejects["text"].to_pylist() == [None, "public text"]
    assert pc.sum(pc.is_valid(rejects["id"])).as_py() == 2
    assert [f["path"] for f in state.files] == [
        "rejects/length_filter/part-00000-00000-00000.parquet"
    ]


def test_output_to_an_fsspec_url(tmp_path):
    import fsspec

    raw = config(tmp_path)
    raw["run"]["output"] = "memory://runs/t"
    result = run_pipeline(validate_config(raw))
    fs = fsspec.filesystem("memory")
    manifest = json.loads(fs.cat("/runs/t/manifest.json"))
    assert any(
        f["path"] == "shards/part-00000-00000-00000.parquet" and f["rows"] == 3
        for f in manifest["files"]
    )
    assert result.stats["reconciled"]


def test_a_stage_twice_with_other_thresholds_runs_both(tmp_path):
    stages = [
        {"stage": "length_filter", "min_chars": 10, "min_words": 3},
        {"stage": "length_filter", "name": "length_filter_strict", "min_words": 9},
    ]
    result = run_pipeline(validate_config(config(tmp_path, stages=stages)))
    by_name = {s["name"]: s for s in result.stats["stages"]}
    assert by_name["length_filter"]["rejected"] == {"empty_text": 1, "too_few_chars": 1}
    # "fine and long enough to keep" has 6 words: only the strict instance rejects it
    assert by_name["length_filter_strict"]["rejected"] == {"too_few_words": 1}
    shards = pq.read_table(tmp_path / "run" / "shards")
    assert shards.num_rows == 3
    # both counted the same text, each in its own column
    assert shards["length_filter_strict_words"].equals(shards["length_filter_words"])
    strict_rejects = pq.read_table(tmp_path / "run" / "rejects" / "length_filter_strict")
    assert strict_rejects["length_filter_strict_words"].to_pylist() == [6]

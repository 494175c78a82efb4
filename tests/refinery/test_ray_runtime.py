"""The Ray runtime's scheduling: actor pools for stages that run as actors, tasks otherwise."""

from __future__ import annotations

import json
import os
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from refinery import stage as stage_mod
from refinery.config import validate_config
from refinery.pipeline import run_pipeline
from refinery.stage import FilterStage, Stage, StageConfig, register_stage


class _PidConfig(StageConfig):
    sleep_s: float = 0.0  # time a call takes (test_plain_task)


@pytest.fixture
def model_stages():
    @register_stage("test_model_actor")
    class ModelActor(FilterStage[_PidConfig]):
        """Loads a 'model' once per actor; tags rows with the actor's pid and setup count."""

        config_cls = _PidConfig
        runs_as_actor = True

        def setup(self) -> None:
            self.loads = getattr(self, "loads", 0) + 1
            self.pid = os.getpid()

        def writes(self) -> list[str]:
            return ["test_model_actor_pid", "test_model_actor_loads"]

        def annotate(self, batch: pa.Table) -> pa.Table:
            n = batch.num_rows
            return batch.append_column(
                "test_model_actor_pid", pa.array([self.pid] * n, pa.int64())
            ).append_column("test_model_actor_loads", pa.array([self.loads] * n, pa.int64()))

        def reject_reasons(self, batch: pa.Table) -> pa.Array:
            ids = batch["id"].to_pylist()
            return pa.array(["odd_doc" if int(i[1:]) % 2 else None for i in ids], pa.string())

    @register_stage("test_plain_task")
    class PlainTask(Stage[_PidConfig]):
        """Tags rows with the worker pid (a plain task)."""

        config_cls = _PidConfig

        def writes(self) -> list[str]:
            return ["test_plain_task_pid"]

        def __call__(self, batch: pa.Table) -> pa.Table:
            time.sleep(self.config.sleep_s)
            return batch.append_column(
                "test_plain_task_pid", pa.array([os.getpid()] * batch.num_rows, pa.int64())
            )

    assert ModelActor.needs_actor() and not PlainTask.needs_actor()
    yield
    del stage_mod._REGISTRY["test_model_actor"]
    del stage_mod._REGISTRY["test_plain_task"]


@pytest.mark.ray
def test_setup_stage_runs_as_actor_pool_once_per_actor(tmp_path, ray_local, model_stages):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"doc {i}"}) + "\n" for i in range(400))
    )
    raw = {
        "run": {"output": str(tmp_path / "run")},
        "sources": [{"name": "s", "path": str(src), "id_field": "id", "batch_rows": 25}],
        "stages": [
            {"stage": "test_plain_task"},
            {"stage": "test_model_actor", "resources": {"concurrency": 2, "batch_size": 20}},
        ],
    }
    result = run_pipeline(validate_config(raw))
    assert result.stats["reconciled"]
    shards = pq.read_table(tmp_path / "run" / "shards")
    rejects = pq.read_table(tmp_path / "run" / "rejects" / "test_model_actor")
    assert shards.num_rows == 200 and rejects.num_rows == 200
    assert set(rejects["reject_reason"].to_pylist()) == {"odd_doc"}
    actor_pids = set(shards["test_model_actor_pid"].to_pylist()) | set(
        rejects["test_model_actor_pid"].to_pylist()
    )
    assert 1 <= len(actor_pids) <= 2
    assert set(shards["test_model_actor_loads"].to_pylist()) == {1}, (
        "setup() must run once per actor"
    )
    assert os.getpid() not in actor_pids | set(shards["test_plain_task_pid"].to_pylist())
    stage = {s["name"]: s for s in result.stats["stages"]}["test_model_actor"]
    assert stage["docs_in"] == 400 and stage["rejected"] == {"odd_doc": 200}


@pytest.mark.ray
def test_the_chunks_of_one_file_are_processed_on_several_workers(tmp_path, ray_local, model_stages):
    src = tmp_path / "one.jsonl"  # one file, one read task, 12 chunks of 25 rows
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"doc {i}"}) + "\n" for i in range(300))
    )
    raw = {
        "run": {"output": str(tmp_path / "run")},
        "sources": [{"name": "s", "path": str(src), "id_field": "id", "batch_rows": 25}],
        "stages": [{"stage": "test_plain_task", "sleep_s": 0.2}],
    }
    result = run_pipeline(validate_config(raw))
    assert result.stats["docs_out"] == 300
    pids = set(pq.read_table(tmp_path / "run" / "shards")["test_plain_task_pid"].to_pylist())
    assert len(pids) == 2, "the chunks of one file must not travel as one block to one task"


def one_document_run(tmp_path, text, stage):
    """A run config reading one JSONL document (id ``d1``) through one stage."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1", "text": text}) + "\n")
    return {
        "run": {"output": str(tmp_path / "run")},
        "sources": [{"name": "s", "path": str(src), "id_field": "id"}],
        "stages": [{"stage": stage}],
    }


@pytest.fixture
def failing_stage():
    @register_stage("test_boom")
    class Boom(Stage[_PidConfig]):
        """Fails on every batch, as a stage with a corrupt model would."""

        config_cls = _PidConfig

        def __call__(self, batch: pa.Table) -> pa.Table:
            raise ValueError("model file is corrupt")

    yield
    del stage_mod._REGISTRY["test_boom"]


@pytest.mark.ray
def test_a_failing_stage_on_ray_is_a_clean_stage_error(tmp_path, ray_local, failing_stage):
    from refinery.errors import StageError

    raw = one_document_run(tmp_path, "secret text of a customer", "test_boom")
    with pytest.raises(StageError) as info:
        run_pipeline(validate_config(raw))
    message = str(info.value)
    assert message.startswith("stage 'test_boom' failed on a batch of 1 rows (ids d1..d1)")
    assert "model file is corrupt" in message
    assert "secret text" not in message


@pytest.mark.ray
def test_a_run_leaves_the_data_context_and_loggers_as_it_found_them(tmp_path, ray_local):
    import logging

    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = False
    ctx.enable_progress_bars = True
    ctx.target_max_block_size = 3 * 1024 * 1024
    logging.getLogger("ray.data").setLevel(logging.DEBUG)

    def state():
        return (
            ctx.execution_options.preserve_order,
            ctx.enable_progress_bars,
            ctx.print_on_execution_start,
            ctx.target_max_block_size,
            logging.getLogger("ray.data").level,
            [list(h.filters) for h in logging.getLogger("ray.data").handlers],
        )

    before = state()
    raw = one_document_run(tmp_path, "one short document", "normalize")
    try:
        result = run_pipeline(validate_config(raw))
        assert result.stats["docs_out"] == 1
        assert state() == before  # the run set its own values and put these back
    finally:
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.NOTSET)


def test_the_private_ray_data_patch_is_opt_in_and_version_checked(ray_local, monkeypatch):
    rate_based = pytest.importorskip(
        "ray.data._internal.cluster_autoscaler.rate_based_cluster_autoscaler"
    )
    import ray

    from refinery.runtime import ray_patch

    assert (
        validate_config({"sources": [{"name": "s", "path": "x.jsonl"}]}).ray.fast_embedded_start
        is False
    )

    def untouched(self):
        return "ray data's own"

    monkeypatch.setitem(ray_patch._LOCAL_TOTALS, "embedded", False)  # restored afterwards
    monkeypatch.setattr(rate_based.RateBasedClusterAutoscaler, "get_total_resources", untouched)
    monkeypatch.setattr(ray, "__version__", "9.1.0")
    ray_patch.give_ray_data_local_totals()
    assert rate_based.RateBasedClusterAutoscaler.get_total_resources is untouched
    monkeypatch.setattr(ray, "__version__", ray_patch.PATCH_TESTED_RAY[0] + "0")
    ray_patch.give_ray_data_local_totals()
    ray_patch.give_ray_data_local_totals()  # patching twice wraps once
    autoscaler = rate_based.RateBasedClusterAutoscaler
    assert autoscaler.get_total_resources is not untouched
    # opted in on embedded Ray: the node's totals at once; otherwise Ray Data's own answer
    monkeypatch.setitem(ray_patch._LOCAL_TOTALS, "embedded", True)
    assert autoscaler.get_total_resources(object()).cpu == ray_local.cluster_resources()["CPU"]
    monkeypatch.setitem(ray_patch._LOCAL_TOTALS, "embedded", False)
    assert autoscaler.get_total_resources(object()) == "ray data's own"


def _pid_and(item: int) -> tuple[int, int]:
    return item, os.getpid()


@pytest.mark.ray
def test_the_report_scans_the_shards_in_ray_tasks(tmp_path, ray_local, monkeypatch):
    from refinery.experiments import report

    passed = []
    original = report.try_write_report

    def spy(fs, run_dir, map_parts=None):
        passed.append(map_parts)
        return original(fs, run_dir, map_parts=map_parts)

    monkeypatch.setattr(report, "try_write_report", spy)
    raw = one_document_run(tmp_path, "one short document", "normalize")
    result = run_pipeline(validate_config(raw))
    assert result.stats["docs_out"] == 1 and (tmp_path / "run" / "report.html").exists()
    (map_parts,) = passed
    assert map_parts is not None and map_parts.__name__ == "map_calls"
    got = map_parts(_pid_and, [(i,) for i in range(4)])
    assert [item for item, _ in got] == [0, 1, 2, 3]  # in order
    assert os.getpid() not in {pid for _, pid in got}  # on the workers, not in the driver

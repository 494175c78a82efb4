"""The map_batches arguments of each operator, checked without Ray; operator names."""

from __future__ import annotations

import pytest

from refinery.runtime.ray_ops import op_args
from refinery.stage import GlobalStage, Resources, Stage, registered_stages


def test_a_plain_stage_runs_as_tasks_on_whole_chunks():
    args = op_args("normalize", Resources(num_cpus=2), False, 0.5, 8, 0)
    assert (args.actors, args.pool, args.num_cpus) == (False, None, 1.0)
    assert args.kwargs() == {"batch_format": "pyarrow", "batch_size": 1, "num_cpus": 1.0}


def test_task_concurrency_bounds_the_task_pool():
    assert op_args("s", Resources(concurrency=3), False, 1.0, 8, 0).pool == 3
    assert op_args("s", Resources(concurrency=(2, 5)), False, 1.0, 8, 0).pool == 5


def test_an_actor_stage_starts_at_one_actor_and_grows_to_what_the_cpus_hold():
    args = op_args("language_id", Resources(num_cpus=1), True, 1.0, 6, 0)
    assert (args.actors, args.pool) == (True, (1, 6))
    assert op_args("s", Resources(num_cpus=1), True, 0.5, 6, 0).pool == (1, 12)
    assert op_args("s", Resources(concurrency=4), True, 1.0, 6, 0).pool == (1, 4)
    assert op_args("s", Resources(concurrency=(2, 3)), True, 1.0, 6, 0).pool == (2, 3)


def test_a_gpu_stage_asks_for_its_gpus_and_one_actor_per_gpu_share():
    r = Resources(num_cpus=1, num_gpus=0.5, batch_size=64)
    args = op_args("model_score", r, True, 1.0, 16, 2)
    assert args.pool == (1, 4)
    assert args.kwargs()["num_gpus"] == 0.5
    assert args.kwargs()["batch_size"] == 1  # chunks; the stage's 64 rows apply inside one


@pytest.mark.parametrize(
    "name", [n for n, c in registered_stages().items() if not issubclass(c, GlobalStage)]
)
def test_stages_with_setup_declare_whether_they_run_as_actors(name):
    cls = registered_stages()[name]
    if cls.setup is Stage.setup:
        return
    declared = [k for k in cls.__mro__ if "runs_as_actor" in vars(k) and k is not Stage]
    assert declared, f"{cls.__name__} overrides setup() but does not declare runs_as_actor"


def test_operators_are_named_after_their_stage():
    from refinery.runtime.ray_executor import _stage_op, _StageActor, operator_udf

    task = operator_udf(_stage_op, op_args("gopher_quality", Resources(), False, 1.0, 2, 0))
    actor = operator_udf(_stage_op, op_args("language_id", Resources(), True, 1.0, 2, 0))
    assert task.__name__ == "gopher_quality"
    assert actor.__name__ == "language_id" and issubclass(actor, _StageActor)

"""Every registered stage keeps the stage contract of refinery/stage.py."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from refinery.runtime.context import GlobalContext
from refinery.stage import REJECT_REASON, GlobalStage, registered_stages

STAGES = registered_stages()


def _build(cls):
    stage = cls(cls.config_cls.model_validate(cls.example_config()))
    stage.setup()
    return stage


def _call(stage, table, tmp_path):
    if isinstance(stage, GlobalStage):
        ctx = GlobalContext(output_dir=str(tmp_path / "run"))
        return stage.run_local(table, ctx)
    return stage(table)


def test_the_engine_stages_are_registered():
    assert {"normalize", "length_filter"} <= set(STAGES)


@pytest.mark.parametrize("name", sorted(STAGES))
def test_stage_documents_itself(name):
    cls = STAGES[name]
    assert cls.__doc__ and cls.__doc__.strip(), f"{cls.__name__} needs a docstring"
    assert cls.name == name
    assert cls.config_cls.model_config.get("extra") == "forbid"


@pytest.mark.parametrize("name", sorted(STAGES))
def test_empty_batch_in_empty_batch_out(name, tiny_docs, tmp_path):
    stage = _build(STAGES[name])
    empty = tiny_docs.slice(0, 0)
    out = _call(stage, empty, tmp_path)
    assert out.num_rows == 0
    for col in [*empty.column_names, *stage.writes()]:
        assert col in out.column_names, (
            f"{name}: column {col!r} missing from an empty batch's output"
        )


@pytest.mark.parametrize("name", sorted(STAGES))
def test_keeps_rows_and_unknown_columns_and_writes_what_it_declares(name, tiny_docs, tmp_path):
    stage = _build(STAGES[name])
    table = tiny_docs.append_column("extra_col", pa.array(range(tiny_docs.num_rows), pa.int64()))
    out = _call(stage, table, tmp_path)
    assert out.num_rows == table.num_rows, f"{name} must return every row (reject in-band)"
    assert sorted(out["id"].to_pylist()) == sorted(table["id"].to_pylist())
    pairs = dict(zip(out["id"].to_pylist(), out["extra_col"].to_pylist(), strict=True))
    assert pairs == dict(zip(table["id"].to_pylist(), table["extra_col"].to_pylist(), strict=True))
    added = set(out.column_names) - set(table.column_names) - {REJECT_REASON}
    assert added == set(stage.writes()) - set(table.column_names), (
        f"{name} writes undeclared columns"
    )
    if REJECT_REASON in out.column_names:
        reasons = pc.drop_null(out[REJECT_REASON]).to_pylist()
        assert all(r and r.replace("_", "").isalnum() and r == r.lower() for r in reasons), reasons

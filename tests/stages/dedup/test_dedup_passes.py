"""Unit tests of the MinHash passes, without Ray."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from stages.dedup.components import components_local, star_components
from stages.dedup.hashing import hash_bytes64, hash_strings64
from stages.dedup.lsh import band_edges, band_hashes, bucket_edges, optimal_params
from stages.dedup.normalize import Normalization
from stages.dedup.shingles import (
    encode_shingle,
    shingle_hash32,
    shingle_hashes,
    shingle_tokens,
)
from stages.dedup.signatures import EMPTY_HASH, signatures

TEXTS = [
    "The quick brown fox jumps over the lazy dog, again and again.",
    "THE QUICK brown fox — jumps over the lazy dog again & again!!",
    "短",
    "数据是产品，模型帮助数据。我们把原始文本变成干净的训练数据。",
    "数据是产品,模型帮助数据。我们把原始文本变成干净的训练数据!",
    "",
    "one two",
    "Ｆｕｌｌ－ｗｉｄｔｈ text is folded by NFKC into plain ASCII words here",
    "mixed 中文 and English words in one document with more English words than 中文",
]


def test_batch_hashes_equal_scalar_reference():
    sh = shingle_hashes(pa.array(TEXTS))
    for i, text in enumerate(TEXTS):
        ref = [shingle_hash32(encode_shingle(t)) for t in shingle_tokens(text)]
        assert sh.hashes[sh.offsets[i] : sh.offsets[i + 1]].tolist() == ref, text


def test_hash_strings_matches_scalar():
    values = ["", "a", "hello world", "数据"]
    got = hash_strings64(pa.array(values))
    assert got.tolist() == [hash_bytes64(v.encode()) for v in values]


def test_signatures_equal_datasketch_minhash():
    datasketch = pytest.importorskip("datasketch")
    for num_perm, seed in ((128, 1), (64, 7)):
        sigs = signatures(shingle_hashes(pa.array(TEXTS)), num_perm, seed)
        for i, text in enumerate(TEXTS):
            m = datasketch.MinHash(num_perm=num_perm, seed=seed, hashfunc=shingle_hash32)
            for tokens in shingle_tokens(text):
                m.update(encode_shingle(tokens))
            assert np.array_equal(m.hashvalues, sigs[i]), text


def test_empty_document_has_empty_signature():
    sigs = signatures(shingle_hashes(pa.array([""])), 16, 1)
    assert (sigs == EMPTY_HASH).all()


def test_cjk_documents_use_character_shingles():
    tokens = shingle_tokens("数据 是产品，模型")
    assert tokens[0] == ("数", "据", "是", "产", "品")
    assert tokens[-1] == ("是", "产", "品", "模", "型")  # punctuation and spaces dropped
    assert len(tokens) == 3
    kept = shingle_tokens("数据 是产品，模型", norm=Normalization(strip_punctuation=False))
    assert kept[-1] == ("产", "品", ",", "模", "型") and len(kept) == 4
    assert shingle_hashes(
        pa.array(["数据是产品，模型帮助数据", "plain english"])
    ).char_mode.tolist() == [
        True,
        False,
    ]


def test_word_shingles_ignore_case_punctuation_and_width():
    a = shingle_tokens("Hello, World! This is  a test.")
    b = shingle_tokens("hello world this is a TEST")
    assert a == b == [("hello", "world", "this", "is", "a"), ("world", "this", "is", "a", "test")]
    assert shingle_tokens("ｆｏｏ bar") == [("foo", "bar")]


def test_short_document_is_one_shingle():
    assert shingle_tokens("one two") == [("one", "two")]


def test_mode_can_be_forced():
    assert shingle_tokens("abc de", ngram=3, mode="char") == [
        ("a", "b", "c"),
        ("b", "c", "d"),
        ("c", "d", "e"),
    ]
    assert shingle_tokens("数据 产品", mode="word") == [("数据", "产品")]


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("num_perm", [8, 64, 100, 128, 256])
@pytest.mark.parametrize("weights", [(0.5, 0.5), (0.05, 0.95), (0.9, 0.1)])
def test_band_params_equal_datasketch(threshold, num_perm, weights):
    """Exact quadrature of the S-curve chooses datasketch's pair (adaptive ``quad`` per pair)."""
    lsh = pytest.importorskip("datasketch.lsh")
    assert optimal_params(threshold, num_perm, *weights) == lsh._optimal_param(
        threshold, num_perm, *weights
    )


def test_band_hashes_chain_each_bands_rows():
    """Band j of a signature is fmix64-chained over its rows from the seed j + 1."""
    from stages.dedup.hashing import fmix64

    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 1 << 32, (7, 24), dtype=np.uint64).astype(np.uint32)
    got = band_hashes(sigs, 5, 4)
    mult = np.uint64(0x9E3779B97F4A7C15)
    for j in range(5):
        acc = np.full(7, np.uint64(j + 1))
        for c in range(4):
            acc = fmix64((acc ^ sigs[:, j * 4 + c].astype(np.uint64)) * mult)
        assert np.array_equal(got[:, j], acc)


def test_identical_bands_make_star_edges():
    sigs = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [1, 2, 3, 4], [7, 7, 7, 7]], dtype=np.uint32)
    bh = band_hashes(sigs, 2, 2)
    keys = np.array([30, 10, 20, 40], dtype=np.uint64)
    band = np.tile(np.arange(2), 4)
    edges = bucket_edges(band, bh.reshape(-1), np.repeat(keys, 2))
    assert edges.tolist() == [[10, 20], [10, 30], [20, 30]]


@pytest.mark.parametrize(("docs", "bands", "hashes"), [(200, 5, 40), (60, 3, 8), (300, 4, 1 << 40)])
def test_band_table_edges_equal_bucket_rows(docs, bands, hashes):
    """The driver's per-band bucketing finds the same stars as grouping the flat rows,
    whatever the share of repeated hashes, also when equal hashes sit in different bands."""
    rng = np.random.default_rng(docs)
    keys = rng.permutation(np.arange(1, 4 * docs, 4, dtype=np.uint64) * np.uint64(0x9E3779B1))
    table = rng.integers(0, hashes, (docs, bands), dtype=np.uint64)
    table[rng.integers(0, docs, 20)] = table[rng.integers(0, docs, 20)]  # whole-row copies
    flat = bucket_edges(np.tile(np.arange(bands), docs), table.reshape(-1), np.repeat(keys, bands))
    got = band_edges(keys, table)
    assert len(got) > 0
    assert np.array_equal(got, flat)
    assert band_edges(
        keys, np.arange(docs * bands, dtype=np.uint64).reshape(docs, bands)
    ).shape == (
        0,
        2,
    )


def test_star_components_equal_union_find():
    rng = np.random.default_rng(0)
    for _ in range(30):
        n = int(rng.integers(2, 50))
        edges = rng.integers(0, 3 * n, (int(rng.integers(1, 60)), 2)).astype(np.uint64)
        edges *= np.uint64(0x10000000001)
        nodes_a, roots_a = components_local(edges)
        nodes_b, roots_b = star_components(edges)
        assert np.array_equal(nodes_a, nodes_b)
        assert np.array_equal(roots_a, roots_b)


def test_components_do_not_depend_on_edge_order():
    edges = np.array([[5, 3], [3, 9], [12, 11], [9, 1]], dtype=np.uint64)
    ref = star_components(edges)
    for perm in ([3, 2, 1, 0], [1, 3, 0, 2]):
        got = star_components(edges[perm][:, ::-1])
        assert np.array_equal(ref[0], got[0]) and np.array_equal(ref[1], got[1])
    assert dict(zip(*(a.tolist() for a in ref), strict=True)) == {
        1: 1,
        3: 1,
        5: 1,
        9: 1,
        11: 11,
        12: 11,
    }


@pytest.mark.ray
def test_the_sort_shuffle_is_set_on_the_chain_not_the_process(ray_local):
    import ray.data
    from ray.data.context import ShuffleStrategy

    from stages.dedup.common import isolated

    current = ray.data.DataContext.get_current()
    before = current.shuffle_strategy
    ds = isolated(ray.data.from_items([{"k": i % 3} for i in range(30)]))
    assert ds.context.shuffle_strategy == ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    assert ds.groupby("k").count().count() == 3
    assert ray.data.DataContext.get_current() is current
    assert current.shuffle_strategy == before != ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    assert current.op_resource_reservation_enabled


def _slow_block(batch: pa.Table) -> pa.Table:
    """A block's worth of work: its start and end time, and which process ran it."""
    import os
    import time

    start = time.time()
    time.sleep(0.6)
    return pa.table({"start": [start], "end": [time.time()], "pid": [os.getpid()]})


@pytest.mark.ray
def test_an_isolated_chain_runs_its_first_operator_on_every_cpu(ray_local, tmp_path):
    """Two files, read then mapped, on 2 CPUs: both reads run at once. With Ray Data's
    per-operator reservation the chain ran one read at a time (each operator kept a CPU)."""
    import ray.data

    from stages.dedup.common import isolated

    paths = []
    for i in range(2):
        paths.append(str(tmp_path / f"part-{i}.jsonl"))
        Path(paths[-1]).write_text("".join(f'{{"x": {j}}}\n' for j in range(10)))
    ds = isolated(ray.data.read_json(paths, override_num_blocks=2))
    ds = ds.map_batches(_slow_block, batch_format="pyarrow", batch_size=None)
    ds = ds.map_batches(lambda b: b, batch_format="pyarrow", batch_size=None, num_cpus=0.5)
    spans = ds.take_all()
    assert len(spans) == 2
    first, second = sorted(spans, key=lambda r: r["start"])
    assert second["start"] < first["end"], spans

"""Run profiles: exact counts, sample-based quantiles, bounded reads, safe language codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fsspec
import numpy as np
import pyarrow.parquet as pq
import pytest

from refinery.experiments import profile as profile_mod
from refinery.experiments.profile import LENGTH_EDGES, profile_run
from tests.refinery.experiments import runs

FS = fsspec.filesystem("file")


def _scores_run(tmp_path: Path) -> tuple[Path, np.ndarray, list[str]]:
    rng = np.random.default_rng(3)
    scores = rng.random(20)
    texts = ["x" * int(n) for n in rng.integers(0, 3000, 20)] + ["中文" * 30]
    score_col = [float(s) for s in scores] + [None]
    score_col[4] = float("nan")
    shards = [
        runs.shard(
            texts[:11],
            quality_score=score_col[:11],
            n_words=list(range(11)),
            lang=["en"] * 5 + ["zh"] * 5 + ["<b>zh</b>"],
            foo_id=list(range(11)),
            is_zh=[True] * 11,
        ),
        runs.shard(
            texts[11:],
            quality_score=score_col[11:],
            n_words=list(range(11, 21)),
            lang=["en"] * 9 + [None],
            foo_id=list(range(10)),
            is_zh=[False] * 10,
        ),
    ]
    run = runs.make_run(tmp_path / "run", shards, [runs.stage("read", 21, 21)])
    return run, np.array([s for i, s in enumerate(scores) if i != 4]), texts


def test_scores_lengths_and_languages_are_exact_on_a_small_run(tmp_path: Path) -> None:
    run, finite, texts = _scores_run(tmp_path)
    p = profile_run(FS, str(run))
    assert p.docs_kept == p.docs_scanned == 21 and not p.notes
    assert set(p.scores) == {"quality_score", "n_words"}  # no ids, no booleans, no text
    q = p.scores["quality_score"]
    assert (q.count, q.missing) == (19, 2)  # a NaN and a null are missing, not zero
    assert q.quantiles((0.1, 0.5, 0.9)) == pytest.approx(list(np.quantile(finite, [0.1, 0.5, 0.9])))
    assert q.mean == pytest.approx(finite.mean())
    edges, counts = q.histogram()
    assert sum(counts) == pytest.approx(19) and edges[0] == pytest.approx(finite.min())
    words = p.scores["n_words"]
    assert (words.minimum, words.maximum, words.count) == (0, 20, 21)
    _, int_counts = words.histogram()
    assert int_counts == [1.0] * 21  # a small integer range: one bin per value
    lengths = [len(t) for t in texts]
    expected = np.bincount(
        np.searchsorted(LENGTH_EDGES, lengths, side="right") - 1, minlength=len(LENGTH_EDGES)
    )
    assert p.length_counts == list(expected)
    assert p.languages == {
        "en": [14, sum(lengths[:5]) + sum(lengths[11:20])],
        "zh": [5, sum(lengths[5:10])],
        "other": [1, lengths[10]],
        "(none)": [1, lengths[20]],
    }


def test_only_the_needed_columns_are_read_one_row_group_at_a_time(tmp_path, monkeypatch):
    run, _, _ = _scores_run(tmp_path)
    reads: list[tuple[int, tuple[str, ...]]] = []
    original = pq.ParquetFile.read_row_group

    def spy(self: pq.ParquetFile, i: int, columns: list[str] | None = None, **kw: Any) -> Any:
        reads.append((i, tuple(columns or ())))
        return original(self, i, columns=columns, **kw)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", spy)
    profile_run(FS, str(run), read_text=False)
    assert len(reads) == 4 + 4  # two shards of 11 and 10 rows in row groups of 3
    assert all(set(cols) == {"quality_score", "n_words", "lang"} for _, cols in reads)
    reads.clear()
    profile_run(FS, str(run))
    assert all("text" in cols and "id" not in cols and "meta" not in cols for _, cols in reads)


def test_large_runs_are_sampled_by_whole_row_groups_and_say_so(tmp_path, monkeypatch):
    run, _, _ = _scores_run(tmp_path)
    p = profile_run(FS, str(run), max_rows=6)
    assert p.docs_kept == 21 and p.docs_scanned in (6, 7, 8, 9)
    assert p.scores["n_words"].count == p.docs_scanned
    assert any("of 21 kept documents" in n for n in p.notes)
    monkeypatch.setattr(profile_mod, "SAMPLE_SIZE", 5)
    q = profile_run(FS, str(run)).scores["n_words"]
    assert q.count == 21 and len(q.values()) == 5  # exact count, strided sample of 5
    assert list(q.values()) == [0, 5, 10, 15, 20]


def test_dedup_cluster_sizes_come_from_the_kept_ids_of_the_rejects(tmp_path: Path) -> None:
    kept = ["a", "a", "a", "b", None]
    rejects = {"fuzzy": runs.shard(["t"] * 5, minhash_dedup_kept_id=kept)}
    config = {"stages": [{"stage": "minhash_dedup", "name": "fuzzy"}]}
    stages = [runs.stage("read", 9, 9), runs.stage("fuzzy", 9, 4, {"near_duplicate": 5})]
    run = runs.make_run(tmp_path / "run", [runs.shard(["k"] * 4)], stages, rejects, config)
    p = profile_run(FS, str(run))
    cs = p.dedup["fuzzy"]
    assert cs.column == "minhash_dedup_kept_id"  # the instance's stage, from config.yaml
    assert (cs.sizes, cs.removed, cs.clusters) == ({2: 1, 4: 1}, 4, 2)


@pytest.mark.parametrize("storage", ["local", "remote"])
def test_cluster_sizes_count_every_rejects_file_on_any_storage(
    tmp_path: Path, storage: str
) -> None:
    # three files: "a" has copies in two of them, "c" in one; nulls (no kept twin) do not count
    files = [["a", "b", None], ["a", "a", "c"], ["c", "d", "a"]]
    rejects = {"fuzzy": runs.shard(["t"] * 3, minhash_dedup_kept_id=files[0])}
    config = {"stages": [{"stage": "minhash_dedup", "name": "fuzzy"}]}
    stages = [runs.stage("read", 20, 12), runs.stage("fuzzy", 20, 12, {"near_duplicate": 8})]
    run = runs.make_run(tmp_path / "run", [runs.shard(["k"] * 12)], stages, rejects, config)
    for i, kept in enumerate(files[1:], start=1):
        table = runs.shard(["t"] * 3, minhash_dedup_kept_id=kept)
        pq.write_table(table, run / "rejects" / "fuzzy" / f"part-{i:05d}.parquet")
    fs: Any = FS
    root = str(run)
    if storage == "remote":  # an fsspec store that is not a local path: read through fs.open
        fs = fsspec.filesystem("memory")
        for path in run.rglob("*"):
            if path.is_file():
                fs.pipe(f"/run/{path.relative_to(run)}", path.read_bytes())
        root = "/run"
    cs = profile_run(fs, root).dedup["fuzzy"]
    # a: 4 copies (cluster of 5), c: 2 (cluster of 3), b and d: 1 each (clusters of 2)
    assert (cs.sizes, cs.removed, cs.clusters) == ({2: 2, 3: 1, 5: 1}, 8, 4)


def test_pii_counts_are_the_counters_of_redacting_stages(tmp_path: Path) -> None:
    stages = [
        runs.stage("read", 3, 3),
        runs.stage("scrub", 3, 3, counters={"PHONE": 2, "EMAIL": 1}),
        runs.stage("lines", 3, 3, counters={"lines_removed": 7}),
    ]
    config = {
        "stages": [
            {"stage": "pii_redact", "name": "scrub"},
            {"stage": "line_dedup", "name": "lines"},
        ]
    }
    run = runs.make_run(tmp_path / "run", [runs.shard(["a", "b", "c"])], stages, config=config)
    p = profile_run(FS, str(run))
    assert p.pii_counts() == {"scrub": {"PHONE": 2, "EMAIL": 1}}
    assert p.other_counters() == {"lines": {"lines_removed": 7}}


def test_a_run_without_shards_profiles_to_empty_figures(tmp_path: Path) -> None:
    run = runs.make_run(tmp_path / "run", [], [runs.stage("read", 0, 0)])
    p = profile_run(FS, str(run))
    assert (p.docs_kept, p.scores, p.languages, p.lengths) == (0, {}, {}, None)
    assert json.loads((run / "stats.json").read_text())["docs_out"] == 0


def test_cluster_sizes_without_written_rejects_are_a_note(tmp_path: Path) -> None:
    stages = [runs.stage("read", 5, 5), runs.stage("minhash_dedup", 5, 4, {"near_duplicate": 1})]
    run = runs.make_run(tmp_path / "run", [runs.shard(["k"] * 4)], stages)
    p = profile_run(FS, str(run))
    assert p.dedup == {}
    assert p.notes == ["rejects were not written: dedup cluster sizes are not available"]


def test_parts_scanned_apart_merge_into_the_figures_of_one_scan(tmp_path, monkeypatch):
    # row groups of 3 rows, parts of ~4 rows, a sample of 7: NaN and null rows fall on
    # and between the sampled rows
    run, _, _ = _scores_run(tmp_path)
    monkeypatch.setattr(profile_mod, "SAMPLE_SIZE", 7)
    whole = profile_run(FS, str(run))
    calls: list[int] = []

    def spy(fn: Any, items: list[tuple[Any, ...]]) -> list[Any]:
        calls.append(len(items))
        return [fn(*item) for item in items]

    monkeypatch.setattr(profile_mod, "PART_ROWS", 4)
    parts = profile_run(FS, str(run), map_parts=spy)
    assert calls == [4]  # row groups of 3, 3, 3, 2 and 3, 3, 3, 1 rows: pieces of 4 or more
    for a, b in [
        (whole.lengths, parts.lengths),
        *zip(whole.scores.values(), parts.scores.values(), strict=True),
    ]:
        assert a is not None and b is not None
        assert (a.count, a.missing, a.minimum, a.maximum) == (
            b.count,
            b.missing,
            b.minimum,
            b.maximum,
        )
        assert a.total == pytest.approx(b.total) and list(a.values()) == list(b.values())
    assert list(whole.scores["n_words"].values()) == [0, 3, 6, 9, 12, 15, 18]
    assert whole.length_counts == parts.length_counts and whole.languages == parts.languages

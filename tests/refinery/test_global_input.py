"""A global stage's input on Ray: checkpoints grouped into blocks of about the stage's
``input_block_rows``, each group read by one task, and the stage's first pass run in that
task, on every CPU (not one task for every checkpoint)."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from refinery.runtime.segments import Checkpoint, group_checkpoints


def _cps(*rows: int | None) -> list[Checkpoint]:
    return [Checkpoint(f"c{i}", n) for i, n in enumerate(rows)]


def _sizes(groups: list[list[Checkpoint]]) -> list[int]:
    return [len(g) for g in groups]


def test_groups_reach_the_target_rows_in_order():
    cps = _cps(*[2048] * 10)
    groups = group_checkpoints(cps, 8192, 2)
    assert _sizes(groups) == [4, 4, 2]
    assert [c for g in groups for c in g] == cps  # every checkpoint once, in order


def test_never_fewer_groups_than_cpus_while_there_are_checkpoints():
    # 6 x 2,048 rows on 4 CPUs: groups of 8,192 (two) or of two checkpoints (three) would
    # leave CPUs idle
    assert _sizes(group_checkpoints(_cps(*[2048] * 6), 8192, 4)) == [1] * 6
    assert _sizes(group_checkpoints(_cps(*[2048] * 16), 8192, 4)) == [4] * 4
    assert _sizes(group_checkpoints(_cps(*[1000] * 16), 8192, 2)) == [8, 8]
    # no more checkpoints than CPUs: one each
    assert _sizes(group_checkpoints(_cps(100, 100, 100), 8192, 4)) == [1, 1, 1]


def test_one_checkpoint_per_group_without_a_target_or_a_count():
    assert _sizes(group_checkpoints(_cps(10, 10, 10, 10), None, 1)) == [1, 1, 1, 1]
    # a marker of a version that did not record the rows
    assert _sizes(group_checkpoints(_cps(10, None, 10, 10), 100, 1)) == [1, 1, 1, 1]


def test_a_large_checkpoint_is_a_group_of_its_own():
    assert _sizes(group_checkpoints(_cps(100, 9000, 100, 100), 1000, 1)) == [1, 1, 2]


def _docs(start: int, n: int) -> pa.Table:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    texts = [
        " ".join(words[(i + k) % len(words)] for k in range(12)) + f" 第{i}号文件内容" * 3
        for i in range(start, start + n)
    ]
    return pa.table(
        {
            "id": [f"d{i:05d}" for i in range(start, start + n)],
            "text": texts,
            "source": ["test"] * n,
        }
    )


def _tasks(stats: str, fn: str) -> int:
    found = re.findall(rf"MapBatches\({fn}\)[^:\n]*: (\d+) tasks executed", stats)
    assert found, stats
    return int(found[0])


@pytest.mark.ray
@pytest.mark.parametrize(
    ("stage_name", "first_pass"),
    [
        ("minhash_dedup", "sketch_rows"),
        ("exact_dedup", "_add_key_and_hash"),
        ("line_dedup", "_add_key"),
    ],
)
def test_the_first_pass_runs_in_each_read_task(
    ray_local, tmp_path, bare_job, stage_name, first_pass
):
    """Six checkpoints in three groups: three tasks read, and the same three run the dedup
    stage's first pass. (With a ``batch_size`` on that pass, Ray bundled the read's input rows
    up to it: one task read and keyed every checkpoint, on one CPU.)"""
    from refinery.runtime.context import GlobalContext
    from refinery.runtime.ray_executor import checkpoint_input
    from refinery.stage import get_stage

    cps = []
    for i in range(6):
        path = tmp_path / "checkpoints" / f"c{i}.parquet"
        path.parent.mkdir(exist_ok=True)
        pq.write_table(_docs(i * 40, 40), path)
        cps.append(Checkpoint(str(path), 40))
    stage = get_stage(stage_name)()
    assert stage.input_block_rows() == 8192
    groups = group_checkpoints(cps, 80, 2)
    assert _sizes(groups) == [2, 2, 2]
    ds = checkpoint_input(bare_job, groups, stage_name)
    out = stage.run_ray(ds, GlobalContext(output_dir=str(tmp_path / "run"), num_cpus=2))
    done = out.materialize()
    assert done.count() == 240
    stats = done.stats()
    assert _tasks(stats, first_pass) == 3
    assert re.search(rf"MapBatches\({stage_name}_input\)->[^\n]*MapBatches\({first_pass}\)", stats)


@pytest.mark.ray
@pytest.mark.parametrize(
    ("chunks", "cpus", "blocks"),
    [(57, 2, 8), (3, 2, 3), (200, 2, 13), (200, 16, 64), (100_000, 64, 1024)],
)
def test_chunks_after_a_global_stage_go_several_to_a_task(ray_local, chunks, cpus, blocks):
    """At least four tasks per CPU, at most 16 chunks each (then at most 1,024 blocks);
    every chunk once, in order."""
    from refinery.runtime.ray_executor import _chunk_items
    from refinery.runtime.workdir import ChunkRef

    refs = [(ChunkRef(i // 10, i % 10), i % 10 == 9) for i in range(chunks)]
    ds = _chunk_items(refs, cpus)
    assert ds.num_blocks() == blocks
    if chunks <= 200:
        rows = ds.take_all()
        assert [(r["task"], r["chunk"], r["last"]) for r in rows] == [
            (r.task, r.chunk, last) for r, last in refs
        ]

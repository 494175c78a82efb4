"""Output writers: rolling Parquet files and the digests the manifest takes from them."""

from __future__ import annotations

import pyarrow as pa


def test_digests_taken_while_writing_match_the_files(tmp_path):
    import hashlib

    import fsspec
    import pyarrow.parquet as pq

    from refinery.io.manifest import build_manifest
    from refinery.io.writers import FileDigest, RollingParquetWriter

    fs = fsspec.filesystem("file")
    out = RollingParquetWriter(fs, str(tmp_path / "shards"), 2000, "zstd", 50)
    for i in range(6):
        texts = [hashlib.sha256(f"{i}-{j}".encode()).hexdigest() for j in range(40)]
        out.write(pa.table({"id": [f"d{i}-{j}" for j in range(40)], "text": texts}))
    out.close()
    assert len(out.files) > 1 and set(out.written) == set(out.files)
    for path, digest in out.written.items():
        data = open(path, "rb").read()
        assert digest == FileDigest(
            rows=pq.ParquetFile(path).metadata.num_rows,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
    # the manifest takes the recorded digest (here a made-up one of the right size) instead
    # of reading the file again, and reads a file whose size does not match
    first, second = out.files[:2]
    recorded = {
        first: FileDigest(rows=1, size=out.written[first].size, sha256="recorded"),
        second: FileDigest(rows=1, size=out.written[second].size + 1, sha256="stale"),
    }
    files = {f["path"]: f for f in build_manifest(fs, str(tmp_path), recorded)["files"]}
    assert files["shards/part-00000.parquet"]["sha256"] == "recorded"
    assert files["shards/part-00001.parquet"]["sha256"] == out.written[second].sha256


def _rows(n: int, seed: int = 0) -> pa.Table:
    """Documents of varied length (40 to ~2,000 bytes) that compress about as text does."""
    import random

    rng = random.Random(seed)
    words = [f"w{i}" for i in range(3000)] + ["银行", "存款", "利率", "贷款"]
    texts = [" ".join(rng.choices(words, k=rng.randint(10, 400))) for _ in range(n)]
    return pa.table(
        {
            "id": [f"d{i}" for i in range(n)],
            "text": texts,
            "n": pa.array(range(n), pa.int64()),
        }
    )


def _write(tmp_path, name: str, table: pa.Table, cuts: list[int], target: int, rg: int):
    import fsspec

    from refinery.io.writers import RollingParquetWriter

    out = RollingParquetWriter(fsspec.filesystem("file"), str(tmp_path / name), target, "zstd", rg)
    start = 0
    for cut in [*cuts, table.num_rows]:
        out.write(table.slice(start, cut - start))
        start = cut
    out.close()
    return out


def test_shards_land_near_their_target_size(tmp_path):
    import os

    table = _rows(6000)
    target = 150_000
    out = _write(tmp_path, "s", table, [], target, 50_000)
    sizes = [os.path.getsize(p) for p in out.files]
    assert len(sizes) >= 5
    assert all(0.9 * target <= s <= 1.1 * target for s in sizes[:-1]), sizes
    assert sizes[-1] <= 1.1 * target
    assert sum(d.rows for d in out.written.values()) == 6000


def test_same_rows_in_other_batches_give_the_same_files(tmp_path):
    import random

    table = _rows(5000, seed=1)
    rng = random.Random(7)
    cuts = sorted(rng.sample(range(1, 5000), 60))
    digests = []
    for name, batching in (("one", []), ("even", list(range(64, 5000, 64))), ("odd", cuts)):
        out = _write(tmp_path, name, table, batching, 120_000, 700)
        digests.append([(d.rows, d.size, d.sha256) for d in out.written.values()])
    assert len(digests[0]) > 3
    assert digests[0] == digests[1] == digests[2]


def test_no_file_under_a_final_name_while_it_is_written(tmp_path):
    import fsspec

    from refinery.io.writers import RollingParquetWriter

    out = RollingParquetWriter(fsspec.filesystem("file"), str(tmp_path / "s"), 10**9, "zstd", 100)
    out.write(_rows(250))
    assert [p.name for p in (tmp_path / "s").iterdir()] == [".part-00000.parquet.tmp"]
    out.close()
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["part-00000.parquet"]

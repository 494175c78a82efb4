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

"""The run directory as a place to write: location checks, earlier runs, failed writes."""

from __future__ import annotations

import errno
import json
import os
import posixpath
import re
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from refinery.cli import main
from refinery.config import validate_config
from refinery.errors import OutputError
from refinery.io.writers import RollingParquetWriter
from refinery.pipeline import build_plan, run_pipeline
from refinery.rundir import is_run_file

ROOT = Path(__file__).resolve().parents[2]


def _raw(tmp_path: Path, output: Path | str) -> dict:
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": f"d{i}", "text": f"document {i} with enough words to keep it"}) + "\n"
            if i % 5
            else json.dumps({"id": f"d{i}", "text": "too short"}) + "\n"
            for i in range(20)
        ),
        encoding="utf-8",
    )
    return {
        "run": {"name": "t", "output": str(output)},
        "runtime": "local",
        "sources": [{"name": "s", "path": str(src), "id_field": "id"}],
        "stages": [{"stage": "length_filter", "min_words": 7}],
    }


# ----------------------------------------------------------------- where a run may write


def test_an_output_path_that_is_a_file_fails_validation(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "out"
    target.write_text("not a directory")
    with pytest.raises(OutputError, match="is a file"):
        build_plan(validate_config(_raw(tmp_path, target)))
    result = runner.invoke(main, ["validate", "configs/tiny.yaml", "--set", f"run.output={target}"])
    assert result.exit_code == 1
    assert "error:" in result.output and "is a file" in result.output
    assert target.read_text() == "not a directory"


def test_an_output_below_a_file_fails_with_an_error_line(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    (tmp_path / "blocker").write_text("x")
    out = tmp_path / "blocker" / "run"
    result = runner.invoke(main, ["run", "configs/tiny.yaml", "-o", str(out), "--runtime", "local"])
    assert result.exit_code == 1
    assert "error:" in result.output and "blocker is a file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_fails_validation(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="not writable"):
            build_plan(validate_config(_raw(tmp_path, folder / "run")))
    finally:
        folder.chmod(0o755)


def test_a_folder_without_write_permission_is_named(tmp_path, monkeypatch):
    # root ignores permission bits, so the check is shown through what os.access answers
    folder = tmp_path / "ro"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if str(p) == str(folder) else real(p, m))
    with pytest.raises(OutputError, match=f"{folder}, which would hold it, is not writable"):
        build_plan(validate_config(_raw(tmp_path, folder / "run")))


# ----------------------------------------------------------------- an earlier run


def test_a_second_run_is_refused_and_the_first_kept(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "run"
    args = ["run", "configs/tiny.yaml", "-o", str(out), "--runtime", "local", "-q"]
    assert runner.invoke(main, args).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = runner.invoke(main, args)
    assert again.exit_code == 1
    assert "holds an earlier run" in again.output and "--overwrite" in again.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    checked = runner.invoke(main, ["validate", "configs/tiny.yaml", "--set", f"run.output={out}"])
    assert checked.exit_code == 0 and "`refinery run` needs --overwrite" in checked.output
    replaced = runner.invoke(main, [*args, "--overwrite"])
    assert replaced.exit_code == 0, replaced.output


def test_overwrite_deletes_only_what_a_run_wrote(tmp_path):
    out = tmp_path / "run"
    raw = _raw(tmp_path, out)
    run_pipeline(validate_config({**raw, "output": {"shard_size_mb": 0.0005, "row_group_rows": 2}}))
    shards_before = sorted(p.name for p in (out / "shards").iterdir())
    assert len(shards_before) > 2
    (out / "shards" / "my_notes.txt").write_text("mine")
    (out / "shards" / "part-1.parquet").write_text("mine too: not a name the refinery gives")
    (out / "README.md").write_text("about this run")
    (out / "rejects" / "length_filter" / "keep.csv").write_text("a,b")

    result = run_pipeline(validate_config(raw), existing="overwrite")
    assert sorted(p.name for p in (out / "shards").iterdir()) == [
        "my_notes.txt",
        "part-00000-00000-00000.parquet",
        "part-1.parquet",
    ]
    assert (out / "README.md").read_text() == "about this run"
    assert (out / "rejects" / "length_filter" / "keep.csv").read_text() == "a,b"
    assert result.kept_user_files == [
        "README.md",
        "rejects/length_filter/keep.csv",
        "shards/my_notes.txt",
        "shards/part-1.parquet",
    ]
    listed = {f["path"] for f in json.loads((out / "manifest.json").read_text())["files"]}
    assert not listed & set(result.kept_user_files)
    assert pq.ParquetFile(out / "shards" / "part-00000-00000-00000.parquet").metadata.num_rows == 16


def test_overwrite_also_removes_files_the_earlier_manifest_lists(tmp_path):
    out = tmp_path / "run"
    raw = _raw(tmp_path, out)
    run_pipeline(validate_config(raw))
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "shards" / "extra.bin").write_bytes(b"written by a run of an older version")
    manifest["files"].append({"path": "shards/extra.bin", "rows": None, "bytes": 35, "sha256": ""})
    (out / "manifest.json").write_text(json.dumps(manifest))
    run_pipeline(validate_config(raw), existing="overwrite")
    assert not (out / "shards" / "extra.bin").exists()


@pytest.mark.parametrize(
    ("rel", "ours"),
    [
        ("shards/part-00000.parquet", True),
        ("shards/.part-00012.parquet.tmp", True),
        ("rejects/read/part-00001.parquet", True),
        ("clusters/abc_000000_000000.parquet", True),
        ("stats.json", True),
        (".manifest.json.tmp", True),
        ("shards/part-1.parquet", False),
        ("shards/notes.txt", False),
        ("rejects/read/sub/part-00001.parquet", False),
        ("other/part-00000.parquet", False),
    ],
)
def test_names_the_refinery_writes(rel, ours):
    assert is_run_file(rel) is ours


# ----------------------------------------------------------------- a failing disk


class _DiskFull(MemoryFileSystem):
    """A memory file system whose disk fills after ``budget`` bytes of file data."""

    protocol = "diskfull"
    budget = 0

    def _open(self, path, mode="rb", **kwargs):
        f = super()._open(path, mode, **kwargs)
        if "w" not in mode:
            return f
        fs = type(self)

        class Limited:
            def __init__(self, inner):
                self.inner = inner

            def write(self, data):
                if fs.budget < len(data):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                fs.budget -= len(data)
                return self.inner.write(data)

            def __getattr__(self, name):
                return getattr(self.inner, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.inner.close()

        return Limited(f)


def _table(i: int, n: int = 200) -> pa.Table:
    import hashlib

    texts = [hashlib.sha256(f"{i}-{j}".encode()).hexdigest() * 4 for j in range(n)]
    return pa.table({"id": [f"d{i}-{j}" for j in range(n)], "text": texts})


def test_a_full_disk_leaves_no_partial_file_under_a_final_name():
    fs = _DiskFull()
    root = "/full-disk-writer"
    _DiskFull.budget = 150_000
    out = RollingParquetWriter(fs, f"{root}/shards", 60_000, "zstd", 100)
    with pytest.raises(OutputError, match="No space left on device") as info:
        for i in range(20):
            out.write(_table(i))
        out.close()
    failed = out.files[-1]
    assert failed in str(info.value)
    names = sorted(posixpath.basename(p) for p in fs.find(root))
    assert names == sorted(posixpath.basename(p) for p in out.written), names
    assert len(out.written) >= 1 and failed not in out.written
    for path, digest in out.written.items():  # the files that did complete are whole
        with fs.open(path, "rb") as f:
            assert pq.ParquetFile(f).metadata.num_rows == digest.rows


def test_a_full_disk_during_a_run_is_one_error_line(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    _DiskFull.budget = 3_000  # config.yaml fits, the first shard does not
    real = fsspec.core.url_to_fs

    def url_to_fs(url, **kwargs):
        if url.startswith("diskfull://"):
            return _DiskFull(), url[len("diskfull://") :]
        return real(url, **kwargs)

    monkeypatch.setattr(fsspec.core, "url_to_fs", url_to_fs)
    result = runner.invoke(
        main, ["run", "configs/tiny.yaml", "-o", "diskfull://tiny-run", "--runtime", "local", "-q"]
    )
    assert result.exit_code == 1, result.output
    failed = re.search(
        r"error: cannot write tiny-run/(\S+\.parquet): No space left",
        result.output.replace("\n", ""),
    )
    assert failed, result.output
    assert "Traceback" not in result.output
    left = [posixpath.basename(p) for p in _DiskFull().find("tiny-run")]
    assert posixpath.basename(failed.group(1)) not in left and not [
        n for n in left if n.endswith(".tmp")
    ]

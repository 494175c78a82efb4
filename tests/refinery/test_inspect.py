"""`refinery inspect` re-checks a run directory against its manifest and its counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from refinery.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("inspect") / "run"
    args = ["run", str(ROOT / "configs/tiny.yaml"), "-o", str(out), "--runtime", "local", "-q"]
    args += ["--set", "sources.0.path=" + str(ROOT / "tests/data/tiny.jsonl")]
    args += ["--set", "output.shard_size_mb=0.001", "--set", "output.row_group_rows=1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert len(list((out / "shards").glob("*.parquet"))) > 1
    return out


@pytest.fixture
def run_dir(finished_run, tmp_path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(finished_run, copy)
    return copy


def _inspect(runner, run_dir: Path, *extra: str):
    return runner.invoke(main, ["inspect", str(run_dir), *extra])


@pytest.mark.parametrize("quick", [False, True])
def test_an_untouched_run_checks_out(runner, run_dir, quick):
    result = _inspect(runner, run_dir, *(["--quick"] if quick else []))
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "counts reconcile" in result.output


def _delete_shard(run: Path) -> str:
    (run / "shards" / "part-00000-00000-00001.parquet").unlink()
    return "shards/part-00000-00000-00001.parquet: listed in the manifest but missing"


def _flip_bytes(run: Path) -> str:
    path = run / "shards" / "part-00000-00000-00000.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size: only the digest can tell
    path.write_bytes(bytes(data))
    return "shards/part-00000-00000-00000.parquet: content differs from the manifest (sha256)"


def _edit_docs_out(run: Path) -> str:
    stats = json.loads((run / "stats.json").read_text())
    stats["docs_out"] += 1
    (run / "stats.json").write_text(json.dumps(stats, indent=2))
    return "stats.json docs_out is"


def _extra_shard(run: Path) -> str:
    shutil.copy(
        run / "shards" / "part-00000-00000-00000.parquet", run / "shards" / "part-00099.parquet"
    )
    return "shards/part-00099.parquet: not in the manifest"


def _edit_stage_count(run: Path) -> str:
    # stats.json edited consistently with its manifest entry (size and sha256 rewritten):
    # only the counts can tell
    import hashlib

    stats = json.loads((run / "stats.json").read_text())
    stats["stages"][-1]["rejected"]["too_few_chars"] += 1
    text = json.dumps(stats, indent=2)
    (run / "stats.json").write_text(text)
    manifest = json.loads((run / "manifest.json").read_text())
    for f in manifest["files"]:
        if f["path"] == "stats.json":
            f["bytes"] = len(text.encode())
            f["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (run / "manifest.json").write_text(json.dumps(manifest))
    return "stage 'length_filter': docs_in"


@pytest.mark.parametrize(
    ("damage", "quick_sees_it"),
    [
        (_delete_shard, True),
        (_flip_bytes, False),
        (_edit_docs_out, True),
        (_extra_shard, True),
        (_edit_stage_count, True),
    ],
)
def test_a_damaged_run_directory_fails_naming_the_difference(
    runner, run_dir, damage, quick_sees_it
):
    expected = damage(run_dir)
    full = _inspect(runner, run_dir)
    assert full.exit_code == 1, full.output
    assert expected in full.output.replace("\n  ", " ")
    quick = _inspect(runner, run_dir, "--quick")
    assert (quick.exit_code == 1) is quick_sees_it, quick.output


def test_a_shard_whose_footer_disagrees_on_rows_is_named(runner, run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for f in manifest["files"]:
        if f["path"] == "shards/part-00000-00000-00000.parquet":
            f["rows"] += 5
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    result = _inspect(runner, run_dir)
    assert result.exit_code == 1
    assert "shards/part-00000-00000-00000.parquet: 1 rows, the manifest says 6" in result.output


def test_files_of_the_users_own_are_noted_not_failed(runner, run_dir):
    (run_dir / "NOTES.md").write_text("why we ran this")
    result = _inspect(runner, run_dir)
    assert result.exit_code == 0, result.output
    assert "note: NOTES.md: not written by the run" in result.output

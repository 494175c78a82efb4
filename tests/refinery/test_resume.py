"""Resume: a run killed at any point finishes to exactly the files an uninterrupted run writes.

The proof kills a real ``refinery run`` subprocess with SIGKILL at points drawn from a seed
(during the row stages, inside ``minhash_dedup``, after it), resumes with ``refinery resume``,
and compares the final manifest with an uninterrupted run's. A resume against a changed
config, changed inputs or another partitioning is refused, naming what changed.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
import zstandard

from refinery.config import validate_config
from refinery.pipeline import run_pipeline
from refinery.resume import ResumeRefused
from refinery.runtime import segments

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "web_en_zh_sample.jsonl.zst"
SEED = 20261202
BATCH_ROWS = 150


def _corpus(folder: Path, docs: int = 1800) -> list[Path]:
    """The first ``docs`` documents of the bundled sample in three JSONL files."""
    with open(SAMPLE, "rb") as f:
        lines = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(f)).readlines()
    lines = lines[:docs]
    paths = []
    for i in range(3):
        path = folder / f"part{i}.jsonl"
        path.write_bytes(b"".join(lines[i::3]))
        paths.append(path)
    return paths


def _raw(folder: Path, out: Path, runtime: str = "local") -> dict:
    return {
        "run": {"name": "resume", "output": str(out), "seed": 3},
        "runtime": runtime,
        # the reference runs locally, the Ray runs on 1 CPU (tests/refinery/test_cli.py
        # compares Ray on 2 CPUs with the local runtime): files alike whatever the workers
        "ray": {"num_cpus": 1},
        "sources": [
            {
                "name": "web",
                "path": str(folder / "part*.jsonl"),
                "id_field": "id",
                "meta_fields": ["lang"],
                "batch_rows": BATCH_ROWS,
            }
        ],
        "stages": [
            {"stage": "normalize"},
            {"stage": "length_filter", "min_chars": 50, "min_words": 10},
            {"stage": "minhash_dedup"},
            {"stage": "length_filter", "name": "length_after_dedup", "min_chars": 400},
        ],
        "output": {"shard_size_mb": 0.05},
    }


def _files(run: Path) -> dict[str, str]:
    """The manifest's files but those that name the attempt (config.yaml: runtime; stats.json:
    times), by sha256."""
    manifest = json.loads((run / "manifest.json").read_text())
    return {
        f["path"]: f["sha256"]
        for f in manifest["files"]
        if f["path"] not in ("config.yaml", "stats.json")
    }


def _counts(run: Path) -> list[dict]:
    stats = json.loads((run / "stats.json").read_text())
    keep = ("name", "docs_in", "docs_out", "rejected", "bytes_in", "bytes_out", "counters")
    return [{k: s[k] for k in keep} for s in stats["stages"]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    _corpus(folder)
    out = folder / "reference"
    result = run_pipeline(validate_config(_raw(folder, out)))
    assert result.stats["reconciled"]
    return folder, out


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "refinery.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _markers(run: Path, segment: int) -> int:
    folder = run / "_work" / "done" / f"s{segment}"
    return len(list(folder.glob("t*.json"))) if folder.is_dir() else 0


def _kill_at(proc: subprocess.Popen[str], run: Path, point: tuple[str, float]) -> str:
    """SIGKILL ``proc`` when the run reaches ``point``; return where it was killed."""
    kind, value = point
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return "finished"  # ran past the point between two polls
        if kind == "s0" and _markers(run, 0) >= value:
            break
        if kind == "minhash" and (run / "_work" / "global" / "g1.started.json").exists():
            time.sleep(value)
            break
        if kind == "s1" and _markers(run, 1) >= value:
            break
        time.sleep(0.005)
    else:
        raise AssertionError(f"the run never reached {point}")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if kind == "minhash" and not (run / "_work" / "global" / "g1.json").exists():
        return "inside minhash_dedup"
    return f"{kind} after {_markers(run, 0 if kind == 's0' else 1)} chunk(s)"


def _order(point: tuple[str, float]) -> int:
    return ["s0", "minhash", "s1"].index(point[0])


def _kill_and_resume(runtime: str, reference: tuple[Path, Path], tmp: Path) -> None:
    folder, ref = reference
    run = tmp / "run"
    config = tmp / "config.yaml"
    config.write_text(yaml.safe_dump(_raw(folder, run, runtime)))
    chunks = 3 * -(-600 // BATCH_ROWS)  # 3 files of 600 documents
    rng = random.Random(f"{SEED}-{runtime}")
    points = [
        ("s0", rng.randint(1, chunks - 2)),
        ("minhash", rng.uniform(0.0, 0.05)),
        ("s1", rng.randint(1, chunks - 2)),
    ]
    if runtime == "ray":  # each start of embedded Ray costs seconds: two kills, one inside
        points = sorted(rng.sample([points[0], points[2]], 1) + [points[1]], key=_order)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if runtime == "ray":
        env["RAY_TMPDIR"] = tempfile.mkdtemp(prefix="rfr", dir="/tmp")
    killed, skipped = [], []
    proc = _cli("run", str(config), "-q", env=env)
    try:
        for point in points:
            killed.append(_kill_at(proc, run, point))
            proc = _cli("resume", str(run), "-q", env=env)
        out, _ = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
        if runtime == "ray":
            shutil.rmtree(env["RAY_TMPDIR"], ignore_errors=True)
    assert proc.returncode == 0, out
    found = re.search(r"resumed: (\d+) chunk completion", out)
    skipped.append(int(found.group(1)) if found else 0)
    print(f"{runtime}: killed at {killed}; the last resume reused {skipped[-1]} chunk(s)")
    assert "inside minhash_dedup" in killed, killed
    assert skipped[-1] >= chunks, "killed after the row stages: every chunk of them is reused"
    assert _files(run) == _files(ref)
    assert _counts(run) == _counts(ref)
    assert not (run / "_work").exists()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_killed_local_run_resumes_to_the_same_files(reference, tmp_path):
    _kill_and_resume("local", reference, tmp_path)


@pytest.mark.slow
@pytest.mark.ray
@pytest.mark.timeout(600)
def test_a_killed_embedded_ray_run_resumes_to_the_same_files(reference, tmp_path):
    _kill_and_resume("ray", reference, tmp_path)


def _interrupted(raw: dict, monkeypatch) -> None:
    """Run until the first global stage starts, then stop as a killed run would."""

    def stop(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    with monkeypatch.context() as m:
        m.setattr(segments, "_run_global", stop)
        with pytest.raises(KeyboardInterrupt):
            run_pipeline(validate_config(raw))


def test_resume_with_a_changed_config_is_refused_naming_the_keys(reference, tmp_path, monkeypatch):
    folder, _ = reference
    raw = _raw(folder, tmp_path / "run")
    _interrupted(raw, monkeypatch)
    raw["stages"][1]["min_words"] = 12
    with pytest.raises(ResumeRefused, match=r"config keys changed: stages\.1\.min_words"):
        run_pipeline(validate_config(raw), existing="resume")


def test_resume_with_another_partitioning_is_refused(reference, tmp_path, monkeypatch):
    """A peer lost data when its partitions changed between the attempt and the resume: a
    changed batch size (chunks) or a new input file (partitions) must be refused."""
    folder, _ = reference
    inputs = tmp_path / "in"
    shutil.copytree(folder, inputs, ignore=shutil.ignore_patterns("reference"))
    raw = _raw(inputs, tmp_path / "run")
    _interrupted(raw, monkeypatch)
    changed = json.loads(json.dumps(raw))
    changed["sources"][0]["batch_rows"] = BATCH_ROWS + 1
    with pytest.raises(ResumeRefused, match=r"sources\.0\.batch_rows"):
        run_pipeline(validate_config(changed), existing="resume")
    shutil.copy(inputs / "part0.jsonl", inputs / "part3.jsonl")
    with pytest.raises(ResumeRefused, match=r"input added: .*part3\.jsonl"):
        run_pipeline(validate_config(raw), existing="resume")
    (inputs / "part3.jsonl").unlink()
    with open(inputs / "part1.jsonl", "a") as f:
        f.write('{"id": "new", "text": "one more document"}\n')
    with pytest.raises(ResumeRefused, match=r"input changed: .*part1\.jsonl \(size"):
        run_pipeline(validate_config(raw), existing="resume")


def test_an_interrupted_run_is_refused_without_resume_and_resumes_with_it(
    reference, tmp_path, monkeypatch
):
    from refinery.errors import OutputError

    folder, ref = reference
    raw = _raw(folder, ref.parent / "in_process")
    _interrupted(raw, monkeypatch)
    with pytest.raises(OutputError, match="--resume"):
        run_pipeline(validate_config(raw))
    # a partial file a killed worker left is never taken for a finished one
    partial = ref.parent / "in_process" / "shards" / ".part-00000-00000-00000.parquet.tmp"
    partial.parent.mkdir(exist_ok=True)
    partial.write_bytes(b"PAR1 half a file")
    result = run_pipeline(validate_config(raw), existing="resume")
    assert result.skipped_chunks == result.chunks > 0
    assert not partial.exists()
    assert _files(ref.parent / "in_process") == _files(ref)
    with pytest.raises(OutputError, match="finished run"):
        run_pipeline(validate_config(raw), existing="resume")

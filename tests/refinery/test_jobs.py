"""`refinery submit` and `refinery jobs` against a real Ray head started on loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from refinery.cli import main
from refinery.config import load_config, load_raw_config
from refinery.jobs import job_env_names, submission_runtime_env

pytest.importorskip("ray.job_submission")
pytest.importorskip("aiohttp")  # the head's dashboard serves the Job API; ray[default] brings it
psutil = pytest.importorskip("psutil")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _kill_session(temp_dir: str) -> None:
    """End every process of this head (found by its temp dir), never another Ray's."""
    procs = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(temp_dir in part for part in proc.info["cmdline"] or []):
                procs.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=20)


@pytest.fixture(scope="module")
def ray_head():
    from ray.job_submission import JobSubmissionClient

    temp_dir = tempfile.mkdtemp(prefix="rfh", dir="/tmp")  # short: Ray's socket paths are long
    port, dash = _free_port(), _free_port()
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    ports = [
        f"--{name}={_free_port()}"
        for name in (
            "dashboard-agent-listen-port",
            "dashboard-agent-grpc-port",
            "metrics-export-port",
            "runtime-env-agent-port",
            "node-manager-port",
            "object-manager-port",
        )
    ]
    cmd = [
        str(Path(sys.executable).parent / "ray"),
        "start",
        "--head",
        "--node-ip-address=127.0.0.1",
        f"--port={port}",
        "--dashboard-host=127.0.0.1",
        f"--dashboard-port={dash}",
        "--include-dashboard=true",
        "--num-cpus=2",
        f"--temp-dir={temp_dir}",
        "--disable-usage-stats",
        *ports,
    ]
    started = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    if started.returncode != 0:
        _kill_session(temp_dir)
        pytest.fail(f"ray start failed: {started.stderr[-2000:]}")
    address = f"http://127.0.0.1:{dash}"
    old_auth = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                JobSubmissionClient(address).list_jobs()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield address
    finally:
        _kill_session(temp_dir)
        shutil.rmtree(temp_dir, ignore_errors=True)
        if old_auth is None:
            os.environ.pop("RAY_AUTH_MODE", None)
        else:
            os.environ["RAY_AUTH_MODE"] = old_auth


def _job_dir(tmp_path: Path) -> Path:
    work = tmp_path / "job"
    (work / "data").mkdir(parents=True)
    docs = [
        {"id": f"d{i}", "text": f"Document number {i} has enough words to pass the filter here."}
        for i in range(30)
    ] + [{"id": "short", "text": "tiny"}]
    (work / "data" / "docs.jsonl").write_text(
        "\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8"
    )
    cfg = {
        "run": {"name": "nightly", "output": "${JOB_OUT}"},
        "sources": [{"name": "web", "path": "data/docs.jsonl", "id_field": "id"}],
        "stages": [
            {"stage": "normalize"},
            {"stage": "length_filter", "min_chars": 10, "min_words": 3},
        ],
    }
    (work / "nightly.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return work


def test_the_job_environment_holds_referenced_variables_not_the_config(tmp_path, monkeypatch):
    work = _job_dir(tmp_path)
    monkeypatch.setenv("JOB_OUT", str(tmp_path / "out"))
    raw = load_raw_config(work / "nightly.yaml")
    names = job_env_names(raw, load_config(work / "nightly.yaml"))
    assert "JOB_OUT" in names
    env, passed = submission_runtime_env(work, names, None, {"JOB_OUT": "/x", "OTHER": "y"})
    assert passed == ["JOB_OUT"] and env["env_vars"] == {"JOB_OUT": "/x"}
    assert env["working_dir"] == str(work) and ".venv" in env["excludes"]
    assert "${JOB_OUT}" in (work / "nightly.yaml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_submit_follow_and_inspect_a_job_on_a_real_head(ray_head, tmp_path, runner, monkeypatch):
    work = _job_dir(tmp_path)
    out = tmp_path / "nightly_run"
    monkeypatch.setenv("JOB_OUT", str(out))
    monkeypatch.chdir(work)
    result = runner.invoke(main, ["submit", "nightly.yaml", "--address", ray_head])
    assert result.exit_code == 0, result.output
    # the id is submit's last line of its own; Ray's raylet may print warnings into the same
    # stream (a disk over 95% full), so the id is looked for, not taken from the end
    ids = [line for line in result.output.splitlines() if line.startswith("raysubmit_")]
    assert ids, result.output
    job_id = ids[-1]
    assert "environment passed to the job: JOB_OUT (values not shown)" in result.output
    assert str(out) not in result.output

    deadline = time.monotonic() + 240
    while True:
        state = runner.invoke(main, ["jobs", "status", job_id, "--address", ray_head])
        if state.exit_code != 3 or time.monotonic() > deadline:
            break
        time.sleep(2)
    logs = runner.invoke(main, ["jobs", "logs", job_id, "--address", ray_head]).output
    assert state.exit_code == 0, state.output + logs
    assert "SUCCEEDED" in state.output
    assert "31 docs in" in logs and "30 out" in logs
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert (stats["docs_in"], stats["docs_out"], stats["reconciled"]) == (31, 30, True)
    listed = runner.invoke(main, ["jobs", "list", "--address", ray_head])
    assert job_id in listed.output and "SUCCEEDED" in listed.output and "nightly" in listed.output
    assert runner.invoke(main, ["jobs", "stop", job_id, "--address", ray_head]).exit_code == 0


def test_submit_refuses_a_config_outside_the_working_dir(tmp_path, runner):
    work = _job_dir(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    result = runner.invoke(
        main,
        [
            "submit",
            str(work / "nightly.yaml"),
            "--working-dir",
            str(other),
            "--address",
            "http://127.0.0.1:9",
        ],
        env={"JOB_OUT": "/tmp/x"},
    )
    assert result.exit_code == 2
    assert "outside the working directory" in result.output

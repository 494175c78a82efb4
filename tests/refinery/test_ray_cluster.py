"""`refinery run --address` against a real Ray head started by the test (not embedded Ray)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.ray
def test_run_on_a_ray_head(tmp_path):
    ray_bin = shutil.which("ray", path=os.path.dirname(sys.executable))
    if ray_bin is None:
        pytest.skip("the `ray` command is not installed next to this Python")
    port = _free_port()
    # the head and the driver share a token of the test's own (Ray's token authentication)
    env = {
        **os.environ,
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": "refinery-test-" + os.urandom(16).hex(),
    }
    env.pop("RAY_AUTH_TOKEN_PATH", None)
    head = subprocess.Popen(
        [
            ray_bin,
            "start",
            "--head",
            "--block",
            f"--port={port}",
            "--num-cpus=2",
            "--include-dashboard=false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    try:
        out = tmp_path / "run"
        deadline = time.time() + 90
        while True:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "refinery.cli",
                    "run",
                    "configs/tiny.yaml",
                    "-o",
                    str(out),
                    "--address",
                    f"127.0.0.1:{port}",
                    "-q",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=180,
                env=env,
            )
            if (
                proc.returncode == 0
                or time.time() > deadline
                or "Failed to connect" not in proc.stderr
            ):
                break
            time.sleep(2)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        stats = json.loads((out / "stats.json").read_text())
        assert stats["docs_in"] == 7 and stats["reconciled"]
        assert "ray.address" not in stats
        assert f":{port}" in (out / "config.yaml").read_text()
    finally:
        os.killpg(head.pid, signal.SIGTERM)
        try:
            head.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)

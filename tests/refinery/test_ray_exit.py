"""Ending embedded Ray: the autoscaler monitor goes first, so ``ray.shutdown`` does not wait
a second for it (``refinery.runtime.ray_exit``)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

# In a process of its own (the test session's Ray must stay up): embedded Ray started as
# `refinery run` starts it, then ended; a spy on ray.shutdown notes which monitors were
# still running when Ray's own shutdown began.
_CHILD = textwrap.dedent(
    """
    import json, time
    import ray
    from refinery.config import validate_config
    from refinery.runtime import ray_exit
    from refinery.runtime.ray_runtime import init_ray, wait_for_workers

    def alive(pid):
        deadline = time.monotonic() + 0.5  # SIGKILL takes effect within milliseconds
        while time.monotonic() < deadline:
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                return False
            if stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] == b"Z":
                return False
            time.sleep(0.02)
        return True

    init_ray(validate_config({"sources": [{"name": "s", "path": "x.jsonl"}],
                              "ray": {"num_cpus": 1}}))
    wait_for_workers()
    monitors = ray_exit.monitor_pids()
    original, seen = ray.shutdown, {}

    def spy(*args, **kwargs):
        seen["alive"] = [p for p in monitors if alive(p)]
        return original(*args, **kwargs)

    ray.shutdown = spy
    ray_exit.end_embedded_ray()
    print(json.dumps({"monitors": monitors, "alive_at_shutdown": seen["alive"],
                      "initialized": ray.is_initialized()}))
    """
)


def test_embedded_ray_ends_with_its_monitor_already_gone(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "RAY_DEDUP_LOGS": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(result["monitors"]) == 1  # embedded Ray started exactly one monitor
    assert result["alive_at_shutdown"] == []  # killed before Ray's shutdown began
    assert result["initialized"] is False  # and Ray was shut down after it


def test_other_children_are_not_taken_for_the_monitor():
    from refinery.runtime.ray_exit import monitor_pids

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid not in monitor_pids()
    finally:
        child.kill()
        child.wait()

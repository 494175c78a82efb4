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


# Embedded Ray started as `refinery run` starts it, with one of the two retry settings given
# by the environment: what Ray's raylet and a worker were started with.
_RETRY_CHILD = textwrap.dedent(
    """
    import json, os
    import ray
    from refinery.config import validate_config
    from refinery.runtime.ray_exit import end_embedded_ray
    from refinery.runtime.ray_runtime import CONNECT_RETRY, init_ray

    init_ray(validate_config({"sources": [{"name": "s", "path": "x.jsonl"}],
                              "ray": {"num_cpus": 1}}))
    raylet = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"raylet/raylet" not in f.read():
                    continue
            with open(f"/proc/{pid}/stat", "rb") as f:  # this process's raylet, no other
                stat = f.read()
            if int(stat[stat.rfind(b")") + 2 :].split()[1]) != os.getpid():
                continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = dict(v.split(b"=", 1) for v in f.read().split(b"\\0") if b"=" in v)
        except OSError:
            continue
        raylet = {k: env.get(k.encode(), b"").decode() for k in CONNECT_RETRY}

    @ray.remote
    def worker_env():
        return {k: os.environ.get(k, "") for k in CONNECT_RETRY}

    worker = ray.get(worker_env.remote())
    end_embedded_ray()
    print(json.dumps({"raylet": raylet, "worker": worker}))
    """
)


def test_embedded_ray_retries_its_store_connection_every_100_ms(tmp_path):
    # the raylet's first connection to its object store may come before the store listens;
    # Ray's default then waits a whole second (docs/dedup.md): init_ray sets 100 ms
    # (100 tries), and keeps a value the environment already gives
    out = subprocess.run(
        [sys.executable, "-c", _RETRY_CHILD],
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "RAY_DEDUP_LOGS": "1",
            "RAY_raylet_client_num_connect_attempts": "42",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    expected = {
        "RAY_raylet_client_connect_timeout_milliseconds": "100",
        "RAY_raylet_client_num_connect_attempts": "42",
    }
    assert result["raylet"] == expected
    assert result["worker"] == expected


# A Ray start that never returns (as when a worker the raylet starts for the first driver dies
# while starting: the driver then waits forever to register). ``ray.init`` is replaced by a
# wait; the watchdog and the store settings run as in a real start.
_HANG_CHILD = textwrap.dedent(
    """
    import time
    import ray
    from refinery.config import validate_config
    from refinery.runtime.ray_runtime import init_ray

    ray.init = lambda **kwargs: time.sleep(120)
    init_ray(validate_config({"sources": [{"name": "s", "path": "x.jsonl"}],
                              "ray": {"num_cpus": 1, "start_timeout_s": 2}}))
    print("init_ray returned")
    """
)


def _run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_ray_start_that_hangs_ends_the_run_with_an_error(tmp_path):
    import time

    start = time.perf_counter()
    out = _run_python(_HANG_CHILD, tmp_path)
    took = time.perf_counter() - start
    assert out.returncode == 1
    assert "init_ray returned" not in out.stdout
    assert "error: embedded Ray did not start within 2 s (ray.start_timeout_s)" in out.stderr
    assert took < 30  # the 2 s limit, not the 120 s wait


def test_a_ray_start_in_time_is_not_ended(tmp_path):
    # the timer is cancelled once ray.init returns: a start of 1 s under a 2 s limit, then a
    # run that outlives the limit, goes on (no Ray here: nothing to start workers on)
    code = (
        _HANG_CHILD.replace("time.sleep(120)", "time.sleep(1)")
        .replace(
            "from refinery.runtime.ray_runtime import init_ray",
            "from refinery.runtime import ray_runtime\n"
            "from refinery.runtime.ray_runtime import init_ray\n"
            "ray_runtime.prestart_workers = lambda: None",
        )
        .replace('print("init_ray returned")', 'time.sleep(3); print("init_ray returned")')
    )
    out = _run_python(code, tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "init_ray returned" in out.stdout

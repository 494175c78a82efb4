"""A `refinery run` on embedded Ray killed with SIGKILL leaves no Ray process behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.ray,
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def _session_processes(temp_dir: str) -> set[int]:
    """Processes with Ray's temp dir on their command line or among their open files."""
    found = set()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if temp_dir.encode() in f.read():
                    found.add(int(name))
                    continue
            for fd in os.listdir(f"/proc/{name}/fd"):
                try:
                    if os.readlink(f"/proc/{name}/fd/{fd}").startswith(temp_dir):
                        found.add(int(name))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return found


@pytest.mark.timeout(180)
def test_sigkill_of_a_run_ends_embedded_rays_processes():
    # a short path of our own: Ray puts its sockets under it (108-byte limit)
    temp_dir = tempfile.mkdtemp(prefix="rfk", dir="/tmp")
    env = {**os.environ, "RAY_TMPDIR": temp_dir, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "refinery.cli", "run", "configs/demo.yaml", "-q"]
    cmd += ["-o", os.path.join(temp_dir, "out"), "--set", "ray.num_cpus=2"]
    driver = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            logs = list(Path(temp_dir).glob("ray/session_*/logs/*agent*.log"))
            if len(logs) >= 2 and driver.poll() is None:
                break
            assert driver.poll() is None, "the run ended before it could be killed"
            time.sleep(0.2)
        time.sleep(2)  # workers and actors start
        before = _session_processes(temp_dir) - {driver.pid}
        assert len(before) >= 4, before  # gcs, raylet, agents, workers
        assert driver.poll() is None
        driver.send_signal(signal.SIGKILL)
        driver.wait()

        deadline = time.monotonic() + 30
        left = _session_processes(temp_dir)
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = _session_processes(temp_dir)
        names = {}
        for pid in left:
            try:
                names[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()[:80]
            except OSError:
                pass
        assert not left, f"still running 30 s after the driver was killed: {names}"
    finally:
        if driver.poll() is None:
            driver.kill()
        for pid in _session_processes(temp_dir):  # never leave orphans, even when failing
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(temp_dir, ignore_errors=True)

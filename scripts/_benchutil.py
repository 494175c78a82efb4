"""Shared helpers of the benchmark scripts: peak memory of a process tree, timing."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

__all__ = ["run_measured"]


def _tree_rss(proc: Any) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except Exception:  # noqa: BLE001  the process may be gone between samples; count what is left
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except Exception:  # noqa: BLE001  a child exited during the sample
            continue
    return total


def run_measured(args: list[str], extra_pids: bool = False) -> tuple[int, float, str]:
    """Run ``python args`` in a subprocess; return (peak RSS of it and its children, seconds, stdout).

    Ray workers are children of the raylet, not of the driver, so with ``extra_pids`` the
    sampler also adds every process whose command line mentions ray's worker entry point
    and was started after the subprocess.
    """
    import psutil

    start = time.time()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss = _tree_rss(ps)
            if extra_pids:
                for p in psutil.process_iter(["cmdline", "create_time"]):
                    try:
                        cmd = " ".join(p.info["cmdline"] or [])
                        if (
                            p.info["create_time"] >= start - 1
                            and p.pid != proc.pid
                            and (
                                "ray" in cmd
                                and (
                                    "default_worker" in cmd
                                    or "raylet" in cmd
                                    or "gcs_server" in cmd
                                )
                            )
                        ):
                            rss += p.memory_info().rss
                    except Exception:  # noqa: BLE001  process vanished while sampling
                        continue
            peak = max(peak, rss)
            time.sleep(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, _ = proc.communicate()
    done.set()
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed ({proc.returncode}): {' '.join(args)}")
    return peak, time.time() - start, out

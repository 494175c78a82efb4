"""Ends embedded Ray's processes when the driver dies without ``ray.shutdown()``.

Ray ties its GCS server and raylet to the driver, but its dashboard and runtime-env agents,
on seeing the raylet die, try to report that to the GCS, which is gone too, and hang there
(Ray 2.60): after a ``kill -9`` of ``refinery run``, or the OOM killer, they stay forever.
Ray has no switch to leave them out of a local cluster (``include_dashboard=False`` still
starts the dashboard agent), and ``PR_SET_PDEATHSIG`` would have to be set by Ray's own
launcher in each child.

So embedded Ray gets a watchdog: this file run as a small script (standard library only),
started just before ``ray.init`` in a session of its own, so that a Ctrl-C aimed at the run
does not reach it. While the driver lives it notes, twice a second, the driver's
descendants with their start times. When the driver is gone (the watchdog's parent
changes), each noted process that is still the same process (same start time: a reused pid
is left alone) and is one of Ray's (``ray::`` title or a program under a ``ray/`` folder)
gets SIGTERM, then SIGKILL two seconds later. Processes the driver did not start are never
touched. Linux only (it reads ``/proc``); elsewhere it is not started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

__all__ = ["start_watchdog"]

_POLL_S = 0.5
_GRACE_S = 2.0


def start_watchdog() -> subprocess.Popen[bytes] | None:
    """Start the watchdog of this process's embedded Ray (Linux; else None)."""
    if not sys.platform.startswith("linux") or not os.path.isdir("/proc"):
        return None
    return subprocess.Popen(
        [sys.executable, "-S", os.path.abspath(__file__), str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def _processes() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, start time in clock ticks) of every process."""
    out: dict[int, tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        stat = _stat(int(name))
        if stat is not None:
            out[int(name)] = stat
    return out


def _stat(pid: int) -> tuple[int, int] | None:
    stat = _proc_file(pid, "stat")
    if stat is None:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its end;
    # what follows starts at field 3 (state), so ppid is [1] and starttime (field 22) [19]
    fields = stat[stat.rfind(b")") + 2 :].split()
    return int(fields[1]), int(fields[19])


def _descendants(root: int, procs: dict[int, tuple[int, int]]) -> dict[int, int]:
    """pid → start time of every descendant of ``root``."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found[child] = procs[child][1]
                todo.append(child)
    return found


def _proc_file(pid: int, name: str) -> bytes | None:
    """``/proc/PID/NAME``, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/{name}", "rb") as f:
            return f.read()
    except OSError:
        return None


def _is_ray(pid: int) -> bool:
    """A Ray process: a worker or agent titled ``ray::...``, or a program under ``ray/``."""
    cmdline = _proc_file(pid, "cmdline")
    return cmdline is not None and (cmdline.startswith(b"ray::") or b"/ray/" in cmdline)


def _end(noted: dict[int, int]) -> None:
    targets = set()
    for pid, started in noted.items():
        stat = _stat(pid)
        if pid != os.getpid() and stat is not None and stat[1] == started and _is_ray(pid):
            targets.add(pid)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in targets:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + _GRACE_S
        while time.monotonic() < deadline:
            targets = {p for p in targets if _alive(p)}
            if not targets:
                return
            time.sleep(0.1)


def _alive(pid: int) -> bool:
    stat = _proc_file(pid, "stat")
    if stat is None:
        return False
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] != b"Z"  # a zombie is gone


def main(argv: list[str]) -> int:
    driver = int(argv[1])
    noted: dict[int, int] = {}
    while os.getppid() == driver:
        noted.update(_descendants(driver, _processes()))
        time.sleep(_POLL_S)
    # the driver is gone and its children re-parented: end the Ray processes among them
    _end(noted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

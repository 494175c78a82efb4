"""Ending the embedded Ray this process started, without Ray's one-second wait.

``ray.shutdown()`` ends Ray's processes one after another: SIGTERM, up to a second's wait,
then SIGKILL. Every one of them is gone in milliseconds except the autoscaler monitor
(``ray/autoscaler/_private/monitor.py``), which never exits within its second and is then
killed (Ray 2.60, measured: 1.02 s of a 1.57 s shutdown). An embedded cluster is one node of
fixed size: its monitor has nothing to scale and nothing to save, and Ray kills it anyway.

``end_embedded_ray`` sends that monitor SIGKILL first and then calls ``ray.shutdown()``,
which finds it gone and does not wait; the raylet, the GCS and the other processes end as
Ray ends them. ``init_ray`` registers it to run at interpreter exit just before Ray's own
exit handler (which then finds Ray shut down), so a ``refinery run`` returns about a second
sooner; like Ray's handler it first gives the workers' last log lines half a second to reach
the console. Only processes that are
children of this process and run Ray's monitor script are touched, on Linux (``/proc``);
elsewhere, or on a cluster (this process started no monitor), it is ``ray.shutdown()``.
"""

from __future__ import annotations

import os
import signal

__all__ = ["end_embedded_ray", "monitor_pids"]

#: The command line of Ray's autoscaler monitor holds this path.
_MONITOR_SCRIPT = b"/ray/autoscaler/_private/monitor.py"
#: Ray's exit handler waits this long for workers' last log lines before it shuts down.
_EXIT_LOG_WAIT_S = 0.5


def monitor_pids() -> list[int]:
    """Pids of the Ray autoscaler monitors that are children of this process (Linux)."""
    me = os.getpid()
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    found = []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue  # gone while we looked
        # the command name (field 2) may hold spaces and parentheses: fields after its end
        fields = stat[stat.rfind(b")") + 2 :].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == me and state != b"Z" and _MONITOR_SCRIPT in cmdline:
            found.append(int(name))
    return found


def end_embedded_ray(exiting: bool = False) -> None:
    """``ray.shutdown()``, with this process's autoscaler monitor killed first.

    ``exiting``: called at interpreter exit; wait as Ray's own exit handler does (0.5 s) for
    the log lines workers printed last.
    """
    import time

    import ray

    if not ray.is_initialized():
        return
    if exiting:
        time.sleep(_EXIT_LOG_WAIT_S)
    for pid in monitor_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue  # already gone
    ray.shutdown()

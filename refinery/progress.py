"""Terminal output: the live per-stage progress display and the end-of-run summary table."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from refinery.runtime.counters import StageTotals

__all__ = ["LiveProgress", "summary_table"]

_MB = 1024 * 1024


def _reasons(rejected: dict[str, int], top: int = 3) -> str:
    items = sorted(rejected.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{k}={v:,}" for k, v in items[:top])
    if len(items) > top:
        shown += f", +{len(items) - top} more"
    return shown


def _stage_table(totals: list[StageTotals], elapsed: float, title: str) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("stage", no_wrap=True)
    for col in ("docs in", "docs out", "rejected", "docs/s", "MB/s"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("reasons", overflow="fold")
    wall = max(elapsed, 1e-9)
    for t in totals:
        table.add_row(
            t.name,
            f"{t.docs_in:,}",
            f"{t.docs_out:,}",
            f"{t.docs_rejected:,}",
            f"{t.docs_in / wall:,.0f}",
            f"{t.bytes_in / _MB / wall:,.2f}",
            _reasons(t.rejected),
        )
    return table


class LiveProgress:
    """Polls the executor's totals twice a second and redraws a table (terminals only)."""

    def __init__(self, console: Console, get_totals: Callable[[], list[StageTotals]]) -> None:
        self.console = console
        self.get_totals = get_totals
        self._latest: list[StageTotals] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: Live | None = None
        self._start = time.perf_counter()

    def _render(self) -> Table:
        elapsed = time.perf_counter() - self._start
        return _stage_table(self._latest, elapsed, f"running… {elapsed:,.0f} s")

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self._latest = self.get_totals()
            except Exception:  # noqa: BLE001  the display must never kill the run; next poll retries
                continue
            if self._live is not None:
                self._live.update(self._render())

    def __enter__(self) -> LiveProgress:
        self._start = time.perf_counter()
        if self.console.is_terminal:
            self._live = Live(
                self._render(), console=self.console, refresh_per_second=2, transient=True
            )
            self._live.__enter__()
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._live is not None:
            self._live.__exit__(None, None, None)


def summary_table(stats: dict[str, Any]) -> Table:
    totals = [
        StageTotals(
            name=s["name"],
            docs_in=s["docs_in"],
            docs_out=s["docs_out"],
            rejected=s["rejected"],
            bytes_in=s["bytes_in"],
            bytes_out=s["bytes_out"],
            seconds=s["seconds"],
        )
        for s in stats["stages"]
    ]
    seconds = stats["seconds"]
    title = (
        f"run {stats['run']!r}: {stats['docs_in']:,} docs in → {stats['docs_out']:,} out, "
        f"{stats['docs_rejected']:,} rejected, {seconds:,.1f} s wall"
    )
    return _stage_table(totals, seconds, title)

"""``refinery report``, ``refinery compare``, and the sweep branch of ``refinery run``."""

from __future__ import annotations

import posixpath
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table as RichTable

from refinery.errors import ConfigError, RefineryError

__all__ = ["compare", "report", "run_sweep_command"]

_max_rows_option = click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=1_000_000,
    show_default=True,
    help="Read at most about this many kept documents (whole row groups, chosen evenly) for "
    "lengths, scores and languages; 0: all.",
)


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr) if stream.isatty() else Console(stderr=stderr, width=120)


def _fail(exc: Exception, code: int = 1) -> None:
    _console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
    sys.exit(code)


def _missing_stats(fs: Any, run_dir: str) -> bool:
    return not fs.exists(posixpath.join(run_dir, "stats.json"))


@click.command("report")
@click.argument("run_dir")
@_max_rows_option
def report(run_dir: str, max_rows: int) -> None:
    """Rebuild RUN_DIR/report.html: funnel, reasons, lengths, scores, languages, dedup, PII."""
    import fsspec

    from refinery.experiments.report import write_report

    fs, path = fsspec.core.url_to_fs(run_dir)
    if _missing_stats(fs, path):
        _fail(ConfigError(f"{run_dir}/stats.json not found: is it a run directory?"), 2)
        return
    try:
        written = write_report(fs, path, max_rows=max_rows or None)
    except (RefineryError, OSError, ValueError) as exc:
        _fail(exc)
        return
    click.echo(f"wrote {written}")


@click.command("compare")
@click.argument("run_dirs", nargs=-1, required=True)
@click.option("--markdown", is_flag=True, help="Print the comparison as Markdown tables.")
@click.option("--html", "html_out", metavar="FILE", help="Also write the comparison as HTML.")
@_max_rows_option
def compare(run_dirs: tuple[str, ...], markdown: bool, html_out: str | None, max_rows: int) -> None:
    """Compare runs side by side: documents and tokens (or bytes) per stage, rejection
    reasons, score quantiles and language mix. The first run is the baseline; a sweep
    directory stands for its variants."""
    import fsspec

    from refinery.experiments.compare import compare_runs, expand_runs, to_html, to_markdown
    from refinery.io.manifest import write_text

    fs, _ = fsspec.core.url_to_fs(run_dirs[0])
    paths = expand_runs(fs, [fsspec.core.url_to_fs(d)[1] for d in run_dirs])
    for path in paths:
        if _missing_stats(fs, path):
            _fail(ConfigError(f"{path}/stats.json not found: is it a run directory?"), 2)
            return
    try:
        cmp = compare_runs(fs, paths, max_rows=max_rows or None)
        if html_out:
            out_fs, out_path = fsspec.core.url_to_fs(html_out)
            out_fs.makedirs(posixpath.dirname(out_path) or ".", exist_ok=True)
            write_text(out_fs, out_path, to_html(cmp))
    except (RefineryError, OSError, ValueError) as exc:
        _fail(exc)
        return
    if markdown:
        click.echo(to_markdown(cmp))
    else:
        console = _console()
        for t in cmp.tables:
            rich = RichTable(title=t.title, caption=t.note or None)
            for i, h in enumerate(t.headers):
                rich.add_column(h, justify="left" if i == 0 or h == "reason" else "right")
            for row in t.rows:
                rich.add_row(*row)
            console.print(rich)
    if html_out:
        click.echo(f"wrote {html_out}", err=markdown)


def run_sweep_command(
    config: str, overrides: list[str], sweeps: list[str], quiet: bool, overwrite: bool
) -> None:
    """``refinery run CONFIG --sweep ...``: plan every variant, run them, print the index."""
    from refinery.experiments.sweep import Variant, plan_sweep, run_sweep
    from refinery.progress import LiveProgress

    console, err = _console(), _console(stderr=True)
    try:
        plan = plan_sweep(config, overrides, sweeps)
    except RefineryError as exc:
        _fail(exc, 2 if isinstance(exc, ConfigError) else 1)
        return
    n = len(plan.variants)
    console.print(f"sweep: {n} variant(s) of {config} into {plan.sweep_dir}", highlight=False)

    def on_variant(v: Variant) -> None:
        values = ", ".join(f"{k}={v.values[k]!r}" for k in v.values)
        if v.status == "pending":
            console.print(f"[bold]variant {v.index + 1}/{n}[/] {v.dir}: {values}", highlight=False)
        elif v.status == "ok":
            console.print(f"  done: {v.docs_out:,} docs out in {v.seconds:.1f} s", highlight=False)
        else:
            err.print(f"  [bold red]failed:[/] {v.error}", highlight=False)

    progress = None if quiet else (lambda get: LiveProgress(console, get))
    try:
        run_sweep(plan, overwrite=overwrite, on_variant=on_variant, on_progress=progress)
    except RefineryError as exc:
        _fail(exc)
        return
    failed = [v for v in plan.variants if v.status != "ok"]
    console.print(
        f"sweep index: {plan.sweep_dir}/sweep.json; comparison: comparison.md, comparison.html",
        highlight=False,
    )
    if failed:
        err.print(f"[bold red]{len(failed)} of {n} variant(s) failed[/]", highlight=False)
        sys.exit(1)

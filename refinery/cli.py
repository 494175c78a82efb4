"""The ``refinery`` command: run, validate, stages, inspect (and the commands of stage packages)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from refinery.errors import ConfigError, OutputError, RefineryError

if TYPE_CHECKING:
    from refinery.config import RunConfig
    from refinery.rundir import ExistingRun

__all__ = ["main"]

# Logs of scheduled jobs are not terminals; give their tables room instead of 80 columns.
console = Console() if sys.stdout.isatty() else Console(width=120)
err_console = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=120)


def _fail(exc: RefineryError) -> None:
    err_console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    sys.exit(2 if isinstance(exc, ConfigError) else 1)


def _sets(
    overrides: tuple[str, ...], output: str | None, address: str | None, runtime: str | None
) -> list[str]:
    sets = list(overrides)
    if output:
        sets.append(f"run.output={output}")
    if address:
        sets.append(f"ray.address={address}")
    if runtime:
        sets.append(f"runtime={runtime}")
    return sets


def _load(
    config: str,
    overrides: tuple[str, ...],
    output: str | None,
    address: str | None,
    runtime: str | None,
) -> Any:
    from refinery.config import load_config

    return load_config(config, _sets(overrides, output, address, runtime))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="refinery")
def main() -> None:
    """Refinery: turn raw corpora and private data into clean training shards."""


_set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a config value by dotted path, e.g. --set stages.1.min_chars=50 (repeatable).",
)


@main.command()
@click.argument("config", type=click.Path(dir_okay=False))
@_set_option
@click.option("--output", "-o", help="Run directory (overrides run.output).")
@click.option(
    "--address", help="Ray cluster address (overrides ray.address); default: embedded Ray."
)
@click.option("--runtime", type=click.Choice(["ray", "local"]), help="Override `runtime`.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display; print only the summary.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an earlier run in the run directory (only the files a run writes are deleted).",
)
@click.option(
    "--sweep",
    "sweeps",
    multiple=True,
    metavar="KEY=V1,V2,...",
    help="Run one variant per value (repeatable: the cross product) into subdirectories of "
    "the run directory, with sweep.json and a comparison; see docs/experiments.md.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Finish an interrupted run of the same config and inputs in the run directory.",
)
def run(
    config: str,
    overrides: tuple[str, ...],
    output: str | None,
    address: str | None,
    runtime: str | None,
    quiet: bool,
    overwrite: bool,
    sweeps: tuple[str, ...],
    resume: bool,
) -> None:
    """Run the pipeline described by CONFIG (a sweep when it has a `sweep:` section)."""
    from refinery.experiments.sweep import wants_sweep

    if overwrite and resume:
        _fail(ConfigError("--overwrite and --resume exclude each other"))
        return
    try:
        sets = _sets(overrides, output, address, runtime)
        if sweeps or wants_sweep(config, sets):
            if resume:
                raise ConfigError("--resume finishes one run; it does not apply to a sweep")
            from refinery.experiments.cli import run_sweep_command

            run_sweep_command(config, sets, list(sweeps), quiet, overwrite)
            return
    except RefineryError as exc:
        _fail(exc)
        return
    existing: ExistingRun = "overwrite" if overwrite else "resume" if resume else "refuse"
    _execute(lambda: _load(config, overrides, output, address, runtime), quiet, existing)


@main.command()
@click.argument("run_dir")
@click.option(
    "--address", help="Ray cluster address (overrides ray.address); default: embedded Ray."
)
@click.option("--runtime", type=click.Choice(["ray", "local"]), help="Override `runtime`.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display; print only the summary.")
def resume(run_dir: str, address: str | None, runtime: str | None, quiet: bool) -> None:
    """Finish the interrupted run in RUN_DIR, with the config it was started with."""
    import posixpath

    config = posixpath.join(run_dir, "config.yaml")
    _execute(lambda: _load(config, (), run_dir, address, runtime), quiet, "resume")


def _execute(load: Callable[[], RunConfig], quiet: bool, existing: ExistingRun) -> None:
    from refinery.pipeline import run_pipeline
    from refinery.progress import LiveProgress, summary_table

    try:
        cfg = load()
        progress = None if quiet else (lambda get: LiveProgress(console, get))
        result = run_pipeline(cfg, on_progress=progress, existing=existing)
    except RefineryError as exc:
        _fail(exc)
        return
    except OSError as exc:
        # a file system error no check foresaw (a folder a stage writes, a vanished mount):
        # one line naming the path, not a traceback
        _fail(OutputError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")))
        return
    console.print(summary_table(result.stats))
    if result.skipped_chunks:
        console.print(
            f"resumed: {result.skipped_chunks} chunk completion(s) of the interrupted run "
            f"reused ({result.chunks} chunk(s) in all)"
        )
    console.print(
        f"run directory: {result.run_dir}  (stats.json, manifest.json, report.html, shards/, "
        "rejects/)"
    )
    for warning in result.warnings:
        err_console.print(f"warning: {warning}", highlight=False, markup=False)
    if result.kept_user_files:
        shown = ", ".join(result.kept_user_files[:5])
        more = (
            f" and {len(result.kept_user_files) - 5} more"
            if len(result.kept_user_files) > 5
            else ""
        )
        err_console.print(
            f"note: left alone {len(result.kept_user_files)} file(s) the refinery did not "
            f"write: {shown}{more}",
            highlight=False,
            markup=False,
        )


@main.command()
@click.argument("config", type=click.Path(dir_okay=False))
@_set_option
def validate(config: str, overrides: tuple[str, ...]) -> None:
    """Validate CONFIG fully (keys, stages, sources, columns, governance) without running."""
    from refinery.pipeline import build_plan

    try:
        cfg = _load(config, overrides, None, None, None)
        plan = build_plan(cfg)
        if cfg.sweep:  # every variant of the `sweep:` section, as `refinery run` would plan it
            from refinery.experiments.sweep import plan_sweep

            variants = len(plan_sweep(config, list(overrides), []).variants)
    except RefineryError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]OK[/] {config}: {len(cfg.sources)} source(s), {len(plan.tasks)} input task(s), "
        f"{len(cfg.stages)} stage(s) → {cfg.output_dir}"
    )
    if cfg.sweep:
        console.print(f"sweep: {variants} variant(s), each validated", highlight=False)
    if _holds_earlier_run(cfg.output_dir):
        click.echo(f"note: {cfg.output_dir} holds an earlier run; `refinery run` needs --overwrite")
    for i, spec in enumerate(cfg.stages):
        r = spec.resources
        kind = (
            "global" if _is_global(spec.cls) else ("actors" if spec.cls.needs_actor() else "tasks")
        )
        console.print(
            f"  {i}. {spec.name} ({spec.stage}, {kind}, cpus={r.num_cpus:g}, gpus={r.num_gpus:g})"
        )
        for old, new in spec.renames.items():
            console.print(f"       writes {old} as {new} (an earlier {spec.stage} writes {old})")


def _holds_earlier_run(url: str) -> bool:
    import fsspec

    from refinery.rundir import earlier_run

    fs, run_dir = fsspec.core.url_to_fs(url)
    return bool(earlier_run(fs, run_dir))


def _is_global(cls: type) -> bool:
    from refinery.stage import GlobalStage

    return issubclass(cls, GlobalStage)


@main.command("stages")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_stages(as_json: bool) -> None:
    """List every registered stage with its one-line doc and config fields."""
    from refinery.stage import registered_stages

    rows: list[dict[str, Any]] = []
    for name, cls in registered_stages().items():
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        fields = {}
        for fname, f in cls.config_cls.model_fields.items():
            default = "required" if f.is_required() else repr(f.default)
            fields[fname] = {"default": default, "description": f.description or ""}
        rows.append({"name": name, "class": cls.__name__, "doc": doc, "fields": fields})
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        console.print(f"[bold]{row['name']}[/] ({row['class']}): {row['doc']}", highlight=False)
        for fname, f in row["fields"].items():
            desc = f" — {f['description']}" if f["description"] else ""
            console.print(f"    {fname} = {f['default']}{desc}", highlight=False, markup=False)


@main.command()
@click.argument("run_dir")
@click.option(
    "--quick", is_flag=True, help="Check that files exist with their sizes only; no hashing."
)
def inspect(run_dir: str, quick: bool) -> None:
    """Show a finished run and check RUN_DIR against its manifest and stats.

    Every file the manifest lists must exist with its size, sha256 and Parquet row count
    (--quick: existence and size only), no Parquet file may be among the outputs unlisted,
    and the counts must reconcile per stage and with the files. Exit 1 names each difference.
    """
    from refinery.progress import summary_table
    from refinery.verify import verify_run_dir

    found = verify_run_dir(run_dir, quick=quick)
    if not found.stats:
        _fail(ConfigError(f"{run_dir}/stats.json not found or unreadable: is it a run directory?"))
        return
    console.print(summary_table(found.stats))
    if found.files:
        table = Table(title="files")
        for col in ("path", "rows", "bytes", "sha256"):
            table.add_column(col)
        for f in found.files:
            table.add_row(f["path"], str(f["rows"]), f"{f['bytes']:,}", str(f["sha256"])[:16])
        console.print(table)
    for note in found.notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    if found.problems:
        err_console.print(
            f"[bold red]{run_dir} does not check out ({len(found.problems)} problem(s)):[/]",
            highlight=False,
        )
        for problem in found.problems:
            err_console.print(f"  {problem}", highlight=False, markup=False)
        sys.exit(1)
    what = "sizes" if quick else "sizes, sha256 and row counts"
    console.print(
        f"[green]OK[/] {len(found.files)} files match the manifest ({what}); counts reconcile"
    )


def _attach_stage_commands() -> None:
    """Commands that stage packages register (``refinery.commands.register_command``)."""
    import refinery.shards.cli  # noqa: F401  registers tokenize, shards, train-tokenizer
    from refinery.commands import registered_commands

    for command in registered_commands().values():
        main.add_command(command)


_attach_stage_commands()


def _attach_job_commands() -> None:
    from refinery.jobs import jobs, submit

    main.add_command(submit)
    main.add_command(jobs)


_attach_job_commands()


def _attach_experiment_commands() -> None:
    from refinery.experiments.cache_cli import cache
    from refinery.experiments.cli import compare, report

    main.add_command(report)
    main.add_command(compare)
    main.add_command(cache)


_attach_experiment_commands()


if __name__ == "__main__":
    main()

"""The ``refinery`` command: run, validate, stages, inspect (and the commands of stage packages)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from refinery.errors import ConfigError, OutputError, RefineryError

__all__ = ["main"]

# Logs of scheduled jobs are not terminals; give their tables room instead of 80 columns.
console = Console() if sys.stdout.isatty() else Console(width=120)
err_console = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=120)


def _fail(exc: RefineryError) -> None:
    err_console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    sys.exit(2 if isinstance(exc, ConfigError) else 1)


def _load(
    config: str,
    overrides: tuple[str, ...],
    output: str | None,
    address: str | None,
    runtime: str | None,
) -> Any:
    from refinery.config import load_config

    sets = list(overrides)
    if output:
        sets.append(f"run.output={output}")
    if address:
        sets.append(f"ray.address={address}")
    if runtime:
        sets.append(f"runtime={runtime}")
    return load_config(config, sets)


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
def run(
    config: str,
    overrides: tuple[str, ...],
    output: str | None,
    address: str | None,
    runtime: str | None,
    quiet: bool,
    overwrite: bool,
) -> None:
    """Run the pipeline described by CONFIG."""
    from refinery.pipeline import run_pipeline
    from refinery.progress import LiveProgress, summary_table

    try:
        cfg = _load(config, overrides, output, address, runtime)
        progress = None if quiet else (lambda get: LiveProgress(console, get))
        result = run_pipeline(
            cfg, on_progress=progress, existing="overwrite" if overwrite else "refuse"
        )
    except RefineryError as exc:
        _fail(exc)
        return
    except OSError as exc:
        # a file system error no check foresaw (a folder a stage writes, a vanished mount):
        # one line naming the path, not a traceback
        _fail(OutputError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")))
        return
    console.print(summary_table(result.stats))
    console.print(
        f"run directory: {result.run_dir}  (stats.json, manifest.json, shards/, rejects/)"
    )
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
    except RefineryError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]OK[/] {config}: {len(cfg.sources)} source(s), {len(plan.tasks)} input task(s), "
        f"{len(cfg.stages)} stage(s) → {cfg.output_dir}"
    )
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


if __name__ == "__main__":
    main()

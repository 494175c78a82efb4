"""Commands: ``refinery tokenize``, ``refinery shards verify|stats``, ``refinery train-tokenizer``."""

from __future__ import annotations

import posixpath
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from refinery.commands import register_command
from refinery.errors import ConfigError, RefineryError

__all__ = ["shards", "tokenize", "train_tokenizer_command"]

console = Console() if sys.stdout.isatty() else Console(width=120)
err_console = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=120)


def _fail(exc: RefineryError) -> None:
    err_console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    sys.exit(2 if isinstance(exc, ConfigError) else 1)


def sources_table(manifest: dict[str, Any]) -> Table:
    """Per source: documents and tokens in and out, weight, cap, share of the output."""
    total = max(1, int(manifest["totals"]["tokens"]))
    table = Table(title=f"{manifest['format']} shards: tokens per source")
    for col in ("source", "docs in", "tokens in", "weight", "max_tokens", "docs out",
                "tokens out", "share"):  # fmt: skip
        table.add_column(col, justify="left" if col == "source" else "right")
    for src, e in manifest["sources"].items():
        cap = e.get("max_tokens")
        table.add_row(
            src,
            f"{e['docs_in']:,}",
            f"{e['tokens_in']:,}",
            f"{e['weight']:g}",
            "-" if cap is None else f"{cap:,}",
            f"{e['docs_out']:,}",
            f"{e['tokens_out']:,}",
            f"{100 * e['tokens_out'] / total:.1f}%",
        )
    t = manifest["totals"]
    table.add_row("total", "", "", "", "", f"{t['docs']:,}", f"{t['tokens']:,}", "100%")
    return table


@register_command
@click.command("tokenize")
@click.argument("run_dir")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config with an output.format section; default: RUN_DIR/config.yaml (the config as run).",
)
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a value.")
@click.option("--runtime", type=click.Choice(["ray", "local"]), help="Override `runtime`.")
def tokenize(
    run_dir: str, config_path: str | None, overrides: tuple[str, ...], runtime: str | None
) -> None:
    """Write token shards from the text shards of the finished run in RUN_DIR."""
    from refinery.config import load_config

    sets = [*overrides, f"run.output={run_dir}"] + ([f"runtime={runtime}"] if runtime else [])
    try:
        cfg = load_config(config_path or posixpath.join(run_dir, "config.yaml"), sets)
        fmt = cfg.output.format
        if fmt is None:
            raise ConfigError("no output.format section: nothing to write", key="output.format")
        from refinery.shards.phase import run_token_phase

        result = run_token_phase(cfg)
    except RefineryError as exc:
        _fail(exc)
        return
    console.print(sources_table(result.manifest))
    t = result.manifest["totals"]
    console.print(
        f"{t['shards']} shard(s), {t['tokens']:,} tokens in {result.seconds:.1f} s → "
        f"{result.directory}"
    )


@register_command
@click.group("shards")
def shards() -> None:
    """Check and describe the token shards of a run."""


@shards.command("verify")
@click.argument("run_dir")
@click.option("--directory", default="tokens", show_default=True, help="Folder of the shards.")
def verify(run_dir: str, directory: str) -> None:
    """Re-read every token shard: sha256, counts and format invariants against the manifest.

    Exit 1 with the first difference."""
    from refinery.shards.verify import verify_token_shards

    found = verify_token_shards(run_dir, directory)
    if found.problems:
        # one plain line, never wrapped: scripts grep it
        click.echo(f"{run_dir}/{directory} does not check out: {found.problems[0]}", err=True)
        if len(found.problems) > 1:
            click.echo(f"  and {len(found.problems) - 1} more difference(s)", err=True)
        sys.exit(1)
    t = found.manifest["totals"]
    console.print(
        f"[green]OK[/] {t['shards']} shard(s), {found.files_checked} files: sha256, "
        f"{t['docs']:,} docs and {t['tokens']:,} tokens match the manifest"
    )


@shards.command("stats")
@click.argument("run_dir")
@click.option("--directory", default="tokens", show_default=True, help="Folder of the shards.")
def stats(run_dir: str, directory: str) -> None:
    """Tokens per source and the document length histogram of the token shards."""
    import fsspec
    import numpy as np

    from refinery.shards.manifest import read_manifest
    from refinery.shards.verify import length_histogram, read_doc_index

    fs, root = fsspec.core.url_to_fs(run_dir)
    out_dir = posixpath.join(root, directory)
    try:
        manifest = read_manifest(fs, out_dir)
    except (OSError, ValueError) as exc:
        _fail(ConfigError(f"{run_dir}/{directory}/manifest.json: {type(exc).__name__}"))
        return
    console.print(sources_table(manifest))
    counts = [
        read_doc_index(fs, out_dir, s).column("token_count").to_numpy() for s in manifest["shards"]
    ]
    lengths = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    hist = Table(title="document length (tokens)")
    hist.add_column("tokens")
    hist.add_column("docs", justify="right")
    hist.add_column("", justify="left")
    top = max((n for _, n in length_histogram(lengths)), default=1)
    for label, n in length_histogram(lengths):
        hist.add_row(label, f"{n:,}", "█" * max(0, round(30 * n / top)))
    console.print(hist)
    if len(lengths):
        q = np.percentile(lengths, [50, 90, 99])
        console.print(
            f"docs {len(lengths):,}; tokens per doc p50 {q[0]:,.0f}, p90 {q[1]:,.0f}, "
            f"p99 {q[2]:,.0f}; dtype {manifest['dtype']}; tokenizer "
            f"{manifest['tokenizer']['sha256'][:12]}"
        )


@register_command
@click.command("train-tokenizer")
@click.argument("run_dir")
@click.option("--output", "-o", required=True, help="Folder for tokenizer.json.")
@click.option("--vocab-size", default=32000, show_default=True, type=click.IntRange(min=260))
@click.option("--min-frequency", default=2, show_default=True, type=click.IntRange(min=1))
@click.option("--max-docs", type=click.IntRange(min=1), help="Train on the first N documents.")
def train_tokenizer_command(
    run_dir: str, output: str, vocab_size: int, min_frequency: int, max_docs: int | None
) -> None:
    """Train a byte-level BPE tokenizer on the text shards of the run in RUN_DIR."""
    from refinery.shards.train import train_tokenizer

    try:
        info = train_tokenizer(run_dir, output, vocab_size, min_frequency, max_docs)
    except RefineryError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]OK[/] {info['path']}: vocabulary {info['vocab_size']:,}, trained on "
        f"{info['shards']} shard(s); use it as output.format.tokenizer.path: {output}",
        highlight=False,
    )

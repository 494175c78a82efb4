"""``refinery dedup INPUT... --output DIR``: near-duplicate (and optionally exact) removal alone.

Builds the same config a YAML file would (one source per input, reader inferred from the
extension, ``exact_dedup`` optionally, then ``minhash_dedup``) and runs it through the
ordinary pipeline, so the run directory has the usual shards, rejects, stats and manifest,
plus ``clusters/``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

import click

from refinery.commands import register_command

__all__ = ["build_dedup_config", "dedup"]


def _source_name(path: str, taken: set[str]) -> str:
    name = PurePosixPath(path.rstrip("/")).name
    for suffix in (
        ".gz",
        ".zst",
        ".zstd",
        ".bz2",
        ".xz",
        ".jsonl",
        ".json",
        ".parquet",
        ".csv",
        ".tsv",
        ".txt",
    ):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "input"
    unique, i = name, 2
    while unique in taken:
        unique, i = f"{name}_{i}", i + 1
    taken.add(unique)
    return unique


def build_dedup_config(
    inputs: tuple[str, ...] | list[str],
    output: str,
    threshold: float = 0.8,
    exact: bool = False,
    num_perm: int | None = None,
    text_field: str = "text",
    id_field: str | None = None,
    sensitivity: str = "internal",
    runtime: str = "ray",
    num_cpus: int | None = None,
    address: str | None = None,
) -> dict[str, Any]:
    """The raw config dict of a dedup-only run (validated by ``validate_config``)."""
    taken: set[str] = set()
    sources = []
    for path in inputs:
        src: dict[str, Any] = {
            "name": _source_name(path, taken),
            "path": path,
            "sensitivity": sensitivity,
            "text_field": text_field,
        }
        if id_field:
            src["id_field"] = id_field
        sources.append(src)
    minhash: dict[str, Any] = {"stage": "minhash_dedup", "threshold": threshold}
    if num_perm is not None:
        minhash["num_perm"] = num_perm
    stages: list[dict[str, Any]] = [{"stage": "exact_dedup"}] if exact else []
    stages.append(minhash)
    ray: dict[str, Any] = {}
    if num_cpus is not None:
        ray["num_cpus"] = num_cpus
    if address is not None:
        ray["address"] = address
    raw: dict[str, Any] = {
        "run": {"name": "dedup", "output": output},
        "runtime": runtime,
        "sources": sources,
        "stages": stages,
    }
    if ray:
        raw["ray"] = ray
    return raw


@register_command
@click.command("dedup")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", required=True, help="Run directory (local path or fsspec URL).")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.8,
    show_default=True,
    help="Jaccard similarity at or above which two documents are near-duplicates.",
)
@click.option("--exact/--no-exact", default=False, help="Remove exact duplicates first.")
@click.option("--num-perm", type=int, default=None, help="MinHash permutations (default 256).")
@click.option("--text-field", default="text", show_default=True, help="Field holding the text.")
@click.option("--id-field", default=None, help="Field holding a stable id (default: file + line).")
@click.option(
    "--sensitivity",
    type=click.Choice(["public", "internal", "confidential"]),
    default="internal",
    show_default=True,
)
@click.option("--runtime", type=click.Choice(["ray", "local"]), default="ray", show_default=True)
@click.option("--num-cpus", type=int, default=None, help="CPUs for embedded Ray.")
@click.option("--address", default=None, help="Ray cluster address; default: embedded Ray.")
@click.option(
    "--overwrite", is_flag=True, help="Replace an earlier run in DIR (only the files it wrote)."
)
def dedup(
    inputs: tuple[str, ...],
    output: str,
    threshold: float,
    exact: bool,
    num_perm: int | None,
    text_field: str,
    id_field: str | None,
    sensitivity: str,
    runtime: str,
    num_cpus: int | None,
    address: str | None,
    overwrite: bool,
) -> None:
    """Remove near-duplicates from INPUT files (JSONL, Parquet, CSV, text; compressed too).

    Kept documents go to DIR/shards, removed ones to DIR/rejects with the id of the document
    kept in their place, and every cluster of two or more to DIR/clusters.
    """
    from refinery.config import validate_config
    from refinery.errors import RefineryError

    raw = build_dedup_config(
        inputs,
        output,
        threshold,
        exact,
        num_perm,
        text_field,
        id_field,
        sensitivity,
        runtime,
        num_cpus,
        address,
    )
    try:
        from refinery.pipeline import run_pipeline

        result = run_pipeline(validate_config(raw), existing="overwrite" if overwrite else "refuse")
    except RefineryError as exc:
        raise click.ClickException(str(exc)) from None
    stats = result.stats
    click.echo(
        f"{stats['docs_in']:,} docs in → {stats['docs_out']:,} kept, "
        f"{stats['docs_rejected']:,} removed; run directory: {result.run_dir} "
        "(shards/, rejects/, clusters/)"
    )

"""``refinery pii-scan`` and ``refinery pii-detect``: PII audits without writing shards.

``pii-scan CONFIG`` reads every source of a run config (in this process, no Ray), runs the
detector over each document and reports counts per entity type and source, plus a few
*masked* contexts per type: a short window around a detection in which every detected entity
is replaced by its tag, so the report shows what kind of text was found, never a value.

``pii-detect INPUT.jsonl --output OUT.jsonl`` reads lines ``{"id", "text"}`` and writes lines
``{"id", "entities": [{"start", "end", "type"}]}`` with character offsets into the text and
the stage's type names, for auditors and for evaluation against labelled data.

Neither command prints document text; errors name the file and line, not the content.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from typing import IO, Any

import click

from refinery.commands import overrides_option, register_command

__all__ = ["pii_detect", "pii_scan"]

_CONTEXT_CHARS = 16


def _detector(entities: tuple[str, ...] | list[str] | None) -> Any:
    from stages.pii.detector import PiiDetector

    try:
        detector = PiiDetector(list(entities) if entities else None)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--entities") from None
    detector.setup()
    return detector


def _split_types(value: str | None) -> tuple[str, ...]:
    return tuple(t.strip().upper() for t in value.split(",") if t.strip()) if value else ()


def masked_context(text: str, entities: list[Any], index: int, width: int = _CONTEXT_CHARS) -> str:
    """The window around ``entities[index]`` with every entity in it replaced by ``[TYPE]``."""
    target = entities[index]
    lo, hi = max(0, target.start - width), min(len(text), target.end + width)
    parts: list[str] = []
    pos = lo
    for ent in entities:
        if ent.end <= lo or ent.start >= hi:
            continue
        parts.append(text[pos : max(pos, ent.start)])
        parts.append(f"[{ent.type}]")
        pos = max(pos, ent.end)
    parts.append(text[pos:hi])
    out = "".join(parts).replace("\n", " ")
    # Cut at the window edges only where a detection did not already end the text.
    return ("…" if lo > 0 else "") + out + ("…" if hi < len(text) else "")


@register_command
@click.command("pii-scan")
@click.argument("config", type=click.Path(dir_okay=False))
@overrides_option()
@click.option(
    "--limit", type=int, default=None, help="Documents to scan per source (default: all)."
)
@click.option(
    "--samples", type=int, default=3, show_default=True, help="Masked contexts per type and source."
)
@click.option(
    "--entities",
    default=None,
    help="Comma-separated types to detect (default: those of the config's pii_redact stage, else all).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the report as JSON.",
)
def pii_scan(
    config: str,
    overrides: tuple[str, ...],
    limit: int | None,
    samples: int,
    entities: str | None,
    json_path: str | None,
) -> None:
    """Audit the sources of CONFIG for personal data: counts per type and source, masked samples."""
    from refinery.config import load_config
    from refinery.errors import ConfigError, RefineryError
    from refinery.io import load_builtin_readers
    from refinery.io.readers import get_reader
    from refinery.stage import REJECT_REASON

    try:
        cfg = load_config(config, list(overrides))
        types = _split_types(entities)
        if not types:
            for spec in cfg.stages:
                configured = getattr(spec.config, "entities", None)
                if spec.stage == "pii_redact" and configured:
                    types = tuple(configured)
                    break
        detector = _detector(types or None)
        load_builtin_readers()
        report: dict[str, Any] = {"sources": {}, "totals": {}}
        totals: Counter[str] = Counter()
        for index, src in enumerate(cfg.sources):
            reader = get_reader(src.reader or "")
            counts: Counter[str] = Counter()
            contexts: dict[str, list[str]] = defaultdict(list)
            docs = docs_with_pii = unreadable = 0
            for task in reader.plan(src, index):
                for batch in reader.read(src, task):
                    reasons = batch[REJECT_REASON].to_pylist()
                    for text, reason in zip(batch["text"].to_pylist(), reasons, strict=True):
                        if limit is not None and docs >= limit:
                            break
                        if reason is not None or text is None:
                            unreadable += 1
                            continue
                        docs += 1
                        found = detector.detect(text)
                        if found:
                            docs_with_pii += 1
                        for k, ent in enumerate(found):
                            counts[ent.type] += 1
                            if len(contexts[ent.type]) < samples:
                                contexts[ent.type].append(masked_context(text, found, k))
            totals.update(counts)
            report["sources"][src.name] = {
                "sensitivity": src.sensitivity,
                "documents": docs,
                "documents_with_pii": docs_with_pii,
                "unreadable": unreadable,
                "counts": dict(sorted(counts.items())),
                "samples": {t: contexts[t] for t in sorted(contexts)},
            }
        report["totals"] = dict(sorted(totals.items()))
    except RefineryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, ConfigError) else 1)
    _print_scan(report)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=2)


def _print_scan(report: dict[str, Any]) -> None:
    for name, src in report["sources"].items():
        click.echo(
            f"source {name} ({src['sensitivity']}): {src['documents']} documents, "
            f"{src['documents_with_pii']} with PII, {src['unreadable']} unreadable"
        )
        for kind, n in src["counts"].items():
            click.echo(f"  {kind:<14}{n:>8}")
            for sample in src["samples"].get(kind, []):
                click.echo(f"      {sample}")
    click.echo("totals: " + (", ".join(f"{k}={v}" for k, v in report["totals"].items()) or "none"))


@register_command
@click.command("pii-detect")
@click.argument("input_path", metavar="INPUT.jsonl", type=click.File("rb"))
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    show_default=True,
    help="Where to write the entity lines.",
)
@click.option("--entities", default=None, help="Comma-separated types to detect (default: all).")
def pii_detect(input_path: IO[bytes], output: IO[str], entities: str | None) -> None:
    """Detect PII in INPUT.jsonl lines {"id", "text"}; write {"id", "entities": [...]} lines.

    A line that is not a JSON object with a string text is skipped: its file, line number and
    reason (never its content) go to the error stream, the other lines are still read, and the
    command exits with status 1 after saying how many lines it skipped."""
    detector = _detector(_split_types(entities) or None)
    name = getattr(input_path, "name", "INPUT")
    read = skipped = 0
    for line_no, raw in enumerate(input_path, start=1):
        if not raw.strip():
            continue
        read += 1
        record, reason = _record(raw)
        if record is None:
            skipped += 1
            click.echo(f"{name}:{line_no}: skipped: {reason}", err=True)
            continue
        ents = [
            {"start": e.start, "end": e.end, "type": e.type}
            for e in detector.detect(record["text"])
        ]
        output.write(
            json.dumps({"id": record.get("id"), "entities": ents}, ensure_ascii=False) + "\n"
        )
    if skipped:
        raise click.ClickException(
            f"{name}: skipped {skipped} of {read} lines (reasons above); the others were written"
        )


def _record(raw: bytes) -> tuple[dict[str, Any] | None, str]:
    """The line's object, or None and why it is not one (no content in the reason)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"not UTF-8 (byte {e.start})"
    try:
        record = json.loads(line)
    except ValueError:
        return None, "not JSON"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if not isinstance(record.get("text"), str):
        return None, 'no string "text"'
    return record, ""

"""Plan and run: validate a ``RunConfig`` into a ``Plan``, execute it, write the run directory.

A run directory holds::

    config.yaml      the config as run (extends and --set applied, ${VAR} references kept)
    stats.json       totals and per-stage counters (docs/bytes in and out, rejects by reason)
    manifest.json    every file written: path, rows, bytes, sha256
    shards/          kept documents, Parquet (zstd), part-TTTTT-CCCCC-NNNNN.parquet
    rejects/<stage>/ rejected documents with reject_stage and reject_reason, named alike
    _work/           while the run is unfinished: its plan, completion markers, checkpoints

Workers write shards and rejects, named after the read task (TTTTT), the chunk of it
(CCCCC) and the file of the chunk (NNNNN): see ``refinery.runtime.chunks``. The driver sums
the chunks' summaries (``refinery.runtime.segments``). Every file is written under a
temporary name and renamed when complete; a directory that holds an earlier run is refused
unless the caller asks to overwrite it (``refinery.rundir``) or to resume it
(``refinery.resume``).

Accounting is checked at the end of every run: for each stage and the whole run,
docs_in == docs_out + docs_rejected, each stage's output is the next stage's input, and the
files hold exactly what the counters say. A run that does not reconcile raises
``AccountingError`` (after writing stats.json with ``"reconciled": false``).
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from refinery.config import RunConfig, dump_resolved
from refinery.errors import AccountingError, OutputError, PlanError, SourceError
from refinery.experiments import stagecache
from refinery.io.manifest import build_manifest, write_json, write_text
from refinery.io.readers import ReadTask, get_reader
from refinery.io.writers import FileDigest
from refinery.privacy import ReadGuard, id_source_field
from refinery.resume import check_same_run, plan_record, segment_keys, task_fingerprints
from refinery.rundir import MANIFEST, ExistingRun, check_output_location, prepare_run_dir
from refinery.runtime.apply import READ_STAGE
from refinery.runtime.chunks import ChunkJob, OutputSpec
from refinery.runtime.counters import Counters, StageTotals
from refinery.runtime.segments import Executor, drive, plan_segments
from refinery.runtime.workdir import WorkDir
from refinery.stage import CORE_COLUMNS

__all__ = [
    "Plan",
    "RunResult",
    "build_plan",
    "check_accounting",
    "check_governance",
    "run_pipeline",
]


@dataclass
class Plan:
    cfg: RunConfig
    tasks: list[ReadTask]
    #: columns present after each stage, in order (index 0: after reading)
    columns: list[list[str]]
    run_dir_url: str
    #: what stats.json records of the confidential sources' protection (``governance``)
    governance: dict[str, Any] = field(default_factory=dict)

    @property
    def stage_names(self) -> list[str]:
        return [READ_STAGE, *(s.name for s in self.cfg.stages)]


@dataclass
class RunResult:
    run_dir: str
    stats: dict[str, Any]
    files: list[str] = field(default_factory=list)
    #: files in the run directory that the run did not write and left alone (relative paths)
    kept_user_files: list[str] = field(default_factory=list)
    #: what went wrong without failing the run (e.g. report.html could not be built)
    warnings: list[str] = field(default_factory=list)
    #: chunks the run cut its partitions into
    chunks: int = 0
    #: chunk completions (over all segments) an earlier, interrupted attempt had finished
    skipped_chunks: int = 0


def build_plan(cfg: RunConfig) -> Plan:
    """Everything that can be checked before running: paths, formats, columns, governance,
    and that the run directory can be written."""
    import fsspec

    from refinery.io import load_builtin_readers

    load_builtin_readers()
    tasks: list[ReadTask] = []
    for i, src in enumerate(cfg.sources):
        reader = get_reader(src.reader or "")
        try:
            tasks += reader.plan(src, i)
        except SourceError:
            raise
        except (OSError, ValueError) as exc:
            raise SourceError(f"source {src.name!r} ({src.reader}): {exc}") from None
    available = list(CORE_COLUMNS)
    columns = [list(available)]
    for i, spec in enumerate(cfg.stages):
        stage = spec.build()
        missing = [c for c in stage.reads() if c not in available]
        if missing:
            raise PlanError(
                f"stage {spec.name!r} reads {missing}, which no source or earlier stage provides. "
                f"Available here: {', '.join(available)}",
                key=f"stages.{i}",
            )
        available += [c for c in stage.writes() if c not in available]
        columns.append(list(available))
    governance = check_governance(cfg)
    check_output_location(*fsspec.core.url_to_fs(cfg.output_dir))
    return Plan(
        cfg=cfg, tasks=tasks, columns=columns, run_dir_url=cfg.output_dir, governance=governance
    )


def check_governance(cfg: RunConfig) -> dict[str, Any]:
    """Confidential rows must pass a redacting stage that covers their text and every
    identifier type (or waives it with a reason), and ids taken from their data need the
    HMAC key. Returns what ``stats.json`` records of it (``governance``)."""
    confidential = [s for s in cfg.sources if s.sensitivity == "confidential"]
    if not confidential:
        return {"confidential_sources": []}
    names = [s.name for s in confidential]
    redactors = [
        (i, spec, spec.build().pii_coverage())
        for i, spec in enumerate(cfg.stages)
        if spec.cls.redacts_pii
    ]
    if not redactors:
        raise PlanError(
            f"source(s) {names} are confidential, but no PII redaction stage "
            "(e.g. `- stage: pii_redact`) is in `stages`; confidential text would reach the "
            "shards unredacted",
            key="stages",
        )
    covering = [r for r in redactors if r[2] is not None and "text" in r[2].columns]
    if not covering:
        i, spec, cov = redactors[0]
        scanned = sorted(cov.columns) if cov is not None else []
        raise PlanError(
            f"source(s) {names} are confidential, but {spec.name!r} redacts {scanned}, not "
            "`text`: confidential text would reach the shards unredacted",
            key=f"stages.{i}({spec.name})",
        )
    complete = [r for r in covering if r[2] is not None and not r[2].missing()]
    if not complete:
        i, spec, cov = covering[0]
        assert cov is not None
        raise PlanError(
            f"source(s) {names} are confidential, but {spec.name!r} leaves out the entity "
            f"types {cov.missing()}: add them to `entities`, or waive each one with a reason, "
            'e.g. `waive: {PASSPORT: "no travel documents in this table"}` (recorded in '
            "stats.json)",
            key=f"stages.{i}({spec.name}).entities",
        )
    ReadGuard.from_sources(cfg.sources).check_keys()
    _, spec, cov = complete[0]
    assert cov is not None
    ids = {}
    for src in confidential:
        if id_source_field(src) is None:
            ids[src.name] = "derived"
        else:
            ids[src.name] = "pseudonymized" if src.ids == "pseudonymize" else "kept (declared safe)"
    return {
        "confidential_sources": names,
        "redaction_stage": spec.name,
        "waivers": dict(sorted(cov.waived.items())),
        "ids": ids,
        "meta_fields": {
            s.name: list(getattr(s, "meta_columns", None) or s.meta_fields or [])
            for s in confidential
        },
    }


def _stages_after_redaction(cfg: RunConfig) -> set[str]:
    """The redacting stage itself and every stage after it: their rejects carry redacted text."""
    names: set[str] = set()
    seen = False
    for spec in cfg.stages:
        seen = seen or spec.cls.redacts_pii
        if seen:
            names.add(spec.name)
    return names


def check_accounting(
    totals: list[StageTotals], shard_rows: int, reject_rows: dict[str, int]
) -> list[str]:
    """Every way the counters can fail to reconcile, as readable lines (empty: all good)."""
    problems = []
    for t in totals:
        if t.docs_in != t.docs_out + t.docs_rejected:
            problems.append(
                f"stage {t.name!r}: docs_in {t.docs_in} != docs_out {t.docs_out} + rejected "
                f"{t.docs_rejected} ({t.docs_in - t.docs_out - t.docs_rejected:+d} unaccounted)"
            )
    for a, b in zip(totals, totals[1:], strict=False):
        if a.docs_out != b.docs_in:
            problems.append(
                f"stage {b.name!r} received {b.docs_in} docs but {a.name!r} passed on {a.docs_out}"
            )
    if totals and totals[-1].docs_out != shard_rows:
        problems.append(
            f"shards hold {shard_rows} docs but the last stage {totals[-1].name!r} kept {totals[-1].docs_out}"
        )
    for t in totals:
        written = reject_rows.get(t.name, 0)
        if written != t.docs_rejected:
            problems.append(
                f"rejects of {t.name!r}: {written} rows written, {t.docs_rejected} counted"
            )
    for name in set(reject_rows) - {t.name for t in totals}:
        problems.append(f"rejects name an unknown stage {name!r} ({reject_rows[name]} rows)")
    return problems


def run_pipeline(
    cfg: RunConfig,
    on_progress: Callable[[Callable[[], list[StageTotals]]], Any] | None = None,
    existing: ExistingRun = "refuse",
) -> RunResult:
    """Run ``cfg`` end to end and return the stats; raises ``AccountingError`` if they don't add up.

    ``on_progress`` receives a function returning the live per-stage totals; the CLI uses
    it for its progress display. It must return a context manager. ``existing``: what to do
    when the run directory holds an earlier run (``refuse``: ``OutputError``; ``overwrite``:
    delete what that run wrote, nothing else; ``resume``: finish an interrupted run of the
    same config and inputs; see ``refinery.rundir`` and ``refinery.resume``).
    """
    import fsspec

    plan = build_plan(cfg)
    stagecache.check_config(cfg)
    fs, run_dir = fsspec.core.url_to_fs(cfg.output_dir)
    work = WorkDir(fs, run_dir)
    if existing == "resume" and not fs.exists(work.plan_path):
        if fs.exists(posixpath.join(run_dir, MANIFEST)):
            raise OutputError(f"{run_dir} holds a finished run (manifest.json): nothing to resume")
        existing = "overwrite"  # stopped before its plan was recorded: nothing to keep
    record = plan_record(plan)
    if existing == "resume":
        check_same_run(work, record)
    user_files = prepare_run_dir(fs, run_dir, existing)
    if existing != "resume":
        write_text(fs, posixpath.join(run_dir, "config.yaml"), dump_resolved(cfg))
        work.write_marker(work.plan_path, record)
    segments = plan_segments(cfg.stages)
    stage_index = {spec.name: i for i, spec in enumerate(cfg.stages)}
    closers = [stage_index[s.closer.name] if s.closer else len(cfg.stages) for s in segments]
    output = OutputSpec(
        shard_bytes=int(cfg.output.shard_size_mb * 1024 * 1024),
        compression=cfg.output.compression,
        row_group_rows=cfg.output.row_group_rows,
        write_rejects=cfg.output.rejects.write,
        confidential_text=cfg.output.rejects.confidential_text,
        stages_after_redaction=frozenset(_stages_after_redaction(cfg)),
    )
    job = ChunkJob(
        run_url=cfg.output_dir,
        sources=list(cfg.sources),
        tasks=plan.tasks,
        output=output,
        task_fingerprints=task_fingerprints(record, plan),
        segment_keys=segment_keys(record, plan, closers),
        cache=stagecache.plan_for_run(cfg, segments, record, output),
    )
    executor: Executor
    if cfg.runtime == "local":
        from refinery.runtime.local import LocalExecutor

        executor = LocalExecutor(plan, job)
    else:
        from refinery.runtime.ray_executor import RayExecutor

        executor = RayExecutor(plan, job)

    counters = Counters(plan.stage_names)
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    progress = on_progress(counters.snapshot) if on_progress else None
    try:
        if progress is not None:
            progress.__enter__()
        done = drive(executor, segments, counters)
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)
    seconds = time.perf_counter() - t0
    totals = counters.snapshot()
    shard_rows = sum(int(f["rows"]) for f in done.files if f["stage"] is None)
    if cfg.output.rejects.write:
        reject_rows: dict[str, int] = {}
        for f in done.files:
            if f["stage"] is not None:
                reject_rows[f["stage"]] = reject_rows.get(f["stage"], 0) + int(f["rows"])
    else:
        reject_rows = {t.name: t.docs_rejected for t in totals if t.docs_rejected}
    problems = check_accounting(totals, shard_rows, reject_rows)
    stats = _stats(cfg, totals, shard_rows, done.kept_bytes, seconds, started, problems)
    stats["governance"] = plan.governance
    write_json(fs, posixpath.join(run_dir, "stats.json"), stats)
    written = {
        posixpath.join(run_dir, f["path"]): FileDigest(f["rows"], f["bytes"], f["sha256"])
        for f in done.files
    }
    scratch = [posixpath.relpath(p, run_dir) for p in fs.find(work.root)]
    manifest = build_manifest(fs, run_dir, written, skip=[*user_files, *scratch])
    write_json(fs, posixpath.join(run_dir, MANIFEST), manifest)
    work.remove()  # the run is complete: its markers and checkpoints go
    from refinery.experiments.report import try_write_report  # never raises: a warning

    # the shards are scanned where the chunks ran (Ray tasks), not in the driver
    report_warning = try_write_report(fs, run_dir, map_parts=executor.map_calls)
    if problems:
        raise AccountingError(
            "the run does not reconcile; documents were lost without a recorded reason:\n  "
            + "\n  ".join(problems)
        )
    if cfg.output.format is not None:
        from refinery.shards.phase import run_token_phase

        run_token_phase(cfg)  # token shards from the text shards just written (refinery.shards)
    return RunResult(
        run_dir=cfg.output_dir,
        stats=stats,
        files=[f["path"] for f in manifest["files"]],
        kept_user_files=user_files,
        warnings=[report_warning] if report_warning else [],
        chunks=done.chunks,
        skipped_chunks=done.skipped,
    )


def _stats(
    cfg: RunConfig,
    totals: list[StageTotals],
    docs_out: int,
    bytes_out: int,
    seconds: float,
    started: datetime,
    problems: list[str],
) -> dict[str, Any]:
    first = totals[0] if totals else StageTotals(name=READ_STAGE)
    docs_rejected = sum(t.docs_rejected for t in totals)
    return {
        "run": cfg.run.name,
        "started": started.isoformat(timespec="seconds"),
        "runtime": cfg.runtime,
        "docs_in": first.docs_in,
        "docs_out": docs_out,
        "docs_rejected": docs_rejected,
        "bytes_in": first.bytes_in,
        "bytes_out": bytes_out,
        "seconds": round(seconds, 3),
        "reconciled": not problems,
        "problems": problems,
        "stages": [t.to_dict() for t in totals],
    }

"""Scheduled cluster runs: ``refinery submit`` and ``refinery jobs`` over Ray's Job Submission API.

``submit`` validates the config here (keys, stages, governance), then hands the cluster a job
whose entrypoint is ``python -m refinery.cli run CONFIG --address auto``: the working
directory travels as the job's runtime environment (Ray uploads it), with the config inside
it still holding its ``${VAR}`` references. The values of the variables the config refers to,
and of the key and password variables its sources and stages name, go to the job as
environment variables, so a secret is never written into a file the job carries. Only their
names are printed.

Ray's Job API is served by the head node's dashboard (port 8265 by default); the client needs
``ray[default]`` (Refinery's ``cluster`` extra). ``--address`` defaults to
``$RAY_API_SERVER_ADDRESS`` or ``$RAY_ADDRESS`` as in Ray's own CLI.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from refinery.errors import ConfigError, RefineryError

__all__ = ["job_env_names", "jobs", "submit", "submission_runtime_env"]

#: Never uploaded with the working directory: environments, caches, run outputs, VCS data.
EXCLUDES = [".venv", "venv", ".git", "runs", "__pycache__", "*.pyc", ".pytest_cache"]
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}")
#: Config keys whose value is the *name* of an environment variable holding a secret.
_ENV_NAME_KEYS = ("key_env", "id_key_env", "password_env")
_TERMINAL = {"SUCCEEDED", "FAILED", "STOPPED"}


def _walk(node: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k), v
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def job_env_names(raw: dict[str, Any], cfg: Any) -> list[str]:
    """Environment variables the job needs: ``${VAR}`` references of the config, and the
    variables its sources and stages name for keys and passwords (with their defaults)."""
    names: set[str] = set()
    for key, value in _walk(raw):
        if isinstance(value, str):
            names.update(_VAR.findall(value))
        if key in _ENV_NAME_KEYS and isinstance(value, str):
            names.add(value)
    for src in cfg.sources:
        if src.sensitivity == "confidential":
            names.add(src.id_key_env)
        if getattr(src, "password_env", None):
            names.add(src.password_env)
    for spec in cfg.stages:
        key_env = getattr(spec.config, "key_env", None)
        if isinstance(key_env, str):
            names.add(key_env)
    return sorted(names)


def submission_runtime_env(
    working_dir: Path, env_names: list[str], pip: list[str] | None, environ: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """The job's runtime environment and the names of the variables it passes (set here)."""
    passed = [n for n in env_names if environ.get(n)]
    runtime_env: dict[str, Any] = {"working_dir": str(working_dir), "excludes": list(EXCLUDES)}
    if passed:
        runtime_env["env_vars"] = {n: environ[n] for n in passed}
    if pip:
        runtime_env["pip"] = list(pip)
    return runtime_env, passed


def _client(address: str | None) -> Any:
    try:
        from ray.job_submission import JobSubmissionClient
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ConfigError(
            f"the Ray Job API client needs ray[default] (pip install 'refinery[cluster]'): {exc}"
        ) from None
    address = address or os.environ.get("RAY_API_SERVER_ADDRESS") or os.environ.get("RAY_ADDRESS")
    if not address:
        raise ConfigError(
            "no Ray cluster to submit to: give --address http://HEAD:8265 "
            "(or set RAY_API_SERVER_ADDRESS)"
        )
    try:
        return JobSubmissionClient(address)
    except Exception as exc:  # connection refused, wrong port, auth: Ray raises several kinds
        raise ConfigError(f"cannot reach the Ray Job API at {address}: {exc}") from None


T = TypeVar("T")


def _fail(exc: RefineryError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2 if isinstance(exc, ConfigError) else 1)


def _follow(client: Any, job_id: str, poll: float) -> str:
    """Print the job's log as it grows until the job ends; return its final status."""
    shown = 0
    while True:
        status = str(client.get_job_status(job_id).value)
        logs = client.get_job_logs(job_id)
        if len(logs) > shown:
            click.echo(logs[shown:], nl=False)
            shown = len(logs)
        if status in _TERMINAL:
            return status
        time.sleep(poll)


_address_option = click.option(
    "--address",
    help="Ray Job API address, e.g. http://HEAD:8265 (default: $RAY_API_SERVER_ADDRESS).",
)


@click.command()
@click.argument("config", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a config value by dotted path (passed to the job's `refinery run`).",
)
@_address_option
@click.option(
    "--working-dir",
    type=click.Path(file_okay=False, exists=True),
    default=".",
    show_default=True,
    help="Directory uploaded as the job's working directory; CONFIG must be inside it.",
)
@click.option(
    "--pip", "pip", multiple=True, help="Package to pip-install for the job (repeatable)."
)
@click.option("--job-id", help="Submission id to use (default: chosen by Ray).")
@click.option(
    "--follow", is_flag=True, help="Print the job's log until it ends; exit 1 unless it succeeds."
)
def submit(
    config: str,
    overrides: tuple[str, ...],
    address: str | None,
    working_dir: str,
    pip: tuple[str, ...],
    job_id: str | None,
    follow: bool,
) -> None:
    """Validate CONFIG here and submit its run to a Ray cluster as a job; print the job id."""
    from refinery.config import load_config, load_raw_config
    from refinery.pipeline import check_governance

    root = Path(working_dir).resolve()
    path = Path(config).resolve()
    try:
        if not path.is_relative_to(root):
            raise ConfigError(
                f"{config} is outside the working directory {root}; the job sees only "
                "what --working-dir uploads"
            )
        raw = load_raw_config(path, list(overrides))
        cfg = load_config(path, list(overrides))
        check_governance(cfg)
        names = job_env_names(raw, cfg)
        runtime_env, passed = submission_runtime_env(
            root, names, list(pip) or None, dict(os.environ)
        )
        parts = ["python", "-m", "refinery.cli", "run", path.relative_to(root).as_posix()]
        for item in overrides:
            parts += ["--set", item]
        parts += ["--address", "auto", "--quiet"]
        client = _client(address)
        submitted = client.submit_job(
            entrypoint=shlex.join(parts),
            runtime_env=runtime_env,
            submission_id=job_id,
            metadata={"refinery_run": cfg.run.name},
        )
    except RefineryError as exc:
        _fail(exc)
        return
    click.echo(f"submitted job {submitted} (run {cfg.run.name!r}, config {path.name})")
    if passed:
        click.echo(f"environment passed to the job: {', '.join(passed)} (values not shown)")
    missing = [n for n in names if n not in passed]
    if missing:
        click.echo(f"not set here, so not passed: {', '.join(missing)}")
    click.echo(submitted)
    if follow:
        status = _follow(client, submitted, poll=1.0)
        click.echo(f"job {submitted}: {status}")
        sys.exit(0 if status == "SUCCEEDED" else 1)


@click.group()
def jobs() -> None:
    """Follow and control runs submitted to a Ray cluster (list, status, logs, stop)."""


@jobs.command("list")
@_address_option
def list_jobs(address: str | None) -> None:
    """Every job the cluster knows, newest first: id, status, run, start time."""
    try:
        client = _client(address)
    except RefineryError as exc:
        _fail(exc)
        return
    infos = sorted(client.list_jobs(), key=lambda j: j.start_time or 0, reverse=True)
    for info in infos:
        started = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.start_time / 1000))
            if info.start_time
            else "-"
        )
        run = (info.metadata or {}).get("refinery_run", "-")
        click.echo(f"{info.submission_id or info.job_id}\t{info.status.value}\t{run}\t{started}")


def _on_job(address: str | None, job_id: str, call: Callable[[Any], T]) -> T:
    """``call(client)`` for one job; a missing cluster or job ends the command with ``error:``."""
    try:
        return call(_client(address))
    except RefineryError as exc:
        _fail(exc)
    except RuntimeError as exc:  # Ray's client raises it for an unknown job id
        _fail(ConfigError(f"no job {job_id!r}: {exc}"))


@jobs.command()
@click.argument("job_id")
@_address_option
def status(job_id: str, address: str | None) -> None:
    """The job's status; exit 0 when it succeeded, 1 when it failed or was stopped, 3 while it runs."""
    info = _on_job(address, job_id, lambda client: client.get_job_info(job_id))
    click.echo(f"{job_id}\t{info.status.value}\t{info.message or ''}".rstrip())
    state = str(info.status.value)
    sys.exit(0 if state == "SUCCEEDED" else 1 if state in _TERMINAL else 3)


@jobs.command()
@click.argument("job_id")
@_address_option
@click.option("--follow", is_flag=True, help="Keep printing until the job ends.")
def logs(job_id: str, address: str | None, follow: bool) -> None:
    """The job's log (the run's progress and summary)."""
    if follow:
        _on_job(address, job_id, lambda client: _follow(client, job_id, poll=1.0))
    else:
        click.echo(_on_job(address, job_id, lambda c: c.get_job_logs(job_id)), nl=False)


@jobs.command()
@click.argument("job_id")
@_address_option
def stop(job_id: str, address: str | None) -> None:
    """Ask the cluster to stop the job."""
    stopped = _on_job(address, job_id, lambda client: client.stop_job(job_id))
    click.echo(f"{job_id}: {'stop requested' if stopped else 'already finished'}")

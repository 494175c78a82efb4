"""Sweeps: one run per combination of config values, side by side in one directory.

Axes come from ``--sweep KEY=V1,V2,...`` (values parsed as one YAML flow list, so
``0.5,0.6`` are numbers and ``[en],[en,zh]`` lists) and from a ``sweep:`` section of the
config (``KEY: [V1, V2]``); a key given on the command line replaces the config's. Several
axes give their cross product, in the order given (the last axis varies fastest).

Each variant is the config with ``--set KEY=VALUE`` applied for its values (the same
machinery as ``--set``), the ``sweep:`` section removed, and its own run directory under the
sweep directory (``run.output`` of the base config)::

    runs/exp/                      the sweep directory
      sweep.json                   the index: axes, and per variant its values and status
      comparison.md, comparison.html
      00-threshold=0.5/            a complete run directory (config.yaml reruns it alone)
      01-threshold=0.6/ ...

Every variant is validated and planned before the first one runs, so a bad key or value
fails at once, naming the key. A variant that fails at run time is recorded as ``failed``
in ``sweep.json`` and the others still run.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from refinery.config import RunConfig, load_raw_config, validate_config
from refinery.errors import ConfigError, OutputError, RefineryError
from refinery.experiments.compare import SWEEP_INDEX

__all__ = ["SweepPlan", "Variant", "parse_sweep_option", "plan_sweep", "run_sweep", "wants_sweep"]

_FORBIDDEN = ("run.output", "run.name", "sweep", "extends")  # and whatever lies under them
_SAFE = re.compile(r"[^A-Za-z0-9._=,+-]")


@dataclass
class Variant:
    index: int
    dir: str
    values: dict[str, Any]
    cfg: RunConfig
    status: str = "pending"
    error: str | None = None
    docs_out: int | None = None
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "dir": self.dir,
            "run": self.cfg.run.name,
            "values": self.values,
            "status": self.status,
            "error": self.error,
            "docs_out": self.docs_out,
            "seconds": self.seconds,
        }


@dataclass
class SweepPlan:
    config_path: str
    sweep_dir: str
    axes: dict[str, list[Any]]
    variants: list[Variant] = field(default_factory=list)

    def index(self) -> dict[str, Any]:
        return {
            "version": 1,
            "config": self.config_path,
            "axes": self.axes,
            "variants": [v.to_dict() for v in self.variants],
            "comparison": ["comparison.md", "comparison.html"],
        }


def parse_sweep_option(text: str) -> tuple[str, list[Any]]:
    """``KEY=V1,V2,...`` → ``(KEY, [V1, V2, ...])``; values are YAML, as with ``--set``."""
    key, sep, values = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"--sweep expects KEY=V1,V2,..., got {text!r}")
    try:
        parsed = yaml.safe_load(f"[{values}]")
    except yaml.YAMLError:
        raise ConfigError(
            "cannot read the values as a comma-separated YAML list", key=f"--sweep {key}"
        ) from None
    return key, _check_axis(key, parsed, f"--sweep {key}")


def _check_axis(key: str, values: Any, where: str) -> list[Any]:
    if key == "run" or any(key == k or key.startswith(k + ".") for k in _FORBIDDEN):
        raise ConfigError(
            "cannot be swept (each variant gets its own run directory and name)", key=where
        )
    if not isinstance(values, list) or not values:
        raise ConfigError("needs a non-empty list of values", key=where)
    dumped = [json.dumps(v, sort_keys=True, default=str) for v in values]
    repeats = sorted({d for d in dumped if dumped.count(d) > 1})
    if repeats:
        raise ConfigError(f"repeats the value(s) {', '.join(repeats)}", key=where)
    return values


def wants_sweep(config: str, overrides: list[str]) -> bool:
    """Whether CONFIG (with ``--set`` overrides) has a non-empty ``sweep:`` section."""
    return bool(load_raw_config(config, overrides).get("sweep"))


def plan_sweep(config: str, overrides: list[str], sweeps: list[str]) -> SweepPlan:
    """Every variant, validated and planned; raises ``ConfigError`` naming the key at fault."""
    from refinery.pipeline import build_plan

    raw = load_raw_config(config, overrides)
    section = raw.pop("sweep", None) or {}
    if not isinstance(section, dict):
        raise ConfigError("a mapping of dotted keys to lists of values", key="sweep")
    axes = {str(k): _check_axis(str(k), v, f"sweep.{k}") for k, v in section.items()}
    for text in sweeps:
        key, axis = parse_sweep_option(text)
        axes.pop(key, None)
        axes[key] = axis
    if not axes:
        raise ConfigError("nothing to sweep: give --sweep KEY=V1,V2 or a `sweep:` section")
    base = validate_config(raw)
    short = _short_keys(list(axes))
    plan = SweepPlan(config_path=str(config), sweep_dir=base.output_dir, axes=axes)
    for i, combo in enumerate(itertools.product(*axes.values())):
        values = dict(zip(axes, combo, strict=True))
        name = f"{i:02d}-" + ",".join(f"{short[k]}={_label(v)}" for k, v in values.items())
        name = _SAFE.sub("_", name)[:80]
        sets = [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
        sets += [
            f"run.output={posixpath.join(base.output_dir, name)}",
            f"run.name={base.run.name}-{name}",
        ]
        cfg = _variant_config(config, overrides, sets, values)
        build_plan(cfg)
        plan.variants.append(Variant(index=i, dir=name, values=values, cfg=cfg))
    return plan


def _variant_config(
    config: str, overrides: list[str], sets: list[str], values: dict[str, Any]
) -> RunConfig:
    where = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in values.items())
    try:
        raw = load_raw_config(config, [*overrides, *sets])
        raw.pop("sweep", None)
        cfg = validate_config(raw)
    except ConfigError as exc:
        raise ConfigError(f"the variant {where} is invalid: {exc}") from None
    cfg.config_path = str(config)
    return cfg


def _short_keys(keys: list[str]) -> dict[str, str]:
    """The last part of each key (``threshold``), or more of it where two would clash."""
    for depth in range(1, max(k.count(".") + 1 for k in keys) + 1):
        short = {k: ".".join(k.split(".")[-depth:]) for k in keys}
        if len(set(short.values())) == len(keys):
            return short
    return {k: k for k in keys}


def _label(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:24]


def run_sweep(
    plan: SweepPlan,
    overwrite: bool = False,
    on_variant: Callable[[Variant], Any] | None = None,
    on_progress: Any = None,
    max_rows: int | None = 1_000_000,
) -> SweepPlan:
    """Run every variant in order, keep ``sweep.json`` current, then write the comparison.

    ``on_variant(variant)`` is called before each variant runs (it may return a context
    manager's factory for progress: ``on_progress``) and again after it finished."""
    import fsspec

    from refinery.experiments.compare import compare_runs, to_html, to_markdown
    from refinery.io.manifest import write_json, write_text
    from refinery.pipeline import run_pipeline
    from refinery.rundir import earlier_run

    fs, sweep_dir = fsspec.core.url_to_fs(plan.sweep_dir)
    index_path = posixpath.join(sweep_dir, SWEEP_INDEX)
    if earlier_run(fs, sweep_dir):
        raise OutputError(
            f"{plan.sweep_dir} holds a run, not a sweep; a sweep needs a directory of its own "
            "for its variants: choose another one (-o)"
        )
    if not overwrite:
        taken = [v.dir for v in plan.variants if earlier_run(fs, posixpath.join(sweep_dir, v.dir))]
        if fs.exists(index_path) or taken:
            what = ", ".join(taken[:3]) + (" ..." if len(taken) > 3 else "")
            raise OutputError(
                f"{plan.sweep_dir} holds an earlier sweep ({SWEEP_INDEX}{', ' + what if what else ''}); "
                "pass --overwrite to replace it, or choose another directory (-o)"
            )
    fs.makedirs(sweep_dir, exist_ok=True)
    write_json(fs, index_path, plan.index())
    for variant in plan.variants:
        if on_variant:
            on_variant(variant)
        try:
            result = run_pipeline(
                variant.cfg,
                on_progress=on_progress,
                existing="overwrite" if overwrite else "refuse",
            )
            variant.status = "ok"
            variant.docs_out = int(result.stats["docs_out"])
            variant.seconds = float(result.stats["seconds"])
        except RefineryError as exc:
            variant.status, variant.error = "failed", str(exc)
        write_json(fs, index_path, plan.index())
        if on_variant:
            on_variant(variant)
    done = [posixpath.join(sweep_dir, v.dir) for v in plan.variants if v.status == "ok"]
    if done:
        labels = [v.dir for v in plan.variants if v.status == "ok"]
        cmp = compare_runs(fs, done, max_rows=max_rows, labels=labels)
        write_text(fs, posixpath.join(sweep_dir, "comparison.md"), to_markdown(cmp))
        write_text(fs, posixpath.join(sweep_dir, "comparison.html"), to_html(cmp))
    return plan

"""Run configuration: YAML → validated, typed models, before anything runs.

Loading order: read YAML → follow ``extends:`` (deep merge, child wins, lists replace) →
apply ``--set a.b.0.c=value`` overrides → validate. ``${VAR}`` / ``${VAR:-default}`` are
interpolated from the environment during validation only: the resolved config written to
the run directory keeps the ``${VAR}`` references, so secrets never reach disk.
"""

from __future__ import annotations

import copy
import importlib
import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from refinery.columns import rename_repeated_columns
from refinery.config_errors import config_error
from refinery.errors import ConfigError
from refinery.shards.config import TokenShardsConfig
from refinery.stage import Resources, Stage, StageConfig, get_stage, registered_stages
from refinery.yaml_limits import check_expanded_size

__all__ = [
    "OutputConfig",
    "RayConfig",
    "RunConfig",
    "RunSection",
    "SourceConfig",
    "StageSpec",
    "load_config",
    "load_raw_config",
]

Sensitivity = Literal["public", "internal", "confidential"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunSection(_Model):
    name: str = Field("run", description="run name, shown in stats and the summary")
    output: str = Field("runs/${run.name}", description="run directory (local path or fsspec URL)")
    seed: int = Field(0, description="seed for every random choice of the run")


class SourceConfig(_Model):
    """One input: files of one format, one ``source`` label, one sensitivity."""

    name: str = Field(description="value of the `source` column for these documents")
    reader: str | None = Field(
        None,
        description="jsonl | parquet | csv | tsv | txt | ...; inferred from the extension when omitted",
    )
    path: str | list[str] = Field(description="file, directory, glob or fsspec URL (or a list)")
    sensitivity: Sensitivity = "internal"
    text_field: str = Field("text", description="field holding the document text")
    id_field: str | None = Field(
        None, description="field holding a stable id; when absent, derived from file and line"
    )
    meta_fields: list[str] | None = Field(
        None,
        description="fields copied into `meta` (JSON); default: every other field, or none "
        "for a confidential source",
    )
    ids: Literal["pseudonymize", "keep"] = Field(
        "pseudonymize",
        description="confidential sources with an id field: 'pseudonymize' replaces each id by "
        "a keyed HMAC where it is read; 'keep' declares the ids free of personal data "
        "(recorded in stats.json)",
    )
    id_key_env: str = Field(
        "REFINERY_PII_KEY",
        description="environment variable holding the HMAC key for pseudonymised ids "
        "(the name, never the key)",
    )
    encoding: str = Field(
        "utf-8",
        description="text encoding for csv/tsv/txt: a codec name, or 'auto' (utf-8, else gb18030)",
    )
    delimiter: str | None = Field(None, description="csv delimiter; default ',' (csv) or tab (tsv)")
    batch_rows: int = Field(2048, ge=1, description="rows per Arrow batch produced by the reader")

    @field_validator("path")
    @classmethod
    def _non_empty(cls, v: str | list[str]) -> str | list[str]:
        if not v:
            raise ValueError("path must not be empty")
        return v

    @model_validator(mode="after")
    def _confidential_meta(self) -> SourceConfig:
        # a confidential source copies only the fields it lists: an unlisted column of a
        # customer table must not ride along in `meta` unseen by the redacting stage
        if self.sensitivity == "confidential" and self.meta_fields is None:
            self.meta_fields = []
        if not self.id_key_env.replace("_", "").isalnum():
            raise ValueError("id_key_env is the *name* of an environment variable")
        return self

    @property
    def paths(self) -> list[str]:
        return [self.path] if isinstance(self.path, str) else list(self.path)


class StageSpec(_Model):
    """A configured stage: its registered name, instance name, config and resources."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    stage: str
    name: str
    config: StageConfig
    resources: Resources
    #: The class itself travels with the spec to Ray workers, so stages registered outside
    #: the ``stages`` package (plugins, tests) work there too.
    stage_cls: Any = Field(None, exclude=True)
    #: Columns this instance writes under its own name because an earlier instance of the
    #: same stage wrote them (the stage's name → this instance's; see refinery.columns).
    renames: dict[str, str] = Field(default_factory=dict)

    @property
    def cls(self) -> type[Stage[Any]]:
        if self.stage_cls is not None:
            return self.stage_cls  # type: ignore[no-any-return]
        return get_stage(self.stage)

    def build(self) -> Stage[Any]:
        stage = self.cls(self.config)
        if self.renames:
            from refinery.columns import InstanceColumns

            return InstanceColumns(stage, self.renames)
        return stage


class RayConfig(_Model):
    address: str | None = Field(
        None, description="Ray cluster address ('auto', 'ray://host:10001'); None: embedded Ray"
    )
    num_cpus: int | None = Field(None, ge=1, description="CPUs for embedded Ray (default: all)")
    preserve_order: bool = Field(
        True, description="deterministic output order (reproducible shards)"
    )
    object_store_memory_mb: int | None = Field(None, ge=64, description="embedded Ray object store")
    fast_embedded_start: bool = Field(
        False,
        description="embedded Ray only, opt-in: hand Ray Data the node's resource totals at "
        "once (patches a private Ray Data class; applied only on the Ray versions it was "
        "tested with), so that all cores start working without a 1-2 s wait per run",
    )
    runtime_env: dict[str, Any] | None = Field(
        None,
        description="Ray runtime_env for the job (e.g. {pip: [...], env_vars: {...}}) when the "
        "cluster's image lacks Refinery's packages",
    )
    start_timeout_s: float = Field(
        300.0,
        gt=0,
        description="seconds Ray may take to start (or to connect to ray.address); past them "
        "the run stops with an error instead of waiting forever on a Ray start that hangs",
    )


class RejectsConfig(_Model):
    write: bool = Field(True, description="write rejected rows to rejects/")
    confidential_text: Literal["omit", "keep_redacted"] = Field(
        "omit",
        description="text of rejected confidential rows: 'omit' writes ids and reasons only; "
        "'keep_redacted' keeps the text of rows rejected after PII redaction",
    )


class OutputConfig(_Model):
    shard_size_mb: float = Field(128.0, gt=0, description="target compressed size of one shard")
    compression: Literal["zstd", "snappy", "gzip", "none"] = "zstd"
    row_group_rows: int = Field(50_000, ge=1, description="rows per Parquet row group")
    rejects: RejectsConfig = RejectsConfig()
    format: TokenShardsConfig | None = Field(
        None, description="token shards written after the text shards (refinery.shards)"
    )


class CacheConfig(_Model):
    """The stage cache (``refinery.experiments.stagecache``); off unless enabled or swept."""

    enabled: bool = Field(False, description="reuse (and store) stage outputs across runs")
    path: str | None = Field(
        None,
        description="cache location, local path or fsspec URL; default: `_stage_cache` beside "
        "the run directory. It holds run data: protect it like the run directories",
    )
    after: list[str] = Field(
        default_factory=list,
        description="stage names to cache the output of, besides the automatic points "
        "(before the last row stage; before each global stage)",
    )


class RunConfig(_Model):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    run: RunSection = RunSection()
    runtime: Literal["ray", "local"] = Field(
        "ray", description="'ray': Ray Data (embedded or cluster); 'local': one process, no Ray"
    )
    ray: RayConfig = RayConfig()
    sources: list[SourceConfig] = Field(min_length=1)
    stages: list[StageSpec] = Field(default_factory=list)
    output: OutputConfig = OutputConfig()
    plugins: list[str] = Field(
        default_factory=list,
        description="modules to import before validation; they register their own stages and readers",
    )
    sweep: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="dotted key -> values: `refinery run` runs one variant per combination "
        "(see refinery.experiments.sweep)",
    )
    cache: CacheConfig = CacheConfig()
    #: The config as written (after extends and --set, before ${VAR} interpolation).
    raw: dict[str, Any] = Field(default_factory=dict, exclude=True)
    #: Where the config file lives; relative source paths resolve against the working dir.
    config_path: str | None = Field(None, exclude=True)

    @property
    def output_dir(self) -> str:
        return self.run.output


# --------------------------------------------------------------------------- loading


def load_raw_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """YAML with ``extends:`` followed and ``--set`` overrides applied; not yet validated."""
    data = _read_with_extends(Path(path), seen=())
    for item in overrides or []:
        _apply_override(data, item)
    return data


def load_config(
    path: str | Path,
    overrides: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> RunConfig:
    raw = load_raw_config(path, overrides)
    cfg = validate_config(raw, env=env)
    cfg.config_path = str(path)
    return cfg


def validate_config(raw: dict[str, Any], env: dict[str, str] | None = None) -> RunConfig:
    """Validate a raw config dict; every error names the dotted key path."""
    env = dict(os.environ) if env is None else env
    data = _interpolate(copy.deepcopy(raw), env, path="")
    if not isinstance(data, dict):
        raise ConfigError("a config must be a mapping at top level")
    source_entries = data.pop("sources", None)
    if not isinstance(source_entries, list) or not source_entries:
        raise ConfigError("at least one source is required (a list of mappings)", key="sources")
    sources = [_source_config(entry, i) for i, entry in enumerate(source_entries)]
    plugins = data.get("plugins") or []
    if not isinstance(plugins, list) or not all(isinstance(p, str) for p in plugins):
        raise ConfigError("must be a list of importable module names", key="plugins")
    for i, module in enumerate(plugins):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(
                f"cannot import plugin module {module!r}: {exc}", key=f"plugins.{i}"
            ) from None
    stage_entries = data.pop("stages", None) or []
    if not isinstance(stage_entries, list):
        raise ConfigError("must be a list of stage entries", key="stages")
    specs = [_stage_spec(entry, i) for i, entry in enumerate(stage_entries)]
    names = [s.name for s in specs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(
            f"stage names must be unique, {dup} repeat; give repeats a `name:`", key="stages"
        )
    rename_repeated_columns(specs)
    try:
        cfg = RunConfig.model_validate({**data, "stages": [], "sources": [sources[0]]})
    except ValidationError as exc:
        raise _config_error(exc, prefix="") from None
    cfg.sources = sources
    cfg.stages = specs
    cfg.raw = raw
    cfg.run.output = cfg.run.output.replace("${run.name}", cfg.run.name)
    return cfg


def _source_config(entry: Any, index: int) -> SourceConfig:
    from refinery.io import load_builtin_readers
    from refinery.io.readers import get_reader, infer_reader

    load_builtin_readers()
    where = f"sources.{index}"
    if not isinstance(entry, dict):
        raise ConfigError(
            f"a source is a mapping with `name:` and `path:`, got {entry!r}", key=where
        )
    reader_name = entry.get("reader")
    if reader_name is None:
        path = entry.get("path")
        first = path[0] if isinstance(path, list) and path else path
        reader_name = infer_reader(str(first)) if isinstance(first, str) else None
        if reader_name is None:
            raise ConfigError(
                f"cannot infer the format of {first!r}; set `reader:`", key=f"{where}.reader"
            )
    try:
        reader = get_reader(str(reader_name))
    except ConfigError as exc:
        raise ConfigError(str(exc), key=f"{where}.reader") from None
    cls = reader.config_cls or SourceConfig
    try:
        return cls.model_validate({**entry, "reader": reader_name})
    except ValidationError as exc:
        raise _config_error(exc, prefix=where) from None


def _stage_spec(entry: Any, index: int) -> StageSpec:
    where = f"stages.{index}"
    if not isinstance(entry, dict):
        raise ConfigError(
            f"a stage entry is a mapping with a `stage:` key, got {entry!r}", key=where
        )
    entry = dict(entry)
    stage_name = entry.pop("stage", None)
    if stage_name is None:
        raise ConfigError(
            f"missing `stage:`. Choose from: {', '.join(registered_stages())}.", key=where
        )
    try:
        cls = get_stage(str(stage_name))
    except ConfigError as exc:
        raise ConfigError(str(exc), key=f"{where}.stage") from None
    instance_name = str(entry.pop("name", stage_name))
    res_override = entry.pop("resources", None)
    if res_override is not None and not isinstance(res_override, dict):
        raise ConfigError("must be a mapping", key=f"{where}.resources")
    try:
        resources = cls.resources.merged(res_override)
    except ValidationError as exc:
        raise _config_error(exc, prefix=f"{where}.resources") from None
    try:
        config = cls.config_cls.model_validate(entry)
    except ValidationError as exc:
        raise _config_error(exc, prefix=f"{where}({stage_name})") from None
    return StageSpec(
        stage=str(stage_name), name=instance_name, config=config, resources=resources, stage_cls=cls
    )


def _config_error(exc: ValidationError, prefix: str) -> ConfigError:
    return config_error(exc, prefix, _known_models)


def _known_models() -> list[type[BaseModel]]:
    """The models a run config is validated with, for the allowed keys of an error message."""
    from refinery.io.readers import registered_readers

    models: list[type[BaseModel]] = [RunConfig, Resources, SourceConfig]
    models += [c.config_cls for c in registered_stages().values()]
    models += [r.config_cls for r in registered_readers().values() if r.config_cls]
    return models


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"invalid YAML at {where}: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise ConfigError(
            f"{path}: the YAML is nested too deeply to read (a config needs a few levels)"
        ) from None
    check_expanded_size(data, str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config must be a mapping at top level")
    return data


def _read_with_extends(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(str(p) for p in (*seen, path))
        raise ConfigError(f"`extends:` cycle: {chain}", key="extends")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    parents = parent if isinstance(parent, list) else [parent]
    merged: dict[str, Any] = {}
    for p in parents:
        base = _read_with_extends((path.parent / str(p)), seen=(*seen, path))
        merged = _deep_merge(merged, base)
    return _deep_merge(merged, data)


def _deep_merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in child.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _apply_override(data: dict[str, Any], item: str) -> None:
    """Apply one ``a.b.0.c=value`` override; the value is parsed as a YAML scalar/flow."""
    if "=" not in item:
        raise ConfigError(f"--set expects KEY=VALUE, got {item!r}")
    key, _, text = item.partition("=")
    key = key.strip()
    try:
        value = yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        value = text
    except RecursionError:
        raise ConfigError("--set: the value is nested too deeply", key=key) from None
    check_expanded_size(value, f"--set {key}")
    parts = key.split(".")
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ConfigError(
                    f"--set: {part!r} is not an index of a list of {len(node)} items", key=where
                )
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise ConfigError(f"--set: cannot descend into a {type(node).__name__}", key=where)


_ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def _interpolate(node: Any, env: dict[str, str], path: str) -> Any:
    if isinstance(node, dict):
        return {k: _interpolate(v, env, f"{path}.{k}" if path else str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_interpolate(v, env, f"{path}.{i}") for i, v in enumerate(node)]
    if isinstance(node, str) and "${" in node:

        def sub(m: re.Match[str]) -> str:
            name, default = m.group(1), m.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            raise ConfigError(f"environment variable ${{{name}}} is not set", key=path)

        return _ENV_RE.sub(sub, node)
    return node


def dump_resolved(cfg: RunConfig) -> str:
    """The config as run, for the run directory: extends and --set applied, ${VAR} kept."""
    raw = copy.deepcopy(cfg.raw)
    raw.setdefault("run", {})
    if isinstance(raw["run"], dict):
        raw["run"]["output"] = cfg.run.output
    text: str = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    return text

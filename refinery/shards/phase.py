"""The token-shard phase: a run's kept Parquet shards → tokenized, mixed, shuffled shards.

Starts from the text shards that the run's ``manifest.json`` lists, so it runs at the end of
``refinery run`` (when the config has ``output.format``) or later on a finished run
(``refinery tokenize RUN_DIR``). Two passes of tasks, Ray tasks on the workers in the
``ray`` runtime and plain calls in ``local``:

1. ``spill``: one task per text shard: read, tokenize, write its tokens and doc table;
2. ``assemble``: one task per output shard: a key range of every input, mix applied,
   ordered, packed, written with its doc index.

Between the two the driver sums per-source counts and mix histograms (a few KB per input
shard), fixes each source's mix limits and the number of output shards. It then writes
``<directory>/manifest.json`` and removes the work files. What an earlier phase wrote in
the folder (the files its manifest lists, the names this phase gives) is replaced.
"""

from __future__ import annotations

import json
import math
import posixpath
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import numpy as np

from refinery.errors import ConfigError, OutputError, SourceError
from refinery.shards.assemble import AssembleJob, assemble_shard
from refinery.shards.config import TokenShardsConfig, config_hash
from refinery.shards.manifest import MANIFEST_NAME, is_phase_file, write_manifest
from refinery.shards.mixing import bucket_bounds, mix_limits
from refinery.shards.spill import SpillJob, SpillSummary, spill_shard, worker_tokenizer
from refinery.shards.tokenizer import load_tokenizer, resolve_tokenizer

__all__ = ["TokenShardsResult", "run_token_phase", "text_shards", "write_token_shards"]

J = TypeVar("J")
R = TypeVar("R")


@dataclass
class TokenShardsResult:
    directory: str
    manifest: dict[str, Any]
    seconds: float


def _run(fn: Callable[[J], R], jobs: list[J], runtime: str, name: str) -> Iterator[R]:
    """``fn`` over ``jobs``: Ray tasks of one CPU each, results as they finish, or plain
    calls in ``local``, in job order. Started at the first ``next``."""
    if runtime == "local" or not jobs:
        yield from (fn(j) for j in jobs)
        return
    import ray

    remote = ray.remote(num_cpus=1, max_retries=2)(fn).options(name=name)
    pending = [remote.remote(j) for j in jobs]
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        yield ray.get(done[0])


def text_shards(fs: Any, run_dir: str) -> list[dict[str, Any]]:
    path = posixpath.join(run_dir, "manifest.json")
    try:
        with fs.open(path, "r", encoding="utf-8") as f:
            files = json.load(f)["files"]
    except FileNotFoundError:
        raise SourceError(f"{path} not found: is {run_dir} a finished run?") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{path} cannot be read: {type(exc).__name__}") from None
    return [
        f
        for f in files
        if str(f.get("path", "")).startswith("shards/") and str(f["path"]).endswith(".parquet")
    ]


def _clear(fs: Any, out_dir: str) -> None:
    """Remove what an earlier phase wrote in ``out_dir``; a file of the user's is an error."""
    if not fs.exists(out_dir):
        return
    listed: set[str] = set()
    try:
        with fs.open(posixpath.join(out_dir, MANIFEST_NAME), "r", encoding="utf-8") as f:
            for shard in json.load(f).get("shards", []):
                listed.update(e["path"] for e in shard.get("files", []))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no manifest or an unreadable one: the names alone decide
    for path in sorted(fs.find(out_dir, withdirs=False)):
        rel = posixpath.relpath(path, out_dir)
        if rel in listed or is_phase_file(rel):
            fs.rm(path)
        else:
            raise OutputError(
                f"{out_dir} holds {rel}, which the token-shard phase did not write; move it "
                "or choose another output.format.directory"
            )


def write_token_shards(
    fmt: TokenShardsConfig,
    run_dir_url: str,
    seed: int,
    runtime: str = "local",
    init_ray: Callable[[], None] | None = None,
) -> TokenShardsResult:
    """Write the token shards of the finished run at ``run_dir_url`` (see module docstring)."""
    import fsspec

    t0 = time.perf_counter()
    fs, run_dir = fsspec.core.url_to_fs(run_dir_url)
    inputs = text_shards(fs, run_dir)
    resolve_tokenizer(fmt.tokenizer)  # a missing tokenizer fails here, before any task
    out_dir = posixpath.join(run_dir, fmt.directory)
    work_dir = posixpath.join(out_dir, ".work")
    _clear(fs, out_dir)
    fs.makedirs(work_dir, exist_ok=True)
    if runtime == "ray" and init_ray is not None:
        init_ray()

    spill_jobs = [
        SpillJob(i, fs, posixpath.join(run_dir, f["path"]), work_dir, fmt, seed, runtime == "ray")
        for i, f in enumerate(inputs)
    ]
    results = _run(spill_shard, spill_jobs, runtime, "tokenize")
    first = next(results, None)  # on Ray: every task submitted, the first one done
    # vocabulary size, EOS id, hash: on Ray, a plain load while the workers tokenize
    tok = worker_tokenizer(fmt) if runtime == "local" else load_tokenizer(fmt.tokenizer, False)
    spills: list[SpillSummary] = []
    histograms: dict[str, np.ndarray[Any, Any]] = {}
    for s in [first, *results] if first is not None else []:
        # summed as they arrive: the driver keeps one histogram per source, not per shard
        for src, hist in s.mix_histograms.items():
            histograms[src] = histograms.get(src, 0) + np.asarray(hist, dtype=np.int64)
        s.mix_histograms = {}
        spills.append(s)
    spills.sort(key=lambda s: s.index)
    limits = mix_limits(histograms, fmt.mix)
    expected = sum(limits[src].expected_tokens(h) for src, h in histograms.items())
    if fmt.shuffle:
        n_out = max(1, math.ceil(expected / fmt.shard_tokens))
        ranges = bucket_bounds(n_out)
        whole = False
    else:
        n_out = len(spills)
        ranges = [(0, 0)] * n_out
        whole = True
    assemble_jobs = [
        AssembleJob(
            index=b,
            fs=fs,
            out_dir=out_dir,
            work_dir=work_dir,
            inputs=len(spills),
            lo=lo,
            hi=hi,
            whole=whole,
            limits=limits,
            cfg=fmt,
            vocab_size=tok.vocab_size,
            eos_id=tok.eos_id,
        )
        for b, (lo, hi) in enumerate(ranges)
    ]
    shards = sorted(_run(assemble_shard, assemble_jobs, runtime, "assemble"), key=lambda s: s.name)
    fs.rm(work_dir, recursive=True)

    sources: dict[str, dict[str, Any]] = {}
    for s in spills:
        for src in s.docs_in:
            entry = sources.setdefault(src, {"docs_in": 0, "tokens_in": 0})
            entry["docs_in"] += s.docs_in[src]
            entry["tokens_in"] += s.tokens_in[src]
    for src, entry in sources.items():
        mix = fmt.mix.get(src)
        entry["weight"] = mix.weight if mix else 1.0
        entry["max_tokens"] = mix.max_tokens if mix else None
        entry["mix_limits"] = asdict(limits[src])
        entry["docs_out"] = sum(sh.docs.get(src, 0) for sh in shards)
        entry["tokens_out"] = sum(sh.tokens.get(src, 0) for sh in shards)
    manifest = {
        "version": 1,
        "format": fmt.type,
        "seed": seed,
        "config_hash": config_hash(fmt, seed),
        "config": fmt.model_dump(mode="json"),
        "tokenizer": {**tok.describe(), "engine": spills[0].engine if spills else "-"},
        "dtype": _dtype_name(fmt, tok.vocab_size),
        "inputs": [
            {"path": f["path"], "sha256": f.get("sha256"), "rows": f.get("rows")} for f in inputs
        ],
        "sources": dict(sorted(sources.items())),
        "totals": {
            "docs": sum(e["docs_out"] for e in sources.values()),
            "tokens": sum(e["tokens_out"] for e in sources.values()),
            "shards": len(shards),
        },
        "shards": [asdict(s) for s in shards],
    }
    write_manifest(fs, out_dir, manifest)
    return TokenShardsResult(
        directory=posixpath.join(run_dir_url.rstrip("/"), fmt.directory),
        manifest=manifest,
        seconds=time.perf_counter() - t0,
    )


def run_token_phase(cfg: Any) -> TokenShardsResult:
    """The phase for a validated ``RunConfig`` with ``output.format``: its run directory,
    seed and runtime (``refinery run`` and ``refinery tokenize``)."""

    names = {src.name for src in cfg.sources}
    unknown = sorted(set(cfg.output.format.mix) - names)
    if unknown:
        raise ConfigError(
            f"mixes source(s) {unknown}, which the run does not read. Sources: "
            f"{', '.join(sorted(names))}.",
            key="output.format.mix",
        )

    def start_ray() -> None:
        from refinery.runtime.ray_runtime import init_ray

        init_ray(cfg)

    return write_token_shards(
        cfg.output.format, cfg.output_dir, cfg.run.seed, cfg.runtime, init_ray=start_ray
    )


def _dtype_name(fmt: TokenShardsConfig, vocab_size: int) -> str:
    from refinery.shards.megatron import megatron_dtype
    from refinery.shards.tokenizer import token_dtype

    if fmt.type == "megatron":
        return str(megatron_dtype(vocab_size))
    if fmt.type == "flat":
        return str(token_dtype(vocab_size))
    return "uint32"

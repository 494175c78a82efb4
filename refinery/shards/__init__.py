"""Training shards: tokenize a run's kept documents, mix, shuffle globally, write what trainers
read (Megatron-LM indexed datasets, flat token arrays, text Parquet), with a manifest that
traces every token back to its document.

A phase of its own after the text shards: ``write_token_shards`` (``refinery.shards.phase``)
reads a finished run directory, so the same code runs at the end of ``refinery run`` and in
``refinery tokenize RUN_DIR``. Modules: ``config`` (``output.format``), ``tokenizer``,
``mixing`` (seeded decisions), ``spill`` (pass 1), ``assemble`` (pass 2), ``formats``,
``megatron`` (the ``.idx`` layout), ``manifest``, ``verify`` (``refinery shards verify|stats``),
``train`` (``refinery train-tokenizer``), ``cli``.
"""

from refinery.shards.config import MixConfig, PackConfig, TokenizerConfig, TokenShardsConfig
from refinery.shards.phase import TokenShardsResult, write_token_shards

__all__ = [
    "MixConfig",
    "PackConfig",
    "TokenShardsConfig",
    "TokenShardsResult",
    "TokenizerConfig",
    "write_token_shards",
]

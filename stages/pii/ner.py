"""The optional model recogniser of ``pii_redact``: person names and addresses from a local
named-entity model, added to the rule spans.

Two backends, both local only (nothing is fetched at run time):
- ``transformers``: a token-classification model directory (safetensors weights, a fast
  tokenizer, never custom code; ``stages.model.loading`` checks and loads it). Long documents
  are read in overlapping windows of ``max_length`` tokens; each token keeps the prediction of
  the window where it sits farthest from an edge. Sub-word tokens are joined into words, a
  word takes the label and score of its first token, and words are joined into entities by
  their BIO (or plain IO) tags, as transformers' ``aggregation_strategy="first"`` does.
- ``spacy``: a pipeline directory or installed package; only its entity recogniser (``ner``,
  ``entity_ruler``) and the embedding layer it listens to run.

The spans are then cleaned and joined by ``stages.pii.ner_spans``.

Entity labels map to ``NAME`` or ``ADDRESS`` (``labels``). A model's place labels (``GPE``,
``LOC``, ``FAC``) tag cities and countries far more often than postal addresses, and the
stage's ``ADDRESS`` is a postal address: places become an ``ADDRESS`` only where adjacent
place spans, joined across commas and numbers, hold a digit or two places or more ("12 Hill
Road, Leeds"); a bare "Leeds" is left alone.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from refinery.errors import ConfigError
from stages.model.loading import DeviceName
from stages.pii.ner_spans import Token, aggregate, finish, merge_windows, split_label
from stages.pii.patterns import Entity

__all__ = ["DEFAULT_LABELS", "SPACY_PIECE_CHARS", "NerConfig", "NerRecogniser", "load_recogniser"]

#: Model label → entity type, used for the labels a model has when ``labels`` is not set.
#: Place labels (``GPE``, ``LOC``, ``FAC``) are left out: on the development splits they
#: never raised address recall and cost address precision (docs/pii.md, "Optional model
#: recogniser"); a model with a postal-address label maps it.
DEFAULT_LABELS: dict[str, str] = {
    "PER": "NAME",
    "PERSON": "NAME",
    "ADDRESS": "ADDRESS",
    "ADDR": "ADDRESS",
}

_KEY = "pii_redact.ner"
#: spaCy pieces: a document longer than this is read in pieces cut at white space.
SPACY_PIECE_CHARS = 100_000


class NerConfig(BaseModel):
    """The ``ner:`` block of ``pii_redact``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["transformers", "spacy"] = Field(
        description="transformers: token-classification model directory; spacy: pipeline"
    )
    model: str = Field(
        description="local model directory (spacy: also an installed pipeline package name)"
    )
    labels: dict[str, Literal["NAME", "ADDRESS"]] | None = Field(
        None,
        description="model entity label → NAME or ADDRESS; default: the model's labels "
        f"among {sorted(DEFAULT_LABELS)}",
    )
    min_score: float = Field(
        0.5, ge=0.0, le=1.0, description="transformers: lowest mean word probability kept"
    )
    batch_size: int = Field(32, ge=1, description="windows (transformers) or texts per call")
    max_length: int = Field(512, ge=16, description="transformers: tokens per window")
    stride: int = Field(64, ge=0, description="transformers: tokens shared by adjacent windows")
    device: DeviceName = Field("auto", description="auto: the GPU Ray assigned, else the CPU")
    min_words: int = Field(
        2,
        ge=1,
        description="words a model name needs (names in CJK characters are exempt); one-word "
        "names are mostly capitalised common words ('Madam', 'Beneficiary')",
    )
    cjk: bool = Field(
        False, description="the model reads Chinese/Japanese/Korean; if not, its CJK spans drop"
    )

    @model_validator(mode="after")
    def _stride_fits(self) -> NerConfig:
        if self.stride * 2 >= self.max_length:
            raise ValueError(f"stride ({self.stride}) must be under half of max_length")
        return self


def _label_map(config: NerConfig, model_labels: Iterable[str]) -> dict[str, str]:
    known = {split_label(label)[1] for label in model_labels} - {""}
    if config.labels is not None:
        unknown = sorted(set(config.labels) - known)
        if unknown:
            raise ConfigError(
                f"labels {unknown} are not labels of the model; it has {sorted(known)}",
                key=f"{_KEY}.labels",
            )
        return dict(config.labels)
    chosen = {k: v for k, v in DEFAULT_LABELS.items() if k in known}
    if not chosen:
        raise ConfigError(
            f"the model has none of the default labels {sorted(DEFAULT_LABELS)}; map its "
            f"labels {sorted(known)} to NAME or ADDRESS",
            key=f"{_KEY}.labels",
        )
    return chosen


class NerRecogniser(ABC):
    """``find(texts)``: NAME and ADDRESS entities per text. Built by ``load_recogniser``."""

    label_map: dict[str, str]

    @abstractmethod
    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        """The entities of each text, in the text's own character offsets."""


class _Transformers(NerRecogniser):
    def __init__(self, config: NerConfig) -> None:
        import transformers

        from stages.model.loading import check_model_dir, pick_device, pick_dtype

        check_model_dir(config.model, key=f"{_KEY}.model")
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.config = config
        try:
            self.device = pick_device(config.device)
        except ConfigError:
            raise ConfigError(
                "device 'cuda' requested but no CUDA device is visible", key=f"{_KEY}.device"
            ) from None
        common: dict[str, Any] = {"local_files_only": True, "trust_remote_code": False}
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(
                config.model, use_fast=True, **common
            )
            self.model = transformers.AutoModelForTokenClassification.from_pretrained(
                config.model,
                use_safetensors=True,
                dtype=pick_dtype("auto", self.device),
                **common,
            )
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(
                f"cannot load a token-classification model from {config.model!r}: "
                f"{type(exc).__name__}",
                key=f"{_KEY}.model",
            ) from exc
        if not getattr(self.tokenizer, "is_fast", False):
            raise ConfigError(
                f"{config.model!r} has no fast tokenizer (tokenizer.json)", key=f"{_KEY}.model"
            )
        self.model.to(self.device)
        self.model.eval()
        self.id2label = {int(k): str(v) for k, v in self.model.config.id2label.items()}
        self.label_map = _label_map(config, self.id2label.values())

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        import torch

        if not texts:
            return []
        cfg = self.config
        enc = self.tokenizer(
            list(texts),
            truncation=True,
            max_length=cfg.max_length,
            stride=cfg.stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        owner = enc["overflow_to_sample_mapping"]
        windows: list[list[list[Token]]] = [[] for _ in texts]
        for lo in range(0, len(owner), cfg.batch_size):
            ids = enc["input_ids"][lo : lo + cfg.batch_size]
            padded = self.tokenizer.pad(
                {"input_ids": ids, "attention_mask": enc["attention_mask"][lo : lo + len(ids)]},
                return_tensors="pt",
            )
            with torch.inference_mode():
                logits = self.model(**{k: v.to(self.device) for k, v in padded.items()}).logits
            probs, best = logits.float().softmax(-1).max(-1)
            for j in range(len(ids)):
                offsets = enc["offset_mapping"][lo + j]
                labels = best[j, : len(offsets)].tolist()
                scores = probs[j, : len(offsets)].tolist()
                windows[owner[lo + j]].append(
                    [
                        (s, e, self.id2label[lab], sc)
                        for (s, e), lab, sc in zip(offsets, labels, scores, strict=True)
                        if e > s
                    ]
                )
        return [
            finish(
                text,
                aggregate(text, merge_windows(w), self.label_map, cfg.min_score),
                cfg.cjk,
                cfg.min_words,
            )
            for text, w in zip(texts, windows, strict=True)
        ]


_SPACY_RECOGNISERS = ("ner", "beam_ner", "entity_ruler", "span_ruler")


def _pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) of ``text`` cut at white space into pieces of at most ``limit``."""
    out: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > limit:
        cut = text.rfind(" ", pos + limit // 2, pos + limit)
        cut = pos + limit if cut < 0 else cut + 1
        out.append((pos, text[pos:cut]))
        pos = cut
    out.append((pos, text[pos:]))
    return out


class _Spacy(NerRecogniser):
    def __init__(self, config: NerConfig) -> None:
        try:
            import spacy
            from thinc.api import prefer_gpu
        except ImportError as exc:
            raise ImportError(
                "the spacy backend of pii_redact.ner needs spaCy: pip install 'spacy>=3.7'"
            ) from exc

        self.config = config
        # spaCy runs on a GPU through cupy (thinc); ``auto`` uses one when it is visible
        if config.device == "cuda" and not prefer_gpu():
            raise ConfigError(
                "device 'cuda' requested but spaCy sees no GPU (needs cupy)",
                key=f"{_KEY}.device",
            )
        if config.device == "auto":
            prefer_gpu()
        try:
            nlp = spacy.load(config.model)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot load a spaCy pipeline from {config.model!r} (a local directory or an "
                f"installed package): {type(exc).__name__}",
                key=f"{_KEY}.model",
            ) from exc
        recognisers = [
            name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory in _SPACY_RECOGNISERS
        ]
        if not recognisers:
            raise ConfigError(
                f"the spaCy pipeline {config.model!r} has no entity recogniser "
                f"({', '.join(_SPACY_RECOGNISERS)}); its pipes: {nlp.pipe_names}",
                key=f"{_KEY}.model",
            )
        keep = set(recognisers)
        for name in nlp.pipe_names:  # the shared embedding layers a recogniser listens to
            listeners = getattr(nlp.get_pipe(name), "listening_components", [])
            if keep & set(listeners):
                keep.add(name)
        for name in [n for n in nlp.pipe_names if n not in keep]:
            nlp.remove_pipe(name)
        self.nlp = nlp
        labels: set[str] = set()
        for name in recognisers:
            labels |= set(getattr(nlp.get_pipe(name), "labels", ()))
        self.label_map = _label_map(config, labels)

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        jobs = [
            (i, offset, piece)
            for i, text in enumerate(texts)
            for offset, piece in _pieces(text, SPACY_PIECE_CHARS)
        ]
        found: list[list[Entity]] = [[] for _ in texts]
        docs = self.nlp.pipe((piece for _, _, piece in jobs), batch_size=self.config.batch_size)
        for (i, offset, _), doc in zip(jobs, docs, strict=True):
            for ent in doc.ents:
                kind = self.label_map.get(ent.label_)
                if kind is not None:
                    found[i].append(Entity(offset + ent.start_char, offset + ent.end_char, kind))
        cfg = self.config
        return [finish(t, f, cfg.cjk, cfg.min_words) for t, f in zip(texts, found, strict=True)]


def load_recogniser(config: NerConfig) -> NerRecogniser:
    """The recogniser of ``config``, loaded (the heavy imports happen here)."""
    if config.backend == "transformers":
        return _Transformers(config)
    return _Spacy(config)

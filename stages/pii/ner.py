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

Entity labels map to ``NAME`` or ``ADDRESS`` (``labels``). A model's place labels (``GPE``,
``LOC``, ``FAC``) tag cities and countries far more often than postal addresses, and the
stage's ``ADDRESS`` is a postal address: places become an ``ADDRESS`` only where adjacent
place spans, joined across commas and numbers, hold a digit or two places or more ("12 Hill
Road, Leeds"); a bare "Leeds" is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from refinery.errors import ConfigError
from stages.model.loading import DeviceName
from stages.pii.patterns import Entity

__all__ = [
    "DEFAULT_LABELS",
    "NerConfig",
    "NerRecogniser",
    "Token",
    "aggregate",
    "clean_names",
    "finish",
    "join_places",
    "load_recogniser",
    "merge_windows",
]

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

#: One token's prediction: (start, end) character offsets, label (``B-PER``, ``I-LOC``, ``O``,
#: or an IO label ``PER``), and the probability of that label.
Token = tuple[int, int, str, float]

_KEY = "pii_redact.ner"
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_PLACE_GAP = re.compile(r"[\s,;\-\u3001\uff0c]*\d*[\s,;\-]*")
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


def merge_windows(windows: Iterable[Sequence[Token]]) -> list[Token]:
    """Tokens of overlapping windows, one per character span, in text order: a token seen in
    several windows keeps the prediction of the window where it is farthest from an edge
    (the most context on both sides)."""
    best: dict[tuple[int, int], tuple[int, Token]] = {}
    for window in windows:
        n = len(window)
        for i, tok in enumerate(window):
            margin = min(i, n - 1 - i)
            key = (tok[0], tok[1])
            if key not in best or margin > best[key][0]:
                best[key] = (margin, tok)
    return [tok for _, tok in sorted(best.values(), key=lambda x: (x[1][0], x[1][1]))]


def _split_label(label: str) -> tuple[str, str]:
    """("B" | "I" | "", entity) of a label; ("", "") for outside."""
    if label in ("O", ""):
        return "", ""
    if len(label) > 2 and label[1] in "-_" and label[0] in "BIESLU":
        prefix = {"B": "B", "S": "B", "U": "B"}.get(label[0], "I")
        return prefix, label[2:]
    return "", label


def aggregate(
    text: str, tokens: Sequence[Token], label_map: dict[str, str], min_score: float = 0.0
) -> list[Entity]:
    """Entities from token predictions in text order.

    A token starting where the previous one ended continues its word (sub-words); a CJK
    character is a word of its own. A word takes the label and score of its first token.
    Words join into an entity while the label is ``I-X`` (or the same IO label ``X``) after
    an ``X`` word; ``B-X`` starts a new one. An entity is kept when its label maps to a type
    and its mean word score is at least ``min_score``.
    """
    words: list[list[Any]] = []  # [start, end, label, score]
    for start, end, label, score in tokens:
        if end <= start:
            continue  # special tokens carry empty offsets
        glued = (
            words
            and start == words[-1][1]
            and not _CJK_CHAR.match(text, start)
            and not _CJK_CHAR.match(text, start - 1)
        )
        if glued:
            words[-1][1] = end
        else:
            words.append([start, end, label, score])
    out: list[Entity] = []
    cur: list[Any] | None = None  # [start, end, entity, scores]

    def close() -> None:
        if cur is not None and cur[2] in label_map and sum(cur[3]) / len(cur[3]) >= min_score:
            out.append(Entity(cur[0], cur[1], label_map[cur[2]]))

    for start, end, label, score in words:
        prefix, ent = _split_label(label)
        if ent and cur is not None and cur[2] == ent and prefix != "B":
            cur[1] = end
            cur[3].append(score)
            continue
        close()
        cur = [start, end, ent, [score]] if ent else None
    close()
    return out


def join_places(text: str, places: Sequence[Entity]) -> list[Entity]:
    """Postal addresses from a model's place spans: adjacent places (sorted) joined across
    commas, dashes and numbers; a joined span is kept when it holds a digit or two places."""
    out: list[Entity] = []
    group: list[Entity] = []

    def close() -> None:
        if group:
            start, end = group[0].start, group[-1].end
            if len(group) >= 2 or any(c.isdigit() for c in text[start:end]):
                out.append(Entity(start, end, "ADDRESS"))

    for ent in places:
        if group and _PLACE_GAP.fullmatch(text, group[-1].end, ent.start):
            group.append(ent)
            continue
        close()
        group = [ent]
    close()
    return out


_LABEL_AFTER = re.compile(r"[ \t]*[:\uff1a]")


def clean_names(text: str, names: Iterable[Entity], min_words: int = 1) -> list[Entity]:
    """A model's names that can be names: cut at a line break (a name never spans two
    lines), and dropped when they hold a digit ("Reference INV-88213"), are a field label
    (followed by a colon: "Beneficiary Name:") or have fewer than ``min_words`` words
    (a name in CJK characters, written without spaces, is exempt)."""
    out: list[Entity] = []
    for ent in names:
        end = ent.end
        newline = text.find("\n", ent.start, end)
        if newline >= 0:
            end = newline
        value = text[ent.start : end].rstrip()
        end = ent.start + len(value)
        if not value or any(c.isdigit() for c in value) or _LABEL_AFTER.match(text, end):
            continue
        if len(value.split()) < min_words and not _CJK_CHAR.search(value):
            continue
        out.append(Entity(ent.start, end, ent.type))
    return out


def finish(text: str, found: Iterable[Entity], cjk: bool, min_words: int = 1) -> list[Entity]:
    """The recogniser's answer from raw model spans: names cleaned, places joined into
    addresses, and, unless the model reads CJK text (``cjk``), spans holding a CJK
    character dropped (a model that never saw Chinese tags Chinese text at random)."""
    if not cjk:
        found = [e for e in found if not _CJK_CHAR.search(text, e.start, e.end)]
    names = clean_names(text, (e for e in found if e.type == "NAME"), min_words)
    places = sorted(e for e in found if e.type == "ADDRESS")
    return sorted(names + join_places(text, places))


def _label_map(config: NerConfig, model_labels: Iterable[str]) -> dict[str, str]:
    known = {_split_label(label)[1] for label in model_labels} - {""}
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


class NerRecogniser:
    """``find(texts)``: NAME and ADDRESS entities per text. Built by ``load_recogniser``."""

    label_map: dict[str, str]

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        raise NotImplementedError


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

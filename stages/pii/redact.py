"""Stage ``pii_redact``: find personal data and mask, pseudonymise or drop it.

Detection (``stages.pii.detector``) reports validated identifiers (resident ID numbers per
GB 11643-1999, payment cards per ISO/IEC 7812, unified social credit codes per GB 32100-2015,
IBANs per ISO 13616, BICs per ISO 9362, phone numbers, e-mail and IP addresses, passport and
bank account numbers introduced by context words), person names and postal addresses. An
optional ``ner`` block adds the names and addresses of a local named-entity model
(``stages.pii.ner``) to the rules' spans, through the same overlap resolution.

Per entity type, one action:
- ``mask``: the span becomes ``[TYPE]`` (``[ID_CARD]``, ``[BANK_CARD]``, ``[NAME]`` ...);
- ``pseudonymize``: the span becomes ``[TYPE_<hex>]``, a keyed HMAC-SHA256 of the type and the
  normalised value, so one customer maps to one token across the whole corpus and across runs
  with the same key. The key is read from the environment variable named by ``key_env``
  (never from the config, so it never reaches the run directory);
- ``drop``: the row is rejected with reason ``pii_<type>`` (``pii_id_card``); its text is
  still redacted, so a reject sink that keeps text never holds the raw value.

Columns: the text column is rewritten, and so are the values of ``meta`` on confidential rows
(the fields a confidential source lists; see ``refinery.privacy``); ``pii_redact_counts`` (string, a JSON object of entity
type → count for the row, ``{}`` when none) is added for the run's per-type totals. Values
never leave the stage: not in counts, reasons, logs or error messages.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any, Literal

import pyarrow as pa
from pydantic import Field, field_validator, model_validator

from refinery.errors import ConfigError
from refinery.stage import FilterStage, PiiCoverage, Resources, StageConfig, register_stage
from stages.pii.detector import ENTITY_TYPES, Entity, PiiDetector
from stages.pii.ner import NerConfig, NerRecogniser, load_recogniser

__all__ = ["COUNTS_COLUMN", "PiiRedactConfig", "PiiRedactor", "normalise_value"]

#: Per-row JSON object of entity type → count, summed into the run's stats.
COUNTS_COLUMN = "pii_redact_counts"

Action = Literal["mask", "pseudonymize", "drop"]


class PiiRedactConfig(StageConfig):
    text_column: str = Field("text", description="column to scan and rewrite")
    entities: list[str] | None = Field(
        None, description=f"entity types to detect; default all: {', '.join(ENTITY_TYPES)}"
    )
    action: Action = Field("mask", description="action for every type not listed in `actions`")
    actions: dict[str, Action] = Field(
        default_factory=dict,
        description="per-type action, e.g. {ID_CARD: drop, NAME: pseudonymize}",
    )
    key_env: str = Field(
        "REFINERY_PII_KEY",
        description="environment variable holding the HMAC key for `pseudonymize` (never the key itself)",
    )
    pseudonym_hex: int = Field(
        12, ge=8, le=64, description="hex digits of HMAC kept in a pseudonym"
    )
    waive: dict[str, str] = Field(
        default_factory=dict,
        description="entity types deliberately left out of `entities` for confidential "
        "sources, each with its reason, e.g. {PASSPORT: 'no travel documents in this table'}; "
        "recorded in stats.json",
    )
    ner: NerConfig | None = Field(
        None,
        description="optional local named-entity model whose NAME/ADDRESS spans are added to "
        "the rules' (stages.pii.ner); off by default",
    )

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            unknown = sorted(set(v) - set(ENTITY_TYPES))
            if unknown:
                raise ValueError(
                    f"unknown entity types {unknown}. Choose from: {', '.join(ENTITY_TYPES)}"
                )
        return v

    @field_validator("actions")
    @classmethod
    def _known_action_types(cls, v: dict[str, Action]) -> dict[str, Action]:
        unknown = sorted(set(v) - set(ENTITY_TYPES))
        if unknown:
            raise ValueError(
                f"unknown entity types {unknown}. Choose from: {', '.join(ENTITY_TYPES)}"
            )
        return v

    @model_validator(mode="after")
    def _key_env_name(self) -> PiiRedactConfig:
        if not self.key_env.replace("_", "").isalnum():
            raise ValueError(
                "key_env is the *name* of an environment variable, e.g. REFINERY_PII_KEY"
            )
        return self

    @model_validator(mode="after")
    def _waivers(self) -> PiiRedactConfig:
        unknown = sorted(set(self.waive) - set(ENTITY_TYPES))
        if unknown:
            raise ValueError(
                f"waive names unknown entity types {unknown}. Choose from: {', '.join(ENTITY_TYPES)}"
            )
        detected = sorted(set(self.waive) & set(self.entities or ENTITY_TYPES))
        if detected:
            raise ValueError(
                f"waive lists {detected}, which `entities` detects; a waiver is for a type "
                "left out of `entities`"
            )
        blank = sorted(t for t, why in self.waive.items() if not why.strip())
        if blank:
            raise ValueError(f"waive needs a reason for each type; {blank} have none")
        return self

    def action_for(self, entity_type: str) -> Action:
        return self.actions.get(entity_type, self.action)

    def uses_pseudonyms(self) -> bool:
        types = self.entities or list(ENTITY_TYPES)
        return any(self.action_for(t) == "pseudonymize" for t in types)


_STRIP = str.maketrans("", "", " -\u00a0().")


def normalise_value(entity_type: str, value: str) -> str:
    """The form hashed for a pseudonym: one customer's number written with or without spaces,
    dashes or a +86 prefix, or a name in any letter case, gives the same token."""
    if entity_type in ("NAME", "ADDRESS", "EMAIL"):
        return " ".join(value.split()).casefold()
    compact = value.translate(_STRIP).upper()
    if entity_type == "PHONE":
        compact = compact.lstrip("+")
        if compact.startswith("86") and len(compact) == 13:
            compact = compact[2:]
    return compact


@register_stage("pii_redact")
class PiiRedactor(FilterStage[PiiRedactConfig]):
    """Masks, pseudonymises or drops personal data in the text column.

    Writes the rewritten text column and ``pii_redact_counts``; rejects rows with
    ``pii_<type>`` for types whose action is ``drop``. Rules and references: see the module
    docstring and ``stages.pii.checksums``.
    """

    config_cls = PiiRedactConfig
    runs_as_actor = True  # setup() loads a model/segmenter: once per actor
    # With ``ner`` on a GPU: ``resources: {num_gpus: 1, batch_size: 256}`` in YAML.
    resources = Resources(num_cpus=1)
    redacts_pii = True

    def __init__(self, config: PiiRedactConfig | None = None, **kwargs: object) -> None:
        super().__init__(config, **kwargs)
        self._detector: PiiDetector | None = None
        self._key: bytes | None = None
        self._ner: NerRecogniser | None = None

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self.config.text_column, COUNTS_COLUMN, "meta"]

    def pii_coverage(self) -> PiiCoverage:
        return PiiCoverage(
            columns=frozenset({self.config.text_column, "meta"}),
            types=frozenset(self.config.entities or ENTITY_TYPES),
            expected=frozenset(ENTITY_TYPES),
            waived=dict(self.config.waive),
        )

    def setup(self) -> None:
        """Load the segmenter, the ``ner`` model if any and, for pseudonyms, the HMAC key
        from the environment."""
        self._detector = PiiDetector(self.config.entities)
        self._detector.setup()
        if self.config.ner is not None:
            self._ner = load_recogniser(self.config.ner)
        if self.config.uses_pseudonyms():
            key = os.environ.get(self.config.key_env, "")
            if not key:
                raise ConfigError(
                    f"pseudonymize needs an HMAC key in the environment variable "
                    f"{self.config.key_env!r}, which is not set or empty",
                    key="pii_redact.key_env",
                )
            self._key = key.encode("utf-8")

    def _replacement(self, ent: Entity, value: str) -> str:
        action = self.config.action_for(ent.type)
        if action == "pseudonymize":
            assert self._key is not None, "setup() loads the key before pseudonyms are made"
            msg = f"{ent.type}\x00{normalise_value(ent.type, value)}".encode()
            digest = hmac.new(self._key, msg, hashlib.sha256).hexdigest()
            return f"[{ent.type}_{digest[: self.config.pseudonym_hex]}]"
        return f"[{ent.type}]"

    def model_spans(self, texts: list[str]) -> list[list[Entity]]:
        """The ``ner`` model's spans of each text (empty lists without a model)."""
        if self._detector is None:
            self.setup()
        if self._ner is None:
            return [[] for _ in texts]
        return self._ner.find(texts)

    def redact(
        self, text: str, extra: list[Entity] | None = None
    ) -> tuple[str, dict[str, int], str | None]:
        """(redacted text, counts per type, reject reason or None) for one document; the
        reason is that of the first entity, in text order, whose action is ``drop``.
        ``extra``: the model's spans of ``text`` when already found (else found here)."""
        if self._detector is None:
            self.setup()
        assert self._detector is not None
        if extra is None:
            extra = self.model_spans([text])[0]
        entities = self._detector.detect(text, extra)
        if not entities:
            return text, {}, None
        counts: dict[str, int] = {}
        reason: str | None = None
        parts: list[str] = []
        pos = 0
        for ent in entities:
            counts[ent.type] = counts.get(ent.type, 0) + 1
            if reason is None and self.config.action_for(ent.type) == "drop":
                reason = f"pii_{ent.type.lower()}"
            parts.append(text[pos : ent.start])
            parts.append(self._replacement(ent, text[ent.start : ent.end]))
            pos = ent.end
        parts.append(text[pos:])
        return "".join(parts), counts, reason

    def _redact_value(self, value: Any, counts: dict[str, int]) -> Any:
        """A JSON value of ``meta`` with every string (and number) redacted like text."""
        if isinstance(value, dict):
            return {k: self._redact_value(v, counts) for k, v in value.items()}
        if isinstance(value, list):
            return [self._redact_value(v, counts) for v in value]
        if value is None or isinstance(value, bool):
            return value
        as_text = value if isinstance(value, str) else str(value)
        red, n, _ = self.redact(as_text)
        for entity_type, k in n.items():
            counts[entity_type] = counts.get(entity_type, 0) + k
        return red if n else value

    def _redact_meta(self, batch: pa.Table, counts: list[dict[str, int]]) -> pa.Array | None:
        """``meta`` of the confidential rows with their values redacted (None: unchanged)."""
        if "meta" not in batch.column_names or "sensitivity" not in batch.column_names:
            return None
        metas = batch["meta"].to_pylist()
        changed = False
        for i, (meta, level) in enumerate(
            zip(metas, batch["sensitivity"].to_pylist(), strict=True)
        ):
            if level != "confidential" or not meta or meta == "{}":
                continue
            try:
                value = json.loads(meta)
            except ValueError:
                metas[i], changed = "{}", True  # not JSON: nothing a reader writes; dropped
                continue
            before = sum(counts[i].values())
            value = self._redact_value(value, counts[i])
            if sum(counts[i].values()) != before:
                metas[i] = json.dumps(value, ensure_ascii=False)
                changed = True
        return pa.array(metas, pa.string()) if changed else None

    def annotate(self, batch: pa.Table) -> pa.Table:
        col = self.config.text_column
        texts = batch[col].to_pylist()
        filled = [t for t in texts if t]
        spans = iter(self.model_spans(filled) if filled else [])  # one batched model call
        new_texts: list[str | None] = []
        counts: list[dict[str, int]] = []
        for text in texts:
            if not text:
                new_texts.append(text)
                counts.append({})
                continue
            red, n, _ = self.redact(text, next(spans))
            new_texts.append(red)
            counts.append(n)
        out = batch.set_column(
            batch.column_names.index(col), col, pa.array(new_texts, batch.schema.field(col).type)
        )
        meta = self._redact_meta(out, counts)
        if meta is not None:
            out = out.set_column(out.column_names.index("meta"), "meta", meta)
        if COUNTS_COLUMN in out.column_names:
            out = out.drop_columns([COUNTS_COLUMN])
        encoded = [
            json.dumps(n, sort_keys=True, separators=(",", ":")) if n else "{}" for n in counts
        ]
        return out.append_column(COUNTS_COLUMN, pa.array(encoded, pa.string()))

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        """``pii_<type>`` for rows holding a type whose action is ``drop`` (the first such
        type in ``ENTITY_TYPES`` order), null otherwise."""
        dropped = [t for t in ENTITY_TYPES if self.config.action_for(t) == "drop"]
        if not dropped:
            return pa.nulls(batch.num_rows, pa.string())
        reasons: list[str | None] = []
        for raw in batch[COUNTS_COLUMN].to_pylist():
            counts = json.loads(raw) if raw and raw != "{}" else {}
            reasons.append(next((f"pii_{t.lower()}" for t in dropped if counts.get(t)), None))
        return pa.array(reasons, pa.string())

    def batch_counters(self, out: pa.Table) -> dict[str, int]:
        """Entities redacted per type in this batch (kept and rejected rows), for stats.json."""
        totals: dict[str, int] = {}
        for raw in out[COUNTS_COLUMN].to_pylist():
            if not raw or raw == "{}":
                continue
            for entity_type, n in json.loads(raw).items():
                totals[entity_type] = totals.get(entity_type, 0) + int(n)
        return totals

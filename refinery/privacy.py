"""Confidential rows, column by column: ids, meta, rejects and error messages.

Text is the redacting stage's job (``pii_redact``); this module covers the columns and paths
around it, so that a confidential row reaches no output unprotected:

- **ids.** A confidential source whose ids come from the data (``id_field``, ``id_column``:
  often a customer number or a resident ID) has them replaced, in the worker that read them,
  by a keyed HMAC (``ReadGuard``): stable across runs with the same key, not reversible
  without it. A config may declare the ids safe (``ids: keep``); the waiver is recorded in
  ``stats.json``. Ids derived from file and line are hashes already and stay as they are.
- **meta.** A confidential source copies no field into ``meta`` unless the config lists it
  (``SourceConfig.meta_fields``); the redacting stage then redacts the listed values. A row
  rejected before redaction keeps only the location keys its reader wrote (file, line, row).
- **rejects.** ``guard_rejects`` blanks the text of confidential rows rejected before
  redaction (unless configured otherwise) and strips their meta to location keys.
- **errors.** ``stage_failure`` builds a stage's error message: for a batch holding
  confidential rows, the stage, the row count, the (pseudonymised) id range and the exception
  type, never the exception's own message, which may quote a row.

The HMAC key is read from the environment of the process that reads (a Ray worker), never
from the config and never shipped in a task's arguments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from refinery.errors import ConfigError, StageError

__all__ = [
    "DEFAULT_KEY_ENV",
    "LOCATION_KEYS",
    "ReadGuard",
    "guard_rejects",
    "id_source_field",
    "pseudonymize_id",
    "stage_failure",
]

#: The environment variable holding the HMAC key, unless a source names another.
DEFAULT_KEY_ENV = "REFINERY_PII_KEY"
#: Keys a reader writes into ``meta`` to say where a record came from; they hold no row data.
LOCATION_KEYS = frozenset({"file", "path", "line", "row", "page", "pages", "error", "last_line"})
#: Prefix of a pseudonymised id, so that readers of the shards can tell one from a raw id.
ID_PREFIX = "pid_"
_ID_HEX = 24


def id_source_field(src: Any) -> str | None:
    """The field or column a source takes its ids from, or None when ids derive from position."""
    for attr in ("id_field", "id_column"):
        value = getattr(src, attr, None)
        if value:
            return str(value)
    return None


def pseudonymize_id(key: bytes, value: str) -> str:
    """``pid_`` + 24 hex digits of HMAC-SHA256(key, value): one customer key, one token."""
    digest = hmac.new(key, b"ID\x00" + value.encode("utf-8"), hashlib.sha256).hexdigest()
    return ID_PREFIX + digest[:_ID_HEX]


def _key_from_env(key_env: str, source: str) -> bytes:
    key = os.environ.get(key_env, "")
    if not key:
        raise ConfigError(
            f"source {source!r} is confidential and its ids are pseudonymised with a keyed "
            f"HMAC, but the environment variable {key_env!r} holding the key is not set (or "
            "empty) in this process; set it wherever the sources are read (with embedded Ray: "
            "before `refinery run` starts; on a cluster: on every worker), or declare the ids "
            "safe with `ids: keep`",
            key=f"sources({source}).ids",
        )
    return key.encode("utf-8")


@dataclass(frozen=True)
class ReadGuard:
    """Applied to every batch a reader produces, where it was read: pseudonymises the ids of
    confidential sources that take their ids from the data.

    ``sources`` maps a source name to the environment variable holding its HMAC key. The
    key itself is looked up lazily in the reading process and never pickled.
    """

    sources: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_sources(cls, sources: Iterable[Any]) -> ReadGuard:
        wanted: dict[str, str] = {}
        for src in sources:
            if src.sensitivity != "confidential" or id_source_field(src) is None:
                continue
            if getattr(src, "ids", "pseudonymize") == "keep":
                continue
            wanted.setdefault(src.name, getattr(src, "id_key_env", DEFAULT_KEY_ENV))
        return cls(tuple(sorted(wanted.items())))

    def __bool__(self) -> bool:
        return bool(self.sources)

    def check_keys(self) -> None:
        """Fail before the run if a key is missing here (the driver); workers check again."""
        for source, key_env in self.sources:
            _key_from_env(key_env, source)

    def __call__(self, batch: pa.Table) -> pa.Table:
        if not self.sources or batch.num_rows == 0:
            return batch
        ids = batch["id"].to_pylist()
        names = batch["source"].to_pylist()
        sens = batch["sensitivity"].to_pylist()
        keys: dict[str, bytes] = {}
        changed = False
        for source, key_env in self.sources:
            for i, (name, level) in enumerate(zip(names, sens, strict=True)):
                if name != source or level != "confidential" or ids[i] is None:
                    continue
                if source not in keys:
                    keys[source] = _key_from_env(key_env, source)
                ids[i] = pseudonymize_id(keys[source], ids[i])
                changed = True
        if not changed:
            return batch
        col = batch.column_names.index("id")
        return batch.set_column(col, "id", pa.array(ids, pa.string()))


def _location_only(meta: str | None) -> str:
    if not meta or meta == "{}":
        return "{}"
    try:
        value = json.loads(meta)
    except ValueError:
        return "{}"
    if not isinstance(value, dict):
        return "{}"
    kept = {k: v for k, v in value.items() if k in LOCATION_KEYS}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else "{}"


def guard_rejects(
    rejected: pa.Table, after_redaction: set[str], confidential_text: str = "omit"
) -> pa.Table:
    """Rejected rows as they may be written: a confidential row rejected before redaction
    (by the reader or a stage before the redacting one) loses its text and every meta key
    but the location keys. ``after_redaction`` names the redacting stage and those after it,
    whose rejects carry redacted text and meta; with ``confidential_text: omit`` their text is
    blanked too."""
    if "sensitivity" not in rejected.column_names or rejected.num_rows == 0:
        return rejected
    confidential = pc.fill_null(pc.equal(rejected["sensitivity"], "confidential"), False)
    if not pc.any(confidential).as_py():
        return rejected
    stage_col = rejected["reject_stage"] if "reject_stage" in rejected.column_names else None
    if stage_col is not None and after_redaction:
        after = pc.fill_null(pc.is_in(stage_col, pa.array(sorted(after_redaction))), False)
    else:
        after = pa.array([False] * rejected.num_rows)
    unredacted = pc.and_(confidential, pc.invert(after))
    blank_text = confidential if confidential_text == "omit" else unredacted
    if "text" in rejected.column_names:
        idx = rejected.column_names.index("text")
        text = pc.if_else(blank_text, pa.scalar(None, pa.string()), rejected["text"])
        rejected = rejected.set_column(idx, "text", text)
    if "meta" in rejected.column_names and pc.any(unredacted).as_py():
        flags = unredacted.to_pylist()
        metas = rejected["meta"].to_pylist()
        guarded = [_location_only(m) if f else m for m, f in zip(metas, flags, strict=True)]
        idx = rejected.column_names.index("meta")
        rejected = rejected.set_column(idx, "meta", pa.array(guarded, pa.string()))
    return rejected


def holds_confidential(batch: pa.Table) -> bool:
    if "sensitivity" not in batch.column_names or batch.num_rows == 0:
        return False
    return bool(pc.any(pc.equal(batch["sensitivity"], "confidential")).as_py())


def stage_failure(stage_name: str, batch: pa.Table, exc: BaseException) -> StageError:
    """The error for a stage that raised on ``batch``: names the stage, the rows and the
    exception type; the exception's message only when no row of the batch is confidential.

    Raise the result outside the ``except`` block that caught ``exc`` (or ``from None``), so
    that no traceback, ours or Ray's, carries the original message along."""
    ids = batch["id"] if "id" in batch.column_names else None
    where = f"ids {ids[0]}..{ids[-1]}" if ids is not None and len(ids) else "an empty batch"
    head = f"stage {stage_name!r} failed on a batch of {batch.num_rows} rows ({where}): "
    if holds_confidential(batch):
        return StageError(
            head + f"{type(exc).__name__} (message withheld: the batch holds confidential rows)"
        )
    return StageError(head + f"{type(exc).__name__}: {str(exc)[:300]}")

"""One parsed record → one row: its text, id and ``meta``, or a reason to quarantine it.

The rules every reader shares:

- ``text`` is the ``text_field`` value: a string, or bytes that decode as UTF-8 (Parquet
  binary columns); anything else is ``missing_text``, bytes that do not decode are
  ``invalid_utf8``.
- ``meta`` is strict JSON (RFC 8259): ``NaN``, ``Infinity`` and ``-Infinity`` (which
  Python's json module and Parquet float columns produce) are written as ``null``.
- A string holding a lone UTF-16 surrogate (a ``"\\ud800"`` escape in JSON, or a codec
  that decodes to one) cannot be stored as UTF-8: the record is quarantined as
  ``invalid_utf8`` with ``meta.error`` naming the field (text, id or meta).
- A JSON value nested deeper than ``MAX_DEPTH`` levels is ``malformed_json``: deeper values
  would exhaust Python's recursion limit in json, and in stages that walk ``meta``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from refinery.io.readers.base import LONE_SURROGATE, BatchBuilder, ReadTask, stable_id

__all__ = [
    "MAX_DEPTH",
    "add_record",
    "decode_bytes",
    "has_lone_surrogate",
    "holds_float_or_too_deep",
    "meta_json",
    "too_deep",
]

#: Deepest nesting of a JSON record accepted (the record object itself is level 1).
MAX_DEPTH = 128


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a UTF-16 surrogate code point (it cannot be stored as UTF-8)."""
    return LONE_SURROGATE.search(text) is not None


def decode_bytes(raw: bytes, encoding: str) -> tuple[str, str | None]:
    """(text, reason): strict decode; on failure the text decoded with replacement chars.

    ``encoding`` is a codec name or ``auto`` (UTF-8, else GB18030). A codec that decodes to a
    lone surrogate (UTF-7, unicode-escape) fails as invalid bytes do: such text cannot be
    stored as UTF-8.
    """
    codecs = ("utf-8", "gb18030") if encoding == "auto" else (encoding,)
    for codec in codecs:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec in ("utf-8", "gb18030") or not LONE_SURROGATE.search(text):
            return text, None
    reason = (
        "invalid_utf8"
        if codecs[0].replace("_", "-").lower() in ("utf-8", "utf8")
        else "invalid_encoding"
    )
    return LONE_SURROGATE.sub("\ufffd", raw.decode(codecs[0], errors="replace")), reason


def holds_float_or_too_deep(value: Any, depth: int = 1) -> bool:
    """Whether a parsed JSON container holds a float anywhere or nests deeper than
    ``MAX_DEPTH`` (the JSONL fast path hands such records to the exact parser)."""
    if depth > MAX_DEPTH:
        return True
    values = value.values() if type(value) is dict else value
    for v in values:
        kind = type(v)
        if kind is str or kind is int or kind is bool or v is None:
            continue
        if kind is float or (
            (kind is dict or kind is list) and holds_float_or_too_deep(v, depth + 1)
        ):
            return True
    return False


def too_deep(value: Any, depth: int = 1) -> bool:
    """Whether a parsed JSON value nests deeper than ``MAX_DEPTH`` levels."""
    if type(value) is dict:
        values: Any = value.values()
    elif type(value) is list:
        values = value
    else:
        return False
    if depth > MAX_DEPTH:
        return True
    return any(too_deep(v, depth + 1) for v in values)


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None."""
    if type(value) is float:
        return value if math.isfinite(value) else None
    if type(value) is dict:
        return {k: _finite(v) for k, v in value.items()}
    if type(value) is list or type(value) is tuple:
        return [_finite(v) for v in value]
    return value


def meta_json(record: dict[str, Any], skip: set[str], keep: list[str] | None) -> str:
    """The ``meta`` JSON object of a record: the ``keep`` fields, or all but ``skip``."""
    if keep is not None:
        sub = {k: record[k] for k in keep if k in record}
    else:
        sub = {k: v for k, v in record.items() if k not in skip}
    if not sub:
        return "{}"
    try:
        return json.dumps(sub, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:  # NaN or ±Infinity: strict JSON has no such numbers
        return json.dumps(_finite(sub), ensure_ascii=False, default=str, allow_nan=False)


def _text_of(record: dict[str, Any], field_name: str) -> tuple[str | None, str | None]:
    value = record.get(field_name)
    if value is None:
        return None, "missing_text"
    if type(value) is str:
        return value, None
    if isinstance(value, bytes | bytearray):
        return decode_bytes(bytes(value), "utf-8")
    return json.dumps(value, ensure_ascii=False, default=str), "missing_text"


def _record_id(src: Any, record: dict[str, Any], task: ReadTask, position: int) -> str:
    if src.id_field is not None:
        value = record.get(src.id_field)
        if value is not None and value != "":
            return str(value)
    return stable_id(src.name, task.relpath, position)


def add_record(
    out: BatchBuilder,
    src: Any,
    task: ReadTask,
    skip: set[str],
    record: dict[str, Any],
    *,
    check_unicode: bool = False,
    position: int | None = None,
    **where: Any,
) -> None:
    """Add one parsed record, or quarantine it; ``where`` is its ``line=`` or ``row=``, and
    the position its derived id comes from unless ``position`` is given (a CSV record's id
    comes from its row number, its location is its first line).

    ``check_unicode``: the record may hold lone surrogates (it was parsed by a parser that
    accepts ``\\ud800`` escapes); UTF-8 bytes decoded strictly never do.
    """
    if position is None:
        (position,) = where.values()
    doc_text, bad = _text_of(record, src.text_field)
    id_ = _record_id(src, record, task, position)
    if bad:
        if check_unicode and LONE_SURROGATE.search(id_):
            id_ = stable_id(src.name, task.relpath, position)
        out.quarantine(id_, doc_text, bad, file=task.path, **where)
        return
    meta = meta_json(record, skip, src.meta_fields)
    if check_unicode:
        for name, value in (("text", doc_text), ("id", id_), ("meta", meta)):
            if value is not None and LONE_SURROGATE.search(value):
                if LONE_SURROGATE.search(id_):
                    id_ = stable_id(src.name, task.relpath, position)
                error = f"{name} holds a lone surrogate (an unpaired \\ud800-\\udfff escape)"
                out.quarantine(id_, doc_text, "invalid_utf8", file=task.path, error=error, **where)
                return
    out.add(id_, doc_text, meta)

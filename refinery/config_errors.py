"""A pydantic ``ValidationError`` as a ``ConfigError`` that names each dotted key at fault.

Shared by the run config (``refinery.config``) and configs of other commands
(``train-classifier``), so every config error reads the same way: ``stages.1(length_filter)
.min_char: unknown key. Allowed keys: ...``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from refinery.errors import ConfigError

__all__ = ["config_error"]


def config_error(
    exc: ValidationError,
    prefix: str,
    models: Callable[[], Iterable[type[BaseModel]]] = tuple,
) -> ConfigError:
    """One line per problem, keys prefixed with ``prefix``; an unknown key lists the allowed
    ones when its model is among ``models()`` (called only then)."""
    lines = []
    first_key = None
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-after"))
        key = ".".join(p for p in (prefix, loc) if p) or "<root>"
        first_key = first_key or key
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
            allowed = _allowed_keys(exc, err["loc"], models)
            if allowed:
                msg += f". Allowed keys: {', '.join(allowed)}"
        elif err["type"] == "missing":
            msg = "required key is missing"
        lines.append(f"{key}: {msg}")
    if len(lines) == 1:
        return ConfigError(lines[0].split(": ", 1)[1], key=first_key)
    return ConfigError("invalid config:\n  " + "\n  ".join(lines), key=None)


def _allowed_keys(
    exc: ValidationError, loc: tuple[Any, ...], models: Callable[[], Iterable[type[BaseModel]]]
) -> list[str]:
    """Field names of the model that rejected an unknown key (best effort, for the message)."""
    model: Any = next((m for m in models() if m.__name__ == exc.title), None)
    if model is None:
        return []
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        ann = field.annotation
        inner = getattr(ann, "__args__", None)
        candidates = [ann, *(inner or ())]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            return []
    return sorted(k for k in model.model_fields if k not in ("raw", "config_path"))

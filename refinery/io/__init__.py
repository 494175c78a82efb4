"""Inputs and outputs: readers (sources → Arrow batches), writers (shards, rejects), manifest."""

from __future__ import annotations

import importlib
import pkgutil

_LOADED = False


def load_builtin_readers() -> None:
    """Import every module of ``refinery.io`` so each ``@register_reader`` runs."""
    global _LOADED
    if _LOADED:
        return
    import refinery.io as pkg

    for info in pkgutil.iter_modules(pkg.__path__, prefix="refinery.io."):
        importlib.import_module(info.name)
    _LOADED = True

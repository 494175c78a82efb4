"""Inputs and outputs: readers (sources → Arrow batches), writers (shards, rejects), manifest."""

from __future__ import annotations

from refinery.plugins import import_all_modules


def load_builtin_readers() -> None:
    """Import every module of ``refinery.io`` so each ``@register_reader`` runs."""
    import_all_modules("refinery.io")

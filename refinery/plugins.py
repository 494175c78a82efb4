"""Importing a package's every module once, so that its registration decorators run
(``@register_reader``, ``@register_stage``, ``@register_command``)."""

from __future__ import annotations

import functools
import importlib
import pkgutil

__all__ = ["import_all_modules"]


@functools.cache
def import_all_modules(package: str) -> None:
    """Import ``package`` and every module below it (sub-packages included), once per process."""
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
        importlib.import_module(info.name)

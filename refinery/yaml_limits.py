"""Limits on what a YAML config may expand to: aliases, self-reference, nesting.

A YAML "billion laughs" file (anchors of anchors) is a few hundred bytes that expand to 10^9
values. ``yaml.safe_load`` keeps aliases as shared references, so it returns at once; the
expansion happens later, in whatever walks the tree (merging ``extends:``, interpolating
``${VAR}``, validating). ``check_expanded_size`` measures the expanded size first, without
expanding, and refuses such a file with an error naming it.
"""

from __future__ import annotations

from typing import Any

from refinery.errors import ConfigError

__all__ = ["MAX_CONFIG_DEPTH", "MAX_CONFIG_VALUES", "check_expanded_size"]

#: Most values a config may hold once YAML aliases are expanded. Real configs hold hundreds;
#: a "billion laughs" file (anchors of anchors) holds 10^9 while its text is a few hundred
#: bytes. ``yaml.safe_load`` keeps aliases as shared references, but merging, interpolation
#: and validation walk the expanded tree, so it is measured (without expanding it) first.
MAX_CONFIG_VALUES = 100_000
#: Deepest nesting of mappings and lists a config may have.
MAX_CONFIG_DEPTH = 64


def check_expanded_size(data: Any, where: str) -> None:
    """Refuse YAML whose aliases expand to more than ``MAX_CONFIG_VALUES`` values, that
    nests deeper than ``MAX_CONFIG_DEPTH`` or that refers to itself.

    Sizes of shared sub-trees are memoised by identity, so the check costs one visit per
    distinct node however often an alias repeats it."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Any, depth: int) -> int:
        if not isinstance(node, dict | list):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise ConfigError(f"{where}: a YAML alias refers to a node that contains it")
        if depth > MAX_CONFIG_DEPTH:
            raise ConfigError(f"{where}: mappings and lists nest deeper than {MAX_CONFIG_DEPTH}")
        open_nodes.add(key)
        children = list(node.items()) if isinstance(node, dict) else [(None, v) for v in node]
        total = 1
        for _, child in children:
            total += size(child, depth + 1)
            if total > MAX_CONFIG_VALUES:
                raise ConfigError(
                    f"{where}: the YAML expands to more than {MAX_CONFIG_VALUES:,} values once "
                    'its aliases (*name) are resolved; refusing it (a "billion laughs" file?)'
                )
        open_nodes.discard(key)
        sizes[key] = total
        return total

    size(data, 0)

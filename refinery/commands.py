"""The registry of commands that stage packages add to the ``refinery`` CLI.

A stage package contributes a command the way it contributes a stage: it decorates a click
command with ``register_command`` in one of its modules, and ``refinery`` finds it when it
imports the stage library (``refinery.stage.load_builtin_stages``). The engine names no stage
module.

    @register_command
    @click.command("dedup")
    def dedup(...): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["overrides_option", "register_command", "registered_commands"]

_COMMANDS: dict[str, click.Command] = {}

Cmd = TypeVar("Cmd", bound=click.Command)


def register_command(command: Cmd) -> Cmd:
    """Decorator: add ``command`` to the ``refinery`` CLI under its own name."""
    name = command.name or ""
    if not name:
        raise ValueError(f"command {command!r} has no name")
    if name in _COMMANDS and _COMMANDS[name] is not command:
        raise ValueError(f"command name {name!r} is already registered by {_COMMANDS[name]}")
    _COMMANDS[name] = command
    return command


def registered_commands() -> dict[str, click.Command]:
    """Every registered command by name, after importing the stage library."""
    from refinery.stage import load_builtin_stages

    load_builtin_stages()
    return dict(sorted(_COMMANDS.items()))


def overrides_option(example: str = "") -> Callable[[Any], Any]:
    """The ``--set KEY=VALUE`` option every config-taking command shares (repeatable; the
    values arrive as ``overrides: tuple[str, ...]``). ``example`` ends the help text."""
    hint = f", e.g. --set {example}" if example else " (repeatable)"
    return click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help=f"Override a config value by dotted path{hint}.",
    )

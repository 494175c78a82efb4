"""Commands of stage packages reach the CLI through the registry, not by module name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from refinery import commands
from refinery.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_stage_package_commands_are_registered_and_attached(runner) -> None:
    registered = commands.registered_commands()
    assert {"dedup", "pii-scan", "pii-detect"} <= set(registered)
    for name, command in registered.items():
        assert main.commands[name] is command
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "dedup" in result.output and "pii-scan" in result.output


def test_the_engine_imports_no_stage_module() -> None:
    # refinery/ may import the stage library as a whole (load_builtin_stages), never one of
    # its modules: stage packages plug in through the registries
    named = []
    for path in (ROOT / "refinery").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stages."):
                named.append(f"{path.relative_to(ROOT)}: {node.module}")
            elif isinstance(node, ast.Import):
                named += [
                    f"{path.name}: {a.name}" for a in node.names if a.name.startswith("stages.")
                ]
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"stages(\.\w+)+", node.value)
            ):
                named.append(f"{path.relative_to(ROOT)}: {node.value!r}")
    assert named == []


def test_a_second_command_under_a_taken_name_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(commands, "_COMMANDS", dict(commands._COMMANDS))
    with pytest.raises(ValueError, match="'dedup' is already registered"):
        commands.register_command(click.Command("dedup"))

"""The two checks every sentence test of the PII detector makes, written once.

A test module lists its miss classes as data: ``finds(...)`` (sentences, and the value the
detector must report as an entity type in each) and ``look_alikes(...)`` (sentences that must
yield no entity of some types), then takes its two tests from ``sentence_tests``. Every sentence
stays a test of its own, its id the class name and its place in the class.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from stages.pii.detector import PiiDetector

Params = list[Any]  # pytest.param(...) objects

#: The case tables kept as data, one file a round or a theme.
CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.json"))


def found(detector: PiiDetector, text: str) -> list[tuple[str, str]]:
    """(value, type) of each entity the detector reports in ``text``, in order."""
    return [(text[e.start : e.end], e.type) for e in detector.detect(text)]


def in_carrier(carrier: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """``(sentence, value)`` pairs: each value put into the ``{}`` of one carrier sentence."""
    return [(carrier.format(value), value) for value in values]


def finds(name: str, kind: str, cases: Sequence[tuple[str, str]], *, only: bool = False) -> Params:
    """In each ``(text, value)`` the detector reports ``value`` as ``kind``; with ``only``,
    that is all it reports."""
    return [
        pytest.param(text, value, kind, only, id=f"{name}-{i}")
        for i, (text, value) in enumerate(cases)
    ]


def finds_each(name: str, cases: Sequence[tuple[str, str | None, str]]) -> Params:
    """In each ``(text, value, kind)`` the detector reports ``value`` as ``kind``; a value of
    None: some entity of ``kind``, whatever its span."""
    return [
        pytest.param(text, value, kind, False, id=f"{name}-{i}")
        for i, (text, value, kind) in enumerate(cases)
    ]


def look_alikes(name: str, texts: Sequence[str], kinds: Iterable[str] | None = None) -> Params:
    """No text yields an entity of any of ``kinds``; None: no entity of any type."""
    kept = None if kinds is None else frozenset(kinds)
    return [pytest.param(text, kept, id=f"{name}-{i}") for i, text in enumerate(texts)]


def sentence_tests(
    finds_cases: Params, look_alike_cases: Params
) -> tuple[Callable[..., None], Callable[..., None]]:
    """``test_finds`` and ``test_leaves_look_alikes_alone`` over a module's cases.

    Assign them to those names in the test module: pytest collects them there, once per
    module, each call making new functions with the module's own parameters.
    """

    @pytest.mark.parametrize(("text", "value", "kind", "only"), finds_cases)
    def test_finds(
        detector: PiiDetector, text: str, value: str | None, kind: str, only: bool
    ) -> None:
        got = found(detector, text)
        if only:
            assert got == [(value, kind)]
        elif value is None:
            assert kind in [t for _, t in got], got
        else:
            assert (value, kind) in got, got

    @pytest.mark.parametrize(("text", "kinds"), look_alike_cases)
    def test_leaves_look_alikes_alone(
        detector: PiiDetector, text: str, kinds: frozenset[str] | None
    ) -> None:
        assert [(v, t) for v, t in found(detector, text) if kinds is None or t in kinds] == []

    return test_finds, test_leaves_look_alikes_alone


def load_case_file(path: Path) -> tuple[Params, Params]:
    """The ``finds`` and ``look_alikes`` params of a case file: ``{"finds": [{"class", "kind",
    "cases": [[text, value], ...], "only"?}], "look_alikes": [{"class", "kinds" (a list or
    null: any type), "texts": [...]}]}``; a case ``[text, value, kind]`` has a kind of its own,
    a value of null means some entity of the kind. A malformed entry names the file and key."""
    data = json.loads(path.read_text(encoding="utf-8"))
    finds_params: Params = []
    look_params: Params = []
    for k, group in enumerate(data.get("finds", [])):
        where = f"{path.name}: finds[{k}]"
        try:
            name, kind, only = f"{path.stem}-{group['class']}", group["kind"], group.get("only")
            cases = [(c[0], c[1], c[2] if len(c) > 2 else kind) for c in group["cases"]]
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"{where} is malformed ({type(exc).__name__})") from None
        if only:
            finds_params += finds(name, kind, [(t, v) for t, v, _ in cases], only=True)
        else:
            finds_params += finds_each(name, cases)
    for k, group in enumerate(data.get("look_alikes", [])):
        try:
            look_params += look_alikes(
                f"{path.stem}-{group['class']}", group["texts"], group.get("kinds")
            )
        except (KeyError, TypeError) as exc:
            msg = f"{path.name}: look_alikes[{k}] is malformed ({type(exc).__name__})"
            raise ValueError(msg) from None
    return finds_params, look_params

"""The labelled PII set is well formed, its identifiers are valid, and the detector keeps
the targets on it (a regression guard; scripts/bench_pii.py prints the full table)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from stages.pii.detector import ENTITY_TYPES, PiiDetector

DATA = Path(__file__).resolve().parents[2] / "data" / "pii" / "labelled.jsonl"


def _docs() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def test_set_is_well_formed_and_large_enough() -> None:
    docs = _docs()
    assert len({d["id"] for d in docs}) == len(docs)
    counts = Counter(e["type"] for d in docs for e in d["entities"])
    assert sum(counts.values()) >= 600
    assert set(counts) == set(ENTITY_TYPES)
    assert {d["lang"] for d in docs} == {"zh", "en"}
    assert sum(1 for d in docs if not d["entities"]) >= 20, "hard-negative documents"
    for d in docs:
        spans = sorted((e["start"], e["end"]) for e in d["entities"])
        for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
            assert e1 <= s2, f"{d['id']}: overlapping spans"
        assert all(0 <= s < e <= len(d["text"]) for s, e in spans)


def test_identifiers_carry_valid_check_digits() -> None:
    stdnum = pytest.importorskip("stdnum")  # noqa: F841
    from stdnum import iban, luhn
    from stdnum.cn import ric, uscc

    for d in _docs():
        for e in d["entities"]:
            value = d["text"][e["start"] : e["end"]].replace(" ", "").replace("-", "")
            if e["type"] == "ID_CARD" and len(value) == 18:
                assert ric.calc_check_digit(value.upper()) == value[-1].upper(), d["id"]
            elif e["type"] == "BANK_CARD":
                assert luhn.is_valid(value), d["id"]
            elif e["type"] == "IBAN":
                assert iban.is_valid(value), d["id"]
            elif e["type"] == "CREDIT_CODE":
                assert uscc.is_valid(value), d["id"]


def test_detector_meets_the_targets() -> None:
    pytest.importorskip("jieba")
    detector = PiiDetector()
    detector.setup()
    hits: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    predicted = 0
    correct = 0
    for d in _docs():
        pred = {(e.start, e.end, e.type) for e in detector.detect(d["text"])}
        predicted += len(pred)
        for e in d["entities"]:
            gold[e["type"]] += 1
            if (e["start"], e["end"], e["type"]) in pred:
                hits[e["type"]] += 1
                correct += 1
    checksummed = ("ID_CARD", "BANK_CARD", "CREDIT_CODE", "IBAN")
    assert sum(hits[t] for t in checksummed) / sum(gold[t] for t in checksummed) >= 0.99
    assert (hits["NAME"] + hits["ADDRESS"]) / (gold["NAME"] + gold["ADDRESS"]) >= 0.90
    assert correct / predicted >= 0.97

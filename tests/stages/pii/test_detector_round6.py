"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/round6.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

import re

from stages.pii.detector import PiiDetector
from stages.pii.latin import LOWER, UPPER
from tests.stages.pii.cases import found


def test_latin_letter_classes_split_by_case() -> None:
    upper, lower = re.compile(f"[{UPPER}]"), re.compile(f"[{LOWER}]")
    assert all(upper.fullmatch(c) for c in "AZÉÖŁŠŽ")
    assert all(lower.fullmatch(c) for c in "azéöłšžß")
    assert not any(upper.fullmatch(c) for c in "é×÷1 ")
    assert not any(lower.fullmatch(c) for c in "É×÷1 ")


def test_building_after_a_house_number_needs_a_room(detector: PiiDetector) -> None:
    text = "地址：人民路100号附近的中心医院。"
    assert [v for v, t in found(detector, text) if t == "ADDRESS"] == ["人民路100号"]


def test_bracketed_phone_leaves_the_sentences_brackets(detector: PiiDetector) -> None:
    text = "Emergency contact: Amahle (+95 1 234 567) ok"
    assert ("+95 1 234 567", "PHONE") in found(detector, text)

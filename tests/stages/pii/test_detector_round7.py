"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/round7.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

from stages.pii.detector import PiiDetector
from tests.stages.pii.cases import found


def test_two_attorneys_are_two_names(detector: PiiDetector) -> None:
    text = "Attorney(s): Pieter Jansen and Anna Kowalska, acting jointly"
    assert [v for v, t in found(detector, text) if t == "NAME"] == [
        "Pieter Jansen",
        "Anna Kowalska",
    ]


def test_rural_address_keeps_its_group_and_house_number(detector: PiiDetector) -> None:
    text = "现居地址：兰考县谷营镇袁寨村3组12号\n出生地：略"
    assert ("兰考县谷营镇袁寨村3组12号", "ADDRESS") in found(detector, text)


def test_address_after_a_sending_verb_starts_at_the_province(detector: PiiDetector) -> None:
    text = "资料将寄至湖南省某县东街3号"
    assert [v for v, t in found(detector, text) if t == "ADDRESS"] == ["湖南省某县东街3号"]

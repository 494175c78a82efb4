"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/round5.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

from stages.pii.detector import PiiDetector
from stages.pii.names_context import find_context_names
from stages.pii.names_en import EN_NOT_NAME
from tests.stages.pii.cases import found


def test_swift_party_field_keeps_only_the_name_line(detector: PiiDetector) -> None:
    text = ":50K:/AT611904300234573201\nPakorn Thongchai\n:57A:QQPLATW1\n:59:/X\nAcme Bank Ltd"
    names = [v for v, t in found(detector, text) if t == "NAME"]
    assert names == ["Pakorn Thongchai"]  # the bank's line under :59: is no person


def test_headerless_column_needs_two_name_cells() -> None:
    one = "09:10 | Anong Kaewmanee | deposit\n09:30 | courier | delivery"
    two = "09:10 | Anong Kaewmanee | deposit\n09:30 | Babajide Ola | loan"
    known = frozenset({"Anong"})
    assert find_context_names(one, known, known, EN_NOT_NAME) == []
    assert len(find_context_names(two, known, known, EN_NOT_NAME)) == 2
    assert find_context_names(two, known, frozenset(), EN_NOT_NAME) == []  # no known name

"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/basics.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

import pytest

from stages.pii.detector import PiiDetector


def test_offsets_are_character_offsets_and_sorted(detector: PiiDetector) -> None:
    text = "客户张伟，手机13812345678，邮箱a@example.com"
    ents = detector.detect(text)
    assert [e.start for e in ents] == sorted(e.start for e in ents)
    assert [text[e.start : e.end] for e in ents] == ["张伟", "13812345678", "a@example.com"]


def test_only_configured_types() -> None:
    d = PiiDetector(["EMAIL"])
    assert [e.type for e in d.detect("客户张伟 a@example.com 13812345678")] == ["EMAIL"]
    with pytest.raises(ValueError, match="unknown PII entity types"):
        PiiDetector(["SSN"])

"""The detector the sentence tests share: set up once (jieba and schwifty load in ``setup``)."""

from __future__ import annotations

import pytest

from stages.pii.detector import PiiDetector


@pytest.fixture(scope="session")
def detector() -> PiiDetector:
    pytest.importorskip("jieba")
    pytest.importorskip("schwifty")
    d = PiiDetector()
    d.setup()
    return d

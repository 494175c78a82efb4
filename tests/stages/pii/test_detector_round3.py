"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/round3.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

import pytest

from stages.pii.detector import PiiDetector
from tests.stages.pii.cases import found


def test_bic_under_a_swift_column_header() -> None:
    text = (
        "Beneficiary | Account | SWIFT\n"
        "Acme Ltd | GB82 WEST 1234 5698 7654 32 | AUIVAU2S\n"
        "Beta Co | DE89 3704 0044 0532 0130 00 | UPMKFIHH"
    )
    assert found(PiiDetector(["SWIFT_BIC"]), text) == [
        ("AUIVAU2S", "SWIFT_BIC"),
        ("UPMKFIHH", "SWIFT_BIC"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Team | Code\nOps | AUIVAU2S",  # a column that is not SWIFT
        "status\tcode\nHANDLING\tdone",  # no SWIFT header at all
        "SWIFT | notes\nfees | none this quarter at all\n\nLater: AUIVAU2S",  # outside the table
    ],
)
def test_bic_look_alikes_in_tables_stay(text: str) -> None:
    assert PiiDetector(["SWIFT_BIC"]).detect(text) == []


@pytest.mark.parametrize(
    ("text", "is_ip"),
    [
        ("firmware 10.0.3.2 is out", False),
        ("upgrade to build 10.4.22.7 tonight", False),
        ("固件 10.0.3.2 已发布", False),
        ("login from 10.0.3.2 failed", True),
        ("server 172.16.40.3 restarted", True),
    ],
)
def test_versions_are_not_ip_addresses(detector: PiiDetector, text: str, is_ip: bool) -> None:
    assert ("IP_ADDRESS" in [t for _, t in found(detector, text)]) is is_ip

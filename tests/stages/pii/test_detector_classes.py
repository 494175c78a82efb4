"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/classes.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

import pytest

from stages.pii.banking import bic_is_known_bank, find_ibans


def test_bic_registry_and_outside_list() -> None:
    pytest.importorskip("schwifty")
    assert bic_is_known_bank("DEUTDEFF500")
    assert bic_is_known_bank("ICBKCNBJ")
    assert not bic_is_known_bank("HANDLING")  # HAND + LI: no such bank in Liechtenstein
    assert not bic_is_known_bank("DEUTDEF0")  # a test BIC (location ends in 0)


def test_iban_lookalikes() -> None:
    # The check digits fail, or it is a word and a number.
    assert find_ibans("DE99 3704 0044 0532 0130 00") == []
    assert find_ibans("GB94 BARC 2020 1530 0934 59") == []
    assert find_ibans("Version de 12 of the form") == []

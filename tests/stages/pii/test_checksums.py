"""Check-digit validators, cross-checked against python-stdnum on generated numbers."""

from __future__ import annotations

import random

import pytest

from stages.pii import checksums

stdnum = pytest.importorskip("stdnum")
from stdnum import iban as std_iban  # noqa: E402
from stdnum import luhn as std_luhn  # noqa: E402
from stdnum.cn import uscc as std_uscc  # noqa: E402

R = random.Random(3)


def _digits(n: int) -> str:
    return "".join(R.choice("0123456789") for _ in range(n))


def test_resident_id_check_character_matches_gb11643() -> None:
    # GB 11643-1999 appendix example.
    assert checksums.cn_resident_id_valid("11010519491231002X")
    assert not checksums.cn_resident_id_valid("110105194912310021")
    for _ in range(500):
        body = (
            "110105"
            + f"{R.randint(1930, 2010)}{R.randint(1, 12):02d}{R.randint(1, 28):02d}"
            + _digits(3)
        )
        number = body + checksums.cn_id_check_char(body)
        assert checksums.cn_resident_id_valid(number)
        assert checksums.cn_resident_id_valid(number.lower())


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002",  # too short
        "99010519491231002X",  # unknown province
        "110105194902301234",  # 30 February
        "110105290001011234",  # born in the future
        "11010518991231002X",  # before 1900
    ],
)
def test_resident_id_rejects(number: str) -> None:
    assert not checksums.cn_resident_id_valid(number)


def test_legacy_15_digit_id() -> None:
    assert checksums.cn_resident_id_valid("110105491231002")
    assert not checksums.cn_resident_id_valid("110105491331002")  # month 13
    # prefecture codes: 01-43, 51-53 (Guangdong's newest), 90 (cities under the province)
    for ok in ("445102850101123", "429004850101123", "654301850101123"):
        assert checksums.cn_resident_id_valid(ok), ok
    for no in ("377412310328069", "115005850101123", "446001850101123"):
        assert not checksums.cn_resident_id_valid(no), no


def test_luhn_agrees_with_stdnum() -> None:
    for _ in range(2000):
        n = _digits(R.randint(12, 19))
        assert checksums.luhn_valid(n) == std_luhn.is_valid(n)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),
        ("6222021234567890128", std_luhn.is_valid("6222021234567890128")),
        ("378282246310005", True),
        ("2221000000000009", True),
        ("1234567812345670", False),  # passes Luhn but 1 is no card issuer
        ("9999999999999995", False),
        ("0000000000000000", False),
        ("411111111111", False),  # 12 digits
        # national schemes outside 3-6 and the Mastercard 2-series
        ("2200123456789019", True),  # Mir
        ("2204001122334459", True),  # Mir
        ("220500112233445560", True),  # BORICA, 18 digits
        ("8100987654321017", True),  # RuPay
        ("8600555666777883", True),  # UzCard
        ("9792000111222330", True),  # Troy
        ("9860123456789015", True),  # Humo
        ("8100987654321012", False),  # RuPay prefix, Luhn fails
        ("2206123456789013", False),  # Luhn passes, 2206: no issuer
        ("979200011122234", False),  # Troy prefix, 15 digits
        ("8700555666777882", False),  # 87: no issuer
    ],
)
def test_payment_cards(number: str, valid: bool) -> None:
    assert checksums.payment_card_valid(number) == valid


@pytest.mark.parametrize(
    ("number", "known"),
    [
        ("2200123456789019", True),
        ("8100987654321017", True),
        ("8600555666777883", True),
        ("9792000111222330", True),
        ("9860123456789015", True),
        ("979200011122233", False),  # Troy numbers have 16 digits
        ("2206123456789013", False),
        ("8700555666777882", False),
    ],
)
def test_national_card_schemes_are_known(number: str, known: bool) -> None:
    assert checksums.card_scheme_known(number) is known
    assert checksums.payment_card_valid(number) is known


def test_uscc_agrees_with_stdnum() -> None:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(500):
        body = "91" + "350100" + "".join(R.choice(alphabet) for _ in range(9))
        code = body + std_uscc.calc_check_digit(body)
        assert checksums.uscc_valid(code)
        wrong = code[:-1] + R.choice([c for c in alphabet if c != code[-1]])
        assert not checksums.uscc_valid(wrong)
    assert checksums.uscc_valid("91110000802100433B")


def test_iban_lengths_and_checks_agree_with_stdnum() -> None:
    assert checksums.iban_valid("GB82WEST12345698765432")
    assert not checksums.iban_valid("GB82WEST12345698765433")
    assert not checksums.iban_valid("GB82WEST1234569876543")  # wrong length for GB
    for cc, length in checksums.IBAN_LENGTHS.items():
        bban = _digits(length - 4)
        number = cc + std_iban.calc_check_digits(cc + "00" + bban) + bban
        assert checksums.iban_valid(number), number


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("BKCHCNBJ", True),
        ("DEUTDEFF500", True),
        ("CITIUS33", True),
        ("BKCHZZBJ", False),
        ("BKCH1NBJ", False),
        ("bkchcnbj", False),
        ("BKCHCNB", False),
    ],
)
def test_bic_structure(code: str, valid: bool) -> None:
    assert checksums.swift_bic_valid(code) == valid

"""Values for the round-3 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Sources that no earlier split used, where one exists:
- usaddress's tagged test addresses (``sources/round3_tests.json``, ``address_us``: real US
  street addresses from datamade/usaddress ``measure_performance/test_data/us50_test_tagged.xml``)
  and libphonenumber's matcher test numbers (``phone``: python-phonenumbers
  ``python/tests/phonenumbermatchertest.py``; kept where the real metadata says valid);
- Faker locales no split used: ``en_IN`` (names, addresses with PIN codes, e-mails) and
  ``zh_TW`` (traditional-character names, Taiwanese addresses with postal codes, e-mails);
- Faker locales used before, with seeds never used (40-49): ``zh_CN`` (names, addresses,
  resident IDs, mobiles), ``en_GB`` and ``en_US`` (names, addresses, phones as Faker prints
  them, with extensions and a leading ``1-``/``001-``, cards), ``de_DE``/``fr_FR``/``nl_NL``/
  ``es_ES``/``it_IT`` (IBANs, SWIFT codes of 8 and 11 characters).
Unified social credit codes: random bodies with python-stdnum's check character, from a
random stream of their own (seed 4).

Every IBAN, resident ID, credit code and card is checked with python-stdnum before it is
written (``pii_eval_draw.check``); a value that fails is an error, not a silent skip.
"""

from __future__ import annotations

import random

from pii_eval_draw import (
    Pool,
    card_groups,
    checked_draw,
    credit_code,
    full_name,
    grouped,
    iban_from,
    one_line_address,
    seeded_fakers,
    source,
    swift_from,
)

SEED = 4
IBAN_LOCALES = ("de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT")


def _card(value: str, rng: random.Random) -> str:
    """Compact, or in the groups issuers print: 15 digits 4-6-5, 16 and 19 digits in fours."""
    n, r = len(value), rng.random()
    if r < 0.35 or n not in (15, 16, 19):
        return value
    return card_groups(value, " " if r < 0.8 else "-")


def pools() -> dict[str, Pool]:
    rng = random.Random(SEED)
    src = source("round3_tests.json")
    fakers = seeded_fakers(("zh_CN", "zh_TW", "en_GB", "en_IN", "en_US", *IBAN_LOCALES), 40)
    zh, tw, gb, ind, us = (fakers[x] for x in ("zh_CN", "zh_TW", "en_GB", "en_IN", "en_US"))
    fk = checked_draw("round-3")

    def idnum() -> str:
        v = zh.ssn()
        return grouped(v, 6, 14) if rng.random() < 0.15 else v

    def phone_zh() -> str:
        v = zh.phone_number()
        r = rng.random()
        if r < 0.25:
            return grouped(v, 3, 7)
        if r < 0.4:
            return f"+86-{v}"
        return v

    cards = fk("CARD", lambda: _card(gb.credit_card_number(), rng), "faker_en_GB_s42", 30)
    cards += fk("CARD", lambda: _card(us.credit_card_number(), rng), "faker_en_US_s44", 30)
    return {
        "NAME_ZH": fk("NAME", zh.name, "faker_zh_CN_s40", 60)
        + fk("NAME", tw.name, "faker_zh_TW", 60),
        "NAME_EN": fk("NAME", full_name(gb), "faker_en_GB_s42", 30)
        + fk("NAME", full_name(ind), "faker_en_IN", 30)
        + fk("NAME", full_name(us), "faker_en_US_s44", 30),
        "ADDR_ZH": fk("ADDR", lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_s40", 50)
        + fk("ADDR", tw.address, "faker_zh_TW", 40),
        "ADDR_EN": [(v, "usaddress_tests") for v in src["address_us"]]
        + fk("ADDR", one_line_address(gb), "faker_en_GB_s42", 25)
        + fk("ADDR", one_line_address(ind), "faker_en_IN", 25)
        + fk("ADDR", one_line_address(us), "faker_en_US_s44", 25),
        "ID": fk("ID", idnum, "faker_zh_CN_s40", 60),
        "CARD": cards,
        "CODE": fk(
            "CODE",
            lambda: credit_code(rng, "9159", "123", range(110000, 659999)),
            "stdnum_check_s4",
            40,
        ),
        "IBAN": fk(
            "IBAN", iban_from(rng, [fakers[x] for x in IBAN_LOCALES]), "faker_eu_s45-49", 60
        ),
        "BIC": fk(
            "BIC",
            swift_from(rng, [fakers[x] for x in IBAN_LOCALES + ("en_GB",)]),
            "faker_eu_s45-49",
            50,
        ),
        "PHONE_ZH": fk("PHONE", phone_zh, "faker_zh_CN_s40", 50),
        "PHONE_INTL": [(v, "phonenumbers_tests") for v in src["phone"]] * 2
        + fk("PHONE", us.phone_number, "faker_en_US_s44", 25)
        + fk("PHONE", gb.phone_number, "faker_en_GB_s42", 25),
        "EMAIL": fk("EMAIL", gb.email, "faker_en_GB_s42", 20)
        + fk("EMAIL", ind.email, "faker_en_IN", 20)
        + fk("EMAIL", tw.email, "faker_zh_TW", 20),
    }

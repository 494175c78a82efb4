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
written (``_check``); a value that fails is an error, not a silent skip.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

Pool = list[tuple[str, str]]  # (value, source)

SOURCES = Path(__file__).resolve().parents[1] / "data" / "pii_eval" / "sources"
SEED = 4
IBAN_LOCALES = ("de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT")


def _check(slot: str, value: str) -> str:
    from stdnum import bic, iban, luhn
    from stdnum.cn import ric, uscc

    compact = value.replace(" ", "").replace("-", "")
    ok = {
        "IBAN": lambda: iban.is_valid(compact),
        "ID": lambda: ric.is_valid(compact.upper()) or _ric_checksum(compact),
        "CODE": lambda: uscc.is_valid(compact),
        "CARD": lambda: luhn.is_valid(compact),
        "BIC": lambda: bic.is_valid(compact),
    }.get(slot, lambda: True)()
    if not ok:
        raise ValueError(f"round-3 pool {slot}: a value fails its check")
    return value


def _ric_checksum(value: str) -> bool:
    """GB 11643 check character only (Faker's area codes are not all in stdnum's table)."""
    from stdnum.cn import ric

    return len(value) == 18 and ric.calc_check_digit(value) == value[17].upper()


def _card(value: str, rng: random.Random) -> str:
    """Compact, or in the groups issuers print: 15 digits 4-6-5, 16 and 19 digits in fours."""
    n, r = len(value), rng.random()
    if r < 0.35 or n not in (15, 16, 19):
        return value
    if n == 15:
        return f"{value[:4]} {value[4:10]} {value[10:]}"
    sep = " " if r < 0.8 else "-"
    return sep.join(value[i : i + 4] for i in range(0, n, 4))


def pools() -> dict[str, Pool]:
    from faker import Faker
    from stdnum.cn import uscc

    rng = random.Random(SEED)
    src = json.loads((SOURCES / "round3_tests.json").read_text(encoding="utf-8"))
    fakers: dict[str, Faker] = {}
    for k, loc in enumerate(("zh_CN", "zh_TW", "en_GB", "en_IN", "en_US", *IBAN_LOCALES)):
        fakers[loc] = Faker(loc)
        fakers[loc].seed_instance(40 + k)
    zh, tw, gb, ind, us = (fakers[x] for x in ("zh_CN", "zh_TW", "en_GB", "en_IN", "en_US"))

    def fk(slot: str, fn: Callable[[], str], tag: str, count: int) -> Pool:
        return [(_check(slot, fn()), tag) for _ in range(count)]

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

    def credit_code() -> str:
        body = rng.choice("9159") + rng.choice("123") + f"{rng.randrange(110000, 659999)}"
        body += "".join(rng.choice(alphabet) for _ in range(9))
        return body + uscc.calc_check_digit(body)

    def idnum() -> str:
        v = zh.ssn()
        r = rng.random()
        if r < 0.15:
            return f"{v[:6]} {v[6:14]} {v[14:]}"
        return v

    def phone_zh() -> str:
        v = zh.phone_number()
        r = rng.random()
        if r < 0.25:
            return f"{v[:3]} {v[3:7]} {v[7:]}"
        if r < 0.4:
            return f"+86-{v}"
        return v

    def iban() -> str:
        v = fakers[rng.choice(IBAN_LOCALES)].iban()
        r = rng.random()
        if r < 0.5:
            return " ".join(v[i : i + 4] for i in range(0, len(v), 4))
        return v

    def swift() -> str:
        f = fakers[rng.choice(IBAN_LOCALES + ("en_GB",))]
        return f.swift11() if rng.random() < 0.4 else f.swift8()

    cards = fk("CARD", lambda: _card(gb.credit_card_number(), rng), "faker_en_GB_s42", 30)
    cards += fk("CARD", lambda: _card(us.credit_card_number(), rng), "faker_en_US_s44", 30)
    return {
        "NAME_ZH": fk("NAME", zh.name, "faker_zh_CN_s40", 60)
        + fk("NAME", tw.name, "faker_zh_TW", 60),
        "NAME_EN": fk("NAME", lambda: f"{gb.first_name()} {gb.last_name()}", "faker_en_GB_s42", 30)
        + fk("NAME", lambda: f"{ind.first_name()} {ind.last_name()}", "faker_en_IN", 30)
        + fk("NAME", lambda: f"{us.first_name()} {us.last_name()}", "faker_en_US_s44", 30),
        "ADDR_ZH": fk("ADDR", lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_s40", 50)
        + fk("ADDR", tw.address, "faker_zh_TW", 40),
        "ADDR_EN": [(v, "usaddress_tests") for v in src["address_us"]]
        + fk("ADDR", lambda: gb.address().replace("\n", ", "), "faker_en_GB_s42", 25)
        + fk("ADDR", lambda: ind.address().replace("\n", ", "), "faker_en_IN", 25)
        + fk("ADDR", lambda: us.address().replace("\n", ", "), "faker_en_US_s44", 25),
        "ID": fk("ID", idnum, "faker_zh_CN_s40", 60),
        "CARD": cards,
        "CODE": [(_check("CODE", credit_code()), "stdnum_check_s4") for _ in range(40)],
        "IBAN": fk("IBAN", iban, "faker_eu_s45-49", 60),
        "BIC": fk("BIC", swift, "faker_eu_s45-49", 50),
        "PHONE_ZH": fk("PHONE", phone_zh, "faker_zh_CN_s40", 50),
        "PHONE_INTL": [(v, "phonenumbers_tests") for v in src["phone"]] * 2
        + fk("PHONE", us.phone_number, "faker_en_US_s44", 25)
        + fk("PHONE", gb.phone_number, "faker_en_GB_s42", 25),
        "EMAIL": fk("EMAIL", gb.email, "faker_en_GB_s42", 20)
        + fk("EMAIL", ind.email, "faker_en_IN", 20)
        + fk("EMAIL", tw.email, "faker_zh_TW", 20),
    }

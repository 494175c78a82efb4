"""Values for the round-7 test split of the PII evaluation set (now data/pii_eval/dev8.jsonl).

Sources that no earlier split used, where one exists:
- schwifty's bank registry (``schwifty/bank_registry/*.json``) for 14 countries round 6 did not
  draw from (Austria, Belgium, Czechia, Germany, Spain, Italy, the Netherlands, Poland,
  Slovakia, Romania, Ukraine, Norway, Finland, Switzerland): real banks' BICs, and IBANs built
  from a bank's code and a random account number by ``schwifty.IBAN.generate``;
- JioNLP's administrative-division dictionary (``jionlp/dictionary/china_location.txt``) at the
  level of urban sub-districts (街道) and towns (镇), joined to Faker ``zh_CN`` street names,
  house numbers and residential compounds, buildings, units and rooms (round 6 drew villages);
- Mastercard 2-series (2221-2720) and Visa card numbers: random bodies with python-stdnum's Luhn
  check digit;
- libphonenumber's example numbers (``phonenumbers.example_number_for_type``) of 18 regions no
  split used (Slovakia, the Caucasus, Central Asia, North, East, West and Southern Africa,
  Mauritius, the Caribbean, Central America, Bolivia);
- Faker locales no split used for names and addresses: ``it_IT``, ``nl_NL``, ``pl_PL``,
  ``de_AT``, ``es_ES``, ``fr_FR``, ``da_DK`` (``de_AT``, ``pl_PL``, ``nl_NL``, ``es_ES``,
  ``fr_FR``, ``it_IT``, ``da_DK`` gave only bank codes before);
- Faker locales used before, with seeds never used (110 and up): ``zh_CN`` (names, addresses,
  resident IDs, mobiles, e-mails), ``zh_TW`` (traditional-character names), ``en_IE`` (names,
  addresses).
Unified social credit codes: random bodies with python-stdnum's check character, from a random
stream of their own (seed 8).

Values are printed once, here; ``build_pii_eval.py`` leaves a printed value as it is. Every IBAN,
resident ID, credit code, card and BIC is checked with python-stdnum as it is drawn
(``pii_eval_draw.check``); a value that fails stops the build.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pii_eval_draw as ev

SEED = 8
NAME_LOCALES = ("it_IT", "nl_NL", "pl_PL", "de_AT", "es_ES", "fr_FR", "da_DK", "en_IE")
ADDRESS_LOCALES = ("it_IT", "nl_NL", "pl_PL", "de_AT", "es_ES", "fr_FR", "en_IE")
#: Countries of schwifty's registry that round 6 did not draw from.
BANK_COUNTRIES = "at be cz de es it nl pl sk ro ua no fi ch".split()
#: Regions whose example numbers no other split used.
PHONE_REGIONS = "SK GE AM AZ UZ DZ ET CM CI SN ZM ZW MU JM PA CR DO BO".split()


def _towns() -> list[tuple[str, ...]]:
    """(province, city, county, township) of every sub-district (街道) or town (镇) in JioNLP's
    table."""
    path = ev.site("jionlp") / "dictionary" / "china_location.txt"
    levels: list[str] = [""] * 4
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        name = line.strip().split("\t")[0]
        if depth > 3 or not name:
            continue
        levels[depth] = name
        if depth == 3 and name.endswith(("街道", "镇")):
            out.append(tuple(levels))
    return out


def pools() -> dict[str, ev.Pool]:
    rng = random.Random(SEED)
    fakers = ev.seeded_fakers(("zh_CN", "zh_TW", *NAME_LOCALES), 110)
    zh = fakers["zh_CN"]
    fk = ev.checked_draw("round-7")
    banks = ev.registry_banks(BANK_COUNTRIES)
    towns = _towns()

    id_style = ev.printed(
        rng,
        [
            (0.1, lambda v: ev.grouped(v, 6, 14)),
            (0.18, lambda v: ev.grouped(v, 6, 10, 14)),
            (0.25, lambda v: v[:-1] + "x" if v.endswith("X") else v),
        ],
    )
    mobile_style = ev.printed(
        rng,
        [
            (0.2, lambda v: ev.grouped(v, 3, 7)),
            (0.3, lambda v: ev.grouped(v, 3, 7, sep="-")),
            (0.4, lambda v: f"+86 {ev.grouped(v, 3, 7)}"),
            (0.45, lambda v: f"(+86){v}"),
        ],
    )

    def town_address() -> str:
        prov, city, county, town = rng.choice(towns)
        head = prov if prov == city else prov + city
        r = rng.random()
        head = head if r < 0.4 else (city if r < 0.7 else "")
        street = f"{zh.street_name()}{rng.randint(1, 999)}号"
        r = rng.random()
        if r < 0.4:
            tail = f"{zh.last_name()}{rng.choice('园苑庭府')}{rng.randint(1, 30)}栋"
            tail += f"{rng.randint(1, 6)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
        elif r < 0.7:
            tail = f"{rng.randint(1, 28)}幢{rng.randint(101, 2804)}室"
        else:
            tail = ""
        units = [head, county, town, street, tail]
        sep = " " if rng.random() < 0.1 else ""
        return sep.join(u for u in units if u)

    def card() -> str:
        from stdnum import luhn

        if rng.random() < 0.5:
            body = str(rng.randint(2221, 2720)) + "".join(str(rng.randint(0, 9)) for _ in range(11))
        else:
            body = "4" + "".join(str(rng.randint(0, 9)) for _ in range(14))
        value = body + luhn.calc_check_digit(body)
        r = rng.random()
        if r < 0.4:
            return ev.in_fours(value)
        if r < 0.5:
            return ev.in_fours(value, "-")
        return value

    registry_iban = ev.registry_iban(rng, banks, (10, 12, 16, 8, 7, 6), "round-7")
    registry_bic = ev.registry_bic(rng, banks)

    def intl_phone() -> Callable[[], str]:
        numbers = [v for v, _ in ev.example_phones(PHONE_REGIONS, "phonenumbers_r7_regions")]
        order = iter(numbers * 3)

        def phone() -> str:
            v = next(order)
            return v.replace(" ", "") if rng.random() < 0.25 else v

        return phone

    def address_of(locale: str) -> Callable[[], str]:
        return ev.one_line_address(fakers[locale])

    return {
        "NAME_ZH": fk("NAME", zh.name, "faker_zh_CN_s110", 150)
        + fk("NAME", fakers["zh_TW"].name, "faker_zh_TW_s111", 40),
        "NAME_EN": ev.names_of(fk, [(fakers[x], f"faker_{x}", 25) for x in NAME_LOCALES]),
        "ADDR_ZH": fk("ADDR", town_address, "jionlp_towns_faker_zh_CN", 80)
        + fk("ADDR", lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_s110", 30),
        "ADDR_EN": [
            value
            for loc in ADDRESS_LOCALES
            for value in fk("ADDR", address_of(loc), f"faker_{loc}", 18)
        ],
        "ID": fk("ID", lambda: id_style(zh.ssn()), "faker_zh_CN_s110", 70),
        "CARD": fk("CARD", card, "luhn_mc2_visa_s8", 60),
        "CODE": fk(
            "CODE",
            lambda: ev.credit_code(rng, "159", "123", range(110000, 659999)),
            "stdnum_check_s8",
            30,
        ),
        "IBAN": fk("IBAN", registry_iban, "schwifty_registry_r7", 70),
        "BIC": fk("BIC", registry_bic, "schwifty_registry_r7", 40),
        "PHONE_ZH": fk("PHONE", lambda: mobile_style(zh.phone_number()), "faker_zh_CN_s110", 80),
        "PHONE_INTL": fk("PHONE", intl_phone(), "phonenumbers_r7_regions", 40),
        "EMAIL": fk("EMAIL", zh.email, "faker_zh_CN_s110", 20)
        + fk("EMAIL", fakers["it_IT"].email, "faker_it_IT", 12)
        + fk("EMAIL", fakers["nl_NL"].email, "faker_nl_NL", 12)
        + fk("EMAIL", fakers["pl_PL"].email, "faker_pl_PL", 12),
    }

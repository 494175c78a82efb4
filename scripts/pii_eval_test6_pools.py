"""Values for the round-6 test split of the PII evaluation set (now data/pii_eval/dev7.jsonl).

Sources that no earlier split used, where one exists:
- schwifty's bank registry (``schwifty/bank_registry/*.json``, shipped with the package): real
  banks' BICs and national bank codes of 15 countries; IBANs are built from a bank's code and a
  random account number by ``schwifty.IBAN.generate`` (its check digits);
- JioNLP's administrative-division dictionary (``jionlp/dictionary/china_location.txt``, down to
  townships and villages): rural Chinese addresses (province, city, county, township, village,
  group, house number) in combinations no split held; and its landline area-code table
  (``landline_phone_area_code.txt``): Chinese landline numbers with real area codes;
- China UnionPay-style card numbers (``62`` prefix, 16 or 19 digits): random bodies with
  python-stdnum's Luhn check digit;
- libphonenumber's example numbers (``phonenumbers.example_number_for_type``) of 18 regions no
  split used (Central and Eastern Europe, the Baltics, Iceland, Luxembourg, Malta, Cyprus,
  Mongolia), some printed in E.164 without spaces;
- Faker locales no split used: ``es_MX``, ``pt_BR``, ``sv_SE``, ``hu_HU``, ``hr_HR``,
  ``fr_CH`` (names with accents and particles; Swedish, Croatian and Swiss French addresses),
  ``id_ID`` (Indonesian addresses);
- Faker locales used before, with seeds never used (90 and up): ``zh_CN`` (names, addresses,
  resident IDs, mobiles, e-mails), ``zh_TW`` (traditional-character names), ``en_AU`` and
  ``en_NZ`` (names, addresses), ``en_US`` (addresses).
Unified social credit codes: random bodies with python-stdnum's check character, from a random
stream of their own (seed 7).

Values are printed once, here; ``build_pii_eval.py`` leaves a printed value as it is. Every IBAN,
resident ID, credit code, card and BIC is checked with python-stdnum as it is drawn
(``pii_eval_draw.check``); a value that fails stops the build.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pii_eval_draw as ev

SEED = 7
NAME_LOCALES = ("es_MX", "pt_BR", "sv_SE", "hu_HU", "hr_HR", "fr_CH", "en_AU", "en_NZ")
ADDRESS_LOCALES = ("id_ID", "en_US")
#: Countries whose banks schwifty's registry lists with a BIC and a national bank code.
BANK_COUNTRIES = "hr hu se si lt lv ee lu cy bg rs ba li md ge".split()
#: Regions whose example numbers no other split used.
PHONE_REGIONS = "RU UA CZ HU RO GR HR SI BG RS LT LV EE IS LU MT CY MN".split()


def _villages() -> list[tuple[str, ...]]:
    """(province, city, county, township, village) of every village (村) in JioNLP's table."""
    path = ev.site("jionlp") / "dictionary" / "china_location.txt"
    levels: list[str] = [""] * 5
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        name = line.strip().split("\t")[0]
        if depth > 4 or not name:
            continue
        levels[depth] = name
        if depth == 4 and name.endswith("村"):
            out.append(tuple(levels))
    return out


def _area_codes() -> list[str]:
    path = ev.site("jionlp") / "dictionary" / "landline_phone_area_code.txt"
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line]


def pools() -> dict[str, ev.Pool]:
    rng = random.Random(SEED)
    fakers = ev.seeded_fakers(("zh_CN", "zh_TW", *NAME_LOCALES, *ADDRESS_LOCALES), 90)
    zh = fakers["zh_CN"]
    fk = ev.checked_draw("round-6")
    banks = ev.registry_banks(BANK_COUNTRIES)
    villages = _villages()
    area_codes = _area_codes()

    id_style = ev.printed(
        rng,
        [(0.12, lambda v: ev.grouped(v, 6, 14)), (0.2, lambda v: ev.grouped(v, 6, 14, sep="-"))],
    )
    mobile_style = ev.printed(
        rng,
        [
            (0.2, lambda v: ev.grouped(v, 3, 7)),
            (0.3, lambda v: f"+86-{v}"),
            (0.4, lambda v: f"0086 {v}"),
        ],
    )

    def village_address() -> str:
        prov, city, county, town, village = rng.choice(villages)
        head = prov if prov == city else prov + city
        r = rng.random()
        head = head if r < 0.5 else (city if r < 0.8 else "")
        tail = f"{rng.randint(1, 12)}组{rng.randint(1, 99)}号" if rng.random() < 0.6 else ""
        tail = tail or f"{rng.randint(1, 300)}号"
        units = [head, county, town, village, tail]
        sep = " " if rng.random() < 0.15 else ""
        return sep.join(u for u in units if u)

    def landline() -> str:
        code = rng.choice(area_codes)
        n = 8 if len(code) == 3 or rng.random() < 0.6 else 7
        number = str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
        r = rng.random()
        if r < 0.4:
            return f"{code}-{number}"
        if r < 0.7:
            return f"（{code}）{number}"
        return f"{code} {number}"

    def unionpay() -> str:
        from stdnum import luhn

        length = rng.choice((16, 19))
        body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(length - 3))
        value = body + luhn.calc_check_digit(body)
        return ev.in_fours(value) if rng.random() < 0.4 else value

    registry_iban = ev.registry_iban(rng, banks, (16, 12, 10, 8), "round-6")
    registry_bic = ev.registry_bic(rng, banks)

    def intl_phone() -> Callable[[], str]:
        numbers = [v for v, _ in ev.example_phones(PHONE_REGIONS, "phonenumbers_new_regions")]
        order = iter(numbers * 3)

        def phone() -> str:
            v = next(order)
            return v.replace(" ", "").replace("-", "") if rng.random() < 0.3 else v

        return phone

    def address_of(locale: str) -> Callable[[], str]:
        return ev.one_line_address(fakers[locale])

    return {
        "NAME_ZH": fk("NAME", zh.name, "faker_zh_CN_s90", 140)
        + fk("NAME", fakers["zh_TW"].name, "faker_zh_TW_s91", 40),
        "NAME_EN": ev.names_of(fk, [(fakers[x], f"faker_{x}", 25) for x in NAME_LOCALES]),
        "ADDR_ZH": fk("ADDR", village_address, "jionlp_china_location", 70)
        + fk("ADDR", lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_s90", 30),
        "ADDR_EN": fk("ADDR", address_of("fr_CH"), "faker_fr_CH", 20)
        + fk("ADDR", address_of("sv_SE"), "faker_sv_SE", 16)
        + fk("ADDR", address_of("hr_HR"), "faker_hr_HR", 12)
        + fk("ADDR", address_of("id_ID"), "faker_id_ID", 16)
        + fk("ADDR", address_of("en_AU"), "faker_en_AU_s96", 20)
        + fk("ADDR", address_of("en_NZ"), "faker_en_NZ_s97", 16)
        + fk("ADDR", address_of("en_US"), "faker_en_US_s99", 20),
        "ID": fk("ID", lambda: id_style(zh.ssn()), "faker_zh_CN_s90", 60),
        "CARD": fk("CARD", unionpay, "luhn_unionpay_s7", 50),
        "CODE": fk(
            "CODE",
            lambda: ev.credit_code(rng, "159", "123", range(110000, 659999)),
            "stdnum_check_s7",
            30,
        ),
        "IBAN": fk("IBAN", registry_iban, "schwifty_registry", 60),
        "BIC": fk("BIC", registry_bic, "schwifty_registry", 50),
        "PHONE_ZH": fk("PHONE", lambda: mobile_style(zh.phone_number()), "faker_zh_CN_s90", 50)
        + fk("PHONE", landline, "jionlp_area_codes", 30),
        "PHONE_INTL": fk("PHONE", intl_phone(), "phonenumbers_new_regions", 36),
        "EMAIL": fk("EMAIL", zh.email, "faker_zh_CN_s90", 20)
        + fk("EMAIL", fakers["sv_SE"].email, "faker_sv_SE", 10)
        + fk("EMAIL", fakers["es_MX"].email, "faker_es_MX", 10)
        + fk("EMAIL", fakers["pt_BR"].email, "faker_pt_BR", 10),
    }

"""Values for the round-4 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Sources that no earlier split used, where one exists:
- pyap's Canadian full-address tests (``sources/round4_tests.json``, ``address_ca``:
  vladimarius/pyap ``tests/test_parser_ca.py``), JioNLP's phone and e-mail removal tests
  (``phone_zh``, ``email``: dongrixinyu/JioNLP ``test/test_remove_phone_number.py``,
  ``test/test_remove_email.py``);
- libphonenumber's example numbers (``phonenumbers.example_number_for_type``) of regions no
  split used (Latin America, Africa, the Middle East, South and South-East Asia);
- Faker locales no split used: ``en_PH`` (Philippine names and addresses with Block/Lot and
  subdivisions, BICs), ``en_MS`` (Malaysian addresses), ``en_BD`` (Bangladeshi addresses),
  ``en_TH`` and ``en_PK`` (Thai and Pakistani names), ``de_AT``, ``pl_PL``, ``pt_PT``,
  ``da_DK``, ``fi_FI``, ``cs_CZ`` (IBANs and SWIFT codes of banks that need not exist);
- Faker locales used before, with seeds never used (50-54): ``zh_CN`` (names, addresses,
  resident IDs, mobiles), ``zh_TW`` (traditional-character names, Taiwanese addresses),
  ``en_GB`` (names, addresses, phones), ``en_IN`` (names, addresses), ``en_US`` (names, cards,
  phones).
Unified social credit codes: random bodies with python-stdnum's check character, from a random
stream of their own (seed 5).

Values are printed once, here (groups, prefixes); ``build_pii_eval.py`` leaves a printed value
as it is. Every IBAN, resident ID, credit code, card and BIC is checked with python-stdnum as it
is drawn (``pii_eval_draw.check``); a value that fails stops the build.
"""

from __future__ import annotations

import random

import pii_eval_draw as ev

SEED = 5
BANK_LOCALES = ("de_AT", "pl_PL", "pt_PT", "da_DK", "fi_FI", "cs_CZ")
PERSON_LOCALES = ("zh_CN", "zh_TW", "en_GB", "en_IN", "en_US", "en_PH", "en_MS", "en_BD")
PERSON_LOCALES += ("en_TH", "en_PK")
#: Regions whose example numbers no other split used.
PHONE_REGIONS = "BR MX AR CL CO ZA NG KE EG SA IL TR PK BD LK VN ID PH".split()


def pools() -> dict[str, ev.Pool]:
    rng = random.Random(SEED)
    src = ev.source("round4_tests.json")
    fakers = ev.seeded_fakers(PERSON_LOCALES + BANK_LOCALES, 50)
    zh, tw, gb, ind, us = (fakers[x] for x in ("zh_CN", "zh_TW", "en_GB", "en_IN", "en_US"))
    fk = ev.checked_draw("round-4")

    def idnum() -> str:
        v = zh.ssn()
        r = rng.random()
        if r < 0.1:
            return ev.grouped(v, 6, 14)
        if r < 0.2 and v.endswith("X"):
            return v[:-1] + "x"
        return v

    def phone_zh() -> str:
        v = zh.phone_number()
        r = rng.random()
        if r < 0.2:
            return ev.grouped(v, 3, 7, sep="-")
        if r < 0.35:
            return f"+86 {ev.grouped(v, 3, 7)}"
        return v

    examples = ev.example_phones(PHONE_REGIONS, "phonenumbers_new_regions")
    return {
        "NAME_ZH": fk("NAME", zh.name, "faker_zh_CN_s50", 60)
        + fk("NAME", tw.name, "faker_zh_TW_s51", 40),
        "NAME_EN": fk("NAME", ev.full_name(fakers["en_GB"]), "faker_en_GB_s52", 20)
        + fk("NAME", ev.full_name(fakers["en_IN"]), "faker_en_IN_s53", 20)
        + fk("NAME", ev.full_name(fakers["en_US"]), "faker_en_US_s54", 20)
        + fk("NAME", ev.full_name(fakers["en_PH"]), "faker_en_PH", 15)
        + fk("NAME", ev.full_name(fakers["en_TH"]), "faker_en_TH", 15)
        + fk("NAME", ev.full_name(fakers["en_PK"]), "faker_en_PK", 15),
        "ADDR_ZH": fk("ADDR", lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_s50", 50)
        + fk("ADDR", tw.address, "faker_zh_TW_s51", 30),
        "ADDR_EN": [(v, "pyap_ca_tests") for v in src["address_ca"]]
        + fk("ADDR", ev.one_line_address(fakers["en_PH"]), "faker_en_PH", 20)
        + fk("ADDR", ev.one_line_address(fakers["en_MS"]), "faker_en_MS", 20)
        + fk("ADDR", ev.one_line_address(fakers["en_BD"]), "faker_en_BD", 15)
        + fk("ADDR", ev.one_line_address(fakers["en_IN"]), "faker_en_IN_s53", 15)
        + fk("ADDR", ev.one_line_address(fakers["en_GB"]), "faker_en_GB_s52", 15),
        "ID": fk("ID", idnum, "faker_zh_CN_s50", 50),
        "CARD": fk("CARD", us.credit_card_number, "faker_en_US_s54", 40),
        **ev.bank_pools(
            fk,
            rng,
            range(100000, 999999),
            ("stdnum_check_s5", 40),
            ([fakers[x] for x in BANK_LOCALES], "faker_eu6_s60-65", 50),
            ([fakers[x] for x in BANK_LOCALES + ("en_PH",)], "faker_eu6_ph", 50),
        ),
        "PHONE_ZH": fk("PHONE", phone_zh, "faker_zh_CN_s50", 40)
        + [(v, "jionlp_tests") for v in src["phone_zh"]] * 3,
        "PHONE_INTL": examples
        + fk("PHONE", gb.phone_number, "faker_en_GB_s52", 25)
        + fk("PHONE", us.phone_number, "faker_en_US_s54", 15),
        "EMAIL": fk("EMAIL", ind.email, "faker_en_IN_s53", 15)
        + fk("EMAIL", zh.email, "faker_zh_CN_s50", 15)
        + [(v, "jionlp_tests") for v in src["email"]] * 3,
    }

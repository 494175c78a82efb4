"""Values for the round-5 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Sources that no earlier split used, where one exists:
- usaddress's Canadian test addresses (``sources/round5_tests.json``, ``address_ca``:
  datamade/usaddress ``measure_performance/test_data/canada.xml``) and cpca's Chinese
  addresses (``address_zh``: DQinYuan/chinese_province_city_area_mapper ``tests/test_cpca.py``
  and ``tests/addr.csv``);
- libphonenumber's example numbers (``phonenumbers.example_number_for_type``) of 18 regions no
  split used (West and East Africa, the Andes and Uruguay, the Gulf and Levant, the Maghreb,
  Kazakhstan, Nepal, Cambodia, Myanmar);
- Faker locales no split used: ``fr_CA`` (French-Canadian names and addresses: rue, boulevard,
  chemin, montée), ``zu_ZA`` (South African names and addresses), ``en_KE`` and ``en_NG``
  (Kenyan and Nigerian names), ``de_CH`` (Swiss addresses), ``nl_BE``, ``sk_SK``, ``ro_RO``,
  ``no_NO``, ``el_GR``, ``tr_TR`` (IBANs and SWIFT codes of banks that need not exist);
- Faker locales used before, with seeds never used (70 and up): ``zh_CN`` (names, addresses,
  resident IDs, mobiles, e-mails), ``zh_TW`` (traditional-character names), ``en_US``
  (names, addresses, cards), ``en_MS``, ``en_BD``, ``en_PH`` (Malaysian, Bangladeshi and
  Philippine addresses), ``en_TH`` (Thai names).
Unified social credit codes: random bodies with python-stdnum's check character, from a random
stream of their own (seed 6).

Values are printed once, here (groups, prefixes, full-width brackets); ``build_pii_eval.py``
leaves a printed value as it is. Every IBAN, resident ID, credit code, card and BIC is checked
with python-stdnum as it is drawn (``pii_eval_draw.check``); a value that fails stops the build.
"""

from __future__ import annotations

import random

import pii_eval_draw as ev

SEED = 6
BANK_LOCALES = ("nl_BE", "sk_SK", "ro_RO", "no_NO", "el_GR", "tr_TR")
PERSON_LOCALES = ("zh_CN", "zh_TW", "en_US", "fr_CA", "zu_ZA", "en_KE", "en_NG", "en_TH")
ADDRESS_LOCALES = ("en_MS", "en_BD", "en_PH", "de_CH")
#: Regions whose example numbers no other split used.
PHONE_REGIONS = "GH TZ UG PE EC UY QA KW BH OM JO LB MA TN KZ NP KH MM".split()


def pools() -> dict[str, ev.Pool]:
    rng = random.Random(SEED)
    src = ev.source("round5_tests.json")
    fakers = ev.seeded_fakers(PERSON_LOCALES + ADDRESS_LOCALES + BANK_LOCALES, 70)
    zh, tw, us = (fakers[x] for x in ("zh_CN", "zh_TW", "en_US"))
    fk = ev.checked_draw("round-5")

    id_style = ev.printed(
        rng, [(0.1, lambda v: ev.grouped(v, 6, 14)), (0.15, lambda v: ev.grouped(v, 6, 10, 14))]
    )
    phone_style = ev.printed(
        rng,
        [
            (0.15, lambda v: ev.grouped(v, 3, 7, sep="-")),
            (0.3, lambda v: f"+86 {ev.grouped(v, 3, 7)}"),
            (0.4, lambda v: f"（+86）{v}"),
            (0.5, lambda v: f"(+86){v}"),
        ],
    )

    def idnum() -> str:
        return id_style(zh.ssn())

    def phone_zh() -> str:
        return phone_style(zh.phone_number())

    def card() -> str:
        v = us.credit_card_number()
        return ev.card_groups(v) if rng.random() < 0.4 else v

    def address_ml(faker_name: str) -> str:
        return ev.one_line_address(fakers[faker_name])()

    return {
        "NAME_ZH": fk("NAME", zh.name, "faker_zh_CN_s70", 140)
        + fk("NAME", tw.name, "faker_zh_TW_s71", 50),
        "NAME_EN": ev.names_of(
            fk,
            [
                (us, "faker_en_US_s72", 40),
                (fakers["fr_CA"], "faker_fr_CA", 40),
                (fakers["zu_ZA"], "faker_zu_ZA", 40),
                (fakers["en_KE"], "faker_en_KE", 40),
                (fakers["en_NG"], "faker_en_NG", 40),
                (fakers["en_TH"], "faker_en_TH_s77", 40),
            ],
        ),
        "ADDR_ZH": fk("ADDR", lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_s70", 40)
        + [(v, "cpca_tests") for v in src["address_zh"]],
        "ADDR_EN": [(v, "usaddress_canada") for v in src["address_ca"]] * 2
        + fk("ADDR", ev.one_line_address(fakers["fr_CA"]), "faker_fr_CA", 30)
        + fk("ADDR", ev.one_line_address(fakers["zu_ZA"]), "faker_zu_ZA", 12)
        + fk("ADDR", lambda: address_ml("en_MS"), "faker_en_MS_s78", 24)
        + fk("ADDR", lambda: address_ml("en_BD"), "faker_en_BD_s79", 16)
        + fk("ADDR", lambda: address_ml("en_PH"), "faker_en_PH_s80", 16)
        + fk("ADDR", lambda: address_ml("de_CH"), "faker_de_CH", 8)
        + fk("ADDR", ev.one_line_address(us), "faker_en_US_s72", 20),
        "ID": fk("ID", idnum, "faker_zh_CN_s70", 60),
        "CARD": fk("CARD", card, "faker_en_US_s72", 50),
        **ev.bank_pools(
            fk,
            rng,
            range(110000, 659999),
            ("stdnum_check_s6", 30),
            ([fakers[x] for x in BANK_LOCALES], "faker_bank6_s82-87", 60),
            ([fakers[x] for x in BANK_LOCALES], "faker_bank6_s82-87", 50),
        ),
        "PHONE_ZH": fk("PHONE", phone_zh, "faker_zh_CN_s70", 60),
        "PHONE_INTL": ev.example_phones(PHONE_REGIONS, "phonenumbers_new_regions"),
        "EMAIL": fk("EMAIL", zh.email, "faker_zh_CN_s70", 20)
        + fk("EMAIL", fakers["fr_CA"].email, "faker_fr_CA", 15)
        + fk("EMAIL", fakers["zu_ZA"].email, "faker_zu_ZA", 15),
    }

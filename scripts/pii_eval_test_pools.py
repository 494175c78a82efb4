"""Values for the round-2 test split of the PII evaluation set (data/pii_eval/test.jsonl).

None of these sources fed ``dev`` or ``dev2``:
- the test cases of Presidio's recognizers (``sources/presidio_tests.json``: cards, IBANs,
  phones, e-mails) and python-stdnum's doctests (``sources/stdnum_tests.json``: resident IDs,
  unified social credit codes, BICs, IBANs as countries print them);
- Faker with other locales and seeds than the tuning splits: ``en_CA``, ``en_AU``, ``en_NZ``,
  ``en_IE`` (names, addresses, phones, e-mails, IBANs), ``zh_CN`` with seed 3, and Faker's
  card providers by type (Maestro, Amex, Diners, JCB, Discover, Visa 13/16/19, Mastercard);
- Chinese county-level units (县, 旗, 自治县, 区, county-level 市 ...) and their provinces from
  python-stdnum's ``cn/loc.dat`` (GB/T 2260 codes), joined to Faker ``zh_CN`` street names and
  house numbers: real county names that a city gazetteer does not hold.

Printing: cards in the groups their issuers print (4-4-4-4, Amex 4-6-5, Diners 4-6-4, 19 digits
4-4-4-4-3) or compact, resident IDs compact or with a lower-case x, mobiles with dashes.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from pii_eval_draw import (
    Pool,
    card_groups,
    draw,
    full_name,
    grouped,
    one_line_address,
    seeded_fakers,
    source,
)

SEED = 3
CARD_TYPES = "maestro amex diners jcb15 jcb16 discover visa13 visa16 visa19 mastercard".split()
EN_LOCALES = ("en_CA", "en_AU", "en_NZ", "en_IE")


def _counties() -> list[tuple[str, str]]:
    """(province, county) pairs of current county-level units in stdnum's GB/T 2260 table."""
    import stdnum

    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    out: list[tuple[str, str]] = []
    province = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r'^\d\d province="([^"]+)"', line)
        if m:
            province = m.group(1)
            continue
        m = re.match(r'^\s+(\d{4}) county="([^"]+)"', line)
        if not m or m.group(1).endswith("00"):
            continue
        last = m.group(2).split(",")[-1]
        if last.startswith("[") and not re.match(r"\[\d{4}-\]", last):
            continue  # abolished
        name = re.sub(r"^\[[^\]]*\]", "", last)
        if name not in ("市辖区", "县", "省直辖县级行政区划") and len(name) >= 2:
            out.append((province, name))
    return out


def _card(value: str, rng: random.Random) -> str:
    r = rng.random()
    return value if r < 0.4 else card_groups(value, " " if r < 0.8 else "-")


def pools() -> dict[str, Pool]:
    rng = random.Random(SEED)
    pre = source("presidio_tests.json")
    sn = source("stdnum_tests.json")
    zh = seeded_fakers(["zh_CN"], SEED * 10)["zh_CN"]
    en = seeded_fakers(EN_LOCALES, SEED * 10 + 1)
    us = seeded_fakers(["en_US"], SEED * 10 + 9)["en_US"]
    n = 60
    counties = _counties()

    def county_address() -> str:
        province, county = rng.choice(counties)
        street = zh.street_name()
        num = rng.randrange(1, 999)
        tail = rng.choice(
            [
                "",
                f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(101, 2999)}室",
                f"{rng.randrange(1, 20)}号楼{rng.randrange(101, 1999)}",
            ]
        )
        head = county if rng.random() < 0.5 else province + county
        return f"{head}{street}{num}号{tail}"

    cards: Pool = []
    for t in CARD_TYPES:
        cards += draw(lambda t=t: _card(us.credit_card_number(card_type=t), rng), f"faker_{t}", 8)
    cards += [(v, "presidio_tests") for v in pre["card_valid"]] * 2

    def idnum() -> str:
        v = zh.ssn()
        return v[:-1] + "x" if v.endswith("X") and rng.random() < 0.5 else v

    def phone_zh() -> str:
        v = zh.phone_number()
        return grouped(v, 3, 7, sep="-") if rng.random() < 0.4 else v

    names_en: Pool = []
    addrs_en: Pool = []
    for loc, f in en.items():
        names_en += draw(full_name(f), f"faker_{loc}", 30)
        addrs_en += draw(one_line_address(f), f"faker_{loc}", 30)
    return {
        "NAME_ZH": draw(zh.name, "faker_zh_CN_seed3", 120),
        "NAME_EN": names_en,
        "ADDR_ZH": draw(lambda: zh.address().rsplit(" ", 1)[0], "faker_zh_CN_seed3", n)
        + draw(county_address, "stdnum_loc+faker_zh_CN", n),
        "ADDR_EN": addrs_en,
        "ID": draw(idnum, "faker_zh_CN_seed3", n)
        + [(v, "stdnum_tests") for v in sn["cn_ric_valid"]] * 3,
        "CARD": cards,
        "CODE": [(v, "stdnum_tests") for v in sn["cn_uscc_valid"]],
        "IBAN": [(v, "presidio_tests") for v in pre["iban_valid"]]
        + [(v, "stdnum_tests") for v in sn["iban_as_printed"]]
        + draw(en["en_IE"].iban, "faker_en_IE", 20),
        "BIC": [(v, "stdnum_tests") for v in sn["bic_valid"]],
        "PHONE_ZH": draw(phone_zh, "faker_zh_CN_seed3", n),
        "PHONE_INTL": draw(en["en_CA"].phone_number, "faker_en_CA", 20)
        + [(v, "presidio_tests") for v in pre["phone"]] * 4,
        "EMAIL": draw(en["en_AU"].email, "faker_en_AU", 30)
        + draw(zh.email, "faker_zh_CN_seed3", 30)
        + [(v, "presidio_tests") for v in pre["email"]] * 3,
    }

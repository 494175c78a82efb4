"""Generate the labelled PII evaluation set under tests/data/pii/.

Bank-style documents in Chinese and English (call transcripts, loan notes, transfer
instructions, KYC notes, complaint records) are built from templates whose slots are filled with
synthetic values. Every identifier is generated, never copied: check digits are computed with
python-stdnum (resident ID numbers: ``stdnum.cn.ric``; social credit codes: ``stdnum.cn.uscc``;
card numbers: ``stdnum.luhn``; IBANs: ``stdnum.iban``). Slot values carry their entity type and
character offsets, so the labels are exact by construction.

Hard negatives are slots that look like identifiers but are not personal data and carry no
label: amounts, order and transaction numbers, dates and times, ISBNs, version numbers, postal
codes, bank hotlines, and resident ID / card / IBAN numbers with a wrong check digit. Some
family-name characters also appear inside ordinary words (黄金, 高新, 平安) as negatives.

The value lists (family names, given-name characters, streets, cities, IBAN layouts, BIC parts)
and the templates are data, in ``data/pii_make_set.json``; this script draws and renders them.

Usage: python scripts/make_pii_set.py [--seed 7] [--out tests/data/pii/labelled.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cn import ric, uscc

R = random.Random()
#: The value lists (family names, given-name characters, streets, cities, IBAN layouts, BIC
#: parts) and the templates, kept as data.
V: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "pii_make_set.json").read_text("utf-8")
)

# --------------------------------------------------------------------------- values


def _digits(n: int) -> str:
    return "".join(R.choice(string.digits) for _ in range(n))


#: A placeholder of a form: ``{d:4}`` random digits, ``{c:5689}`` one of the characters,
#: ``{w:95588|10086}`` one of the words, ``{i:1:500}`` a random integer (``{i:1:12:02d}``
#: formatted), ``{v:m:02d}`` a value given by the caller.
_FORM_PART = re.compile(r"\{([cdivw]):([^{}]*)\}")


def _form(template: str, values: dict[str, int]) -> str:
    """``template`` with its placeholders drawn left to right (as an f-string evaluates)."""

    def one(m: re.Match[str]) -> str:
        kind, arg = m.group(1), m.group(2)
        if kind == "d":
            return _digits(int(arg))
        if kind in "cw":
            return str(R.choice(arg if kind == "c" else arg.split("|")))
        first, *rest = arg.split(":")
        if kind == "v":
            return format(values[first], rest[0] if rest else "")
        return format(R.randint(int(first), int(rest[0])), rest[1] if len(rest) > 1 else "")

    return _FORM_PART.sub(one, template)


def _one_of(kind: str, values: dict[str, int] | None = None) -> str:
    """One of the forms of ``kind`` (``V["forms"]``): every form is drawn, then one chosen."""
    return str(R.choice([_form(f, values or {}) for f in V["forms"][kind]]))


def _birth() -> str:
    return f"{R.randint(1950, 2004)}{R.randint(1, 12):02d}{R.randint(1, 28):02d}"


def id_card() -> str:
    if R.random() < 0.08:  # legacy 15-digit form: YYMMDD, no check digit
        b = _birth()
        return R.choice(V["areas"]) + b[2:] + _digits(3)
    body = R.choice(V["areas"]) + _birth() + _digits(3)
    value = body + ric.calc_check_digit(body + "0")
    if value.endswith("X") and R.random() < 0.3:
        value = value[:-1] + "x"
    if R.random() < 0.1:
        value = f"{value[:6]} {value[6:14]} {value[14:]}"
    return value


def bad_id_card() -> str:
    body = R.choice(V["areas"]) + _birth() + _digits(3)
    good = ric.calc_check_digit(body + "0")
    return body + R.choice([c for c in "0123456789X" if c != good])


def _card_digits() -> str:
    prefix, length = R.choice(
        [
            ("622202", 19),
            ("621700", 19),
            ("622848", 19),
            ("621661", 19),
            ("622588", 16),
            ("4", 16),
            ("5", 16),
            ("37", 15),
            ("6", 16),
        ]
    )
    body = prefix + _digits(length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def _group(value: str, sep: str) -> str:
    if len(value) == 15:
        return sep.join([value[:4], value[4:10], value[10:]])
    return sep.join(value[i : i + 4] for i in range(0, len(value), 4))


def bank_card() -> str:
    value = _card_digits()
    r = R.random()
    return _group(value, " ") if r < 0.35 else _group(value, "-") if r < 0.45 else value


def bad_bank_card() -> str:
    value = _card_digits()
    value = value[:-1] + str((int(value[-1]) + R.randint(1, 9)) % 10)
    return _group(value, " ") if R.random() < 0.4 else value


def bank_account() -> str:
    while True:
        value = R.choice(["1", "3", "4", "6", "0"]) + _digits(R.choice([11, 13, 15, 16, 18]))
        if not luhn.is_valid(value):
            break
    return f"{value[:4]}-{value[4:]}" if R.random() < 0.15 else value


def credit_code() -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = (
        R.choice(["91", "92", "93", "12", "52"])
        + R.choice(V["areas"])
        + "".join(R.choice(alphabet) for _ in range(9))
    )
    return body + uscc.calc_check_digit(body)


def _bban(layout: str) -> str:
    pools = {
        "n": string.digits,
        "a": string.ascii_uppercase,
        "c": string.ascii_uppercase + string.digits,
    }
    return "".join(R.choice(pools[c]) for c in layout)


def iban(valid: bool = True) -> str:
    while True:  # countries with a national check inside the BBAN need a few tries
        cc = R.choice(list(V["iban_formats"]))
        bban = _bban(V["iban_formats"][cc])
        check = std_iban.calc_check_digits(cc + "00" + bban)
        if std_iban.is_valid(cc + check + bban):
            break
    if not valid:
        check = f"{(int(check) + R.randint(1, 50)) % 97 + 2:02d}"
    value = cc + check + bban
    if R.random() < 0.6:
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


def swift() -> str:
    code = (
        R.choice(V["bic_banks"])
        + R.choice(V["bic_countries"])
        + R.choice(["BJ", "SH", "HH", "2L", "33", "FF", "22"])
    )
    return code + (R.choice(["XXX", "100", "SZN"]) if R.random() < 0.3 else "")


def cn_mobile() -> str:
    d = "1" + R.choice("3456789") + _digits(9)
    r = R.random()
    if r < 0.45:
        return d
    if r < 0.6:
        return f"{d[:3]}-{d[3:7]}-{d[7:]}"
    if r < 0.75:
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if r < 0.9:
        return f"+86 {d}" if R.random() < 0.5 else f"+86-{d[:3]}-{d[3:7]}-{d[7:]}"
    return f"+86{d}"


def cn_landline() -> str:
    area = R.choice(["010", "021", "020", "0755", "0571", "028", "027"])
    local = R.choice("2345678") + _digits(7 if len(area) == 3 else R.choice([6, 7]))
    r = R.random()
    return (
        f"{area}-{local}"
        if r < 0.6
        else f"({area}){local}"
        if r < 0.8
        else f"+86 {area[1:]} {local}"
    )


def intl_phone() -> str:
    return _one_of("intl_phone")


def email(first: str = "", last: str = "") -> str:
    user = R.choice(
        [f"{first}.{last}", f"{first[:1]}{last}", f"{last}{_digits(2)}", f"{first}_{_digits(3)}"]
    ).lower()
    if not user.strip("._0123456789"):
        user = "client" + _digits(4)
    return f"{user}@{R.choice(['example.com', 'mail.example.cn', 'example.org', 'corp.example.net', 'qq.example.cn'])}"


def ip_address() -> str:
    if R.random() < 0.75:  # unicast: 1-223 except loopback
        first = R.choice([n for n in range(1, 224) if n != 127])
        return ".".join([str(first)] + [str(R.randint(0, 254)) for _ in range(3)])
    groups = [f"{R.randint(0, 0xFFFF):x}" for _ in range(8)]
    if R.random() < 0.5:
        return f"2001:db8::{groups[0]}:{groups[1]}"
    return ":".join(groups)


def passport() -> str:
    return _one_of("passport")


def zh_name() -> str:
    surname = R.choice(V["compound"]) if R.random() < 0.06 else R.choice(V["surnames"])
    pool = V["given"] + (V["given_rare"] if R.random() < 0.25 else "")
    return surname + "".join(R.choice(pool) for _ in range(R.choice([1, 2, 2])))


def en_name() -> str:
    if R.random() < 0.25:
        return f"{R.choice(V['pinyin_last'])} {R.choice(V['pinyin_given'])}"
    return f"{R.choice(V['en_first'])} {R.choice(V['en_last'])}"


def zh_address() -> str:
    if R.random() < 0.4:
        head = R.choice(V["municipalities"])
    else:
        prov, cities = R.choice(V["provinces"])
        head = (prov if R.random() < 0.7 else "") + R.choice(cities)
    addr = head + R.choice(V["districts"]) + R.choice(V["roads"]) + f"{R.randint(1, 999)}号"
    if R.random() < 0.6:
        addr += (
            R.choice(V["complex"])
            + f"{R.randint(1, 30)}栋{R.randint(1, 4)}单元{R.randint(101, 2808)}室"
        )
    return addr


def en_address() -> str:
    street = R.choice(V["en_streets"])
    city, post = R.choice(V["en_cities"])
    num = R.randint(1, 480)
    r = R.random()
    if r < 0.3:
        return f"Flat {R.randint(1, 40)}, {num} {street}, {city} {post}"
    if r < 0.6:
        return f"{num} {street}, {city} {post}"
    if r < 0.8:
        return f"{num} {street}, {city}"
    return f"No. {num} {R.choice(['Jianguo Road', 'Century Avenue', 'Nanjing Road', 'Zhongshan Road'])}, {R.choice(['Chaoyang District', 'Pudong New District', 'Tianhe District'])}, {R.choice(['Beijing', 'Shanghai', 'Guangzhou'])}"


def amount() -> str:
    return _one_of("amount")


def order_no() -> str:
    return _one_of("order_no")


def date_time() -> str:
    y, m, d = R.randint(2019, 2025), R.randint(1, 12), R.randint(1, 28)
    return _one_of("date_time", {"y": y, "m": m, "d": d})


def isbn() -> str:
    body = f"9787{R.randint(100, 999)}{_digits(5)}"
    total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(body))
    check = (10 - total % 10) % 10
    return f"ISBN 978-7-{body[4:7]}-{body[7:]}-{check}"


def misc_negative() -> str:
    return _one_of("misc_negative")


# --------------------------------------------------------------------------- templates

# Slot → (generator, entity type or None for a negative). Templates name slots in braces.
_SLOTS: dict[str, tuple[Callable[[], str], str | None]] = {
    "zh_name": (zh_name, "NAME"),
    "en_name": (en_name, "NAME"),
    "id": (id_card, "ID_CARD"),
    "card": (bank_card, "BANK_CARD"),
    "acct": (bank_account, "BANK_ACCOUNT"),
    "uscc": (credit_code, "CREDIT_CODE"),
    "iban": (iban, "IBAN"),
    "swift": (swift, "SWIFT_BIC"),
    "mobile": (cn_mobile, "PHONE"),
    "landline": (cn_landline, "PHONE"),
    "intl_phone": (intl_phone, "PHONE"),
    "email": (email, "EMAIL"),
    "ip": (ip_address, "IP_ADDRESS"),
    "passport": (passport, "PASSPORT"),
    "zh_addr": (zh_address, "ADDRESS"),
    "en_addr": (en_address, "ADDRESS"),
    "amount": (amount, None),
    "order": (order_no, None),
    "date": (date_time, None),
    "isbn": (isbn, None),
    "misc": (misc_negative, None),
    "bad_id": (bad_id_card, None),
    "bad_card": (bad_bank_card, None),
    "bad_iban": (lambda: iban(valid=False), None),
}


def render(template: str) -> tuple[str, list[dict[str, object]]]:
    text = ""
    entities: list[dict[str, object]] = []
    pos = 0
    names: list[str] = []
    for m in re.finditer(r"\{(\w+)\}", template):
        text += template[pos : m.start()]
        slot = m.group(1)
        gen, kind = _SLOTS[slot]
        if slot == "email" and names:
            first, _, last = names[-1].partition(" ")
            value = email(first, last or first)
        else:
            value = gen()
        if slot == "en_name":
            names.append(value)
        if kind is not None:
            entities.append({"start": len(text), "end": len(text) + len(value), "type": kind})
        text += value
        pos = m.end()
    text += template[pos:]
    return text, entities


def build(seed: int, per_template: int) -> list[dict[str, object]]:
    R.seed(seed)
    docs = []
    for lang, templates in (("zh", V["zh_templates"]), ("en", V["en_templates"])):
        for t_index, (kind, template) in enumerate(templates):
            for k in range(per_template):
                text, entities = render(template)
                # The literal "王女士" of the zh negatives-style template is a real name span.
                if "王女士" in template:
                    start = text.find("王女士")
                    entities.append({"start": start, "end": start + 1, "type": "NAME"})
                entities.sort(key=lambda e: int(str(e["start"])))
                docs.append(
                    {
                        "id": f"{lang}-{t_index:02d}-{k}",
                        "lang": lang,
                        "kind": kind,
                        "text": text,
                        "entities": entities,
                    }
                )
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-template", type=int, default=7)
    ap.add_argument("--out", default="tests/data/pii/labelled.jsonl")
    args = ap.parse_args()
    docs = build(args.seed, args.per_template)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    counts = Counter(str(e["type"]) for d in docs for e in d["entities"])  # type: ignore[union-attr]
    print(f"{len(docs)} documents, {sum(counts.values())} spans -> {out}")
    for kind, n in sorted(counts.items()):
        print(f"  {kind:<13}{n}")


if __name__ == "__main__":
    main()

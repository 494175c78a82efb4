"""A round's value pools declared as data: ``data/pii_eval/pools/<name>.json``.

A spec names the round (for check errors), the random seed of its draws, its Faker locales
(seeded ``faker_seed``, ``faker_seed + 1``, ... in order) and, per slot, a list of draws::

    {"round": "round-8", "seed": 9, "faker_seed": 130, "fakers": ["zh_CN", "de_DE"],
     "slots": {"NAME_EN": [{"make": "full_name", "faker": "de_DE", "tag": "faker_de_DE",
                            "count": 25, "check": "NAME"}]}}

Each draw says how a value is made (``make``, one of ``MAKERS``, with its own keys), how many
(``count``), its source tag (``tag``), the python-stdnum check it must pass (``check``, a slot
of ``pii_eval_draw.check``; the slot name by default) and, optionally, how it is printed
(``print``: ``[[share bound, style], ...]``, see ``styled``). Slots are drawn in file order and
so are their draws, all from one random stream: a rebuild gives the same bytes.
"""

from __future__ import annotations

import json
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pii_eval_draw as ev

POOLS = Path(__file__).resolve().parents[1] / "data" / "pii_eval" / "pools"

Maker = Callable[["Context", dict[str, Any]], Callable[[], str]]


class Context:
    """What a maker draws from: the round's random stream, its seeded Fakers and the tables
    read once per build."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.round: str = spec["round"]
        self.rng = random.Random(spec["seed"])
        self.fakers = ev.seeded_fakers(spec["fakers"], spec["faker_seed"])
        self._tables: dict[str, Any] = {}

    def table(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._tables:
            self._tables[name] = load()
        return self._tables[name]

    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(n))


_PLACEHOLDER = re.compile(r"\{([icdf]):([^{}]*)\}")


def fill(ctx: Context, faker: str | None, template: str) -> str:
    """``template`` with its placeholders drawn left to right: ``{i:1:30}`` a random integer
    (``{i:1:4:02d}`` formatted), ``{c:园苑庭府}`` one of the characters, ``{d:11}`` that many
    random digits, ``{f:street_name}`` a call of the ``faker`` locale's method."""

    def one(m: re.Match[str]) -> str:
        kind, arg = m.group(1), m.group(2)
        if kind == "i":
            lo, hi, *fmt = arg.split(":")
            return format(ctx.rng.randint(int(lo), int(hi)), fmt[0] if fmt else "")
        if kind == "c":
            return str(ctx.rng.choice(arg))
        if kind == "d":
            return ctx.digits(int(arg))
        return str(getattr(ctx.fakers[str(faker)], arg)())

    return _PLACEHOLDER.sub(one, template)


def _first_form(ctx: Context, d: dict[str, Any], forms: str, default: str) -> str:
    """One random draw picks the first of ``d[forms]`` (``[share bound, template]``) whose
    bound it is below; above all, ``d[default]`` (empty when absent); filled by ``fill``."""
    r = ctx.rng.random()
    form = next((f for upto, f in d.get(forms, []) if r < upto), d.get(default, ""))
    return fill(ctx, d.get("faker"), form)


def styled(style: dict[str, Any], value: str) -> str:
    """``value`` printed in a ``style``: ``cuts`` (group at these offsets, joined by ``sep``,
    a space by default), ``fours`` (groups of four joined by ``sep``), ``compact`` (no spaces),
    ``delete`` (these characters taken out), ``lower``, ``lower_x`` (a final X in lower case),
    then ``format`` (``"+86 {}"``)."""
    sep = style.get("sep", " ")
    if "cuts" in style:
        value = ev.grouped(value, *style["cuts"], sep=sep)
    if style.get("fours"):
        value = ev.in_fours(value.replace(" ", ""), sep)
    if style.get("compact"):
        value = value.replace(" ", "")
    for ch in style.get("delete", ""):
        value = value.replace(ch, "")
    if style.get("lower"):
        value = value.lower()
    if style.get("lower_x") and value.endswith("X"):
        value = value[:-1] + "x"
    return str(style.get("format", "{}")).format(value)


def _faker(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Faker method: ``faker`` (locale), ``method``; ``drop_last_word``: without the value's
    last word (a Chinese address's postcode)."""
    fn: Callable[[], str] = getattr(ctx.fakers[d["faker"]], d["method"])
    if d.get("drop_last_word"):
        return lambda: fn().rsplit(" ", 1)[0]
    return fn


def _full_name(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    return ev.full_name(ctx.fakers[d["faker"]])


def _address(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """Faker's address on one line."""
    return ev.one_line_address(ctx.fakers[d["faker"]])


def _luhn_card(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A card number: one of ``prefixes`` (with its ``length``), random digits, Luhn digit."""
    from stdnum import luhn

    def card() -> str:
        prefix, length = ctx.rng.choice(d["prefixes"])
        body = str(prefix) + ctx.digits(length - len(prefix) - 1)
        return body + str(luhn.calc_check_digit(body))

    return card


def _luhn_body(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A card number: a body of the ``bodies`` forms (``_first_form``), then the Luhn digit."""
    from stdnum import luhn

    def card() -> str:
        body = _first_form(ctx, d, "bodies", "body")
        return body + str(luhn.calc_check_digit(body))

    return card


def _landline(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Chinese landline: a real area code (JioNLP's table), eight digits after a three-digit
    code and ``eight_share`` of the time after a four-digit one (else seven), the first 2-8;
    printed in the ``forms`` (``{code}``, ``{number}``), one draw choosing."""
    codes = ctx.table("area_codes", _area_codes)

    def landline() -> str:
        code = ctx.rng.choice(codes)
        n = 8 if len(code) == 3 or ctx.rng.random() < d["eight_share"] else 7
        number = str(ctx.rng.randint(2, 8)) + ctx.digits(n - 1)
        r = ctx.rng.random()
        form = next((f for upto, f in d["forms"] if r < upto), d["form"])
        return str(form).format(code=code, number=number)

    return landline


def _jionlp_text(name: str) -> str:
    """JioNLP's ``dictionary/<name>.txt``; the package ships some of them zipped and unzips
    them on its first import, so a zipped one is read from its archive."""
    folder = ev.site("jionlp") / "dictionary"
    if (folder / f"{name}.txt").exists():
        return (folder / f"{name}.txt").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / f"{name}.zip") as archive:
        (member,) = archive.namelist()
        return archive.read(member).decode("utf-8")


def _area_codes() -> list[str]:
    lines = _jionlp_text("landline_phone_area_code").splitlines()
    return [line.split()[0] for line in lines if line]


def _credit_code(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    regions = range(*d["regions"])
    return lambda: ev.credit_code(ctx.rng, d["depts"], d["org_types"], regions)


def _registry_iban(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    banks = ctx.table("banks", lambda: ev.registry_banks(d["countries"]))
    return ev.registry_iban(ctx.rng, banks, d["lengths"], ctx.round)


def _registry_bic(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    return ev.registry_bic(ctx.rng, ctx.table("banks", lambda: ev.registry_banks(d["countries"])))


def _example_phone(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """libphonenumber's example numbers of ``regions`` in turn (``repeat`` times over)."""
    numbers = [v for v, _ in ev.example_phones(d["regions"], "")]
    order = iter(numbers * d.get("repeat", 1))
    return lambda: next(order)


def _jionlp_rows(depth: int, suffixes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """(province, city, ...) down to ``depth`` of every unit of JioNLP's division table at that
    depth whose name ends in one of ``suffixes``."""
    levels = [""] * (depth + 1)
    out = []
    for line in _jionlp_text("china_location").splitlines():
        level = len(line) - len(line.lstrip("\t"))
        name = line.strip().split("\t")[0]
        if level > depth or not name:
            continue
        levels[level] = name
        if level == depth and name.endswith(suffixes):
            out.append(tuple(levels))
    return out


def _division_address(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A unit of JioNLP's division table at ``depth`` whose name ends in one of ``suffixes``,
    led by its province and city, its city or neither (share bounds ``head``), then a
    ``street`` and a tail of the ``tails`` forms (``_first_form``), all filled by ``fill``;
    the parts joined by a space ``space`` of the time; in traditional characters when
    ``traditional``."""
    depth, suffixes = d["depth"], tuple(d["suffixes"])
    rows = ctx.table(f"divisions {depth} {suffixes}", lambda: _jionlp_rows(depth, suffixes))
    both, city_only = d["head"]
    hant = ctx.table("hant", _traditional) if d.get("traditional") else {}

    def address() -> str:
        prov, city, *rest = ctx.rng.choice(rows)
        r = ctx.rng.random()
        head = (prov if prov == city else prov + city) if r < both else ""
        head = head if r < both else (city if r < city_only else "")
        street = fill(ctx, d.get("faker"), d["street"]) if d.get("street") else ""
        tail = _first_form(ctx, d, "tails", "tail")
        sep = " " if ctx.rng.random() < d["space"] else ""
        value = sep.join(u for u in [head, *rest, street, tail] if u)
        return "".join(hant.get(c, c) for c in value)

    return address


def _renamed_units() -> list[tuple[str, str, str]]:
    """(province, prefecture, county) as printed before a renaming, from JioNLP's table of
    division changes (``china_location_change.txt``)."""
    rows = []
    for line in _jionlp_text("china_location_change").splitlines():
        old = line.split("=>")[0].split("\t")
        if len(old) >= 8 and old[6].strip():
            rows.append((old[2], old[4], old[6]))
    return rows


def _mobile_blocks() -> list[str]:
    """The seven-digit mobile blocks (operator prefix and four digits) of JioNLP's table of
    mobile number locations (``phone_location.txt``: ``\t130\t0000,0170-0174,...`` under each
    city), one entry per block."""
    blocks = []
    for line in _jionlp_text("phone_location").splitlines():
        parts = line.strip().split("\t")
        if not line.startswith("\t") or len(parts) != 2:
            continue
        for run in parts[1].split(","):
            lo, _, hi = run.partition("-")
            blocks += [f"{parts[0]}{n:04d}" for n in range(int(lo), int(hi or lo) + 1)]
    return blocks


def _located_mobile(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Chinese mobile number: a block of JioNLP's location table, four random digits."""
    blocks = ctx.table("mobile blocks", _mobile_blocks)
    return lambda: ctx.rng.choice(blocks) + ctx.digits(4)


def _operator_prefixes() -> list[str]:
    """The mobile number prefixes (three or four digits) of JioNLP's table of operators
    (``telecom_operator.txt``: ``1349 中国电信虚拟运营商``)."""
    lines = _jionlp_text("telecom_operator").splitlines()
    return [line.split()[0] for line in lines if line.strip()]


def _operator_mobile(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Chinese mobile number: a prefix of JioNLP's operator table, random digits to 11."""
    prefixes = ctx.table("operator prefixes", _operator_prefixes)

    def mobile() -> str:
        prefix = str(ctx.rng.choice(prefixes))
        return prefix + ctx.digits(11 - len(prefix))

    return mobile


def _pinyin() -> dict[str, str]:
    """Each character's first reading in JioNLP's character dictionary
    (``chinese_char_dictionary.txt``, the ``[yī]`` that opens its explanation), without tones,
    ü written u."""
    import unicodedata

    table: dict[str, str] = {}
    for line in _jionlp_text("chinese_char_dictionary").splitlines():
        parts = line.split("\t")
        m = re.match(r"\[([^\]]+)\]", parts[-1]) if len(parts) > 7 else None
        if m and len(parts[0]) == 1:
            bare = unicodedata.normalize("NFD", m.group(1).split(",")[0].strip())
            table.setdefault(parts[0], "".join(c for c in bare if c.isascii()).lower())
    return table


def _romanised(ctx: Context, chars: str) -> str:
    """``chars`` in pinyin as one capitalised word (``秀英`` → ``Xiuying``)."""
    table = ctx.table("pinyin", _pinyin)
    return "".join(table.get(c, "") for c in chars).capitalize()


def _pinyin_name(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Faker ``zh_CN`` family and given name in pinyin, printed in one of the ``forms``
    (``[share bound, form]`` with ``{family}``, ``{FAMILY}``, ``{given}``), one draw choosing.
    With ``"whole": true`` (round 34 on), a name with a character that JioNLP's dictionary has
    no reading for (鹏, 阎) is drawn again; earlier rounds printed it without that part."""
    zh = ctx.fakers[d["faker"]]

    def name() -> str:
        family, given = _romanised(ctx, zh.last_name()), _romanised(ctx, zh.first_name())
        while d.get("whole") and not (family and given):
            family, given = _romanised(ctx, zh.last_name()), _romanised(ctx, zh.first_name())
        r = ctx.rng.random()
        form = next((f for upto, f in d["forms"] if r < upto), d["form"])
        return str(form).format(family=family, FAMILY=family.upper(), given=given)

    return name


#: The English word of a Chinese unit's last character(s), in the order they are tried.
_UNIT_WORDS = (
    ("壮族自治区", ""),
    ("回族自治区", ""),
    ("维吾尔自治区", ""),
    ("自治区", ""),
    ("自治州", "Prefecture"),
    ("自治县", "County"),
    ("地区", "Prefecture"),
    ("省", ""),
    ("市", ""),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("路", "Road"),
    ("街", "Street"),
)


def _english_unit(ctx: Context, name: str) -> str:
    """A Chinese place or street name as addresses in English print it (``武侯区`` →
    ``Wuhou District``, ``四川省`` → ``Sichuan``)."""
    for suffix, word in _UNIT_WORDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return " ".join(w for w in (_romanised(ctx, name[: -len(suffix)]), word) if w)
    return _romanised(ctx, name)


def _pinyin_address(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Chinese address in English: a tail of the ``tails`` forms (``_first_form``), a
    house number and a Faker ``zh_CN`` street, then a county of JioNLP's division table,
    its city and province, in pinyin; ``, China`` ``country`` of the time. With ``"whole":
    true`` (round 35 on), a street whose name JioNLP has no reading for (``No. 667 Road``) is
    drawn again."""
    counties = ctx.table("counties", lambda: _jionlp_rows(2, ("县", "区", "市", "旗")))
    zh = ctx.fakers[d["faker"]]

    def address() -> str:
        prov, city, county = ctx.rng.choice(counties)
        tail = _first_form(ctx, d, "tails", "tail")
        name = zh.street_name()
        while d.get("whole") and not _romanised(ctx, name[:-1]):
            name = zh.street_name()
        street = f"No. {ctx.rng.randint(1, 999)} {_english_unit(ctx, name)}"
        places = [_english_unit(ctx, county), _english_unit(ctx, city)]
        if prov != city:
            places.append(_english_unit(ctx, prov))
        country = ", China" if ctx.rng.random() < d["country"] else ""
        return ", ".join(u for u in [tail, street, *places] if u) + country

    return address


def _traditional() -> dict[str, str]:
    """JioNLP's simplified-to-traditional character table (the first form of each)."""
    table: dict[str, str] = {}
    for line in _jionlp_text("sim2tra_char").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and len(parts[0]) == 1 and parts[1]:
            table.setdefault(parts[0], parts[1][0])
    return table


def _zh_street(ctx: Context, d: dict[str, Any]) -> str:
    """A street, a house number and, some of the time, a building, floor and room (the
    ``tails`` of the spec: ``[share bound, form]`` with ``{b}``, ``{f}``, ``{r}`` filled)."""
    zh = ctx.fakers[d["faker"]]
    street = f"{zh.street_name()}{ctx.rng.randint(1, 899)}号"  # Faker: untyped
    r = ctx.rng.random()
    form = next((f for upto, f in d["tails"] if r < upto), "")
    nums = {"b": ctx.rng.randint(1, 12), "f": ctx.rng.randint(2, 38), "r": ctx.rng.randint(1, 8)}
    return street + form.format(**nums)


def _county_address(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A county-level unit of JioNLP's table (with its province and city some of the time),
    then a Faker street (``_zh_street``); in traditional characters when ``traditional``."""
    counties = ctx.table("counties", lambda: _jionlp_rows(2, ("县", "区", "市", "旗")))
    hant = ctx.table("hant", _traditional) if d.get("traditional") else {}

    def address() -> str:
        prov, city, county = ctx.rng.choice(counties)
        r = ctx.rng.random()
        head = (prov if prov == city else prov + city) if r < 0.5 else (city if r < 0.8 else "")
        value = head + county + _zh_street(ctx, d)
        return "".join(hant.get(c, c) for c in value)

    return address


def _renamed_address(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A county under its prefecture's name before a renaming (``柳州地区忻城县``), then a
    Faker street (``_zh_street``)."""
    units = ctx.table("renamed", _renamed_units)

    def address() -> str:
        prov, prefecture, county = ctx.rng.choice(units)
        head = prov + prefecture if ctx.rng.random() < 0.5 else prefecture
        return str(head + county) + _zh_street(ctx, d)

    return address


def _traditional_of(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A Faker method's value in traditional characters."""
    fn, hant = _faker(ctx, d), ctx.table("hant", _traditional)
    return lambda: "".join(hant.get(c, c) for c in fn())


def _us_places() -> list[tuple[str, str, str]]:
    """(city, state, ZIP) of every active standard ZIP code in the ``zipcodes`` package's
    table (the US Postal Service's, as that package ships it)."""
    import zipcodes

    return [
        (z["city"].title(), z["state"], z["zip_code"])
        for z in zipcodes.list_all()
        if z["active"] and z["zip_code_type"] == "STANDARD"
    ]


def _us_zip_address(ctx: Context, d: dict[str, Any]) -> Callable[[], str]:
    """A US address on one line: a Faker ``en_US`` house number and street, a secondary unit
    ``secondary`` of the time, then a real city, state and ZIP code of the ``zipcodes`` table
    (ZIP+4 ``plus4`` of the time)."""
    places = ctx.table("us places", _us_places)
    en = ctx.fakers[d["faker"]]

    def address() -> str:
        street = f"{en.building_number()} {en.street_name()}"
        if ctx.rng.random() < d["secondary"]:
            street += f" {en.secondary_address()}"
        city, state, zip_code = ctx.rng.choice(places)
        if ctx.rng.random() < d["plus4"]:
            zip_code += f"-{ctx.digits(4)}"
        return f"{street}, {city}, {state} {zip_code}"

    return address


MAKERS: dict[str, Maker] = {
    "faker": _faker,
    "full_name": _full_name,
    "address": _address,
    "luhn_card": _luhn_card,
    "luhn_body": _luhn_body,
    "landline": _landline,
    "division_address": _division_address,
    "credit_code": _credit_code,
    "registry_iban": _registry_iban,
    "registry_bic": _registry_bic,
    "example_phone": _example_phone,
    "county_address": _county_address,
    "renamed_address": _renamed_address,
    "traditional": _traditional_of,
    "located_mobile": _located_mobile,
    "operator_mobile": _operator_mobile,
    "pinyin_name": _pinyin_name,
    "pinyin_address": _pinyin_address,
    "us_zip_address": _us_zip_address,
}


def pools(name: str, folder: Path = POOLS) -> dict[str, ev.Pool]:
    """The pools declared in ``data/pii_eval/pools/<name>.json`` (or under ``folder``)."""
    path = folder / f"{name}.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    ctx = Context(spec)
    fk = ev.checked_draw(ctx.round)
    out: dict[str, ev.Pool] = {}
    for slot, draws in spec["slots"].items():
        out[slot] = []
        for k, d in enumerate(draws):
            if d.get("make") not in MAKERS:
                raise ValueError(
                    f"{path.name}: slots.{slot}[{k}].make is not one of {sorted(MAKERS)}"
                )
            try:
                make = MAKERS[d["make"]](ctx, d)
                style = ev.printed(
                    ctx.rng, [(upto, _style_fn(s)) for upto, s in d.get("print", [])]
                )
                value = make if "print" not in d else (lambda m=make, st=style: st(m()))
                out[slot] += fk(d.get("check", slot), value, d["tag"], d["count"])
            except KeyError as e:
                raise ValueError(
                    f"{path.name}: slots.{slot}[{k}] ({d['make']}) lacks the key {e.args[0]!r}"
                ) from None
    return out


def _style_fn(style: dict[str, Any]) -> Callable[[str], str]:
    return lambda v: styled(style, v)

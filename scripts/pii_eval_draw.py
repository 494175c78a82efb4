"""How the PII evaluation set draws and prints its values: the mechanics every round shares.

Each round's values stay in its own module (``build_pii_eval.py`` for ``dev``/``dev2``,
``pii_eval_test_pools.py``, ``pii_eval_test3_pools.py``, ``pii_eval_test4_pools.py``), written
apart on purpose: their sources, locales, seeds and proportions are theirs. What they share is
here: reading a source file, seeding Faker, drawing tagged values (checked with python-stdnum
where a round asks), libphonenumber's example numbers, unified social credit codes with a
computed check character, and the digit groupings people print.

Every helper takes its random draws in the order the rounds took them, so a rebuild gives the
same bytes. Faker's Chinese resident IDs are birthdays counted back from today, so the Fakers
here count from ``BUILD_DATE``, the day the committed splits were built.
"""

from __future__ import annotations

import datetime
import json
import random
import warnings
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

Pool = list[tuple[str, str]]  # (value, source)
Draw = Callable[[str, Callable[[], str], str, int], Pool]

SOURCES = Path(__file__).resolve().parents[1] / "data" / "pii_eval" / "sources"
#: The 31 characters of a unified social credit code (GB 32100-2015: no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: The day the committed splits were built: "today" for Faker's resident IDs (their birthdays
#: are an age counted back from today), so a rebuild on any later day gives the same bytes.
BUILD_DATE = datetime.date(2026, 12, 2)


class _BuildDay(datetime.date):
    @classmethod
    def today(cls) -> _BuildDay:
        return cls(BUILD_DATE.year, BUILD_DATE.month, BUILD_DATE.day)


def _pin_today() -> None:
    """Faker's ``zh_CN`` resident IDs read ``datetime.date.today()``: give that module a
    ``datetime`` whose today is ``BUILD_DATE``."""
    import types

    from faker.providers.ssn import zh_CN

    shim = types.SimpleNamespace(date=_BuildDay, timedelta=datetime.timedelta)
    setattr(zh_CN, "datetime", shim)  # noqa: B010 (a module attribute mypy types as a module)


def source(name: str) -> Any:
    """The JSON file ``name`` under ``data/pii_eval/sources``."""
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def seeded_fakers(locales: Iterable[str], first_seed: int) -> dict[str, Any]:
    """A Faker per locale, seeded ``first_seed``, ``first_seed + 1``, ... in order."""
    from faker import Faker

    _pin_today()
    fakers = {}
    for k, loc in enumerate(locales):
        with warnings.catch_warnings():
            # fr_QC draws as it always did; Faker only says fr_CA is its new name
            warnings.filterwarnings("ignore", "fr_QC locale is deprecated", UserWarning)
            fakers[loc] = Faker(loc)
        fakers[loc].seed_instance(first_seed + k)
    return fakers


def draw(fn: Callable[[], str], tag: str, count: int) -> Pool:
    """``count`` values of ``fn``, each tagged with its source."""
    return [(fn(), tag) for _ in range(count)]


def full_name(faker: Any) -> Callable[[], str]:
    """Draws ``"First Last"`` from ``faker``."""
    return lambda: f"{faker.first_name()} {faker.last_name()}"


def one_line_address(faker: Any) -> Callable[[], str]:
    """Draws an address from ``faker``, its line breaks printed as ``", "``."""
    return lambda: faker.address().replace("\n", ", ")


def check(round_name: str, slot: str, value: str) -> str:
    """``value`` if it passes python-stdnum's check for ``slot``; else a ValueError that names
    the round and the slot (not the value). Slots without a check pass."""
    from stdnum import bic, iban, luhn
    from stdnum.cn import ric, uscc

    compact = value.replace(" ", "").replace("-", "")
    ok = {
        "IBAN": lambda: iban.is_valid(compact),
        # the GB 11643 check character only: Faker's area codes are not all in stdnum's table
        "ID": lambda: len(compact) == 18 and ric.calc_check_digit(compact) == compact[17].upper(),
        "CODE": lambda: uscc.is_valid(compact),
        "CARD": lambda: luhn.is_valid(compact),
        "BIC": lambda: bic.is_valid(compact),
    }.get(slot, lambda: True)()
    if not ok:
        raise ValueError(f"{round_name} pool {slot}: a value fails its check")
    return value


def checked_draw(round_name: str) -> Draw:
    """``draw`` for a round that checks each value as it is drawn: ``(slot, fn, tag, count)``."""

    def checked(slot: str, fn: Callable[[], str], tag: str, count: int) -> Pool:
        return draw(lambda: check(round_name, slot, fn()), tag, count)

    return checked


def example_phones(regions: Iterable[str], tag: str) -> Pool:
    """libphonenumber's example mobile and fixed-line numbers of each region, printed in the
    international format (a region without one of the two gives what it has)."""
    import phonenumbers

    fmt = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    phones: Pool = []
    for region in regions:
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            num = phonenumbers.example_number_for_type(region, kind)
            if num is not None:
                phones.append((phonenumbers.format_number(num, fmt), tag))
    return phones


def iban_from(rng: random.Random, fakers: Sequence[Any]) -> Callable[[], str]:
    """Draws an IBAN from a random one of ``fakers``, printed in groups of four half the time."""

    def iban() -> str:
        v = rng.choice(fakers).iban()
        return in_fours(v) if rng.random() < 0.5 else v

    return iban


def swift_from(rng: random.Random, fakers: Sequence[Any]) -> Callable[[], str]:
    """Draws a SWIFT code from a random one of ``fakers``: 11 characters 40% of the time, else 8."""

    def swift() -> str:
        f = rng.choice(fakers)
        return str(f.swift11() if rng.random() < 0.4 else f.swift8())

    return swift


def names_of(fk: Draw, locales: Sequence[tuple[Any, str, int]]) -> Pool:
    """Full names of each ``(faker, tag, count)`` in turn, as one pool."""
    return [value for faker, tag, n in locales for value in fk("NAME", full_name(faker), tag, n)]


def printed(
    rng: random.Random, styles: Sequence[tuple[float, Callable[[str], str]]]
) -> Callable[[str], str]:
    """How a value is printed: one draw of ``rng`` per value picks the first style whose share
    bound it is below (``(0.15, fn)``: the first 15% of draws); above all, the value as it is."""

    def style(value: str) -> str:
        r = rng.random()
        return next((fn(value) for upto, fn in styles if r < upto), value)

    return style


def bank_pools(
    fk: Draw,
    rng: random.Random,
    code_regions: range,
    code: tuple[str, int],
    banks: tuple[Sequence[Any], str, int],
    bics: tuple[Sequence[Any], str, int],
) -> dict[str, Pool]:
    """The CODE, IBAN and BIC pools of a round, drawn in that order: credit codes of
    ``code_regions`` (tag, count), IBANs of the ``banks`` fakers (fakers, tag, count) and
    SWIFT codes of the ``bics`` fakers (fakers, tag, count)."""
    return {
        "CODE": fk("CODE", lambda: credit_code(rng, "159", "123", code_regions), code[0], code[1]),
        "IBAN": fk("IBAN", iban_from(rng, banks[0]), banks[1], banks[2]),
        "BIC": fk("BIC", swift_from(rng, bics[0]), bics[1], bics[2]),
    }


def credit_code(rng: random.Random, depts: str, org_types: str, regions: range) -> str:
    """A unified social credit code: registration department (one of ``depts``), organisation
    type (one of ``org_types``; a single one is taken without a draw), a region number from
    ``regions``, nine organisation characters, and python-stdnum's check character."""
    from stdnum.cn import uscc

    dept = rng.choice(depts)
    org_type = org_types if len(org_types) == 1 else rng.choice(org_types)
    body = dept + org_type + f"{rng.randrange(regions.start, regions.stop)}"
    body += "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def grouped(value: str, *cuts: int, sep: str = " ") -> str:
    """``value`` cut at the given offsets and joined by ``sep``: ``grouped(v, 3, 7)`` prints a
    mobile 3-4-4, ``grouped(v, 6, 14)`` a resident ID 6-8-4."""
    bounds = [0, *cuts, len(value)]
    return sep.join(value[a:b] for a, b in pairwise(bounds))


def in_fours(value: str, sep: str = " ") -> str:
    """``value`` in groups of four characters (cards, IBANs)."""
    return sep.join(value[i : i + 4] for i in range(0, len(value), 4))


def card_groups(value: str, sep: str = " ") -> str:
    """A card number in the groups its issuer prints: 15 digits (Amex) 4-6-5 and 14 digits
    (Diners) 4-6-4 with spaces; others in fours joined by ``sep``."""
    if len(value) in (14, 15):
        return grouped(value, 4, 10)
    return in_fours(value, sep)


def site(package: str) -> Path:
    """The installed folder of ``package``, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None, f"{package=} is not installed"
    return Path(spec.origin).parent


def registry_banks(countries: Sequence[str]) -> list[list[dict[str, Any]]]:
    """Per country (lower-case code) with any, its banks in schwifty's registry with a BIC and a
    bank code (the first of a v2 entry's codes), in file order."""
    folder = site("schwifty") / "bank_registry"
    per_country = []
    for cc in countries:
        banks = []
        for path in sorted(folder.glob(f"*_{cc}.*json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            # the v2 files hold {"entries": [...]}, each with a list of bank codes
            for bank in data["entries"] if isinstance(data, dict) else data:
                code = bank.get("bank_code") or next(iter(bank.get("bank_codes") or []), "")
                if bank.get("bic") and code and bank["country_code"] == cc.upper():
                    banks.append({**bank, "bank_code": code})
        if banks:
            per_country.append(banks)
    return per_country


def registry_iban(
    rng: random.Random, banks: list[list[dict[str, Any]]], lengths: Sequence[int], round_name: str
) -> Callable[[], str]:
    """IBANs on the registry's banks: the first account length (of ``lengths``) the country's
    format takes, printed grouped or compact."""

    def iban() -> str:
        from schwifty import IBAN

        bank = rng.choice(rng.choice(banks))
        for length in lengths:
            account = "".join(str(rng.randint(0, 9)) for _ in range(length))
            try:
                value = IBAN.generate(bank["country_code"], bank["bank_code"], account)
            except ValueError:
                continue
            return value.formatted if rng.random() < 0.5 else value.compact
        raise ValueError(f"{round_name} pool IBAN: no account length fits a registry bank")

    return iban


def registry_bic(rng: random.Random, banks: list[list[dict[str, Any]]]) -> Callable[[], str]:
    """BICs of the registry's banks."""
    return lambda: str(rng.choice(rng.choice(banks))["bic"])

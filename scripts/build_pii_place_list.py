"""Rebuilds ``stages/pii/data/places_world.txt`` from libphonenumber's geocoding data and the
ISO 3166 names of countries and their subdivisions.

The ``phonenumbers`` package (a dependency; Apache-2.0 data of Google's libphonenumber) names
in English the town or region of every number range it geocodes: tens of thousands of places
of every country (``Kuala Lumpur``, ``George Town``, ``Kota Bharu``). Loading that data takes
seconds and ~100 MB, too much for every PII actor, so the detector ships the part it needs: the
names of two or three capitalised words, which the name rules could read as a person's. Those
that read as a person's name too (a listed given name, then a listed surname: ``Morgan Hill``,
``Mary Esther``, ``Benito Juárez``) are left out, so that such a person is still found.

Usage: python scripts/build_pii_place_list.py
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from importlib.metadata import version
from pathlib import Path

from stages.pii.latin import NAME_WORD

DATA = Path(__file__).resolve().parents[1] / "stages" / "pii" / "data"
_PLACE = re.compile(rf"{NAME_WORD}(?:[ ]{NAME_WORD}){{1,2}}")


def _lines(path: Path) -> set[str]:
    return {w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")}


def places() -> set[str]:
    """Every English place name of the geocoding data that is two or three name words."""
    import phonenumbers.geodata as geodata

    out: set[str] = set()
    for info in pkgutil.iter_modules(geodata.__path__):
        if not info.name.startswith("data"):
            continue
        module = importlib.import_module(f"phonenumbers.geodata.{info.name}")
        for names in module.data.values():
            english = names.get("en") if isinstance(names, dict) else None
            for part in (english or "").replace("/", ",").split(","):
                part = part.strip()
                if _PLACE.fullmatch(part):
                    out.add(part)
    return out | iso_places()


def iso_places() -> set[str]:
    """Countries and their provinces, states and regions (ISO 3166-1 and 3166-2, as
    ``pycountry`` ships them: ``Sierra Leone``, ``Chiang Mai``) that are two or three name
    words; a bracketed or comma-separated note is left off."""
    import pycountry

    names = [c.name for c in pycountry.countries]
    names += [getattr(c, "common_name", "") for c in pycountry.countries]
    names += [s.name for s in pycountry.subdivisions]
    out: set[str] = set()
    for name in names:
        part = name.split(",")[0].split(" (")[0].strip()
        if _PLACE.fullmatch(part):
            out.add(part)
    return out


def main() -> None:
    import phonenumbers

    given = _lines(DATA / "given_names_world_nd.txt") | _lines(DATA / "given_names_en_nd.txt")
    surnames = _lines(DATA / "surnames_world_nd.txt") | _lines(DATA / "surnames_en_nd.txt")
    kept = sorted(
        p for p in places() if not (p.split(" ")[0] in given and p.split(" ")[-1] in surnames)
    )
    header = (
        f"# phonenumbers {phonenumbers.__version__} geocoding data (Apache-2.0, libphonenumber)"
        f" and pycountry {version('pycountry')} ISO 3166-1/3166-2 names (LGPL-2.1, Debian"
        " iso-codes): English place names of two or three capitalised words, less those that"
        " read as a person's name; built by scripts/build_pii_place_list.py"
    )
    (DATA / "places_world.txt").write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    print(f"{len(kept)} places -> {DATA / 'places_world.txt'}")


if __name__ == "__main__":
    main()

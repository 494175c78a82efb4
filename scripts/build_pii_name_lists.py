"""Rebuilds stages/pii/data/given_names_en_nd.txt and surnames_en_nd.txt from names-dataset.

names-dataset (MIT; Facebook-leak-derived name frequencies per country) takes ~20 s and ~2 GB
of memory to load, too much for every PII actor, so the detector ships the few thousand most
frequent first and last names of English-speaking countries instead. Needs
``pip install names-dataset`` (not a project dependency).

Usage: python scripts/build_pii_name_lists.py [--top 700]
"""

from __future__ import annotations

import argparse
from pathlib import Path

COUNTRIES = ("US", "GB", "CA", "IE")
DATA = Path(__file__).resolve().parents[1] / "stages" / "pii" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=700)
    args = ap.parse_args()
    from names_dataset import NameDataset

    nd = NameDataset()
    for kind, fname in (("first", "given_names_en_nd.txt"), ("last", "surnames_en_nd.txt")):
        names: set[str] = set()
        for country in COUNTRIES:
            top = nd.get_top_names(
                n=args.top, use_first_names=kind == "first", country_alpha2=country
            )
            for value in (
                top.get(country, {}).values() if kind == "first" else [top.get(country, [])]
            ):
                names.update(n for n in value if n.isalpha() and n[:1].isupper() and len(n) > 1)
        header = (
            f"# names-dataset 3.3.1 (MIT), top {args.top} {kind} names of {' '.join(COUNTRIES)};"
            " built by scripts/build_pii_name_lists.py\n"
        )
        (DATA / fname).write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
        print(fname, len(names))


if __name__ == "__main__":
    main()

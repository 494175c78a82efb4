"""Rebuilds the name lists under stages/pii/data/ from names-dataset.

names-dataset (MIT; Facebook-leak-derived name frequencies per country) takes ~30 s and ~2 GB
of memory to load, too much for every PII actor, so the detector ships word lists instead:
- ``given_names_en_nd.txt`` and ``surnames_en_nd.txt``: the most frequent first and last names
  of English-speaking countries (US, GB, CA, IE), used by every English name rule;
- ``given_names_world_nd.txt``: the most frequent first names, written in Latin letters, of
  every country names-dataset covers (105), used only for one word after a greeting
  (``Hi Kamal,``) and as the known word of a name after a label or cue, since many of them are
  also ordinary English words (Data, Love, Memory);
- ``surnames_world_nd.txt``: the most frequent last names, written in Latin letters, of every
  country names-dataset covers, used only as the known word of a name after a label or cue
  (``Debtor: Kırgız Çorlu``), never alone.
Both world lists also hold the names of a country's longer list (``--world-extra-top``) that no
English dictionary holds as a word (``data/english_words.txt.gz``) and that have three letters
or more (the dictionary holds no shorter word: As, Is): Ortrun, Kobelt, Szłapa are names
wherever they stand; Global, Kings, Reef are words first.
Needs ``pip install names-dataset`` (a dev tool, not a project dependency).

Usage: python scripts/build_pii_name_lists.py [--top 700] [--world-top 200]
       [--world-surnames-top 300] [--world-extra-top 1000]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from stages.pii.latin import LOWER, UPPER

COUNTRIES = ("US", "GB", "CA", "IE")
DATA = Path(__file__).resolve().parents[1] / "stages" / "pii" / "data"
#: A name as it is printed in Latin letters, accented ones too (Théodore, Łukasz): one
#: capital, then lower-case letters (a hyphen may join two such parts).
_LATIN_NAME = re.compile(f"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?")


def _top(nd: Any, n: int, first: bool, country: str | None) -> dict[str, list[str]]:
    """Country -> its ``n`` most frequent first (both genders) or last names."""
    top = nd.get_top_names(n=n, use_first_names=first, country_alpha2=country)
    return {
        c: [name for group in (v.values() if first else [v]) for name in group]
        for c, v in top.items()
    }


def _write(fname: str, names: set[str], header: str) -> None:
    (DATA / fname).write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(fname, len(names))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=700)
    ap.add_argument("--world-top", type=int, default=200)
    ap.add_argument("--world-surnames-top", type=int, default=300)
    ap.add_argument("--world-extra-top", type=int, default=1000)
    args = ap.parse_args()
    from names_dataset import NameDataset

    from stages.pii.names_vocab import english_words

    common, rare = english_words()
    dictionary = common | rare

    nd = NameDataset()
    for first, fname in ((True, "given_names_en_nd.txt"), (False, "surnames_en_nd.txt")):
        names: set[str] = set()
        for country in COUNTRIES:
            for value in _top(nd, args.top, first, country).values():
                names.update(n for n in value if n.isalpha() and n[:1].isupper() and len(n) > 1)
        kind = "first" if first else "last"
        header = (
            f"# names-dataset 3.3.1 (MIT), top {args.top} {kind} names of {' '.join(COUNTRIES)};"
            " built by scripts/build_pii_name_lists.py\n"
        )
        _write(fname, names, header)
    for fname, top, first in (
        ("given_names_world_nd.txt", args.world_top, True),
        ("surnames_world_nd.txt", args.world_surnames_top, False),
    ):
        names = set()
        for value in _top(nd, top, first, None).values():
            names.update(n for n in value if _LATIN_NAME.fullmatch(n))
        for value in _top(nd, args.world_extra_top, first, None).values():
            names.update(
                n
                for n in value
                if _LATIN_NAME.fullmatch(n) and len(n) >= 3 and n.casefold() not in dictionary
            )
        header = (
            f"# names-dataset 3.3.1 (MIT), top {top} {'first' if first else 'last'} names of "
            f"every country and those of its top {args.world_extra_top} no English dictionary "
            "holds, Latin letters (accented ones too) only; built by "
            "scripts/build_pii_name_lists.py\n"
        )
        _write(fname, names, header)


if __name__ == "__main__":
    main()

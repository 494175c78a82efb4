"""Rebuilds ``stages/pii/data/english_words.txt.gz``: English words as people write them in
lower case.

A name that no name list holds (``Sadan Jaabir``, ``Blessing Ogunleye``) can still be told from
ordinary capitalised words (``Salary Advance``, ``Harbour Logistics``) by asking whether its
words are written in lower case elsewhere. The file holds two lists, a blank line between them:
the common words (the corpus's, below), then the dictionary's other words, rare ones among
them (``bali``, ``hong``: the detector lets a name's last word be one of those). Sources:
- the lower-case entries of Webster's Second International Dictionary (``web2``, public domain,
  as the ``english-words`` package ships it, MIT), with British spellings added (``harbour``,
  ``organise``, ``centre`` beside ``harbor``, ``organize``, ``center``);
- the words of the English documents of the shared benchmark corpus
  (``../shared/data/web_en_zh.jsonl.zst``: Debian documentation, real human-written text) that
  appear in lower case at least ``--min-lower`` times and at least ``--ratio`` times as often
  as capitalised (``online``, ``email``, ``checklist``, which the dictionary predates):
  ``grace``, ``mark`` and ``young`` are kept (ordinary words that are also names), ``john``,
  ``smith`` and ``khan`` are not (mostly capitalised). Words inside identifiers, paths, e-mail
  addresses and URLs are not counted. The first ``--skip`` documents are left out:
  ``scripts/bench_pii.py`` counts false alarms on them.
The dictionary holds some names as lower-case words too (``mary``, ``khan``); the detector asks
the list only about words that no name list holds, so that costs nothing there.

The detector loads the list at start-up (``stages.pii.names_vocab``); it ships with the
project, so runs need neither source nor this script. Needs ``pip install english-words`` (a
dev tool, not a project dependency) and ``zstandard``.

Usage: python scripts/build_pii_word_list.py [--corpus ../shared/data/web_en_zh.jsonl.zst]
       [--skip 2000] [--min-lower 5] [--ratio 0.5]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import re
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "stages" / "pii" / "data" / "english_words.txt.gz"
CORPUS = ROOT.parent / "shared" / "data" / "web_en_zh.jsonl.zst"
#: A word of ASCII letters with at most its first capitalised, not part of an identifier, a
#: path, an address or a hyphenated compound.
_WORD = re.compile(r"(?<![\w@./\\$%-])([A-Za-z][a-z]+)(?![\w@/\\(-])")


def count(corpus: Path, skip: int) -> tuple[collections.Counter[str], collections.Counter[str]]:
    """How often each word appears in lower case and capitalised in the English documents."""
    lower: collections.Counter[str] = collections.Counter()
    upper: collections.Counter[str] = collections.Counter()
    with open(corpus, "rb") as fh:
        lines = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(fh), encoding="utf-8")
        for i, line in enumerate(lines):
            if i < skip:
                continue
            doc = json.loads(line)
            if doc.get("lang") != "en":
                continue
            for m in _WORD.finditer(doc["text"]):
                word = m.group(1)
                if word[0].islower():
                    lower[word] += 1
                else:
                    upper[word.lower()] += 1
    return lower, upper


#: American endings and their British forms (harbor/harbour, organize/organise, center/centre).
_BRITISH = (
    ("or", "our"),
    ("ize", "ise"),
    ("izes", "ises"),
    ("ized", "ised"),
    ("izing", "ising"),
    ("ization", "isation"),
    ("yze", "yse"),
    ("er", "re"),
    ("ors", "ours"),
    ("ers", "res"),
)


def dictionary_words() -> set[str]:
    """The lower-case words of web2 (letters only, 3 or more), with British spellings."""
    from english_words import get_english_words_set

    words = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower() and len(w) >= 3}
    british = set()
    for w in words:
        for us, gb in _BRITISH:
            if w.endswith(us) and len(w) > len(us) + 2:
                british.add(w[: -len(us)] + gb)
    return words | british


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--skip", type=int, default=2000)
    ap.add_argument("--min-lower", type=int, default=5)
    ap.add_argument("--ratio", type=float, default=0.5)
    args = ap.parse_args()
    if not args.corpus.exists():
        ap.error(f"corpus not found: {args.corpus}")
    lower, upper = count(args.corpus, args.skip)
    corpus = {
        w
        for w, n in lower.items()
        if len(w) >= 3 and n >= args.min_lower and n >= args.ratio * upper[w]
    }
    rare = sorted(dictionary_words() - corpus)
    # the corpus's words first, a blank line, then the dictionary's other words; mtime=0:
    # the same words give the same bytes
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write(("\n".join(sorted(corpus)) + "\n\n" + "\n".join(rare) + "\n").encode("utf-8"))
    print(f"{OUT}: {len(corpus):,} common words (the corpus), {len(rare):,} more (the dictionary)")


if __name__ == "__main__":
    main()

"""Every span the PII detector finds on the labelled splits and the public documents, for
checking that a change to the detector (a speed-up) leaves its output unchanged.

    python scripts/pii_spans.py dump before.tsv     # one line per span: doc, start, end, type
    python scripts/pii_spans.py time                # docs/s over the same texts, best of 3
    cmp before.tsv after.tsv

Texts: every ``data/pii_eval/*.jsonl`` split (doc key ``<file>:<id>``) and the first
``--public-docs`` documents of the public sample that ``bench_pii.py`` reads (``public:<n>``).
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from stages.pii.detector import PiiDetector

_ROOT = Path(__file__).resolve().parents[1]
#: The shared corpus beside the repository (as ``bench_pii.py`` finds it).
_PUBLIC = str(_ROOT.parent / "shared" / "data" / "web_en_zh.jsonl.zst")


def _texts(public: str, limit: int) -> list[tuple[str, str]]:
    import zstandard

    out: list[tuple[str, str]] = []
    for path in sorted(Path("data/pii_eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line:
                doc = json.loads(line)
                out.append((f"{path.name}:{doc['id']}", doc["text"]))
    with open(public, "rb") as raw:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), "utf-8")
        for n, line in enumerate(reader):
            if n >= limit:
                break
            out.append((f"public:{n}", json.loads(line)["text"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("dump", "time"))
    ap.add_argument("out", nargs="?", help="dump: the TSV file to write")
    ap.add_argument("--public", default=_PUBLIC)
    ap.add_argument("--public-docs", type=int, default=2000)
    args = ap.parse_args()

    docs = _texts(args.public, args.public_docs)
    detector = PiiDetector()
    detector.setup()
    if args.mode == "dump":
        if not args.out:
            ap.error("dump needs an output file")
        spans = 0
        with open(args.out, "w", encoding="utf-8") as f:
            for key, text in docs:
                for e in detector.detect(text):
                    f.write(f"{key}\t{e.start}\t{e.end}\t{e.type}\n")
                    spans += 1
        print(f"{len(docs)} documents, {spans} spans -> {args.out}")
        return
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _key, text in docs:
            detector.detect(text)
        best = min(best, time.perf_counter() - start)
    print(f"{len(docs)} documents, best of 3: {best:.2f} s, {len(docs) / best:,.0f} docs/s")


if __name__ == "__main__":
    main()

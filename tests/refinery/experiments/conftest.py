"""One small finished run shared by the report, compare and browser tests.

A public English/Chinese source with near-duplicate documents (dedup clusters of known
sizes) and a confidential source whose ids, meta and text hold planted identifiers, through
language id, length filter, PII redaction (passports dropped) and both dedups, on the local
runtime.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

# Values that must never reach a report: ids, meta values and identifiers in the text.
PLANTED = {
    "cust_id": "CUST-778899-SECRET",
    "branch": "Lujiazui-Branch-4471",
    "id_card": "11010519491231002X",
    "card": "6222021234567890128",
    "phone": "13812345678",
    "email": "zhang.wei@example.com",
    "passport": "E12345678",
    "name_zh": "张伟",
}

_WORDS = (
    "bank loan credit deposit branch customer report quarter growth risk rate market policy "
    "committee analyst account payment transfer interest savings mortgage small business "
    "service review approval capital liquidity reserve balance income expense profit margin "
    "retail corporate treasury bond equity fund asset quality standard compliance audit "
    "statement agreement contract schedule region office network digital mobile online"
).split()
_HANZI = "本行今年第三季度零售贷款业务保持稳定增长小微企业余额较上明显升风险管理部门表示将继续加强后确保资产质量总体同时优化客户服务流程"


def _english(rng: random.Random, n: int = 60) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."


def _chinese(rng: random.Random, n: int = 90) -> str:
    return "".join(rng.choice(_HANZI) for _ in range(n)) + "。"


def _public_docs() -> list[dict[str, Any]]:
    rng = random.Random(7)
    docs = [{"id": f"en-{i}", "text": _english(rng)} for i in range(6)]
    docs += [{"id": f"zh-{i}", "text": _chinese(rng)} for i in range(4)]
    # a cluster of three (en-0 and two exact copies) and one of two (zh-0 and a near copy)
    docs += [{"id": f"en-0-copy{k}", "text": docs[0]["text"]} for k in range(2)]
    docs.append({"id": "zh-0-near", "text": docs[6]["text"] + "谢谢。"})
    docs.append({"id": "short-1", "text": "too short"})
    return docs


def _confidential_docs() -> list[dict[str, Any]]:
    p = PLANTED
    rng = random.Random(11)
    texts = [
        f"客户{p['name_zh']}来电，身份证号{p['id_card']}，卡号{p['card']}，手机{p['phone']}。"
        + _chinese(rng),
        f"Please contact the customer at {p['email']} or {p['phone']} about the loan. "
        + _english(rng),
        f"客户护照号码{p['passport']}，请核实后办理境外汇款业务。" + _chinese(rng),
    ]
    return [
        {"cust": f"{p['cust_id']}-{i}", "branch": p["branch"], "text": t}
        for i, t in enumerate(texts)
    ]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )


def write_config(tmp: Path, out: Path) -> Path:
    public, private = tmp / "public.jsonl", tmp / "private.jsonl"
    _write_jsonl(public, _public_docs())
    _write_jsonl(private, _confidential_docs())
    config = {
        "run": {"name": "exp", "output": str(out)},
        "runtime": "local",
        "sources": [
            {"name": "web", "path": str(public), "id_field": "id", "sensitivity": "public"},
            {
                "name": "bank_notes",
                "path": str(private),
                "id_field": "cust",
                "meta_fields": ["branch"],
                "sensitivity": "confidential",
            },
        ],
        "stages": [
            {"stage": "normalize"},
            {"stage": "language_id", "languages": {"zh": 0.2, "en": 0.2}},
            {"stage": "length_filter", "min_chars": 20, "min_words": 3},
            {"stage": "pii_redact", "actions": {"PASSPORT": "drop"}},
            {"stage": "exact_dedup"},
            {"stage": "minhash_dedup", "threshold": 0.7},
        ],
        "output": {"shard_size_mb": 1, "row_group_rows": 4},
    }
    path = tmp / "exp.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run directory written by `refinery run` (report.html included)."""
    from click.testing import CliRunner

    from refinery.cli import main

    pytest.importorskip("jieba")  # pii_redact segments Chinese names with it
    tmp = tmp_path_factory.mktemp("experiments")
    out = tmp / "run"
    result = CliRunner().invoke(main, ["run", str(write_config(tmp, out)), "-q"])
    assert result.exit_code == 0, result.output
    return out

"""The PII detector's tests that are more than a sentence and its entities; the sentence
cases of this theme (finds and look-alikes) are data, in ``cases/round4.json``, run by
``test_detector_cases.py``."""

from __future__ import annotations

import pytest

from stages.pii.detector import PiiDetector
from stages.pii.hanzi import to_simplified
from tests.stages.pii.cases import found


def test_traditional_characters_map_one_for_one() -> None:
    text = "借款人：陳秀鳳，住址：臺東縣中山路7段2號之2，Tel 02-1234"
    simple = to_simplified(text)
    assert len(simple) == len(text)
    assert simple.startswith("借款人：陈秀凤")
    assert "号之2" in simple and simple.endswith("Tel 02-1234")


def test_credit_codes_with_any_region_digits_need_a_credit_code_word(
    detector: PiiDetector,
) -> None:
    code = "9220974023XKRWBGD4"  # MOD 31 check holds; region digits 209740 name no province
    assert found(detector, f"统一社会信用代码 {code}，法定代表人") == [(code, "CREDIT_CODE")]
    table = f"No. | USCC 信用代码 | Amount\n1 | {code} | 300"
    assert (code, "CREDIT_CODE") in found(detector, table)
    assert found(detector, f"product code {code} shipped") == []


@pytest.mark.parametrize(
    "text",
    [
        "I am Very Happy with the service.",
        "It's Monday Morning.",
        "- name : Should be two.",
        "金额：100 元\n备注：无",
        "他家中有妻子和两个孩子，打算干几年。",
        "你应该已经和程序一起收到一份许可证。",
        "难道客户相比如家更有义务？",
        "收款人名称 Beneficiary Name: Ronald Johnson",
        "Name | Segment\nPriority Banking | Mass",
    ],
)
def test_look_alikes_are_not_names(detector: PiiDetector, text: str) -> None:
    names = [v for v, t in found(detector, text) if t == "NAME"]
    assert names in ([], ["Ronald Johnson"])

"""The PII detector on single sentences: what it must find, and what it must leave alone."""

from __future__ import annotations

import pytest

from stages.pii.detector import PiiDetector
from stages.pii.patterns import STRUCTURED_TYPES
from tests.stages.pii.cases import finds, finds_each, look_alikes, sentence_tests

FINDS = [
    *finds_each(
        "structured_identifiers",
        [
            ("身份证号11010519491231002X，请核对", "11010519491231002X", "ID_CARD"),
            ("证件号码 110105 19491231 002X", "110105 19491231 002X", "ID_CARD"),
            ("旧身份证110105491231002", "110105491231002", "ID_CARD"),
            ("卡号6222 0212 3456 7890 128", None, "BANK_CARD"),
            ("card 4111-1111-1111-1111 expired", "4111-1111-1111-1111", "BANK_CARD"),
            ("Amex 3782 822463 10005 on file", "3782 822463 10005", "BANK_CARD"),
            ("统一社会信用代码91110000802100433B", "91110000802100433B", "CREDIT_CODE"),
            ("IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32", "IBAN"),
            ("pay DE89370400440532013000 today", "DE89370400440532013000", "IBAN"),
            ("SWIFT: DEUTDEFF500", "DEUTDEFF500", "SWIFT_BIC"),
            ("收款行BKCHCNBJ", "BKCHCNBJ", "SWIFT_BIC"),
            ("手机13812345678", "13812345678", "PHONE"),
            ("电话 +86 138-1234-5678 找我", "+86 138-1234-5678", "PHONE"),
            ("座机010-62345678", "010-62345678", "PHONE"),
            ("call (212) 555-0147 now", "(212) 555-0147", "PHONE"),
            ("tel +44 20 7946 0958", "+44 20 7946 0958", "PHONE"),
            ("email 张伟的邮箱zhang.wei@example.com。", "zhang.wei@example.com", "EMAIL"),
            ("login from 203.0.113.7.", "203.0.113.7", "IP_ADDRESS"),
            ("from 2001:db8::8a2e:370:7334 at night", "2001:db8::8a2e:370:7334", "IP_ADDRESS"),
            ("护照号码E12345678", "E12345678", "PASSPORT"),
            ("passport no. 123456789", "123456789", "PASSPORT"),
            ("收款账号 3100 1234 5678 9012 34", "3100 1234 5678 9012 34", "BANK_ACCOUNT"),
            ("A/C 0123456789012", "0123456789012", "BANK_ACCOUNT"),
            ("客户反映0086 13912345678无法接通", "0086 13912345678", "PHONE"),
            ("证件号码：110105 1949 1231 002X", "110105 1949 1231 002X", "ID_CARD"),
            ("login from 10.0.0.1", "10.0.0.1", "IP_ADDRESS"),
        ],
    ),
    *finds(
        "names",
        "NAME",
        [
            ("客户张伟来电称卡片丢失", "张伟"),
            ("借款人：欧阳娜娜，女", "欧阳娜娜"),
            ("请问是罗霞先生吗", "罗霞"),
            ("王女士陪同办理", "王"),
            ("尊敬的李明华：您好", "李明华"),
            ("收款人Wang Fang已确认", "Wang Fang"),
            ("Dear Mr. John Smith,", "John Smith"),
            ("Beneficiary: Priscilla Lindqvist", "Priscilla Lindqvist"),
            ("The customer, Emily Hall, called", "Emily Hall"),
            ("Sarah Davis visited the branch", "Sarah Davis"),
            ("收件人李娜，广州市", "李娜"),
            ("持卡人夏天芳申请将账单地址更新", "夏天芳"),
            ("投诉记录：金华先生投诉其信用卡", "金华"),
            ("Our client, Mr. O'Brien, disputes the fee.", "O'Brien"),
            ("Please forward to Tobias McKenzie today.", "Tobias McKenzie"),
        ],
    ),
    *finds(
        "addresses",
        "ADDRESS",
        [
            (
                "家庭住址：北京市朝阳区建国路88号3栋2单元1201室，",
                "北京市朝阳区建国路88号3栋2单元1201室",
            ),
            ("他住在杭州市西湖区文三路478号", "杭州市西湖区文三路478号"),
            ("公司位于广东省深圳市南山区科技园路1号", "广东省深圳市南山区科技园路1号"),
            ("lives at 221B Baker Street, London NW1 6XE.", "221B Baker Street, London NW1 6XE"),
            (
                "Address: Flat 3, 12 High Street, Leeds LS1 4AP",
                "Flat 3, 12 High Street, Leeds LS1 4AP",
            ),
            ("寄送地址：上海市浦东新区陆家嘴环路1000号", "上海市浦东新区陆家嘴环路1000号"),
            (
                "to 1600 Pennsylvania Avenue NW, Washington, DC 20500.",
                "1600 Pennsylvania Avenue NW, Washington, DC 20500",
            ),
        ],
    ),
]

LOOK_ALIKES = [
    *look_alikes(
        "structured_lookalikes",
        [
            "金额合计¥12,345,678.90元，人民币50000元",
            "订单号202305120001234567已发货",  # 18 digits, no province 20
            "身份证号11010519491231002Y无效",
            "身份证号110105194912310021校验失败",
            "卡号4111111111111112校验失败",
            "ISBN 978-7-111-54742-6",
            "交易时间2023-05-12 14:30:00，版本v2.3.1.4",
            "IBAN GB82 WEST 1234 5698 7654 33 (wrong check digits)",
            "客服热线95588或400-820-8888",
            "The TRANSFER was BUSINESS as usual",
            "邮编100020，第12期，利率3.85%",
            "Invoice 4111111111111111 reference only",
            "see section 4.8.1.2 and the 192.168.0.0 network",
            "HANDLING of DEVDISR2 and REFLECT2 flags",
            "Reprinted as 00464-45876-62927, pages 309-319 (1969)",
            "loopback 127.0.0.1 and multicast 239.0.0.1, prefix fd::",
        ],
        STRUCTURED_TYPES,
    ),
    *look_alikes(
        "no_names_in_ordinary_words",
        [
            "黄金价格上涨，平安银行和华夏银行发布公告",
            "高新技术企业贷款，周一至周五办理",
            "Standard Chartered and Bank of China issued a statement on Monday",
            "Good morning, thank you for calling",
            "客户满意度调查显示，客户余额查询和客户申请流程需要优化。",
            "雷达和宫殿的照片，孔雀开屏",
            "The grace period ends on May 5; Grace Period fees apply.",
            "Attention: Accounts Payable. Dear Valued Client,",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "coarse_places_are_not_addresses",
        ["江苏省淮阴市的发展", "广东省军区举行活动", "安徽省这次整顿农村"],
        ["ADDRESS"],
    ),
]

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)


def test_offsets_are_character_offsets_and_sorted(detector: PiiDetector) -> None:
    text = "客户张伟，手机13812345678，邮箱a@example.com"
    ents = detector.detect(text)
    assert [e.start for e in ents] == sorted(e.start for e in ents)
    assert [text[e.start : e.end] for e in ents] == ["张伟", "13812345678", "a@example.com"]


def test_only_configured_types() -> None:
    d = PiiDetector(["EMAIL"])
    assert [e.type for e in d.detect("客户张伟 a@example.com 13812345678")] == ["EMAIL"]
    with pytest.raises(ValueError, match="unknown PII entity types"):
        PiiDetector(["SSN"])

"""The classes of misses found on unseen bank text, the sentences of each class, with
look-alikes that must stay unmasked (order numbers, amounts, product codes, capitalised words,
places)."""

from __future__ import annotations

import pytest

from stages.pii.banking import bic_is_known_bank, find_ibans
from tests.stages.pii.cases import finds, look_alikes, sentence_tests

FINDS = [
    *finds(
        "english_addresses_without_a_cue",
        "ADDRESS",
        [
            (
                "We moved to 4410 Larkspur Glen, Fairmont, WV 26554 in May.",
                "4410 Larkspur Glen, Fairmont, WV 26554",
            ),
            (
                "ship it to 18 Orchard Close, Didcot, OX11 7QP please",
                "18 Orchard Close, Didcot, OX11 7QP",
            ),
            (
                "new home: 902 Willow Creek Rd Apt 5B, Boise, ID 83702",
                "902 Willow Creek Rd Apt 5B, Boise, ID 83702",
            ),
            ("she lives at 77 Baker Street since 2019", "77 Baker Street"),
            (
                "Flat 3, Harbour Walk, Penzance, TR18 4AB",
                "Flat 3, Harbour Walk, Penzance, TR18 4AB",
            ),
            (
                "post to PSC 4410, Box 2231, APO AE 09012 before Friday",
                "PSC 4410, Box 2231, APO AE 09012",
            ),
            (
                "Office: 1200 OLD MILL RD, HAVERHILL, MA 01830",
                "1200 OLD MILL RD, HAVERHILL, MA 01830",
            ),
        ],
    ),
    *finds(
        "chinese_addresses_without_a_cue",
        "ADDRESS",
        [
            (
                "合同寄到湖北省宜昌市西陵区夷陵大道58号B座1203室，谢谢",
                "湖北省宜昌市西陵区夷陵大道58号B座1203室",
            ),
            (
                "新地址是浙江省温州市鹿城区广化街道水心路7弄3号",
                "浙江省温州市鹿城区广化街道水心路7弄3号",
            ),
            ("他在广东省佛山市顺德区容桂街道办事处旁边开店", "广东省佛山市顺德区容桂街道办事处"),
            ("请把卡片寄往江苏省无锡市梁溪区中山路g座", "江苏省无锡市梁溪区中山路g座"),
        ],
    ),
    *finds(
        "bare_bics_of_real_banks",
        "SWIFT_BIC",
        [
            ("Correspondent banks:\n- COBADEFFXXX\n- BKCHHKHH", "COBADEFFXXX"),
            ("Correspondent banks:\n- COBADEFFXXX\n- BKCHHKHH", "BKCHHKHH"),
            ("beneficiary bank (NWBKGB2L), value date 3 May", "NWBKGB2L"),
            ("intermediary: CHASUS33; charges OUR", "CHASUS33"),
        ],
    ),
    *finds(
        "ibans_as_printed",
        "IBAN",
        [
            ("IBAN: de89 3704 0044 0532 0130 00.", "de89 3704 0044 0532 0130 00"),
            ("pay NO 93 8601 1117 947 by Friday", "NO 93 8601 1117 947"),
            ("konto BE68539007547034 danke", "BE68539007547034"),
            ("account GB29 NWBK 6016 1331 9268 19 2024-05-01", "GB29 NWBK 6016 1331 9268 19"),
            ("收款账号：ch9300762011623852957。", "ch9300762011623852957"),
        ],
    ),
    *finds(
        "resident_ids_in_spaced_groups",
        "ID_CARD",
        [
            ("证件号码 110105  19491231  002X 已核对", "110105  19491231  002X"),
            ("ID: 110105 19491231 002X", "110105 19491231 002X"),
        ],
    ),
    *finds(
        "chinese_names_in_narrative",
        "NAME",
        [
            ("客户：我叫刘想，住在附近。", "刘想"),
            ("他和周洋两人一起来办理了联名账户。", "周洋"),
            ("户名原为王建，后改名为王建国。", "王建国"),
            ("例如张三向李四转账100元。", "张三"),
            ("例如张三向李四转账100元。", "李四"),
            ("亲爱的何秀英，感谢您的支持。", "何秀英"),
        ],
    ),
    *finds(
        "english_names_after_conversational_cues",
        "NAME",
        [
            ("Hi, this is Bethan Robertson, calling about my card.", "Bethan Robertson"),
            ("yeah my name's Reece Holmes and I moved", "Reece Holmes"),
            ("Kind regards,\nGail Gibbons\nBranch Manager", "Gail Gibbons"),
            ("Cheers,\n\nJemma Wood", "Jemma Wood"),
            ("Tamara Chang speaking, how can I help?", "Tamara Chang"),
        ],
    ),
]

LOOK_ALIKES = [
    *look_alikes(
        "english_address_lookalikes",
        [
            "The 3 Little Pigs Inn serves brunch.",
            "Chapter 12 Mountain View is a good read.",
            "We sold 500 Grand Union chairs last year.",
            "Our offices in London, New York and Hong Kong are closed.",
            "Order 4471 Green Valley Farms eggs by the crate.",
        ],
        ["ADDRESS"],
    ),
    *look_alikes(
        "chinese_places_without_a_street_are_not_addresses",
        [
            "我们在北京市和上海市都有分行。",
            "江苏省南京市的成交量下降了。",
            "张家界和长江三峡是热门旅游线路。",
        ],
        ["ADDRESS"],
    ),
    *look_alikes(
        "upper_case_words_are_not_bics",
        [
            "HANDLING and DELIVERY charges apply.",
            "Campaign codes: MARKETIN, BUSINESS, CUSTOMER.",
            "Use promo WELCOMEUS at checkout.",
        ],
        ["SWIFT_BIC"],
    ),
    *look_alikes(
        "spaced_numbers_that_fail_the_check_are_not_ids", ["订单 110105  19491231  0021 已发货"]
    ),
    *look_alikes(
        "chinese_narrative_lookalikes",
        [
            "我是说明天再来。",
            "我叫不出它的名字。",
            "两人一起去了银行。",
            "黄金价格和高新技术板块两个一起上涨。",
            "公司主张三年内还清，并扩张三倍产能。",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "english_name_lookalikes",
        [
            "Agent: Got it. Your case number is 4471-2290.",
            "Kind regards,\nCard Services",
            "I am Very Happy with the service.",
            "Please Read The Terms And Conditions Before Signing.",
            "this is Memory Management in the kernel",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "numbers_that_are_not_pii",
        [
            "Order 5500 0000 0000 0004 shipped; invoice INV-2024-0001 for 1,234.56 USD.",
            "产品型号 ZH-2024-1188，序列号 SN8812003391，保修期三年。",
            "订单号 202405170088123456 已发货，金额 3,280.00 元。",
        ],
    ),
]

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)


def test_bic_registry_and_outside_list() -> None:
    pytest.importorskip("schwifty")
    assert bic_is_known_bank("DEUTDEFF500")
    assert bic_is_known_bank("ICBKCNBJ")
    assert not bic_is_known_bank("HANDLING")  # HAND + LI: no such bank in Liechtenstein
    assert not bic_is_known_bank("DEUTDEF0")  # a test BIC (location ends in 0)


def test_iban_lookalikes() -> None:
    # The check digits fail, or it is a word and a number.
    assert find_ibans("DE99 3704 0044 0532 0130 00") == []
    assert find_ibans("GB94 BARC 2020 1530 0934 59") == []
    assert find_ibans("Version de 12 of the form") == []

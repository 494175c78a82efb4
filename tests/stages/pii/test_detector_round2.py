"""Second round of miss classes: cards of 12-15 digits, the 15-digit number that is both a
legacy resident ID and an Amex card, Chinese addresses led by counties no gazetteer holds, and
US streets whose type comes first. Each with look-alikes that must stay unmasked."""

from __future__ import annotations

import pytest

from stages.pii.addresses import find_addresses
from stages.pii.addresses_en import find_en_addresses
from stages.pii.checksums import card_scheme_known
from stages.pii.patterns import find_structured


def _structured(text: str) -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.type) for e in find_structured(text)]


def _addresses(text: str) -> list[str]:
    return [text[e.start : e.end] for e in find_addresses(text, cjk=True)]


@pytest.mark.parametrize(
    ("number", "known"),
    [
        ("676245807307", True),  # Maestro, 12 digits
        ("371449635398431", True),  # Amex, 15
        ("30569309025904", True),  # Diners, 14
        ("4111111111111111", True),
        ("123456789012", False),  # no scheme starts with 1 at this length
        ("411111111111", False),  # Visa is never 12 digits
        ("3714496353984", False),  # Amex is only 15
    ],
)
def test_card_scheme_prefix_and_length(number: str, known: bool) -> None:
    assert card_scheme_known(number) is known


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("我的卡号是630476699891，昨天被扣了两次。", "630476699891"),
        ("Card on file ending 4471 was replaced by 639032939998.", "639032939998"),
        ("Cards reported lost this week: 2252777933225686, 502007369981.", "502007369981"),
        ("您的新卡 501849167546 已寄出。", "501849167546"),
        ("Pay with 6762 4580 7307 today", "6762 4580 7307"),  # printed in card groups
        ("Amex 3714 496353 98431 on file", "3714 496353 98431"),
        ("Diners 3056 930902 5904", "3056 930902 5904"),
    ],
)
def test_short_cards_with_a_cue_or_card_groups(text: str, value: str) -> None:
    assert (value, "BANK_CARD") in _structured(text)


@pytest.mark.parametrize(
    "text",
    [
        "Reference 630476699891 was posted on Monday.",  # valid Maestro shape, no card cue
        "订单号 502007369981 已发货，卡号另行通知。",  # an order number, even near a card word
        "Card order 639032939998 shipped.",
        "Invoice 1234 5678 9012 total 99.00",  # 12 digits in groups, no scheme
        "卡号 630476699892",  # Luhn fails
    ],
)
def test_short_card_look_alikes_stay(text: str) -> None:
    assert not [v for v, t in _structured(text) if t == "BANK_CARD"]


# 341124800101004 is a valid legacy (15-digit) resident ID (Anhui, born 1980-01-01) and also
# passes the Luhn check with Amex's prefix 34.
_BOTH = "341124800101004"


def test_the_ambiguous_number_is_both() -> None:
    from stages.pii.checksums import cn_resident_id_valid, payment_card_valid

    assert cn_resident_id_valid(_BOTH) and payment_card_valid(_BOTH)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"身份证号 {_BOTH}，请核对。", "ID_CARD"),
        (f"ID number: {_BOTH}", "ID_CARD"),
        (f"卡号 {_BOTH}", "BANK_CARD"),
        (f"name,card_number\nRobin Wilkinson,{_BOTH}", "BANK_CARD"),
        (f"Please charge {_BOTH} for the annual fee.", "BANK_CARD"),  # English, no cue
        (f"旧号码{_BOTH}已停用。", "ID_CARD"),  # Chinese, no cue
    ],
)
def test_legacy_id_or_amex_by_context(text: str, kind: str) -> None:
    assert (_BOTH, kind) in _structured(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "新地址：内蒙古自治区通辽市科尔沁左翼后旗甘蓝子街98号",
            "内蒙古自治区通辽市科尔沁左翼后旗甘蓝子街98号",
        ),
        (
            "家住云南省红河哈尼族彝族自治州元阳县黄茅岭乡",
            "云南省红河哈尼族彝族自治州元阳县黄茅岭乡",
        ),
        ("崔秀云,西湖区蒋村花园小区", "西湖区蒋村花园小区"),
        ("麻烦把回单寄到牙克石市海门路578号，谢谢", "牙克石市海门路578号"),
        ("他住在巴林右旗大板镇光明路12号3单元201室。", "巴林右旗大板镇光明路12号3单元201室"),
    ],
)
def test_chinese_addresses_led_by_any_county(text: str, address: str) -> None:
    assert address in _addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "西湖区、科尔沁左翼后旗和红河哈尼族彝族自治州都是县级或地级行政区名称。",
        "张北县大河乡发生地震，张北县台路沟乡也有震感。",  # places without a street
        "张江高科技园区的企业数量在 2023 年增长了 12%。",
        "本次活动在北京市朝阳区举行。",
        "第 3 栋楼的电梯维修将于 6 月 12 日完成。",
    ],
)
def test_chinese_place_names_stay(text: str) -> None:
    assert _addresses(text) == []


@pytest.mark.parametrize(
    "address",
    [
        "2633 Camino Ramon Ste. 400 San Ramon, CA 94583-2176",
        "600 HIGHWAY 32 EAST, WATER VALLEY, MS 38965",
        "4410 County Road 12, Bryan, TX 77808",
        "12 Calle de la Paz, Santa Fe, NM 87501",
        "77 Route 9W, Palisades, NY 10964",
    ],
)
def test_us_streets_whose_type_comes_first(address: str) -> None:
    text = f"Mail it to {address} please."
    assert [text[e.start : e.end] for e in find_en_addresses(text)] == [address]


@pytest.mark.parametrize(
    "text",
    [
        "The route follows Highway 1 north to the county line, then County Road 12 to the lake.",
        "Meet at the Camino Real trailhead; parking is free before 9 am.",
        "Take exit 12 Route 9 to the mall.",
        "Calle Ocho is famous for its festival.",
    ],
)
def test_numbered_roads_without_an_address_stay(text: str) -> None:
    assert find_en_addresses(text) == []

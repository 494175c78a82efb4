"""Japanese postal addresses, as Chinese and Japanese text writes them (a Japanese customer's or
counterparty's address in a Chinese letter or form).

An address runs from a prefecture (``東京都``, ``北海道``, ``大阪府``, ``群馬県``; in simplified
characters too: ``东京都``, ``神奈川县``) through the city, ward, county, town or village
(``渋谷区``, ``札幌市中央区``, ``南巨摩郡身延町``) and the district (``六本木``, ``中三依``) to
the block and house: ``5丁目27番18号``, ``3丁目1-3``, ``123番地``, or ``6-10-1`` after the
district. A building and a room may follow (``松浦町パーク830``, ``ABCビル5階``). A postcode before
it (``〒106-0032``) is part of it. The prefecture, or a ward or city written right after a cue
word, anchors the span on the left; the block and house number are what make it an address.
"""

from __future__ import annotations

from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["find_ja_addresses"]

#: The 43 prefectures named with 県, as Japan writes them.
_KEN = (
    "青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 "
    "静岡 愛知 三重 滋賀 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 "
    "熊本 大分 宮崎 鹿児島 沖縄"
).split()
#: Each character of those names that simplified Chinese writes otherwise, with its variants
#: (a Chinese text writes 鹿儿岛县; the detector's simplified copy of a Japanese text, 鹿児岛県).
_VARIANTS = {
    "島": "島岛",
    "児": "児儿",
    "徳": "徳德",
    "馬": "馬马",
    "葉": "葉叶",
    "長": "長长",
    "岡": "岡冈",
    "愛": "愛爱",
    "賀": "賀贺",
    "鳥": "鳥鸟",
    "広": "広广",
    "縄": "縄绳",
    "沖": "沖冲",
    "宮": "宮宫",
    "庫": "庫库",
    "東": "東东",
}


def _variants(name: str) -> str:
    return "".join(f"[{_VARIANTS[c]}]" if c in _VARIANTS else c for c in name)


_PREFECTURE = rf"(?:[東东]京都|北海道|大阪府|京都府|(?:{'|'.join(map(_variants, _KEN))})[県县])"
#: A character of a Japanese place name: kanji, kana, the iteration mark and the small ke.
_CHAR = r"[\u4e00-\u9fff\u3041-\u3096\u30a1-\u30fa\u30fc々〆ヶケ]"
#: The municipal units after the prefecture, one to three of them (``札幌市中央区``).
_MUNICIPAL = rf"(?:{_CHAR}{{1,5}}?[市区區郡町村]){{1,3}}"
_NUM = r"[0-9０-９]{1,4}"
_DASH = r"[-－‐−ー]"
#: The block and the house: ``5丁目27番18号``, ``3丁目1-3``, ``123番地``, ``123番地の4``,
#: ``6-10-1``; in full-width digits too.
_BLOCK = (
    rf"(?:{_NUM}丁目(?:{_NUM}番(?:地)?(?:{_NUM}号)?|{_NUM}(?:{_DASH}{_NUM}){{0,2}})?"
    rf"|{_NUM}番地?(?:の?{_NUM}号?)?"
    rf"|{_NUM}{_DASH}{_NUM}(?:{_DASH}{_NUM})?)"
)
#: A building and its room or floor after the house: a name in katakana or Latin letters (kanji
#: and kana before it allowed) and a number (``松浦町パーク830``, ``ABCビル5階``,
#: ``六本木ヒルズ森タワー10F``).
_BUILDING = (
    r"(?:[ \u3000]?[\u4e00-\u9fff々\u3041-\u3096ヶケ]{0,6}?"
    r"(?:[\u30a1-\u30fa\u30fcA-Za-zＡ-Ｚａ-ｚ]{2,12}[\u4e00-\u9fff\u3041-\u3096ヶ]{0,6}?){1,3}"
    rf"{_NUM}(?:号室|号|階|F)?)?"
)
_POSTCODE = rf"(?:〒[ ]?\d{{3}}{_DASH}?\d{{4}}[ \u3000]?)?"
#: The district between the municipality and the block, numbered parts too (``北1条西``).
_DISTRICT = rf"(?:{_CHAR}|[0-9０-９]){{0,10}}?"
_ADDRESS = guarded(
    rf"{_POSTCODE}{_PREFECTURE}{_MUNICIPAL}{_DISTRICT}{_BLOCK}{_BUILDING}"
    # no prefecture: a city or ward right after an address cue
    rf"|(?:(?<=住所[：:]|地址[：:]|住址[：:])|(?<=住在|位于|寄往|寄至)){_MUNICIPAL}{_DISTRICT}{_BLOCK}"
    rf"{_BUILDING}"
)
#: What every such address holds: a prefecture, or a block or lot word.
_HINT = guarded(rf"{_PREFECTURE}|丁目|[0-9０-９]番")


def find_ja_addresses(text: str) -> list[Entity]:
    """Japanese postal addresses in ``text``."""
    if _HINT.search(text) is None:
        return []  # the pattern, tried at every character after a cue, is not searched
    return [Entity(m.start(), m.end(), "ADDRESS") for m in _ADDRESS.finditer(text)]

"""Postal addresses in Chinese and English text.

Chinese addresses run from the largest unit to the smallest (GB/T 2260 divisions, then the
street address): 省/自治区 → 市/州 → 区/县 → 街道/镇/乡 → 路/街/大道/巷/弄 + 号 → 小区/大厦 →
栋/单元/室. An address is reported when it has an anchor (a known province or city name, or
an address cue such as ``地址：`` or ``住在``) followed by at least one smaller unit, or a road
with a house number (``人民路100号``). Characters that cannot be part of a place name (particles,
verbs) bound a road name on the left, so the cue words never enter the span.

English addresses are a house number, capitalised words and a street suffix (Street, Road,
Ave ...), optionally preceded by a flat/suite and followed by city, state/region and a US ZIP or
UK postcode; ``No. 88 Jianguo Road, Chaoyang District, Beijing`` style is covered too.
"""

from __future__ import annotations

import re

from stages.pii.addresses_en import find_en_addresses
from stages.pii.addresses_eu import find_eu_addresses
from stages.pii.addresses_intl import find_intl_addresses
from stages.pii.addresses_ja import find_ja_addresses
from stages.pii.addresses_labelled import find_labelled_addresses
from stages.pii.addresses_streets import find_street_addresses
from stages.pii.addresses_world import find_world_addresses
from stages.pii.latin import has_latin
from stages.pii.patterns import Entity
from stages.pii.prefilter import near
from stages.pii.rx import guarded

__all__ = ["CITY_NAMES", "find_addresses"]

_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_CITIES = (
    "石家庄|唐山|秦皇岛|邯郸|保定|张家口|承德|沧州|廊坊|衡水|太原|大同|长治|晋城|呼和浩特|包头|鄂尔多斯|"
    "沈阳|大连|鞍山|抚顺|丹东|锦州|营口|长春|吉林|哈尔滨|齐齐哈尔|大庆|牡丹江|南京|无锡|徐州|常州|苏州|"
    "南通|连云港|淮安|盐城|扬州|镇江|泰州|宿迁|杭州|宁波|温州|嘉兴|湖州|绍兴|金华|衢州|舟山|台州|丽水|"
    "合肥|芜湖|蚌埠|淮南|马鞍山|安庆|黄山|阜阳|福州|厦门|莆田|泉州|漳州|龙岩|南昌|景德镇|九江|赣州|"
    "济南|青岛|淄博|枣庄|东营|烟台|潍坊|济宁|泰安|威海|日照|临沂|德州|聊城|菏泽|郑州|开封|洛阳|平顶山|"
    "安阳|新乡|焦作|许昌|南阳|商丘|信阳|武汉|黄石|十堰|宜昌|襄阳|荆州|孝感|黄冈|长沙|株洲|湘潭|衡阳|"
    "岳阳|常德|郴州|广州|深圳|珠海|汕头|佛山|江门|湛江|茂名|肇庆|惠州|梅州|汕尾|河源|阳江|清远|东莞|"
    "中山|潮州|揭阳|南宁|柳州|桂林|梧州|北海|海口|三亚|成都|自贡|攀枝花|泸州|德阳|绵阳|宜宾|南充|乐山|"
    "贵阳|遵义|昆明|曲靖|大理|丽江|拉萨|西安|宝鸡|咸阳|延安|兰州|嘉峪关|西宁|银川|乌鲁木齐|克拉玛依|"
    "喀什|北京|天津|上海|重庆"
)
#: The other prefecture-level cities of GB/T 2260 (as JioNLP's division table lists them),
#: Taiwan's cities and Hong Kong's districts: not part of the address patterns above, only
#: known as places by the name finder.
_MORE_CITIES = (
    "临沧|保山|昭通|普洱|玉溪|乌兰察布|乌海|呼伦贝尔|巴彦淖尔|赤峰|通辽|四平|松原|白城|白山|辽源|通化|"
    "内江|巴中|广元|广安|眉山|资阳|达州|遂宁|雅安|中卫|吴忠|固原|石嘴山|亳州|六安|宣城|宿州|池州|淮北|"
    "滁州|铜陵|滨州|临汾|吕梁|忻州|晋中|朔州|运城|阳泉|云浮|韶关|崇左|来宾|河池|玉林|百色|贵港|贺州|钦州|"
    "防城港|吐鲁番|哈密|上饶|吉安|宜春|抚州|新余|萍乡|鹰潭|邢台|三门峡|周口|漯河|濮阳|驻马店|鹤壁|三沙|"
    "儋州|咸宁|荆门|鄂州|随州|娄底|张家界|怀化|永州|益阳|邵阳|天水|定西|平凉|庆阳|张掖|武威|白银|酒泉|"
    "金昌|陇南|三明|南平|宁德|山南|日喀则|昌都|林芝|那曲|六盘水|安顺|毕节|铜仁|朝阳|本溪|盘锦|葫芦岛|"
    "辽阳|铁岭|阜新|商洛|安康|榆林|汉中|渭南|铜川|海东|七台河|伊春|佳木斯|双鸭山|绥化|鸡西|鹤岗|黑河|"
    "台北|新北|桃园|台中|台南|高雄|"
    # Hong Kong's districts and towns (沙田新城市广场分行)
    "沙田|元朗|屯门|荃湾|大埔|西贡|观塘|湾仔|旺角|黄大仙|尖沙咀|铜锣湾|将军澳|天水围|深水埗"
)
#: The cities by name (岳阳, 宁德): a name finder's candidate that is one is a place.
CITY_NAMES = frozenset(_CITIES.split("|")) | frozenset(_MORE_CITIES.split("|"))
#: The unit after a province's name (广西壮族自治区, 香港特别行政区).
_PROVINCE_UNIT = "(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)"
# Characters that cannot be part of a road or place name: they bound the span on the left.
_NOT_PLACE = "的了在是为于住址到从往和与及位向给处至由将把被请其我他她您你们已有来去说称寄送搬现也都就还这那次些每各该此"
_PLACE_CHAR = rf"(?:(?![{_NOT_PLACE}])[\u4e00-\u9fff])"
_NUM = r"(?:\d{1,5}|[一二三四五六七八九十百零〇]{1,4})"
#: A road's section (中山路二段, 臺東中山街7段), lane and alley (12巷3弄) before the number.
_SECTION = rf"(?:[东西南北中]|{_NUM})段(?:{_NUM}巷)?(?:{_NUM}弄)?"
# After its first character a place name may hold characters that also serve as particles
# (祥和镇, 魏都济南路, 丰都); the left bound still excludes them, except 和平 (one of the
# commonest road and district names) right after an administrative unit.
_INNER_CHAR = r"(?:(?![的了是为于住址到从往向给至将把被请我他她您你们已有来去说称寄送现这那在])[\u4e00-\u9fff])"
# A township's first character right after a larger unit: 次丘镇, 将台堡镇 (次 and 将 bound a
# place name on the left elsewhere; here the unit before bounds it).
_UNIT_HEAD = r"(?:(?![的了是为于住址到从往向给把被请我他她您你们已有来去说称寄送现这那在和与及])[\u4e00-\u9fff])"
#: Units that stand in a township's place: state farms and forest farms, their bureaus, sumu,
#: development zones and industrial parks.
_TOWNSHIP_LIKE = "林场|农场|牧场|林业局|农垦局|苏木|开发区|园区|工业园|管理区|垦区"
_ZH_STREET_UNITS = (
    # a farm, a forest farm, a zone or a sumu stands where a township does (鹿角山林场,
    # 赛汉陶来苏木, 沙金台蒙古族满族乡), a forestry bureau above it (双鸭山林业局大叶沟林场)
    # right after a county or a city any character may start it (张家港市现代农业示范园区)
    # 从 may end a township's name (乐从镇), elsewhere it bounds a place (寄从)
    rf"(?:(?:(?<=[市县区旗盟])[\u4e00-\u9fff]|{_UNIT_HEAD})(?:{_INNER_CHAR}|从(?=镇)){{0,8}}"
    rf"(?:街道|镇|乡|办事处|{_TOWNSHIP_LIKE})){{0,2}}"
    # a village's group (袁寨村1组10号) before the house number
    rf"(?:{_PLACE_CHAR}{_INNER_CHAR}{{0,5}}(?:村|社区)(?:{_NUM}(?:组|队|社))?"
    # a hamlet of the village before the house number (陈家村赵家坪2号, 星火村西头50号)
    rf"(?:{_PLACE_CHAR}{_INNER_CHAR}{{0,3}}?(?={_NUM}号))?)?"
    rf"(?:(?:{_PLACE_CHAR}|\d|和(?=平)|向(?=[路街巷]))(?:{_INNER_CHAR}|\d|有(?=[路街巷])){{0,7}}?"
    rf"(?:大道|大街|路|街|巷|弄|胡同|道)(?:{_SECTION})?)?"
    rf"(?:{_NUM}(?:-{_NUM})?(?:号院|号|弄)(?:之{_NUM})?)?"
    # a compound named after a family (梁府17号楼, 张庭11号楼) too
    rf"(?:{_PLACE_CHAR}{{1,8}}(?:小区|花园|家园|大厦|广场|中心|公寓|苑|园|城|里|庄|新村|公馆|府|庭|邸))?"
    rf"(?:[A-Za-z]?{_NUM}(?:号院|号楼|栋|幢|座|单元|楼|层|室|号|户)|[A-Za-z](?:座|栋|幢|室)){{0,4}}"
    r"(?:(?<=[楼栋幢座元层])\d{2,5}(?![\d%]))?"
)
# 市场 is a market, not a city (迁至社区东侧农贸市场入口)
_ZH_UNITS = rf"(?:{_PLACE_CHAR}{{1,8}}?(?:自治县|自治旗|区|县|旗|市(?!场)))?{_ZH_STREET_UNITS}"
# Administrative units of any name (GB/T 2260: 省, 自治区, 地区, 自治州, 盟, 市, 县, 自治县, 旗,
# 区 ...), one to four levels, then a street-level unit: 科尔沁左翼后旗甘蓝子街98号,
# 红河哈尼族彝族自治州元阳县黄茅岭乡, 西湖区蒋村花园小区, whether or not the places are in the
# gazetteer above.
# An administrative unit's name holds no street-level unit (村, 路, 号 ...).
_ADMIN_NAME_CHAR = rf"(?:(?![{_NOT_PLACE}村路街巷弄号镇乡园苑栋楼室])[\u4e00-\u9fff])"
# Inside the name (not first) 至 may stand: 乐至县 (寄至 still bounds: 寄 may not).
_ADMIN_INNER = rf"(?:(?![{_NOT_PLACE.replace('至', '')}村路街巷弄号镇乡园苑栋楼室])[\u4e00-\u9fff])"
_ZH_ADMIN = (
    rf"(?:{_ADMIN_NAME_CHAR}{_ADMIN_INNER}{{0,11}}?"
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|旗|区)){1,4}"
)
#: What a street-level part ends with. Required at the match's end, so that a city name
#: inside a street's name (贞丰县广州街786号: 广州) is not taken as one more administrative
#: unit, leaving the street empty: the match backtracks to the split that has a street.
_STREET_END = r"(?<=[号室栋幢座元楼层户组队社村镇乡道处场路街巷弄同园厦心寓苑城里庄馆院区\d])"
_ZH_COUNTY = guarded(rf"{_ZH_ADMIN}(?P<street>{_ZH_STREET_UNITS}){_STREET_END}")
#: A chain of named units below the county, as farms, forest farms, corps regiments and
#: herding villages are addressed (白河林业局春雷林场生活区1组32号, 兵团一三三团十连生活区孟家21号,
#: 巴嘎塔拉苏木边布拉嘎查3组9号): any name ending in a unit word, one to five times.
_CHAIN_SUFFIX = "街道|镇|乡|办事处|苏木|嘎查|社区|居委会|村|林业局|农垦局|局|场|区|处|所|连队|连|队|团|师|监狱|厂"
_CHAIN_SEG = rf"(?:{_UNIT_HEAD}|\d)(?:{_INNER_CHAR}|\d){{0,10}}?(?:{_CHAIN_SUFFIX})"
#: What ends such a chain: a village group and house (3组9号), a household (孟家21号), or a
#: street, number and building as elsewhere.
_CHAIN_TAIL = rf"(?:{_NUM}(?:组|队|社|排)(?:{_NUM}号)?|{_PLACE_CHAR}家{_NUM}号)"
_ZH_CHAIN = guarded(
    rf"{_ZH_ADMIN}(?:{_CHAIN_SEG}){{1,5}}(?P<tail>{_CHAIN_TAIL}(?:{_ZH_STREET_UNITS})|{_ZH_STREET_UNITS})"
)
_ZH_ANCHORED = guarded(
    rf"(?:(?:{_PROVINCES}){_PROVINCE_UNIT}?"
    rf"(?:(?:{_CITIES})市?|{_PLACE_CHAR}{{2,4}}?(?:市|州|盟|地区))?"
    rf"|(?:{_CITIES})市?)"
    rf"{_ZH_UNITS}"
)
_ZH_CUE = guarded(
    r"(?:地址|住址|住所|居住地|通讯地址|联系地址|家庭住址|户籍地址|户籍地|单位地址|送货地址|收货地址|"
    r"住在|家住|住于|位于|寄往|寄到|寄至|送至|搬到|搬至|迁至|地点)[\s:：=为是]{0,3}"
)
_ZH_CUE_BODY = guarded(
    rf"{_PLACE_CHAR}{{1,6}}?(?:省|市(?!场)|区|县|镇|乡|村|路|街|大道|巷|弄){_ZH_UNITS}"
)
_ZH_ROAD = guarded(
    # a Taiwanese postal code (3 or 5 digits) may lead: 54324 古坑市自由路2號4樓
    rf"(?:(?<![\d.,-])\d{{3}}(?:\d{{2}})?[ ]?)?"
    # 有 and 向 serve as particles but name roads too (民有路, 向路): right before the road's type
    rf"(?:{_PLACE_CHAR}|向(?=[路街巷]))(?:{_INNER_CHAR}|有(?=[路街巷])){{0,6}}"
    rf"(?:大道|大街|路|街|巷|弄|胡同)(?:{_SECTION})?{_NUM}(?:-{_NUM})?号"
    rf"(?:之{_NUM})?"
    rf"(?:{_PLACE_CHAR}{{1,8}}(?:小区|花园|大厦|广场|中心|公寓|苑|园))?"
    rf"(?:[A-Za-z]?{_NUM}(?:号楼|栋|幢|座|单元|楼|层|室)(?:之{_NUM})?){{0,4}}"
)
#: What every road address holds: a road's type, then its number (a search for it is cheap,
#: ``_ZH_ROAD`` tries every Chinese character).
_ROAD_NUMBER = guarded(rf"(?:大道|大街|路|街|巷|弄|胡同)(?:{_SECTION})?{_NUM}(?:-{_NUM})?号")
#: How far before its road's type a ``_ZH_ROAD`` match may start: a postal code and a space
#: (6), the name's first character and six more.
_ROAD_LEAD = 13
_ADMIN_CHAR = guarded(r"[省市州盟县旗区]")
#: How far before its first unit's last character (``_ADMIN_CHAR``) a match of ``_ZH_ADMIN``
#: (``_ZH_COUNTY``, ``_ZH_CHAIN``) may start: a name of up to 12 characters and 特别行政区.
_ADMIN_LEAD = 16
_CJK_CHAR = guarded(r"[\u4e00-\u9fff]")
#: An institution's kind, up to six characters after a place (人民调解委员会, 股份经济合作社,
#: 网点, 派出所, 渔港管理站, 农村信用合作联社).
_INSTITUTION = (
    "委员会|合作社|网点|营业部|营业厅|派出所|服务中心|服务站|支行|分行|管理站|管理所|村委会|居委会|"
    "信用合作联社|信用联社|信用社|商业银行|合作银行|村镇银行"
)
#: A farm's or a base's name after its place, no verb between (绿野家庭农场, 丰源菌菇种植基地;
#: not 在容桂街道办事处旁边开店), or a shop's branch named by its street (天府三街店).
_ENTERPRISE_AFTER = guarded(
    r"(?:(?![的在开办建有了一家个旁边])[\u4e00-\u9fff]){0,6}?(?:农场|养殖场|基地)|(?:分|门)?店"
)
_ENTERPRISE_END = guarded(r"(?:农场|养殖场|基地)$")
#: A second road and a junction after a road without a number (雄楚大道与珞喻路交叉口): a
#: place where something happened, no one's address.
_JUNCTION = guarded(
    r"[与和](?:(?![，。；])[\u4e00-\u9fff]){1,8}?(?:路|街|大道)(?:交叉口|路口|交汇处)"
)
_INSTITUTION_AFTER = guarded(rf"(?:(?!的)[\u4e00-\u9fff]){{0,6}}?(?:{_INSTITUTION})")
_INSTITUTION_END = guarded(rf"(?:{_INSTITUTION})$")
#: A house number, a room, a building, a unit or a floor (not 楼 alone: 鼓楼区).
_HOUSE_NUMBER = guarded(r"\d|[号室栋幢座层]|单元")
_NUMBERED = guarded(r"\d|号|室|栋|幢|座|单元|楼|层")
#: A field that names a region, not a place anyone lives (所属区县：, 所在地区：).
_REGION_LABEL = guarded(
    # or where a contract was signed (签订地点：四川省泸州市江阳区)
    r"(?:(?:所属|所在)(?:区县|地区|区域|城市|省市|辖区)|(?:签订|签约|签署)地点)[:：][ ]?$"
)
#: What completes an address without a number: a province or a prefecture, or in the street
#: part a compound (a 小区 among the administrative units is no district: 隔壁小区团长路).
_WHOLE_REGION = guarded(r"省|自治区|州|盟")
_WHOLE = guarded(r"小区|花园|公寓|家园|大厦|苑")
#: A 街市 is a (Hong Kong) market, neither a street nor a city: 北河街街市.
_UNIT = guarded(
    r"省|(?<!街)市|区|县|镇|乡|街道|办事处|村|路|街(?!市)|大道|巷|弄|号|室|栋|幢|座|单元|层"
)
_FINE_UNIT = guarded(r"镇|乡|街道|办事处|村|社区|组|路|街|大道|巷|弄|胡同|号|室|栋|幢|座|单元|层")


def _is_address(span: str) -> bool:
    """A street-level unit (镇/村/路/号 ...), or a district with two larger units: a province
    and a city alone (江苏省淮阴市) or a 军区 are not anyone's address."""
    units = _UNIT.findall(span)
    if _FINE_UNIT.search(span):
        return len(units) >= 2
    return len(units) >= 3 and bool(re.search(r"区|县|旗", span))


def _chain_addresses(text: str) -> list[tuple[int, int]]:
    """Addresses led by administrative units, then a chain of named units below the county,
    ending in a numbered tail (a group, a household, a house number or a building)."""
    return [
        (_trimmed(text, m.start(), m.end()), m.end())
        for m in near(_ZH_CHAIN, text, _ADMIN_CHAR, _ADMIN_LEAD)
        if _NUMBERED.search(m.group("tail"))
    ]


#: A province's name where the first unit of a match starts (``本人当日未离开广西壮族自治区``: any
#: characters may lead an administrative unit's name, a known province's cannot be inside one).
_PROVINCE_HEAD = guarded(rf"(?:{_PROVINCES}){_PROVINCE_UNIT}")


def _trimmed(text: str, s: int, e: int) -> int:
    """``s``, or where a known province's name starts inside the match's first unit."""
    m = _PROVINCE_HEAD.search(text, s + 1, min(e, s + 16))
    if m is None or _ADMIN_CHAR.search(text, s, m.start()):
        return s
    return m.start()


def _county_addresses(text: str) -> list[tuple[int, int]]:
    """Addresses led by administrative units of any name, with a street-level unit after."""
    spans = []
    for m in near(_ZH_COUNTY, text, _ADMIN_CHAR, _ADMIN_LEAD):
        street = m.group("street")
        if not (street and _FINE_UNIT.search(street) and _is_address(m.group())):
            continue
        if not (
            _NUMBERED.search(street) or _WHOLE.search(street) or _WHOLE_REGION.search(m.group())
        ):
            # 张北县大河乡, 某县某村: a place without a house number, building or compound is
            # a place name unless the province or prefecture completes the address.
            continue
        spans.append((_trimmed(text, m.start(), m.end()), m.end()))
    return spans


#: A Taiwanese postal code (3 or 5 digits) just before a street address: 54324 古坑市自由路2號.
_POSTCODE_BEFORE = guarded(r"(?<![\d.,:-])\d{3}(?:\d{2})?[ ]?$")


#: A mainland postcode (6 digits) after a space at the end of an address that ends in a house,
#: building or room (朝阳区建国路88号 100020, 丰都谢街f座 761318), before the line's or the
#: clause's end.
_POSTCODE_AFTER = guarded(r"[ \u3000]\d{6}(?=$|[\s，。；、,;)）]|\.(?!\d))")


def _with_postcode(text: str, a: Entity) -> Entity:
    if text[a.end - 1 : a.end] in ("号", "號", "室", "座", "楼", "樓", "栋", "棟", "幢", "弄"):
        after = _POSTCODE_AFTER.match(text, a.end)
        if after is not None:
            a = Entity(a.start, after.end(), a.type)
    m = _POSTCODE_BEFORE.search(text, max(0, a.start - 6), a.start)
    if m is None or "号" not in text[a.start : a.end]:
        return a
    return Entity(m.start(), a.end, a.type)


#: A building and a floor or room after a house number (七莘路1839号财富108广场南座1612室,
#: 万达6号写字楼2301): the number after the building word is what makes it an address's.
_BUILDING_ROOM = guarded(
    # a company's name may name the building (某某投资管理有限责任公司船营总部大厦): 有限 in it
    rf"(?:{_PLACE_CHAR}|[A-Za-z0-9]|有限){{0,24}}?(?:大厦|广场|写字楼|中心|大楼|商厦|公寓)"
    r"(?:[东西南北]?[A-Za-z0-9]?座|[A-Za-z0-9]{1,3}(?:栋|幢|号楼))?"
    rf"(?:{_NUM}[楼层](?:{_NUM}室?)?|[A-Za-z]?\d{{3,5}}室?(?!\d))"
)
#: Single spaces between the units of a Chinese address (上海市 闵行区 顾戴路 2000弄 11号).
_SPACED = guarded(r"(?<=[\u4e00-\u9fff\d])[ ](?=[\u4e00-\u9fff\d])")
#: A unit's last character before such a space: texts without one are not read again.
_SPACED_UNIT = guarded(r"[省市区县旗镇乡村路街巷弄号][ ](?=[\u4e00-\u9fff\d])")


#: A street and house number right after a township whose name a street shares (罗岗镇|北镇|
#: 街437号: the match took 北镇 for a second township and stopped).
_STREET_REST = guarded(
    rf"(?:大街|大道|路|街|巷|弄)(?:{_NUM}号(?:之{_NUM})?|(?=[A-Za-z]座))"
    rf"(?:[A-Za-z]?{_NUM}(?:号楼|栋|幢|座|单元|楼|层|室)|[A-Za-z](?:座|栋|幢|室)){{0,4}}"
)


def _with_street_rest(text: str, a: Entity) -> Entity:
    if text[a.end - 1 : a.end] not in ("镇", "乡"):
        return a
    m = _STREET_REST.match(text, a.end)
    return a if m is None else Entity(a.start, m.end(), a.type)


def _with_building(text: str, a: Entity) -> Entity:
    if not _NUMBERED.search(text[a.end - 1 : a.end]):
        return a
    m = _BUILDING_ROOM.match(text, a.end)
    return a if m is None else Entity(a.start, m.end(), a.type)


#: A unit after a floor or a house number (5樓之3, Taiwan's 5F-3) or a room's number alone where
#: the text goes on with no word (4栋29楼5，, 12号3 and the line's end).
_ROOM_AFTER = guarded(r"之\d{1,3}(?!\d)|\d{1,4}(?=[\s，。、；：,.;:)）]|$)")


def _with_room(text: str, a: Entity) -> Entity:
    if text[a.end - 1 : a.end] not in ("楼", "层", "号"):
        return a
    m = _ROOM_AFTER.match(text, a.end)
    return a if m is None else Entity(a.start, m.end(), a.type)


#: Characters that bound a place on the left in prose but also begin place names (和田,
#: 于家务, 都江堰): after a unit's suffix they belong to the next unit.
_GLUE = "和于都与及其将"
#: An address's cue right before a position (位于|和田地区).
_CUE_BEFORE = guarded(
    r"(?:位于|住在|家住|住于|寄往|寄到|寄至|送至|搬到|搬至|迁至|地址|住址)[:：]?$"
)
#: What may not lead a place name even when a unit's suffix starts the match (前往昌都市...).
_HEAD_STOP = set("的了在是为住址到从往向给把被请我他她您你们已有来去说称寄送搬现这那至由")


def _with_head(text: str, a: Entity) -> Entity:
    """The address with the start of a unit's name that the left bound cut off: a glue
    character after a unit's suffix (新疆维吾尔自治区|和田地区), or the name before a suffix that
    starts the match (前往|昌都|市芒康县)."""
    s = a.start
    if (
        s >= 1
        and text[s - 1] in _GLUE
        and (
            s == 1
            or _ADMIN_CHAR.match(text, s - 2)
            or not _CJK_CHAR.match(text[s - 2])
            or _CUE_BEFORE.search(text, max(0, s - 6), s - 1)
        )
    ):
        s -= 1  # 新疆维吾尔自治区|和田地区; 和田地区 at a line's start or after 位于
    elif _ADMIN_CHAR.match(text, s):
        while (
            s > a.start - 4
            and s > 0
            and _CJK_CHAR.match(text[s - 1])
            and text[s - 1] not in _HEAD_STOP
            and not _CUE_BEFORE.search(text, max(0, s - 3), s)  # 博物馆位于|县城: no name
        ):
            s -= 1
    if s != a.start:
        # the province (and city) just before the restored name: 新疆维吾尔自治区|和田地区
        m = _PROVINCE_BEFORE.search(text, max(0, s - 20), s)
        if m is not None:
            s = m.start()
    return a if s == a.start else Entity(s, a.end, a.type)


#: A known province, and a city, prefecture, district or county of any name, right before a
#: position.
_PROVINCE_BEFORE = guarded(
    rf"(?:{_PROVINCES}){_PROVINCE_UNIT}"
    rf"(?:{_PLACE_CHAR}{{1,6}}?(?:市|州|盟|地区|区|县|旗)){{0,2}}[ ]?$"
)


def _spaced_zh_addresses(text: str) -> list[Entity]:
    """Chinese addresses read with the single spaces between their units taken out, their
    offsets mapped back to ``text``; only those that held such a space."""
    keep = [i for i in range(len(text)) if not (text[i] == " " and _SPACED.match(text, i))]
    squeezed = "".join(text[i] for i in keep)
    out = []
    for a in _find_zh(squeezed):
        s, e = keep[a.start], keep[a.end - 1] + 1
        if e - s > a.end - a.start:
            out.append(Entity(s, e, a.type))
    return out


def _roads(text: str) -> list[tuple[int, int]]:
    """The spans of ``_ZH_ROAD.finditer(text)``, the pattern tried only where a match can
    start: up to ``_ROAD_LEAD`` characters before a road's number (``_ROAD_NUMBER``, which
    every match holds; a number inside one that the scan for them passed over lies inside
    the match found there)."""
    return [m.span() for m in near(_ZH_ROAD, text, _ROAD_NUMBER, _ROAD_LEAD)]


def _find_zh(text: str) -> list[Entity]:
    out: list[Entity] = []
    taken: list[tuple[int, int]] = []
    found = [m.span() for m in _ZH_ANCHORED.finditer(text)]
    chains: list[tuple[int, int]] = []
    if _ADMIN_CHAR.search(text):
        chains = _chain_addresses(text)
        found += _county_addresses(text) + chains
    # Longest first: a county the gazetteer lacks can cut an anchored match short.
    for s, e in sorted(found, key=lambda se: se[0] - se[1]):
        if e - s < 5 or any(s < te and ts < e for ts, te in taken):
            continue
        if not _FINE_UNIT.search(text, s, e) and _REGION_LABEL.search(text, max(0, s - 8), s):
            continue  # 所属区县：湖北省襄阳市樊城区: a region's field, no one's address
        # a chain's units (马场, 生产队, 嘎查) are not in the unit count; its shape suffices
        if (s, e) in chains or _is_address(text[s:e]):
            out.append(Entity(s, e, "ADDRESS"))
            taken.append((s, e))
    for m in _ZH_CUE.finditer(text):
        body = _ZH_CUE_BODY.match(text, m.end())
        if body is None:
            continue
        s, e = body.span()
        # two units alone are a word, no place (地点：乡镇营业所)
        if e - s <= 2 or any(ts <= s < te for ts, te in taken):
            continue
        if _is_address(text[s:e]):
            out.append(Entity(s, e, "ADDRESS"))
            taken.append((s, e))
    for s, e in _roads(text):
        hit = [k for k, (ts, te) in enumerate(taken) if ts <= s < te or s <= ts < e]
        if not hit:
            out.append(Entity(s, e, "ADDRESS"))
        elif len(hit) == 1 and taken[hit[0]][0] <= s and taken[hit[0]][1] < e:
            # the road goes on past a cue's address (钢城片区街道|兰州路658号): one address
            out[hit[0]] = Entity(taken[hit[0]][0], e, "ADDRESS")
    out = [
        _with_room(
            text,
            _with_building(
                text, _with_street_rest(text, _with_postcode(text, _with_head(text, a)))
            ),
        )
        for a in out
    ]
    # a place without a house number that an institution's name goes on from (or ends in) is
    # that institution's name (圭塘街道人民调解委员会, 南庄村股份经济合作社, 文化路网点,
    # 长河街道社区服务中心)
    return [
        a
        for a in out
        if _HOUSE_NUMBER.search(text, a.start, a.end)
        or not (
            _INSTITUTION_AFTER.match(text, a.end)
            or _INSTITUTION_END.search(text, a.start, a.end)
            or _JUNCTION.match(text, a.end)
            or _ENTERPRISE_AFTER.match(text, a.end)
            or _ENTERPRISE_END.search(text, a.start, a.end)
            # the village's committee, whose 村 the village's name ends in (槐植村村委会)
            or (text[a.end - 1 : a.end] in "村居" and text.startswith("委会", a.end))
        )
    ]


#: A digit, any script's.
_DIGIT = guarded(r"\d")


#: A place unit left unnamed (某小区, 某村, 某路).
_UNNAMED_PLACE = guarded(r"某(?:小区|社区|村|路|街|巷|镇|乡)")


def find_addresses(text: str, cjk: bool) -> list[Entity]:
    """Postal addresses in ``text``."""
    out: list[Entity] = []
    if cjk:
        found = _find_zh(text)
        if _SPACED_UNIT.search(text):
            found += _spaced_zh_addresses(text)
        # 某 ("a certain") stands for a place left unnamed (观塘区某社区调解中心): no address
        # without a number (一号 某某公司大厦5楼 is one), nor one whose compound, village or
        # road is the unnamed place (某小区地下停车场B2层: the number is a parking level's)
        out += [
            e
            for e in found
            if "某" not in text[e.start : e.end]
            or (
                _DIGIT.search(text, e.start, e.end)
                and not _UNNAMED_PLACE.search(text, e.start, e.end)
            )
        ]
    latin = has_latin(text)  # the Latin-script rules find nothing without a Latin letter
    if latin:
        out += find_en_addresses(text)
        out += find_intl_addresses(text)
        out += find_eu_addresses(text)
        out += find_world_addresses(text)
    out += find_labelled_addresses(text)
    out += find_ja_addresses(text)  # in a Chinese text, or one Japanese address in English
    if latin:
        out += find_street_addresses(text)
    return out

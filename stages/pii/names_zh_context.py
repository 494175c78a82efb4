"""What stands around a Chinese span that makes it no person's name (used by ``names``).

A place's unit after it (花明楼镇), a village's group (蔡家4组), a document's number (武通〔2024〕
217号), a thing's label before it (产品名称：), a hall (明德厅), a numbered station or shop (张江
三站), an insurance product (康健一生重大疾病保险), a society (兰韵昆曲票友社), a company's or a
branch's words (华信商务咨询有限公司, 张江支行) or a junction (珞喻路交叉口). The text is read in
simplified characters.
"""

from __future__ import annotations

from stages.pii.rx import guarded

__all__ = [
    "DOCUMENT_NUMBER",
    "GROUP_AFTER",
    "JUNCTION_AFTER",
    "NO_VERB",
    "NO_VERB_CHAR",
    "PLACE_UNITS",
    "PLACE_UNIT_AFTER",
    "TAIWAN_PLACES",
    "THING_LABEL",
    "VILLAGE_GROUP",
    "ZH_COMPANY_AFTER",
    "ZH_HALL_AFTER",
    "ZH_NUMBERED_SITE_AFTER",
    "ZH_PRODUCT_AFTER",
    "ZH_SOCIETY_AFTER",
]

#: Units a place's name ends in (鹿港镇, 王庄村).
PLACE_UNITS = frozenset("镇乡村县市区")
#: A district's, a county's, a city's or a town's unit right after a span: the span names the
#: place (花明楼镇), unless the unit starts a title or a word (县长, 区域, 市场, 镇定); a port's
#: (敖德萨港装船), not Hong Kong's dollar or shares (港币, 港股).
PLACE_UNIT_AFTER = guarded(
    r"区(?![长委域分别])|县(?![长委])|市(?![长委场民值面])|镇(?![长委定])|乡(?![长亲村下镇土情音])"
    r"|港(?![币元股澳台商人资])"
)
#: Taiwan's counties and cities (in simplified characters, as the names are read), some of
#: which jieba tags as people (花莲/nr): with their unit they are places (花莲县, 台东市).
TAIWAN_PLACES = frozenset(
    "花莲 台东 屏东 宜兰 苗栗 南投 云林 嘉义 彰化 新竹 桃园 澎湖 金门 连江 基隆 台中 台南 高雄 台北 新北".split()
)
#: A family name and 家 before a number or a village's unit: a village (group), not a person.
VILLAGE_GROUP = guarded(r"[\u4e00-\u9fff]{1,2}家")
GROUP_AFTER = guarded(r"\d|[一二三四五六七八九十]+组|[村组屯湾庄坝]")
#: A year in hexagonal brackets after an office's abbreviation (and a letter's kind: 函, 发, 办),
#: or a letter's kind and 字第: a document's number (银发〔2024〕12号, 武通〔2024〕217号,
#: 苏恒寿函〔2024〕第0378号, 京致衡律函字第216号).
DOCUMENT_NUMBER = guarded(
    r"(?:[（(][\u4e00-\u9fff]{1,3}[）)])?"  # a sub-office in brackets: 杭公(西)立字〔2024〕10857号
    r"(?:[函发办]?[〔［\[]\d{4}[〕］\]]|[\u4e00-\u9fff]{0,2}字(?:第|[ ]?\d|[〔［\[]\d{4}))"
)
#: A label of a thing's name (a product's, a project's, a company's), whose field holds no
#: person's (账户名称 and 收款人名称 hold one).
THING_LABEL = guarded(
    r"(?:产品|项目|公司|单位|企业|机构|商户|店铺|活动|基金|理财|网点|银行|品牌|系统|课程)名称[ ]?[：:][ \t]*$"
    # a meeting's or an event's place (地点：万宁日月湾浪人冲浪俱乐部)
    r"|地点[ ]?[：:][ \t]*$"
)
#: A hall, a chamber or a pavilion right after a span (明德厅, 怀仁堂): the span names it; not a
#: title (厅长, 馆长, 堂主) nor a word (厅里, 堂兄).
ZH_HALL_AFTER = guarded(r"[厅堂馆殿阁](?![长主兄弟姐妹里内外])")
#: A station's, a shop's or an outlet's number after a place (张江三站, 望京二店, 科技园1号店),
#: or a shop named by its place (该公司张江门店; a bank's branch, 张江支行, is
#: ``ZH_COMPANY_AFTER``'s).
ZH_NUMBERED_SITE_AFTER = guarded(
    r"(?:[一二三四五六七八九十]{1,3}|\d{1,3}号?)(?:站|分站|店|分店|号店|网点)|门店|分店"
)
#: The rest of an insurance product's name, to the cell's or the line's end (康健一生重大疾病保险 |):
#: a brand, not a person (a person's policy is written 王芳的重大疾病保险, or after a label).
ZH_PRODUCT_AFTER = guarded(
    r"[\u4e00-\u9fff]{0,6}?(?:重大疾病|终身寿|定期寿|两全|年金|医疗|意外伤害|护理)保险"
    r"(?:[（(][^）)\n]{1,12}[）)])?[ \t]*(?:[|｜\t\n]|$)"
)
#: The rest of a society's, a club's, a troupe's or a workshop's name (兰韵昆曲票友社), read after
#: a city, a place or an opening quotation mark (苏州兰韵昆曲票友社, 府城安平木雕工坊,
#: 《兰韵昆曲票友社章程》; not 会员王芳加入协会).
ZH_SOCIETY_AFTER = guarded(
    r"[\u4e00-\u9fff]{0,6}?(?:票友社|研习社|曲社|诗社|剧社|协会|俱乐部|艺术团|剧团|合唱团|工坊|工作坊)"
)
#: A character that is no verb, preposition or particle: the run of a name that goes on.
NO_VERB = (
    r"(?:(?![的在到往向于於去至从從把给給为為与與和及将將已由经經称稱说說是或等跟同找让讓请請])"
    r"[\u4e00-\u9fff])"
)
#: What follows a company's trade name in its run of characters, a branch's place (张江支行),
#: or a company's short name (乐宝外贸部).
ZH_COMPANY_AFTER = guarded(
    r"(?:(?!的|名下)[\u4e00-\u9fff]){0,8}?(?:有限公司|有限责任公司|股份公司|集团|事务所|(?<!农)商行|"
    # a cooperative named by its place (寿光绿野蔬菜种植专业合作社, 桑园村股份经济合作社), a
    # craft workshop (山嵐苗繡工藝坊)
    r"经营部|經營部|门市部|門市部|合作社|工艺坊)"
    r"|支行|分行|营业部|(?:农村)?商业银行|教育中心|培训中心|培训学校|培训班|补习社|医务中心|诊所|"
    # a dental clinic's trade name (康华口腔门诊部)
    r"口腔(?:门诊|诊所|医院)|门诊部|"
    r"酒家|酒楼|饭店|餐厅|餐馆|茶楼|"
    # a branch's or a centre's name that runs on, with no verb or preposition between, to its
    # last word (盛京银行沈阳皇姑支行, 张江科技支行, 康颐养老服务中心, 明德文理短期補習班), or a
    # hospital's centre (屈光手术中心)
    rf"{NO_VERB}{{0,6}}?(?:支行|分行|服务中心|服務中心|补习班|補習班|"
    r"手术中心|诊疗中心|治疗中心|体检中心|康复中心)|"
    # a shop's place before 门店 (闵行莘庄门店; not 王芳门店经理, a name before the job), a
    # bathhouse's, a hostel's, a hotel's or a club's trade name (汤泉雅阁洗浴中心, 山海青年旅舍)
    # (not 王伟代表门店: a person acting for the shop), a beauty salon's (金沙日晒美容中心), a
    # music class's (乐韵手风琴教室), a craft class's (大理蓝韵扎染体验馆)
    rf"(?!代表){NO_VERB}{{1,6}}?(?:门店|門店|洗浴中心|洗浴|会所|旅舍|酒店|宾馆|俱乐部|游乐园|书店|金店|工作室|"
    r"美容中心|美容院|美发店|艺术社|画廊|教室|体验馆|专卖店|养殖场|古玩行|古玩店|"
    r"钱币市场|市场管理)|"
    # a shop named by its road, in brackets after its firm's name (车匠汽车服务有限公司（闵行吴中
    # 路店）): the words up to the road's last character, or a road's name itself (吴中路)
    rf"{NO_VERB}{{0,6}}?(?<=[路街道])店(?=[）)])|"
    # a company's department after its short name (「乐宝外贸部」, 乐宝五金外贸部)
    rf"{NO_VERB}{{0,2}}?(?:外贸|外貿|财务|財務|销售|銷售|采购|採購|市场|市場|客服|人事|行政|"
    r"结算|結算|风控|風控|法务|法務|审计|審計)部"
)
#: What follows a road's name at a junction (珞喻路交叉口, 珞喻路口).
JUNCTION_AFTER = guarded(r"交叉口|交汇处|路口|口")
#: A Chinese character that is no verb, preposition or particle (what follows a place's unit
#: in an office's name: 宿松县农业农村局; not 王小镇已到场).
NO_VERB_CHAR = guarded(NO_VERB)

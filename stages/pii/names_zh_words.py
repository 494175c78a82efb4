"""The characters and words that bound a Chinese name for ``names``: particles, the verbs and
words that follow a name, family names that are mostly function words, document and office
words."""

from __future__ import annotations

import re

__all__ = [
    "ADVERB_SURNAMES",
    "CUED_SURNAMES",
    "FIELD_SURNAMES",
    "TRANSLITERATED_SURNAMES",
    "PREPOSITION_SURNAMES",
    "FUNCTION_SURNAMES",
    "OFFICE_END",
    "COMPANY_OWNERS",
    "NO_OFFICE",
    "ZH_DOCUMENT_WORDS",
    "ZH_PRODUCT_WORDS",
    "ZH_SIDE_WORDS",
    "ZH_THING_WORDS",
    "ZH_PARTICLES",
    "ZH_STOP",
    "ZH_TRIM",
]

#: Particles and pronouns, never in a given name even where a field bounds it (the verbs of
#: ``ZH_STOP`` are: 刘想, 陈来).
ZH_PARTICLES = frozenset(
    "的了在是为于和与及向给对把被将从到也都就还又并且或但而其您你我他她们这那有无不没个"
    "矣兮焉哉乎"  # classical particles (靡室劳矣)
)

# Characters that end a name: particles, verbs and words that follow a name in bank prose.
ZH_STOP = frozenset(
    "的了在是为于和与及向给对把被将从到已要想来去说称表办申请也都就还又并且或但而其您你我他她"
    "们这那有无不没个电话联系住址等籍让由两"
)
#: What a cued name does not end in: the above and 持, holding (其女章洋持委托书代领); the
#: statistics read 持 after a name as the person's verb instead (之子董云持其母身份证); and 接,
#: fetching, and 拾, picking up, that the segmenter glues to a given name (他舅舅邓文接回老家,
#: 大堂经理邢彬拾得).
ZH_TRIM = ZH_STOP | frozenset("持接拾")
#: What follows 想 where it ends a given name, not "want": a stop, the end, a preposition
#: (代表李想\n, 专员李想按合同)
WANT_ENDS = re.compile(r"[按在于向对]|[^\u4e00-\u9fff]|$")

#: Names of documents that start with a family-name character (申, 委, 承 ...) and follow
#: role words in form titles (受益人申请书, 抵押人承诺书).
ZH_DOCUMENT_WORDS = frozenset(
    "申请书 委托书 证明书 协议书 授权书 承诺书 说明书 声明书 通知书 意见书 确认书 保证书 "
    "申请表 登记表 审批表".split()
)
#: Brands, systems and a trade word that start with a family-name character (安卓 is Android,
#: 华为 Huawei, 仲介 an agent in Taiwan).
ZH_PRODUCT_WORDS = frozenset(
    "安卓 鸿蒙 华为 荣耀 余额宝 云闪付 仲介 车贷 房贷 苏绣 湘绣 蜀绣 强积金 燕盏".split()
)
#: Common verbs, adjectives and nouns that jieba's dictionary tags as person names (nr) and its
#: corpus counts 300 to 2,000 times, so that a cue's frequency bound lets them through
#: (柜员陈述, 客户顾问); names that are words too (高明, 向阳, 常青) are not listed.
ZH_NR_WORDS = frozenset(
    "师傅 封锁 宣言 顾问 智慧 齐声 齐全 顾客 公正 辛勤 安静 康复 诸如 吉祥 范畴 周转 宁可 凌辱 "
    "陈述 荣获 关怀 林立 通达 宁静 养老 安抚 许可 容纳 杜绝 卓越 晋升 祝贺 高悬 胡闹 满怀 周密 "
    "朴素 陈设 华丽 弘扬 麻木 查明 周旋 高耸 慕名 明智 殷勤 祝福 陈旧 顾忌 温馨 张罗 高雅 "
    "时髦 张贴 张开 张嘴 张口 严正 仰天 凌空 陈列 "
    # bank words that the corpus counts a few times only (携营业执照及印鉴, 到期换卡, 车险续保),
    # and card tiers it lacks (a table's 层级 column: 金卡, 白金)
    "印鉴 换卡 续保 余存 盖印 钜款 钜额 修函 金卡 银卡 白金 白金卡 钻石卡 "
    # words the dictionary lacks or tags as people: supermarkets (商超), delay (迟延利息), a fry
    # pond (预留苗池)
    "商超 迟延 盖章 石英 石英石 苗池 "
    # a notice (申请人须知), a late fee (迟延金), gilding (安金), children's voices (童声合唱团),
    # a fish fillet (金枪鱼鱼柳)
    "须知 迟延金 安金 童声 鱼柳 "
    # cloisonné (景泰蓝), our firm's (我司技术总监: 司 is no family name there)
    "景泰蓝 司技术 "
    # a crown fitted on an implant (戴冠), practising the piano (练琴), a quarter's pass (季卡)
    "戴冠 练琴 季卡 "
    # a salon (沙龙经理: jieba tags it nr, for Sharon), a sky lantern (孔明灯), a wish to all
    # (祝各位同学复习顺利)
    "沙龙 孔明灯 祝各位 祝大家 "
    # a claim before a tribunal (向小額錢債審裁處申索: 申 is a family name too)
    "申索 "
    # Chinese instruments jieba tags as people (柳琴初级班, 马头琴老师, 古琴课)
    "古琴 柳琴 扬琴 马头琴 高胡 中阮 大阮 云锣 阮咸 "
    # in-laws (买家岳父), a dog breed (柯基幼犬), a church's organist (司琴尤淑芬)
    "岳父 岳母 柯基 司琴 "
    # a colour standard, chestnut kernels, a festival's motto, a city, boxwood (偏到了潘通1788C,
    # 加工为栗仁原料, 龙腾盛世, 楚雄及四川, 黄杨木精雕)
    "潘通 栗仁 龙腾 楚雄 黄杨木 "
    # shops', a sale's and a studio's names, force (分水古韵油纸伞坊, 金陵石韵, 墨缘斋文房,
    # 夹具施力不当)
    "古韵 石韵 墨缘 施力 "
    # poplar wood, a shop's garden, the plum rains, gold embroidery, jute, a domestic helper
    # (白杨木, 鸣秋园鸣虫, 梅雨季, 盘金绣, 黄麻袋, 家佣杨丽卿)
    "白杨木 秋园 梅雨 金绣 黄麻 家佣".split()
)
#: A country's side of a deal (韩方联系人, 中方代表): a country's abbreviation and 方; a contract's
#: parties (甲方, 乙方).
ZH_SIDE_WORDS = frozenset(
    "中方 韩方 美方 日方 英方 德方 法方 俄方 外方 港方 澳方 台方 泰方 越方 甲方 乙方 丙方 丁方 店方 校方 院方 "
    "厂方 园方 馆方".split()
)
#: A party's side named by its role (业主方项目秘书, 承包方代表): the role's word and 方.
ZH_ROLE_SIDES = frozenset(
    "业主 承包 发包 建设 施工 监理 委托 受托 出租 承租 合作 供货 采购 销售 投资 融资 需求 供应 买受 出卖".split()
)
#: All four: what a role's or a family name's characters may start that is no person.
ZH_THING_WORDS = ZH_DOCUMENT_WORDS | ZH_PRODUCT_WORDS | ZH_NR_WORDS | ZH_SIDE_WORDS
#: Family names that are a verb or a measure word even right after a cue (老人来网点, 客户来柜,
#: 公司位于): a name only where a field bounds it (店长：来玉兰，, 店铺负责人：位淑英，).
FIELD_SURNAMES = frozenset("来位")
#: Family names that are far more often function words, adverbs or demonstratives (那), the
#: first character of a word (双签, a double signature) or a verb (留, leaves: 客户留手机; 来, comes:
#: 朋友来北京), or "after" (后: 包装后顺丰寄出).
FUNCTION_SURNAMES = (
    frozenset("和都相时管查于与从将把被对以及而也还又并但其那双留后") | FIELD_SURNAMES
)
#: With them, family names that start a verb after a cue (客户须携带, 经协商, 被申请人尚欠): no name
#: before a word.
ADVERB_SURNAMES = FUNCTION_SURNAMES | frozenset("须经尚")
#: Family names that start far more words than names (阳光, 海关, 战略, 阿姨, 宾馆), or whose
#: words are mostly foreign names written in Chinese characters (赫鲁晓夫, 赫尔曼): read after a
#: cue or in a field (申请人：海婷, 其儿子阳兵, 户名：阿阳, 鉴定员赫洋, 救生员：宾磊), never by the
#: tagger alone. 官, 玉 and 银 start more words still (官方, 官员: 场主官杨; 玉米: 仓库主管玉博; 银行),
#: and so do ``FIELD_SURNAMES``.
CUED_SURNAMES = frozenset("阳海战阿赫宾官玉银") | FIELD_SURNAMES
#: Of them, those whose dictionary words the name statistics leave out: they would count a
#: foreign name's characters (鲁, 勒, 尔) as a Chinese given name's, or an office's words' (官至,
#: "rose to": 支付至 read as a name); 玉's would read a poem's 玉颜 ("a jade face") as a name.
TRANSLITERATED_SURNAMES = frozenset("赫官玉银")
#: Family names that are a preposition or a modal verb (引导客户向平台申诉, 运营主管应每月): no
#: name before a frequent word of two characters (客户经理应成, 控制人向丹丹 are names).
PREPOSITION_SURNAMES = frozenset("向应")
OFFICE_END = (
    "行处部科局司厅办社会院所组队岗"  # an office's or a post's last character: 分行, 人事处, 单证岗
)
#: What stands before 司 where it means a company (我司, 贵司, 本司, 该司, 公司).
COMPANY_OWNERS = frozenset("我贵本该公")
#: Words that end in a unit's character and name no office (全部, 内部, 好处, 此处).
NO_OFFICE = frozenset(
    "全部 内部 外部 局部 头部 底部 顶部 背部 腰部 到处 好处 用处 益处 深处 此处 各处 随处 处处 难处 "
    "坏处 长处 短处 远处 近处 一处 两处 多处 住处 去处 出处".split()
)

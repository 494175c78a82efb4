"""Person names that narrative, conversation and signatures introduce (used by ``names``).

Chinese:
- a strong cue (``我叫``, ``改名为``, ``亲爱的``, ``收款方：`` ...) followed by a family name and one
  or two characters that end at punctuation or a line end: the boundary settles where the
  name ends, so the given name may hold any character (``我叫刘想，``);
- a relative before what they said or did (``其母张欢称``), a full name with the formal
  ``君`` (``林美凤君于``), a shareholder (``股东一：``), a certificate's subject (``兹证明X（``);
- two people doing something together: ``与X两人``, ``X和Y两人``, ``X和Y一起``;
- a name that the person's own action follows: ``X本人接听``, ``X本人签字``;
- the placeholder names people use in forms and examples (张三, 李四, 王五 ...).

The English ones are ``names_cues_en``'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stages.pii.latin import has_latin
from stages.pii.names_zh_words import FIELD_SURNAMES, ZH_STOP
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, scan
from stages.pii.rx import guarded

__all__ = [
    "EN_LABEL_CUES",
    "PREFIX_CUES",
    "SUFFIX_CUES",
    "ZH_ASKED",
    "ZH_LISTED_JOB",
    "ZH_SPACED_TITLE",
    "after_strong_cue",
    "cue_before",
    "find_zh_cued",
    "strong_cue_before",
]

#: A name, a space and a courtesy title at a line's start (江柏谚 女士台鉴：) or after a team's or
#: an office's name and a space (投訴及諮詢組 吳進財 女士), used by ``names``.
ZH_SPACED_TITLE = guarded(
    r"(?:^[ \t]*|(?<=[组部科处室][ ]))(?P<name>[\u4e00-\u9fff]{2,3})[ ](?:先生|女士|小姐)", re.M
)

#: A caller asking for the person they called (请问是王岩吗？, 请问是蚕茧收购站的王岩吗？): the
#: name ends at the question's particle; used by ``names_zh_cued``.
ZH_ASKED = guarded(
    r"请问(?:您|你)?是(?:[^\s，。？?！!、：:]{1,16}?的)?(?=[\u4e00-\u9fff]{2,3}[吗么])"
)

#: A list's item of a name, a comma and the holder's job, the firm and a space before it or not
#: (``- 沈洋，品控主管``, ``- 全建，外贸部经理，``, ``- 钱淑英，某某贸易有限公司 出口部经理``), used by
#: ``names``.
ZH_LISTED_JOB = guarded(
    r"^[ \t]*[-•·*][ ]?(?P<listed>[\u4e00-\u9fff]{2,3})(?:，|,[ ]?)"
    r"(?:[\u4e00-\u9fff]{2,16}[ ])?[\u4e00-\u9fff]{0,8}"
    r"(?:经理|主管|主任|专员|总监|助理|代表)(?=[，,；;。（(\n]|$)",
    re.M,
)


def _led(words: str, not_after: str = "", then: str = "") -> str:
    """``words`` (split on spaces) as alternatives that each open on the word itself, a
    character of the class ``not_after`` not right before it (looked at behind the word) and
    ``then`` after it. ``re`` skips quickly to where an alternation can start only when every
    alternative opens on a character (a look-behind or a class first makes it try each one)."""
    return "|".join(
        f"{w}(?<!{not_after}{w}){then}" if not_after else f"{w}{then}" for w in words.split()
    )


#: Words after which a Chinese name follows (客户, 姓名, 借款人 ...), used by ``names``. Each
#: alternative opens on a character of its own (see ``_led``).
PREFIX_CUES = (
    # what a name is shown as (户名显示为余正雄), a treating doctor (主治医生严兵), a lease's
    # parties, a cashier, a driver and a travelling companion (出租方黄晨, 收银员吴畅, 同行旅客陈政宏)
    "户名显示为|主治医生|主治医师|出租方|承租方|收银员|驾驶员|旅客|"
    "共同借款人|法定代表人|法人代表|客户经理|理财经理|账户名称|客户姓名|持卡人|借款人|贷款人|收款人|"
    "付款人|汇款人|申请人|联系人|担保人|保证人|经办人|受益人|开户人|委托人|代理人|签字人|被保险人|"
    "投保人|抵押人|出质人|审批人|复核人|债务人|户主|账户名|姓名|户名(?![单册])|客户|配偶|本人|我叫|名叫|"
    "致|尊敬的|业主|柜员|股东|员工|同事|家属|儿子|女儿|丈夫|妻子|母亲|父亲|自称|名为|叫作|陪同人|"
    "姓名为|户名为|签收人|收件人|寄件人|代办人|领取人|紧急联系人|联系了|通知了|转账给|汇款给|转给|汇给|支付给|"
    "委托(?:代表)?|陪同|投诉人|举报人|来访人|申索人|被申索人|答辩人|汇款人名称|收款人名称|账户名称|Name|name|"
    # a real name after a nickname (实名李鹏), a group's leader (领队饶淑兰), a shop's bookkeeper
    # (账房许美兰)
    "实名|领队|账房|"
    # a signatory (授权代表：高阳: the longer cue first, 授权 alone would leave 代表 as the name)
    "租用人|兹授权|授权代表|授权|"
    "住户|租户|保安(?<!确保安)|坐席|客服|工作人员|助理|来电(?=[：:])|"
    # a job or an office that only a person holds (会计主管温丽, 理事长陈云, 出纳包淑珍)
    "主管|理事长|监事长|秘书长|出纳|翻译员|实际控制人|院长|负责人|专员|讲师|店主|组长|财务(?![部处科室中])|"
    # a supervisor, a coach and an inspector (监事汪洋, 带队教练陈云, 质检员高阳); not the board
    # (监事会), a driving school's car (教练车)
    "监事(?![会长])|教练员|教练(?![车场员])|质检员|验货员|检验员|"
    # an adviser, a parents' representative, the legal officer (书法顾问路霞题写, 家长代表赵建于,
    # 法务 魏建平); not a consultancy's fee (顾问费) nor the legal department (法务部)
    "顾问(?![费团])|家长代表|法务(?![部处费])|"
    # who runs or holds a business or a trade (经营者门峰, 合伙人汪佳, 东主余雅雯, 渔民樊建国)
    "经营者|合伙人|承包人|东主|渔民|牧民|农民|队长|"
    # who learns a trade, serves or is the bank's counterpart (徒弟邱静宜, 新兵徐东, 对接人 A B)
    "徒弟|学徒|新兵|对接人|"
    # in-laws and uncles (孙媳邵阳, 他舅舅韩兵), a chamber's or an association's head (副会长周亮),
    # a landlord and a tenant (房东 A B)
    "孙媳|儿媳|女婿|弟媳|嫂子|姐夫|妹夫|舅舅|舅妈|姑父|叔叔|婶婶|伯父|伯母|姨父|会长|房东|租客|房客|"
    # someone called, known, reached or renamed (一个叫刘丽华的人, 你认识马建国吗, 更正为蒋兵)
    "一个叫|储户|认识|联系上了|更正为|"
    # a trade's title ending in 师 (退休教师王英, 机电工程师蒋畅), a master of a trade (裁缝师傅陈建成;
    # not 由其他师傅施作: any other master)
    "教师|工程师|设计师|会计师|医师|师傅(?<!其他师傅)(?<!其它师傅)|"
    # any craft's master of two characters and 师 (根雕师胡莹于, 篆刻师彭佳；), a tutor (导师王进财);
    # not a teacher's or a lawyer's title after a name (韩老师, 王律师), a master's title or kin
    # (师傅, 师兄), a head chef (厨师长), "studied under" (赵东师从)
    # nor a kin's or a person's word before a name led by 师 (其妻子师宁); 师 is read first (a
    # pattern that opens on any Chinese character would try every one)
    "师(?<=[\u4e00-\u9fff]{2}师)(?<![老律医厨牧法教技讲导大名恩军祖宗禅子夫人员母父友兄弟姐妹]师)"
    "(?![傅们兄弟姐妹父母生范长从])|导师|"
    # who handles a case, is investigated, won a prize, is on a team or shares a flat
    # (处理人文丹, 被调查人马红梅, 一等奖获得者柯世明, 团队成员左想, 合租的马丽丽)
    "处理人|被调查人|获得者|获奖者|中奖者|团队成员|小组成员|合租的|"
    # a collector or a trader bought from, a notary, an old spouse, someone called, a director,
    # the one hailed on the phone (藏家施美凤, 公证员 储成, 老伴吕柳, 有个叫张飞的人, 制片主任时萍, 喂，冶莹，)
    "藏家|卖家|买家|买方|卖方|公证员|老伴|有个叫|那个叫|主任|喂，|作者(?=[：:])|"
    # who a receipt is from, a streamer's assistant, our firm's person, who handled a form
    # (兹收到　林家荣　信士, 助播农超, 我司黄红梅、, 经办：王想（外贸二部）), who checked or
    # approved it (复核：林品睿, 審批：王芳)
    "兹收到|助播|主播|我司|经办(?=[：:])|复核(?=[：:])|覆核(?=[：:])|审核(?=[：:])|审批(?=[：:])|"
    # a relative of the person just named (其父韩洋, 其女章洋, 他爱人张帆)
    "其(?:父|母|妻|夫|子|女|姐|妹|兄|弟|哥|嫂)(?![亲子女士弟妹哥姐])|爱人|姐姐|妹妹|哥哥|弟弟|"
    "胞弟|胞妹|胞兄|胞姐|堂兄|堂弟|堂姐|堂妹|朋友|同学|室友|表姐|表哥|表弟|表妹|之子|之女|未婚夫|未婚妻|"
    "孙子|孙女|外孙|外孙女|侄子|侄女|外甥|外甥女|前夫|前妻|亡夫|亡妻|"
    # a spouse as the speaker names them (我先生施美凤在联络, 我老公李雷), or as a note does
    # (其太太胡兵也想开户), and an e-mail's sender (发件人显示为 A B)
    "我先生|我太太|我老公|我老婆|其太太|其先生|其老公|发件人显示为|发件人|"
    # a job that heads a name (支行行长郝红梅, 办公室主任王芳); not 经理 (大堂经理邢彬拾得:
    # the segmenter glues a verb on, and 经理 Lobby Manager is a job's English name)
    "行长|主任|科长|处长|部长|总监|司机|实习生|学生|"
    "校长|园长|馆长|站长|店长|厂长|村长|社长|团长|"
    # who holds, guards or is to be reached (持牌人高淑珍, 被监护人石玉兰, 联络人石正雄)
    "持牌人|监护人|被监护人|联络人|"
    # a party's relative (丙方之兄鄭靜宜), a contract's party with its role (甲方（院友）：許承恩)
    "之(?:兄|弟|姐|妹|夫|妻|父|母)|"
    "甲方(?:[（(][^）)\n]{1,12}[）)])?(?=[:：])|乙方(?:[（(][^）)\n]{1,12}[）)])?(?=[:：])|"
    "丙方(?:[（(][^）)\n]{1,12}[）)])?(?=[:：])|丁方(?:[（(][^）)\n]{1,12}[）)])?(?=[:：])|"
    # a parent in a class's list (学员吕桂花／家长王英／), the front desk and its cashier (前台行政成莹,
    # 前台收银钱佳), a technician
    # (上门技师成莹), a president (副总裁 吴建华：), a loss adjuster (查勘员鲁欢), a consumer
    # officer and a side's representative (消保官陳正雄, 被申訴人代表：陳苡晴), a receipt's payer
    # (今收到钟建平交来), an optometrist (驗光師鍾政宏執行), a refund's payee (原路退还吴建华；); not a
    # parents' meeting or group (家长会, 家长群), a technician's grade (技师证), the desk as a
    # place (在前台盖章)
    "家长(?![会们群委签意代]|付款)|前台(?<![在到去至于从]前台)(?:行政|收银)?|技师(?![证节级])|总裁|查勘员|消保官|代表(?=[：:])|今收到|"
    "验光师|原路退还|"
    # who received flowers or goods (收花人易英表示), a customer (顾客花红梅（), a trade ending in
    # 师 (美甲師蘇月英表示), a vice-president (销售副总 李宁；)
    "收花人|收货人|提货人|顾客(?![们群])|美甲师|美容师|理发师|按摩师|推拿师|副总(?![裁经监])|"
    # more trades and posts (侍酒師胡秀美、, 驻场兽医魏东11月, 锁匠吴健在, 值班船长阳建国在, 区域督导
    # 田洋确认, 马工张旭反映, 调度员余洋参加); not their station, room or team (兽医站, 督导组)
    "侍酒师|兽医(?![站院室科学])|锁匠(?![们铺店])|船长(?![室们])|督导(?![组员们工检])|"
    "马工(?![们资])|调度员(?![们岗])|"
    # a belayer, a tea master, a salesman, a team member, a letter's addressee (保护员张淑珍操作,
    # 茶艺师王平当面, 业务员元畅自, 队员王平。, 受文者：紀文彬 先生)
    "保护员|茶艺师|业务员(?![们岗])|队员(?:代表)?(?![们])|受文者|"
    # a tattooist, a dog trainer, an assessor, a planner, a consumer protection officer, a
    # building's steward (纹身师唐玲为, 训犬师韦慧所设, 鉴定员赫洋意见, 婚礼策划师（见证）：余兵,
    # 消费者保护官何明珠, 物业管家见证：李宁); not a planner's office or an officer's post
    "纹身师|训犬师|鉴定员(?![们岗])|策划师|保护官|物业管家(?:见证)?|"
    # a photographer, a weighbridge clerk, a studio's owner (摄影师赖建华执镜, 过磅员王英,
    # 主理人：严建国), and a Chinese name after an English greeting (Dear 夏冬梅,)
    "摄影师(?![们团])|过磅员|主理人|Dear(?<![A-Za-z]Dear)(?=[ ][\u4e00-\u9fff])|"
    # who took a record's or minutes' notes (记录：钱建军, 紀錄：莊進財, read as 纪录; 记录 Minutes：
    # 易桂花, 纪要整理：逯想)
    "记录(?:[ ]Minutes(?:[ ]by)?)?(?=[：:])|纪录(?:[ ]Minutes(?:[ ]by)?)?(?=[：:])|整理(?=[：:])|"
    # an editor, a drone pilot, an insurer's claims handler, a case officer (后期剪辑师蒋瑞,
    # 飞手崔丹丹, 理赔员丁建军见证, 承办人方建中)
    "剪辑师|飞手(?![们])|理赔员|承办人|"
    # an eyebrow tattooist, a loss assessor, a doctor, a tester, a lifeguard, a scorer, a
    # referee, a committee's member, a safety officer, a guesthouse's steward, a shop's or a
    # pond's owner, a car's owner (纹绣师郑玉兰，, 保险公估人祁玉兰（, 宠物医生宾磊出具, 检测员黄阳
    # 现场, 救生员：, 记分员管兵、, 裁判长刘冬梅, 调解委员粘静怡于, 场地安全员管兵当即, 民宿管家林淑惠,
    # 钓场老板葛建军与, 致：车主杨秀兰); not a team, a station or a post of theirs (检测站, 安全员岗),
    # a doctor's advice (医生建议), a committee (委员会), a butler's service (管家式), the boss's
    # wife (老板娘)
    "纹绣师|公估人|医生(?<!主治医生)(?![们站院室护建说])|检测员(?![们岗站])|救生员(?![们岗])|"
    "记分员|裁判长|委员(?![会长们])|安全员(?![们岗])|管家(?<!物业管家)(?![式服们婆])|"
    "老板(?<!大老板)(?![娘们])|车主(?![们群卡])|"
    # an optometrist, a restorer, an ear cleaner, a fitter (视光师洪海燕负责, 修复师张红，, 采耳师
    # 高波（, 安装工曾淑英和)
    "视光师|修复师|采耳师|安装工(?![们程具])|"
    # a leather carer, an appraiser, a photo retoucher, a venue's keeper (皮具护理师李淑珍；,
    # 品牌鉴定师戴凯（, 修图师任文因, 场馆管理员项雪在)
    "护理师|鉴定师|修图师|管理员(?![们岗])|"
    # a figure's sculptor and painter, an assessor, a farm's, an orchard's or a hall's owner, a
    # committee's clerk (原型师钟畅；, 涂装师赵健；, 保险公估师韩阳（, 场主官杨, 园主张兵、,
    # 消費者委員會職員王建中（)
    "原型师|涂装师|公估师|场主|园主|馆主|职员(?![们工])|"
    # a campsite's owner, a show's producer, who witnessed (營主：林政宏, 演出制作人龙玉珍于,
    # 监管部门见证：秦阳); not a production crew (制作人员)
    "营主|制作人(?![员们])|见证(?=[：:])|"
    # a bartender, a police officer, a leather carver (调酒师牟建国则, 社区民警周晨于, 皮雕师王龙；);
    # not the officers (民警们)
    "调酒师|民警(?![们])|皮雕师|泥塑师|设计师(?![们])|"
    # a stone carver, a tuner, a keeper, an angler friend, a farm's head (核雕师龙淑英；, 调音师金利,
    # 饲养员陈想立即, 同行钓友成畅将, 场长：成畅, 当班店员蒋想，), a piano tuner, a lab analyst, a
    # craftsman, an embroiderer (调律师杨建华, 化验员黄东, 匠人黄东, 繡娘羅雅婷); not a market's or a
    # square's long (市场长期, 广场长廊)
    "核雕师|调音师|调律师|化验员(?![们])|匠人(?![们])|绣娘(?![们])|饲养员(?![们])|店员(?![们])|钓友(?![们])|"
    "场长(?<![市广商现会剧赛球机农]场长)|"
    # a farmer, a church's organist, elder and pastor, a technician, a party's representative
    # (养殖户王平说明, 司琴尤淑芬, 长老张淑惠、, 牧师何碧云, 平台技术员董想完成, 代表人：何碧云); not a
    # firm's piano room (公司琴房), a Presbyterian church (长老会, 长老教会), technicians' posts
    "养殖户|司琴(?<!公司琴)|长老(?![会教们])|牧师(?![们])|技术员(?![们岗])|代表人|"
    # a boarder, a firm's on-site representative, an award's presenter, a courier, a friend, a
    # certified craftsman, a teaching assistant, a supervising teacher (寄养人李想告知, 驻场代表
    # 曾丽丽共同, 颁奖人马倩）, 快递员程海燕派送, 友人杨淑华亦, 技术士王承恩评估, 助教黄家荣搬移,
    # 指导老师应欢与); not couriers or friends (快递员们, 友人们)
    "寄养人|驻场代表|颁奖人|快递员(?![们])|友人(?![们])|技术士|助教(?![们])|指导老师|"
    # a wedding's bride, groom and their attendants, a family member, a community's full-time
    # cadre and grid worker, a team's representative, an appraiser, an appointed representative
    # (新娘陈东及伴娘秦桂荣, 您的家人白玉。, 文体专干陈东（, 网格员周建平共同, 鉴定专家江永昌
    # 指出; 队员代表白玉与 and 委托代表刘政宏。 above, after 队员 and 委托); not families (家人们)
    "新娘|伴娘|新郎|伴郎|家人(?![们])|专干|网格员|鉴定专家|"
    # a craft's inheritor, an acceptance inspector, a stage manager, a school nurse, a domestic
    # helper, a neighbour, a quality controller, a forwarder's operator (傩面雕刻传承人甘晶到场,
    # 验收员黄龙发现, 舞台监督程建军与, 保健老师傅冬梅提供, 家佣杨丽卿及邻居林子豪, 品管欧阳鹏均,
    # 货代操作程建军 to book); not the inheritors (传承人们)
    "传承人(?![们])|验收员|舞台监督|保健老师|家佣|邻居(?![们])|品管|货代操作|"
    # a relative in English before a Chinese name (her sister 钱雷)
) + _led("sister brother wife husband mother father son daughter spouse", not_after="[A-Za-z]")
#: An English form's labels, and a caller or a client with a space, before a Chinese name only
#: (Customer: 韩洋, Caller 郑柳; English names after them are ``names_en``'s, which tells a name
#: from ``Client: Term Deposit Renewal``).
EN_LABEL_CUES = "|".join(
    (
        _led(
            "Customer Client Applicant Borrower Payee Payer Cardholder Beneficiary Contact "
            "Contacts contact contacts Buyer Seller Creditor Debtor Reviewer Approver Checker "
            "Maker Handler Officer Judge Examiner examiner Interpreter Guardian",
            then="(?=[ ]?[:：])",
        ),
        # a bilingual form's field for the Chinese name (Name (Chinese): 李东)
        "Name[ ]?[（(](?:[Cc]hinese|中文)[）)](?=[ ]?[:：])",
        # an e-mail's header before a Chinese display name (From: 兰洋 <a@b.org>)
        _led("From To Cc", then="(?=[ ]?[:：])"),
        _led("Caller caller Customer customer Client client", "[A-Za-z]", "(?=[ ][\u4e00-\u9fff])"),
    )
)
#: Titles a Chinese name stands before (先生, 女士, 经理 ...), used by ``names``; not 女士 that
#: says whom goods are for (真人发全手织女士假发: ladies' wigs).
SUFFIX_CUES = (
    "先生|女士(?!假发|内衣|服装|香水|手表|皮鞋|外套|大衣|用品|专用|款)|小姐|同志|总经理|董事长|经理|总监|主任|老师|阿姨|师傅|律师|医生|行长|处长|科长|"
    "太太|夫人|会计|出纳|教授|博士|妈妈|爸爸|同学|老人|信士|信女|居士|教练|牧师|"
    # a pupil's parent, as a school's letter addresses them (高婷婷家长：), and whose mother or
    # father someone is (学员黄建军之母)
    "家长(?=[：:])|团长(?=[：:])|之母|之父|"
    # a school's student, as its letter addresses them (方淑英学员（身份证号：...）：)
    "学员"
)
_ZH_STRONG_CUES = (
    "我叫|他叫|她叫|我是|名叫|叫做|叫作|改名为|更名为|改名叫|原名|曾用名|亲爱的|收款方|付款方|收款人|付款人|"
    "户名(?![单册])|姓名|持卡人|申请人|借款人|联系人|客户|本人|法定代表人|经办人|签字人|用户(?=[：:\s】])|实际控制人|"
    "债务人|被保险人|投保人|产权人|共有人|领款人|汇款人|担保人|受益所有人|受益人|员工|受害人|受托人|委托人|"
    "继承人|被继承人|已故客户|共同还款人|共同借款人|监护人|代理人|户主|抵押人|出质人|保证人|见证人|"
    "证明人|签署人|审核人|复核人|审批人|记录人|调查人|编制人|制表人|"
    "出租人|承租人|买受人|出卖人|购房人|还款人|收件人|寄件人|被执行人|立同意书人|缴存人|纳税人|股东|"
    # a signature's field, a note in brackets allowed before its colon (签字（盖章）：), and a
    # buyer's confirmation (买家确认：刘想)
    "兹证明|兹有|(?:签字|签名|签署|签章|确认(?<=[家户方人]确认))"
    "(?=[）)]?[：:]|[（(][\u4e00-\u9fff]{1,6}[）)][：:])|"
    "学生|独居老人|老人|报案人|来电人|当事人|原告|被告|证人|女方|男方|村民|租客|房东|调解员|会计|出纳|律师"
)
# A lookahead, so that a cue inside another cue's reach (客户：我叫...) is tried too.
#: Titles that follow a cue as a word of their own (客户经理, 客户主管), never a name.
_TITLE_WORDS = ("经理", "主管", "主任", "专员", "经办", "代表")
#: Particles that end a spoken sentence, never part of a name.
_SPEECH_PARTICLES = frozenset("了吗呢吧啊呀嘛哦")
#: What ends a cued name: particles and verbs, but 想 (李想).
_CUT = ZH_STOP - {"想"}
_ZH_CUED = guarded(
    # a bilingual form's English label may stand between (申请人 Applicant：毕红梅)
    # a numbered party (受益所有人 1：) or a chat's bracketed speaker (【用户】) too
    # a field word (汇款人名称：, 股东姓名：) or an ordinal (股东一：) may follow the role
    rf"(?=(?:{_ZH_STRONG_CUES})(?:名称|姓名|全称|[一二三四五六七八九十])?"
    rf"(?:[ ]?[A-Z][A-Za-z]*(?:[ ][A-Za-z]+){{0,2}})?(?:[ ]?\d{{1,2}})?"
    # a party's role in brackets (乙方（借款人）：) closes before the colon; a qualifier in
    # brackets may follow the role (抵押人（车主） 朱红，)
    r"(?:[（(][\u4e00-\u9fff]{1,10}[）)])?"
    # a table's cell border too (| 姓名 | 潘畅 |)
    r"(?:[】）)：:\s]{0,2}|[ \t]?[|｜][ \t]?)"
    r"(?P<name>[\u4e00-\u9fff]{2,4}?)"
    # or 于 before a time (持卡人管丽丽于7月8日)
    r"(?:[，。、；：！？,.;:!?）)\s（(]|$|于(?=\d|[一二三四五六七八九十]|[今昨前去本近当同])"
    # or a reporting verb (租客唐洋称, 房东马涛拒不退还), 与/及 before a second person
    # (客户武东与杜飞), 的 before what is theirs (女方熊建平的借记卡), or what they reported
    # or asked (来电人秦柳反映, 受款学生刘明哲至今)
    r"|称|表示|拒不|现场|与|及|的(?=[\u4e00-\u9fff])|反映|介绍|认为|要求|提出|至今|名下))"
    # the cue's first character, taken so that the match is not empty: the search then skips
    # to the characters a cue starts with (the next match may start at the next character)
    r"(?s:.)"
)
#: A name a line opens with, greeting the reader (张伟您好). Apart from ``_ZH_CUED``, so that a
#: text without 您好 or 你好 is not scanned for it.
_ZH_GREETED = guarded(r"^(?P<greeted>[\u4e00-\u9fff]{2,3}?)(?:您好|你好)", re.MULTILINE)
#: A relative named before what they said or did (其母张欢称, 其妻李秀英表示): the relation
#: bounds the name on the left, a reporting verb or punctuation on the right.
_ZH_RELATIVE = guarded(
    r"(?:其|他的|她的|借款人的|客户的)(?:母亲?|父亲?|妻子?|丈夫|儿子|女儿|哥哥|弟弟|姐姐|妹妹|配偶)"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?:称|说|表示|承诺|同意|确认|在场|签字|代为|接听|[，。、；,;])"
)
#: A Chinese name alone on the line after an English letter's closing (``Best regards,`` then
#: ``鄞淑娟``).
_ZH_SIGNED = guarded(
    r"^[ \t]*(?i:best regards|kind regards|warm regards|regards|yours sincerely|sincerely|"
    r"yours faithfully|best wishes|many thanks|thanks|cheers)[,!.]?[ \t]*\n[ \t]*"
    r"(?P<name>[\u4e00-\u9fff]{2,4})[ \t]*$",
    re.MULTILINE,
)
#: A name written after a signature's blank (``申请人签字：______________ 何海燕        日期：``,
#: ``被保险人（签字并按手印）：______  黄东``): before the line's end, a column gap or a bar.
_ZH_ON_BLANK = guarded(
    r"_{3,}[ \t]*(?P<name>[\u4e00-\u9fff]{2,4}?)(?=[ \t]*(?:\n|$)|[ \t]{2,}|[ \t]*[|｜])"
)
#: The subject of a certificate or a unit's letter (兹证明王柳系我公司员工, 兹证明X与Y系母子关系,
#: 兹有我单位职工张宁因...): the verb or conjunction after the name bounds it.
_ZH_CERTIFIED = guarded(
    r"(?:兹证明|兹有(?:我单位|我公司|我司|本单位)?(?:职工|员工|学生|同志)?)"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?:系|与|因|为|于|同志|[（(，,])"
    r"|与(?P<second>[\u4e00-\u9fff]{2,3}?)[（(][^（()）\n]{0,30}[）)]系"
)
#: A full name with the formal 君 of letters and notices, at a line's or a clause's start
#: (林美凤君于民国一一三年间...): the family name alone (诸君) is no one's name.
_ZH_HONOURED = guarded(
    r"(?:^|(?<=[，。、；：！？,.;:!?\s）)]))(?P<name>[\u4e00-\u9fff]{2,3}?)君(?=[于於在向与自已曾])"
    # an envelope's or a bill's addressee: ``黃承恩 君 收``, ``王伟先生 收``
    r"|(?m:^)[ \t]*(?P<addressee>[\u4e00-\u9fff]{2,3}?)[ ]?(?:君|先生|女士|小姐)[ ]?[收启啟鈞钧]"
)
#: A strong cue that ends right before a position (持卡人|管丽丽).
_CUE_ENDS = guarded(rf"(?:{_ZH_STRONG_CUES})(?:名称|姓名|全称)?[】）)：:\s]{{0,2}}$")


#: Family names that are also function words and common family names: right after a strong
#: cue they start a name (持卡人管丽丽), elsewhere they may not (妻子和两个孩子, 用户名和口令; 部长来东滩).
_CUED_SURNAMES = frozenset("相时管查于") | FIELD_SURNAMES


#: Any cue, a prefix cue (柜员) or a strong one (户名), that ends right before a position.
_ANY_CUE_ENDS = guarded(rf"(?:{PREFIX_CUES}|{_ZH_STRONG_CUES})[\s:：=为是（(]{{0,2}}$")


def cue_before(text: str, start: int) -> bool:
    """Whether any cue (``柜员``, ``户名（``) ends right before ``start``."""
    return _ANY_CUE_ENDS.search(text, max(0, start - 12), start) is not None


def strong_cue_before(text: str, start: int) -> bool:
    """Whether a strong cue (``持卡人``, ``收款人：``) ends right before ``start``."""
    return _CUE_ENDS.search(text, max(0, start - 10), start) is not None


def after_strong_cue(text: str, start: int) -> bool:
    """Whether one of ``_CUED_SURNAMES`` starts a name at ``start`` right after a strong cue."""
    return text[start : start + 1] in _CUED_SURNAMES and strong_cue_before(text, start)


#: The end of a field a name fills: punctuation, a bracket, a bar, a space, a speaker's colon
#: or the text's end.
_FIELD_END = guarded(r"[，,。；;、（(）)|｜\s]|$|(?<![人员方])[：:](?!\d)")


def cued_in_field(text: str, start: int, end: int) -> bool:
    """Whether one of ``_CUED_SURNAMES`` starts the name ``start``-``end`` right after any cue,
    the field's end after it (记分员管兵、, 安装师傅管兵 at a line's end): the cue bounds it on the
    left and the field on the right, so it is no function word (not 经理和客户见面)."""
    return (
        text[start : start + 1] in _CUED_SURNAMES
        and _FIELD_END.match(text, end) is not None
        and cue_before(text, start)
    )


#: The next name of a list that a cued name starts (``产权人：王俊、赵东（共有）``).
_ZH_LIST_NEXT = guarded(
    r"、(?P<name>[\u4e00-\u9fff]{2,3}?)"
    r"(?=[，。、；：！？,.;:!?）)\s（(]|$|了解|反映|介绍|表示|称|说|等人|等)"
)
_ZH_TOGETHER = guarded(
    r"(?:与|和|跟|同)(?P<a>[\u4e00-\u9fff]{2,3}?)(?:两人|二人|两个人|一起|共同)"
    r"|(?P<b>[\u4e00-\u9fff]{2,3}?)(?:和|与|跟|、)(?P<c>[\u4e00-\u9fff]{2,3}?)"
    r"(?:两人|二人|两个人|一起|夫妇|夫妻)"
)
#: A list's line that starts with a name and its contact or ID field (``吴建国，手机134...``).
_ZH_CONTACT_LINE = guarded(
    r"(?m:^)[ \t]*(?P<name>[\u4e00-\u9fff]{2,3}?)[，,][ ]?"
    r"(?:手机|电话|联系电话|身份证|身份证号|证件号|卡号)"
)
#: A person of a body copied in, after the body's name and a space, a bracket or the field's end
#: after them (``抄送：鼓楼区消费者协会 李强（投诉编号``).
_ZH_OF_BODY = guarded(
    r"(?:协会|委员会|公司|局|所|中心)[ ](?P<name>[\u4e00-\u9fff]{2,3}?)(?=[（(，,、；;]|[ \t]*(?:\n|$))"
)
#: A name the person's own action follows (孙桂花本人接听, 王磊本人签字): 本人 + a verb, after
#: punctuation, a space or a line start, so the span starts with the name.
_ZH_SELF = guarded(
    r"(?:^|(?<=[，。、；：！？,.;:!?\s）)]))(?P<self>[\u4e00-\u9fff]{2,3}?)本人"
    r"(?:接听|签字|签收|签名|到场|到柜|办理|来电|来行|确认|亲自|同意|申请|持证)"
)
#: Placeholder names in Chinese forms and examples, like "John Doe".
_ZH_PLACEHOLDERS = guarded(
    # Not the tail of a word: 主张三年, 扩张三倍, 国王五世, 行李四件.
    r"(?<![主扩紧开夸嚣慌伸声乖铺帝国霸君亲大行桃])"
    r"(?:张三|李四|王五|赵六|钱七|孙八|周九|吴十|王小明|李小红)(?![年倍世件点个次天月号元万])"
)


def _cued_and_greeted(text: str) -> list[re.Match[str]]:
    """The matches of ``_ZH_CUED`` and ``_ZH_GREETED`` in order, as one pattern of the two as
    alternatives would find them: a greeting's line start after a cue at the same place, and
    no cue strictly inside a greeting (its characters are taken)."""
    cued = list(_ZH_CUED.finditer(text))
    if "您好" not in text and "你好" not in text:
        return cued
    greeted = list(_ZH_GREETED.finditer(text))
    if not greeted:
        return cued
    kept = [m for m in cued if not any(g.start() < m.start() < g.end() for g in greeted)]
    return sorted(kept + greeted, key=lambda m: (m.start(), m.re is _ZH_GREETED))


def find_zh_cued(text: str, surname_len: Callable[[str, int], int]) -> list[Entity]:
    """Chinese names after strong cues, in "together" phrases, and placeholder names."""
    out: list[Entity] = []

    def add(start: int, name: str) -> None:
        sl = surname_len(text, start)
        # a sentence's particle ends speech, never a name (客户：明白了，)
        # a title right after the cue is no name (客户经理曾于: 经 is a family name too)
        if (
            sl
            and 1 <= len(name) - sl <= 2
            and not _SPEECH_PARTICLES.intersection(name)
            # a particle or a verb right after the family name: the cue stood inside a word
            # (客户主任已於: 户主 read in 客户主任)
            and name[sl : sl + 1] not in _CUT
            and not name.startswith(_TITLE_WORDS)
            # 来 ("comes") and 位 (a measure word) after a cue are no family name (老人来网点,
            # 客户来柜, 客户位于) unless a field bounds the name (店长：来秀英，, 家长位淑英（)
            and (name[:1] not in FIELD_SURNAMES or cued_in_field(text, start, start + len(name)))
        ):
            out.append(Entity(start, start + len(name), "NAME"))

    for m in _cued_and_greeted(text):
        key = "name" if m.re is _ZH_CUED else "greeted"
        add(m.start(key), m.group(key))
        end = m.end(key)
        while key == "name" and out and out[-1].end == end:
            following = _ZH_LIST_NEXT.match(text, end)
            if following is None:
                break
            add(following.start("name"), following.group("name"))
            end = following.end("name")
    for m in scan(_ZH_TOGETHER, text):
        for g in ("a", "b", "c"):
            if m.group(g):
                add(m.start(g), m.group(g))
    for m in _ZH_RELATIVE.finditer(text):
        add(m.start("name"), m.group("name"))
    for m in at_line_starts(_ZH_SIGNED, text) if "\n" in text and has_latin(text) else ():
        add(m.start("name"), m.group("name"))
    for m in _ZH_ON_BLANK.finditer(text) if "___" in text else ():
        add(m.start("name"), m.group("name"))
    for m in scan(_ZH_HONOURED, text):
        key = "name" if m.group("name") else "addressee"
        add(m.start(key), m.group(key))
    for m in scan(_ZH_CERTIFIED, text):
        key = "name" if m.group("name") else "second"
        add(m.start(key), m.group(key))
    for m in scan(_ZH_SELF, text):
        add(m.start("self"), m.group("self"))
    for m in scan(_ZH_CONTACT_LINE, text):
        add(m.start("name"), m.group("name"))
    for m in _ZH_OF_BODY.finditer(text) if " " in text else ():
        add(m.start("name"), m.group("name"))
    for m in _ZH_PLACEHOLDERS.finditer(text):
        out.append(Entity(m.start(), m.end(), "NAME"))
    return out

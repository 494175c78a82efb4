"""Generate the labelled PII evaluation set under tests/data/pii/.

Bank-style documents in Chinese and English (call transcripts, loan notes, transfer
instructions, KYC notes, complaint records) are built from templates whose slots are filled with
synthetic values. Every identifier is generated, never copied: check digits are computed with
python-stdnum (resident ID numbers: ``stdnum.cn.ric``; social credit codes: ``stdnum.cn.uscc``;
card numbers: ``stdnum.luhn``; IBANs: ``stdnum.iban``). Slot values carry their entity type and
character offsets, so the labels are exact by construction.

Hard negatives are slots that look like identifiers but are not personal data and carry no
label: amounts, order and transaction numbers, dates and times, ISBNs, version numbers, postal
codes, bank hotlines, and resident ID / card / IBAN numbers with a wrong check digit. Some
family-name characters also appear inside ordinary words (黄金, 高新, 平安) as negatives.

Usage: python scripts/make_pii_set.py [--seed 7] [--out tests/data/pii/labelled.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cn import ric, uscc

R = random.Random()

# --------------------------------------------------------------------------- values

_AREAS = (
    "110101 110105 110108 120101 130102 140105 150102 210102 220102 230103 310101 310104 "
    "310115 320102 320505 330106 330212 340104 350203 360102 370102 370212 410105 420106 "
    "430104 440104 440305 440606 450103 460105 500103 510107 520102 530102 610113 620102 "
    "630102 640104 650102"
).split()
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容"]
# Given-name characters: common ones, and some rarer ones the detector's list does not hold.
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红文辉建国志宇浩鹏晨欣怡婷雪琳萍燕莉梅玲丹倩颖慧佳嘉俊峰波斌宁凯亮飞鑫龙云海林晶洁琴翠凤荣清春子梓轩涵萱瑶悦彤雨欢阳博睿哲思诗语馨琪璐蕾薇菲瑜妍然卓越航鸿毅铭健康宏胜利成新永福安祥瑞德学良贵才彬松柏森楠枫竹梦晓立正天元宝珍翔昊泽瀚霖逸凡帆锋坤"
_GIVEN_RARE = "弈蔺璟珩骁翊芮棠柘铎彧昶湉樾筠淇钰琬"
_EN_FIRST = (
    "James John Robert Michael David Richard Thomas Daniel Matthew Andrew Peter George Edward "
    "Oliver Harry Mary Jennifer Linda Elizabeth Sarah Emily Laura Rachel Hannah Sophie Chloe "
    "Grace Olivia Emma Claire Fiona Alison Nathaniel Imogen Declan Rowan Priscilla Cormac Tobias"
).split()
_EN_LAST = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore Martin "
    "Thompson White Harris Clark Lewis Walker Hall Young King Wright Hughes Evans Roberts Turner "
    "Fitzgerald Okafor Lindqvist Kowalski Delacroix Abernathy Whitfield Castellano"
).split()
_PINYIN_LAST = "Wang Li Zhang Liu Chen Yang Huang Zhao Zhou Wu Xu Sun Hu Zhu Gao Lin Guo".split()
_PINYIN_GIVEN = "Wei Fang Na Min Jing Lei Jun Yang Jie Tao Ming Chao Xiuying Xiaoming Jianguo Haiyan Yuqing Zihan".split()

_PROVINCES = [
    ("广东省", ["广州市", "深圳市", "佛山市"]),
    ("浙江省", ["杭州市", "宁波市"]),
    ("江苏省", ["南京市", "苏州市"]),
    ("四川省", ["成都市"]),
    ("湖北省", ["武汉市"]),
    ("山东省", ["济南市", "青岛市"]),
    ("福建省", ["厦门市", "福州市"]),
]
_MUNICIPALITIES = ["北京市", "上海市", "天津市", "重庆市"]
_DISTRICTS = [
    "朝阳区",
    "海淀区",
    "浦东新区",
    "南山区",
    "福田区",
    "天河区",
    "西湖区",
    "鼓楼区",
    "武侯区",
    "江汉区",
    "思明区",
    "历下区",
    "徐汇区",
    "渝中区",
]
_ROADS = [
    "建国路",
    "人民路",
    "中山路",
    "解放大道",
    "科技园路",
    "长安街",
    "南京东路",
    "滨江大道",
    "文一西路",
    "天府大道",
    "深南大道",
    "淮海中路",
    "金融街",
    "复兴路",
]
_COMPLEX = ["阳光花园", "金地广场", "世纪大厦", "碧水苑", "万科城", "华润中心", "翠湖小区", ""]
_EN_STREETS = [
    "Baker Street",
    "High Street",
    "Queen's Road",
    "King Street",
    "Oxford Road",
    "Maple Avenue",
    "Elm Street",
    "Park Lane",
    "Victoria Road",
    "Church Lane",
    "Nathan Road",
    "Harbour Drive",
]
_EN_CITIES = [
    ("London", "NW1 6XE"),
    ("Manchester", "M1 2AB"),
    ("Leeds", "LS1 4AP"),
    ("New York, NY", "10001"),
    ("Boston, MA", "02108"),
    ("Chicago, IL", "60601"),
]

_IBAN_FORMATS = {  # country → BBAN layout (n: digit, a: upper letter, c: alphanumeric)
    "GB": "aaaa" + "n" * 14,
    "DE": "n" * 18,
    "NL": "aaaa" + "n" * 10,
    "CH": "n" * 5 + "c" * 12,
    "AT": "n" * 16,
    "IE": "aaaa" + "n" * 14,
    "LU": "n" * 3 + "c" * 13,
    "DK": "n" * 14,
}
_BIC_BANKS = [
    "BKCH",
    "ICBK",
    "PCBC",
    "ABOC",
    "HSBC",
    "DEUT",
    "CITI",
    "BARC",
    "CHAS",
    "BNPA",
    "SCBL",
    "MIDL",
]
_BIC_COUNTRIES = ["CN", "HK", "GB", "DE", "US", "FR", "SG"]


def _digits(n: int) -> str:
    return "".join(R.choice(string.digits) for _ in range(n))


def _birth() -> str:
    return f"{R.randint(1950, 2004)}{R.randint(1, 12):02d}{R.randint(1, 28):02d}"


def id_card() -> str:
    if R.random() < 0.08:  # legacy 15-digit form: YYMMDD, no check digit
        b = _birth()
        return R.choice(_AREAS) + b[2:] + _digits(3)
    body = R.choice(_AREAS) + _birth() + _digits(3)
    value = body + ric.calc_check_digit(body + "0")
    if value.endswith("X") and R.random() < 0.3:
        value = value[:-1] + "x"
    if R.random() < 0.1:
        value = f"{value[:6]} {value[6:14]} {value[14:]}"
    return value


def bad_id_card() -> str:
    body = R.choice(_AREAS) + _birth() + _digits(3)
    good = ric.calc_check_digit(body + "0")
    return body + R.choice([c for c in "0123456789X" if c != good])


def _card_digits() -> str:
    prefix, length = R.choice(
        [
            ("622202", 19),
            ("621700", 19),
            ("622848", 19),
            ("621661", 19),
            ("622588", 16),
            ("4", 16),
            ("5", 16),
            ("37", 15),
            ("6", 16),
        ]
    )
    body = prefix + _digits(length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def _group(value: str, sep: str) -> str:
    if len(value) == 15:
        return sep.join([value[:4], value[4:10], value[10:]])
    return sep.join(value[i : i + 4] for i in range(0, len(value), 4))


def bank_card() -> str:
    value = _card_digits()
    r = R.random()
    return _group(value, " ") if r < 0.35 else _group(value, "-") if r < 0.45 else value


def bad_bank_card() -> str:
    value = _card_digits()
    value = value[:-1] + str((int(value[-1]) + R.randint(1, 9)) % 10)
    return _group(value, " ") if R.random() < 0.4 else value


def bank_account() -> str:
    while True:
        value = R.choice(["1", "3", "4", "6", "0"]) + _digits(R.choice([11, 13, 15, 16, 18]))
        if not luhn.is_valid(value):
            break
    return f"{value[:4]}-{value[4:]}" if R.random() < 0.15 else value


def credit_code() -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = (
        R.choice(["91", "92", "93", "12", "52"])
        + R.choice(_AREAS)
        + "".join(R.choice(alphabet) for _ in range(9))
    )
    return body + uscc.calc_check_digit(body)


def _bban(layout: str) -> str:
    pools = {
        "n": string.digits,
        "a": string.ascii_uppercase,
        "c": string.ascii_uppercase + string.digits,
    }
    return "".join(R.choice(pools[c]) for c in layout)


def iban(valid: bool = True) -> str:
    while True:  # countries with a national check inside the BBAN need a few tries
        cc = R.choice(list(_IBAN_FORMATS))
        bban = _bban(_IBAN_FORMATS[cc])
        check = std_iban.calc_check_digits(cc + "00" + bban)
        if std_iban.is_valid(cc + check + bban):
            break
    if not valid:
        check = f"{(int(check) + R.randint(1, 50)) % 97 + 2:02d}"
    value = cc + check + bban
    if R.random() < 0.6:
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


def swift() -> str:
    code = (
        R.choice(_BIC_BANKS)
        + R.choice(_BIC_COUNTRIES)
        + R.choice(["BJ", "SH", "HH", "2L", "33", "FF", "22"])
    )
    return code + (R.choice(["XXX", "100", "SZN"]) if R.random() < 0.3 else "")


def cn_mobile() -> str:
    d = "1" + R.choice("3456789") + _digits(9)
    r = R.random()
    if r < 0.45:
        return d
    if r < 0.6:
        return f"{d[:3]}-{d[3:7]}-{d[7:]}"
    if r < 0.75:
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if r < 0.9:
        return f"+86 {d}" if R.random() < 0.5 else f"+86-{d[:3]}-{d[3:7]}-{d[7:]}"
    return f"+86{d}"


def cn_landline() -> str:
    area = R.choice(["010", "021", "020", "0755", "0571", "028", "027"])
    local = R.choice("2345678") + _digits(7 if len(area) == 3 else R.choice([6, 7]))
    r = R.random()
    return (
        f"{area}-{local}"
        if r < 0.6
        else f"({area}){local}"
        if r < 0.8
        else f"+86 {area[1:]} {local}"
    )


def intl_phone() -> str:
    return R.choice(
        [
            f"+44 20 7946 {_digits(4)}",
            f"+1 (212) 555-{_digits(4)}",
            f"+852 {R.choice('5689')}{_digits(3)} {_digits(4)}",
            f"+65 {R.choice('689')}{_digits(3)} {_digits(4)}",
            f"+49 30 {_digits(8)}",
            f"+1-415-555-{_digits(4)}",
            f"(617) 555-{_digits(4)}",
            f"+61 2 {_digits(4)} {_digits(4)}",
        ]
    )


def email(first: str = "", last: str = "") -> str:
    user = R.choice(
        [f"{first}.{last}", f"{first[:1]}{last}", f"{last}{_digits(2)}", f"{first}_{_digits(3)}"]
    ).lower()
    if not user.strip("._0123456789"):
        user = "client" + _digits(4)
    return f"{user}@{R.choice(['example.com', 'mail.example.cn', 'example.org', 'corp.example.net', 'qq.example.cn'])}"


def ip_address() -> str:
    if R.random() < 0.75:  # unicast: 1-223 except loopback
        first = R.choice([n for n in range(1, 224) if n != 127])
        return ".".join([str(first)] + [str(R.randint(0, 254)) for _ in range(3)])
    groups = [f"{R.randint(0, 0xFFFF):x}" for _ in range(8)]
    if R.random() < 0.5:
        return f"2001:db8::{groups[0]}:{groups[1]}"
    return ":".join(groups)


def passport() -> str:
    return R.choice(
        [
            f"E{_digits(8)}",
            f"E{R.choice('ABCDFGHJK')}{_digits(7)}",
            f"G{_digits(8)}",
            _digits(9),
            f"K{_digits(8)}",
        ]
    )


def zh_name() -> str:
    surname = R.choice(_COMPOUND) if R.random() < 0.06 else R.choice(_SURNAMES)
    pool = _GIVEN + (_GIVEN_RARE if R.random() < 0.25 else "")
    return surname + "".join(R.choice(pool) for _ in range(R.choice([1, 2, 2])))


def en_name() -> str:
    if R.random() < 0.25:
        return f"{R.choice(_PINYIN_LAST)} {R.choice(_PINYIN_GIVEN)}"
    return f"{R.choice(_EN_FIRST)} {R.choice(_EN_LAST)}"


def zh_address() -> str:
    if R.random() < 0.4:
        head = R.choice(_MUNICIPALITIES)
    else:
        prov, cities = R.choice(_PROVINCES)
        head = (prov if R.random() < 0.7 else "") + R.choice(cities)
    addr = head + R.choice(_DISTRICTS) + R.choice(_ROADS) + f"{R.randint(1, 999)}号"
    if R.random() < 0.6:
        addr += (
            R.choice(_COMPLEX)
            + f"{R.randint(1, 30)}栋{R.randint(1, 4)}单元{R.randint(101, 2808)}室"
        )
    return addr


def en_address() -> str:
    street = R.choice(_EN_STREETS)
    city, post = R.choice(_EN_CITIES)
    num = R.randint(1, 480)
    r = R.random()
    if r < 0.3:
        return f"Flat {R.randint(1, 40)}, {num} {street}, {city} {post}"
    if r < 0.6:
        return f"{num} {street}, {city} {post}"
    if r < 0.8:
        return f"{num} {street}, {city}"
    return f"No. {num} {R.choice(['Jianguo Road', 'Century Avenue', 'Nanjing Road', 'Zhongshan Road'])}, {R.choice(['Chaoyang District', 'Pudong New District', 'Tianhe District'])}, {R.choice(['Beijing', 'Shanghai', 'Guangzhou'])}"


def amount() -> str:
    return R.choice(
        [
            f"¥{R.randint(100, 999999):,}.{_digits(2)}",
            f"人民币{R.randint(1000, 9999999)}元",
            f"USD {R.randint(100, 99999):,}.00",
            f"{R.randint(1, 500)}万元",
            f"RMB {R.randint(10000, 99999999):,}",
            f"HKD {R.randint(100, 999999):,}.{_digits(2)}",
        ]
    )


def order_no() -> str:
    return R.choice(
        [
            f"20{R.randint(20, 25)}{R.randint(1, 12):02d}{R.randint(1, 28):02d}{_digits(10)}",
            f"HT-20{R.randint(20, 25)}-{_digits(5)}",
            f"TXN{_digits(12)}",
            f"{R.choice('89')}{_digits(15)}",
            f"PO{_digits(8)}",
        ]
    )


def date_time() -> str:
    y, m, d = R.randint(2019, 2025), R.randint(1, 12), R.randint(1, 28)
    return R.choice(
        [
            f"{y}-{m:02d}-{d:02d}",
            f"{y}年{m}月{d}日",
            f"{d:02d}/{m:02d}/{y}",
            f"{y}-{m:02d}-{d:02d} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}",
            f"{y}{m:02d}{d:02d}",
        ]
    )


def isbn() -> str:
    body = f"9787{R.randint(100, 999)}{_digits(5)}"
    total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(body))
    check = (10 - total % 10) % 10
    return f"ISBN 978-7-{body[4:7]}-{body[7:]}-{check}"


def misc_negative() -> str:
    return R.choice(
        [
            f"v{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 9)}.{R.randint(0, 99)}",
            f"邮编{R.choice(['100020', '200120', '518057'])}",
            R.choice(["95588", "95533", "400-820-8888", "10086"]),
            f"{R.randint(1, 99)}.{_digits(2)}%",
            f"第{R.randint(1, 300)}期",
            f"{R.randint(10, 23)}:{R.randint(10, 59)}",
            f"SKU{_digits(6)}",
            f"ABCD{_digits(4)}",
        ]
    )


# --------------------------------------------------------------------------- templates

# Slot → (generator, entity type or None for a negative). Templates name slots in braces.
_SLOTS: dict[str, tuple[Callable[[], str], str | None]] = {
    "zh_name": (zh_name, "NAME"),
    "en_name": (en_name, "NAME"),
    "id": (id_card, "ID_CARD"),
    "card": (bank_card, "BANK_CARD"),
    "acct": (bank_account, "BANK_ACCOUNT"),
    "uscc": (credit_code, "CREDIT_CODE"),
    "iban": (iban, "IBAN"),
    "swift": (swift, "SWIFT_BIC"),
    "mobile": (cn_mobile, "PHONE"),
    "landline": (cn_landline, "PHONE"),
    "intl_phone": (intl_phone, "PHONE"),
    "email": (email, "EMAIL"),
    "ip": (ip_address, "IP_ADDRESS"),
    "passport": (passport, "PASSPORT"),
    "zh_addr": (zh_address, "ADDRESS"),
    "en_addr": (en_address, "ADDRESS"),
    "amount": (amount, None),
    "order": (order_no, None),
    "date": (date_time, None),
    "isbn": (isbn, None),
    "misc": (misc_negative, None),
    "bad_id": (bad_id_card, None),
    "bad_card": (bad_bank_card, None),
    "bad_iban": (lambda: iban(valid=False), None),
}

_ZH_TEMPLATES = [
    (
        "transcript",
        "坐席：您好，请问是{zh_name}先生吗？客户：是的。坐席：请提供您的身份证号。客户：{id}。坐席：您名下尾号为{misc}的卡于{date}发生一笔{amount}的交易。",
    ),
    (
        "transcript",
        "{date}客户来电，自称{zh_name}，手机号{mobile}，反映借记卡{card}被盗刷{amount}，已为其办理临时挂失。",
    ),
    (
        "transcript",
        "客户{zh_name}致电询问订单号{order}的退款进度，核实预留手机{mobile}后告知款项将于{date}退回。",
    ),
    (
        "loan_note",
        "借款人：{zh_name}\n身份证号码：{id}\n联系电话：{mobile}\n家庭住址：{zh_addr}\n贷款金额：{amount}，期限36个月，年利率{misc}。",
    ),
    (
        "loan_note",
        "经调查，借款人{zh_name}在{zh_addr}经营个体商铺，月均流水{amount}，配偶{zh_name}为共同借款人，身份证{id}。",
    ),
    (
        "loan_note",
        "担保人{zh_name}（身份证号{id}）自愿为本笔贷款提供连带责任保证，担保企业统一社会信用代码{uscc}。",
    ),
    (
        "transfer",
        "请从本人账户{acct}转出{amount}至收款人{zh_name}，收款账号{card}，开户行：中国工商银行深圳分行。",
    ),
    (
        "transfer",
        "汇款指令：收款人{en_name}，IBAN：{iban}，SWIFT代码：{swift}，金额{amount}，附言：合同{order}货款。",
    ),
    (
        "transfer",
        "付款人{zh_name}，卡号{card}；收款单位统一社会信用代码{uscc}，账号{acct}，用途：货款，流水号{order}。",
    ),
    (
        "kyc",
        "客户尽职调查：姓名：{zh_name}，护照号码{passport}，国籍：中国，通讯地址：{zh_addr}，电子邮箱{email}。",
    ),
    (
        "kyc",
        "KYC备注：客户{zh_name}于{date}在柜面开户，登录IP为{ip}，预留电话{landline}，职业为教师。",
    ),
    (
        "kyc",
        "{zh_name}女士的手机号已由{mobile}变更为{mobile}，变更申请编号{order}，经办柜员{zh_name}。",
    ),
    (
        "complaint",
        "投诉记录：{zh_name}先生投诉其信用卡{card}在{date}被重复扣款{amount}，客户要求回电至{landline}。",
    ),
    (
        "complaint",
        "客户反映收到短信称其账户异常，链接指向{ip}，客户未点击。联系人{zh_name}，电话{mobile}。",
    ),
    (
        "negatives",
        "本期理财产品收益率{misc}，认购金额{amount}起，产品编号{order}，起息日{date}，说明书见{isbn}。",
    ),
    (
        "negatives",
        "系统核验身份证号{bad_id}未通过校验，卡号{bad_card}校验失败，请客户重新提供。交易时间{date}。",
    ),
    (
        "negatives",
        "黄金价格今日上涨，平安银行与华夏银行发布公告，高新技术企业贷款金额{amount}，周一至周五办理，热线{misc}。",
    ),
    ("negatives", "合同编号{order}，发票号{order}，凭证日期{date}，金额{amount}，复核无误。"),
    (
        "mixed",
        "{date}，{zh_name}在{zh_addr}的网点办理业务，身份证{id}，银行卡{card}，手机{mobile}，邮箱{email}。",
    ),
    (
        "mixed",
        "客户经理{zh_name}联系了{zh_name}，对方确认其公司（统一社会信用代码{uscc}）的对公账户{acct}已销户。",
    ),
    (
        "mixed",
        "尊敬的{zh_name}：您尾号{misc}的账户于{date}入账{amount}，如有疑问请致电{landline}。",
    ),
    ("mixed", "持卡人{zh_name}申请将账单地址更新为{zh_addr}，原地址{zh_addr}作废。"),
    (
        "mixed",
        "外汇汇款：收款行SWIFT {swift}，收款人账号IBAN {iban}，汇款人{zh_name}，护照{passport}。",
    ),
    ("mixed", "王女士来电咨询{isbn}相关的理财书籍，未留存个人信息。"),
]
_EN_TEMPLATES = [
    (
        "transcript",
        "Agent: Good morning, am I speaking with Mr. {en_name}? Customer: Yes. Agent: For security, please confirm the card number. Customer: {card}. Agent: Thank you, I see a payment of {amount} on {date}.",
    ),
    (
        "transcript",
        "Caller {en_name} reported that card {card} was lost on {date}. Callback number {intl_phone}, email {email}.",
    ),
    (
        "transcript",
        "Customer asked about order {order} placed on {date}; the refund of {amount} will be credited within 5 days.",
    ),
    (
        "loan_note",
        "Borrower: {en_name}\nAddress: {en_addr}\nPhone: {intl_phone}\nLoan amount: {amount}, term 24 months, rate {misc}.",
    ),
    (
        "loan_note",
        "Site visit on {date}: the applicant, {en_name}, operates a shop at {en_addr}. Guarantor Ms. {en_name} signed the guarantee.",
    ),
    (
        "transfer",
        "Please transfer {amount} from account no. {acct} to beneficiary {en_name}, IBAN {iban}, BIC {swift}, reference {order}.",
    ),
    (
        "transfer",
        "Payment instruction: Beneficiary: {en_name}; Beneficiary account: {iban}; SWIFT: {swift}; Amount: {amount}; Value date: {date}.",
    ),
    (
        "transfer",
        "Remitter {en_name} (passport no. {passport}) sends {amount} to A/C {acct} held with the Shanghai branch.",
    ),
    (
        "kyc",
        "KYC note: Name: {en_name}. Passport number {passport}. Residential address: {en_addr}. Email: {email}. Login from IP {ip}.",
    ),
    (
        "kyc",
        "Enhanced due diligence for Dr. {en_name}: Chinese ID {id}, mobile {mobile}, corporate credit code {uscc}.",
    ),
    (
        "kyc",
        "Dear {en_name}, your card ending {misc} has been renewed. If you did not request this, call {intl_phone}.",
    ),
    (
        "complaint",
        "Complaint: Mrs. {en_name} disputes a charge of {amount} on card {card} dated {date}; she can be reached at {email}.",
    ),
    (
        "complaint",
        "The customer, {en_name}, says the statement for account number {acct} was sent to {en_addr} instead of her new address.",
    ),
    (
        "negatives",
        "Invoice {order} dated {date}: total {amount}, see {isbn}. Version {misc} of the app fixes the login bug.",
    ),
    (
        "negatives",
        "Validation failed: card {bad_card} does not pass the check, IBAN {bad_iban} has wrong check digits, ID {bad_id} rejected.",
    ),
    (
        "negatives",
        "Standard Chartered and Bank of China issued a joint statement on {date}; rates rose by {misc} and volume reached {amount}.",
    ),
    (
        "mixed",
        "{en_name} ({email}, {intl_phone}) requested a wire of {amount} to {en_name} at IBAN {iban}.",
    ),
    (
        "mixed",
        "Server log: user {email} logged in from {ip} at {date}; second factor sent to {mobile}.",
    ),
    (
        "mixed",
        "Customer {en_name} updated the mailing address to {en_addr}; the old one was {en_addr}.",
    ),
    (
        "mixed",
        "Relationship manager: {en_name}. Client: {en_name}. Card on file: {card}. Tel {intl_phone}.",
    ),
]


def render(template: str) -> tuple[str, list[dict[str, object]]]:
    text = ""
    entities: list[dict[str, object]] = []
    pos = 0
    names: list[str] = []
    for m in re.finditer(r"\{(\w+)\}", template):
        text += template[pos : m.start()]
        slot = m.group(1)
        gen, kind = _SLOTS[slot]
        if slot == "email" and names:
            first, _, last = names[-1].partition(" ")
            value = email(first, last or first)
        else:
            value = gen()
        if slot == "en_name":
            names.append(value)
        if kind is not None:
            entities.append({"start": len(text), "end": len(text) + len(value), "type": kind})
        text += value
        pos = m.end()
    text += template[pos:]
    return text, entities


def build(seed: int, per_template: int) -> list[dict[str, object]]:
    R.seed(seed)
    docs = []
    for lang, templates in (("zh", _ZH_TEMPLATES), ("en", _EN_TEMPLATES)):
        for t_index, (kind, template) in enumerate(templates):
            for k in range(per_template):
                text, entities = render(template)
                # The literal "王女士" of the zh negatives-style template is a real name span.
                if "王女士" in template:
                    start = text.find("王女士")
                    entities.append({"start": start, "end": start + 1, "type": "NAME"})
                entities.sort(key=lambda e: int(str(e["start"])))
                docs.append(
                    {
                        "id": f"{lang}-{t_index:02d}-{k}",
                        "lang": lang,
                        "kind": kind,
                        "text": text,
                        "entities": entities,
                    }
                )
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-template", type=int, default=7)
    ap.add_argument("--out", default="tests/data/pii/labelled.jsonl")
    args = ap.parse_args()
    docs = build(args.seed, args.per_template)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    counts = Counter(str(e["type"]) for d in docs for e in d["entities"])  # type: ignore[union-attr]
    print(f"{len(docs)} documents, {sum(counts.values())} spans -> {out}")
    for kind, n in sorted(counts.items()):
        print(f"  {kind:<13}{n}")


if __name__ == "__main__":
    main()

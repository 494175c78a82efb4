"""Names in Latin letters inside Chinese text (a foreign colleague, client or payee).

Chinese text names a foreign person in Latin letters after a cue or an English job, a job
title in capitals allowed between (``联系人 A B``, ``export manager 是 A B``, ``对接人为
Cooperative Secretary A B``), before ``的`` (``A B 的学费单``), set off by spaces between
Chinese words (``上周 A B 发邮件说``), opening a line or a Chinese sentence before a verb (``- A
B将于``, ``B/L。A B 提出``), in a chat's mention (``@A B``), when a speaker introduces
themself (``我是 A B``), or quoted as a screen or a form shows it
(``预期显示 "A B"``; a Chinese name quoted so too). The words must be a name's: a word a name
list holds, or no common English word (``unlisted_name``), so that ``Apple Pay 的`` and ``Visit
Expense Claim 工程师`` are not read. ``ChineseCuedNames._find_zh`` (``names_zh_cued.py``) runs
``find_latin_in_zh`` on every Chinese text.
"""

from __future__ import annotations

import re
import re._parser as sre_parse
from collections.abc import Callable

from stages.pii import names_cues as cues
from stages.pii.latin import L, U
from stages.pii.names_en import EN_NOT_NAME, EnglishNames
from stages.pii.names_vocab import unlisted_name
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, near
from stages.pii.rx import guarded

__all__ = ["find_latin_in_zh"]

#: English jobs a Chinese text names a foreign colleague or client by.
_EN_JOBS = (
    "engineer|manager|director|officer|analyst|developer|designer|consultant|accountant|"
    "specialist|representative|architect|researcher|trader|advisor|adviser|assistant"
)
#: A cue before a name in Latin letters, an English job and a Chinese copula before it
#: (``export manager 是 Ama Daako``), or an English job before a name that Chinese text
#: follows (``新入职的 firmware engineer Musyoki Kinuthia 下月起``); a Chinese job ending in 经理
#: before a name in Latin letters (``采购经理 Matevž Lazar``; ``PREFIX_CUES`` leave 经理 out for
#: Chinese names, which the segmenter may glue to the verb after them).
_LATIN_CUE = (
    rf"(?:{cues.PREFIX_CUES}|(?<=[\u4e00-\u9fff])经理(?=[ ]?{U})|"
    r"\b(?i:manager|director|officer|owner|contact|representative|"
    r"beneficiary|payee|payer|remitter|applicant|solicitor)[ ]?(?=[为是叫])|"
    # a chief officer or a general manager by the letters (致：总经理 鲁娜；CFO A B)
    rf"\b(?:CEO|CFO|COO|CTO|CIO|GM)(?=[ ]{U})|"
    rf"\b(?i:{_EN_JOBS})(?=[ ]{U}{L}+(?:[ ]{U}{L}+){{1,2}}[ ]?[\u4e00-\u9fff]))"
    # a party's side in brackets before the colon (委托人（卖方）：A B)
    rf"(?:[（(][\u4e00-\u9fff]{{1,6}}[）)])?[\s:：=为是叫]{{0,3}}"
)
#: A job title in capitals between the cue and the name (对接人为 Cooperative Secretary A B).
_TITLE_BETWEEN = (
    rf"(?:{U}{L}+[ ]){{0,2}}(?:Secretary|Treasurer|Chair|Controller|Coordinator|"
    rf"{'|'.join(w.title() for w in _EN_JOBS.split('|'))})[ ]"
)
_ZH_PREFIX_LATIN = guarded(
    rf"{_LATIN_CUE}(?:{_TITLE_BETWEEN})?(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})"
)
#: Two capitalised words, as every name of the two patterns around holds.
_LATIN_NAME = guarded(rf"{U}{L}+[ ]{U}{L}+")
#: How far before its name's first word a match of ``_ZH_PREFIX_LATIN`` may start: the
#: longest cue and its separators (read from the parsed pattern; a scan for two capitalised
#: words finds where the name may be, and the pattern is tried only that far before them).
_LATIN_CUE_REACH = sre_parse.parse(_LATIN_CUE).getwidth()[1]
#: A name in Latin letters before 的 in Chinese text (宝贝，Kemunto Kyalo 的学费单).
_ZH_LATIN_OWNER = guarded(
    rf"(?:^|(?<=[\u4e00-\u9fff，。：；、！？\s]))(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})[ ]?的",
    re.MULTILINE,
)
#: A name in Latin letters set off by spaces between Chinese words (上周 A B 发邮件说).
_ZH_LATIN_BETWEEN = guarded(
    rf"(?<=[\u4e00-\u9fff][ ])(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})[ ](?=[\u4e00-\u9fff])"
)
#: A name in Latin letters that opens a line, a list's item or a Chinese sentence, its holder's
#: Chinese verb right after it (``1. A B表示 the certificate``, ``- A B将于3月25日前开证``,
#: ``copy of B/L。A B 提出``).
_SUBJECT_VERB = (
    r"[ ]?(?=表示|称|说|将|已|确认|同意|提出|要求|负责|承诺|认为|回复|答复|希望|建议|介绍|指出)"
)
_ZH_LATIN_SUBJECT = guarded(
    rf"^[ \t]*(?:[-•*·]|\d{{1,2}}[.、)])?[ \t]*(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}}){_SUBJECT_VERB}",
    re.MULTILINE,
)
_ZH_LATIN_AFTER_STOP = guarded(rf"[。；！？](?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}}){_SUBJECT_VERB}")
#: A name quoted as a screen, a form or a document shows it (预期显示 "A B", 通行证上为繁体"宋文章").
_ZH_QUOTED_AS = guarded(
    r"(?:显示为?|写成|写作|写为|写的是|填的是|繁体|简体|署名为?|名字是|名为)[ ]?[\"“「]"
    rf"(?:(?P<zh>[\u4e00-\u9fff]{{2,4}})|(?P<latin>{U}{L}+(?:[ ]{U}{L}+){{1,2}}))[\"”」]"
)
#: A chat's mention of a person in Latin letters (``@A B Bonjour!``); a greeting after the
#: name is no part of it.
_AT_MENTION = guarded(rf"(?<![\w.@])@(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})")
#: A name in Latin letters that opens a line, greeting the reader (``A B您好，``).
_ZH_GREETED_LATIN = guarded(
    rf"^(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})[ ]?(?:您好|你好)", re.MULTILINE
)
#: A name in Latin letters before a Chinese courtesy title (``Dwi Adriansyah先生：``).
_LATIN_TITLED = guarded(
    rf"(?<![\w.-])(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})[ ]?(?:先生|女士|小姐)(?=[\s，,：:、。（(]|$)"
)
#: A speaker introducing themself in Chinese by a name in Latin letters (我是上周来开户的 A B,).
_ZH_SELF_LATIN = guarded(
    rf"我是(?:[^\n，。,.!?！？]{{0,16}}?的)?[ ]?(?P<name>{U}{L}+(?:[ ]{U}{L}+){{1,2}})(?=[,，.。!！ ]|$)"
)


def find_latin_in_zh(
    text: str, en: EnglishNames, known: frozenset[str], quoted_zh_name: Callable[[str], bool]
) -> list[Entity]:
    """Names in Latin letters in the Chinese ``text``; ``en`` trims a span to its name words,
    ``known`` holds the name lists' words, ``quoted_zh_name`` tells whether a quoted Chinese
    value is a name."""
    out: list[Entity] = []
    latin = _LATIN_NAME.search(text) is not None  # what every rule but the quoted one reads
    for m in near(_ZH_PREFIX_LATIN, text, _LATIN_NAME, _LATIN_CUE_REACH) if latin else ():
        span = en.clean(text, m.start("name"), m.group("name"))
        # words left where a job's word was cut off are the job's (樓面主任 Floor Supervisor,
        # 高级工艺工程师 Senior Process Engineer)
        words = text[span[0] : span[1]].split(" ") if span else []
        # a word a name list holds, or no common English word (not Visit Expense Claim)
        if (
            span
            and span[1] == m.end("name")
            and len(words) > 1
            and (any(w in known for w in words) or unlisted_name(words, known, EN_NOT_NAME))
        ):
            out.append(Entity(span[0], span[1], "NAME"))
    for m in _ZH_QUOTED_AS.finditer(text) if '"' in text or "“" in text or "「" in text else ():
        if m.group("zh"):
            if quoted_zh_name(m.group("zh")):
                out.append(Entity(m.start("zh"), m.end("zh"), "NAME"))
        elif unlisted_name(m.group("latin").split(" "), known, EN_NOT_NAME):
            out.append(Entity(m.start("latin"), m.end("latin"), "NAME"))
    for m in _AT_MENTION.finditer(text) if latin and "@" in text else ():
        span = en.clean(text, m.start("name"), m.group("name"))
        mentioned = text[span[0] : span[1]].split(" ") if span else []
        if span and unlisted_name(mentioned, known, EN_NOT_NAME):
            out.append(Entity(span[0], span[1], "NAME"))
    greeted = latin and ("您好" in text or "你好" in text)
    for m in _ZH_GREETED_LATIN.finditer(text) if greeted else ():
        words = m.group("name").split(" ")
        # a word a name list holds, or no common English word (not Dear Customer)
        if any(w in known for w in words) or unlisted_name(words, known, EN_NOT_NAME):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    titled = latin and ("先生" in text or "女士" in text or "小姐" in text)
    for m in _LATIN_TITLED.finditer(text) if titled else ():
        if unlisted_name(m.group("name").split(" "), known, EN_NOT_NAME):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _ZH_SELF_LATIN.finditer(text) if latin and "我是" in text else ():
        if unlisted_name(m.group("name").split(" "), known, EN_NOT_NAME):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    if not latin:
        return out
    # a line's subject is tried where a line starts (a pattern opening on ^ is tried at every
    # character otherwise), a sentence's after its full stop
    for m in (
        *_ZH_LATIN_OWNER.finditer(text),
        *_ZH_LATIN_BETWEEN.finditer(text),
        *at_line_starts(_ZH_LATIN_SUBJECT, text),
        *_ZH_LATIN_AFTER_STOP.finditer(text),
    ):
        # no common English word, unless a name list holds it (not Apple Pay 的)
        if unlisted_name(m.group("name").split(" "), known, EN_NOT_NAME):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    return out

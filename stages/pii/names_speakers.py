"""Chinese names in a chat's speaker column: a family name and one or two given-name
characters before a colon at a line's start (``吉建国: 收到``, ``[14:02] 李娜：好的``), before a
message's time at the line's end (``萧畅（科教处） 10:27``), or in brackets after a chat export's
side (``[09:14] 绣坊 Studio（黄柳）: ``). ``STAMP`` is the time stamp the English rules read too.
"""

from __future__ import annotations

from collections.abc import Callable

from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["BRACKETED_STAMP", "STAMP", "find_speakers"]


#: A chat export's time stamp in brackets (``[14:02]``, ``[2024-11-19 17:06]``).
BRACKETED_STAMP = r"\[[\d:/. -]{4,20}\]"
#: A chat export's time stamp before the speaker: ``[14:02] ``, ``2025-06-18 14:02:09 ``, a
#: dash after it (``2024-07-21 10:02 — ``).
STAMP = (
    rf"(?:{BRACKETED_STAMP}[ ]?|"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ ])?\d{1,2}:\d{2}(?::\d{2})?[ ]"
    r"(?:[—–][ ])?)"
)
#: A chat line's speaker: 吉建国: 收到 / 劉俊傑：好的 / [14:02] 李娜：好的.
#: A role and a dash may lead the speaker's name (中介-段婷婷：).
#: A unit in brackets after a chat's speaker (武东（国际业务部）：).
_UNIT = (
    # the firm's name and a space may come first (田岩（宁德动力电池 财务部）:, 石畅（内蒙古鄂尔多斯
    # 路绒纺有限公司 外贸部）：)
    r"[（(](?:[\u4e00-\u9fff]{2,16}[ ])?[\u4e00-\u9fff]{1,7}(?:[部科处室组队行司所]|中心)[）)]"
)
#: A speaker's role or firm in brackets (周畅（教练）：), which proves less than a unit; a place
#: and a space may come first (（凭祥冷库 仓管）).
_ROLE_NOTE = r"[（(](?:[\u4e00-\u9fff]{1,10}[ ])?[\u4e00-\u9fff]{1,10}[）)]"
_ZH_SPEAKER = guarded(
    # a log's bullet and date may lead (- 08-22 谷桂兰：已核实)
    rf"(?m:^)[ \t]*(?:[-*•·][ ])?(?P<stamp>{STAMP}|\d{{1,2}}[-/]\d{{1,2}}[ ])?(?:[\u4e00-\u9fff]{{1,4}}[-－—]|[\u4e00-\u9fff]{{2,6}}[ ])?(?P<name>[\u4e00-\u9fff]{{2,3}})"
    # the role in brackets may follow a space ([2024-01-16 10:12] 马超 (货代):)
    rf"(?:[ ]?(?:(?P<unit>{_UNIT})|{_ROLE_NOTE}))?[ ]?[:：]"
)
#: A chat's header line: a speaker, a unit or a role in brackets, and the message's time
#: (``萧畅（科教处） 10:27``); its name reads as one after a time stamp.
_ZH_TIMED_SPEAKER = guarded(
    r"(?m:^)[ \t]*(?P<name>[\u4e00-\u9fff]{2,3})(?:[（(][^（）()\n]{1,12}[）)])?[ \t\u3000]*"
    # the message's date may come first, its year too or not (陈云　2024-03-06 10:40, 项丹 10-08 11:20)
    r"(?:(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}[ ])?(?P<stamp>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*(?=\n|$)"
)
#: A chat export's side after its time stamp, its person's name in brackets (``[09:14] 绣坊
#: Studio（黄柳）: ``).
_ZH_BRACKETED_SPEAKER = guarded(
    rf"(?m:^)[ \t]*(?P<stamp>{STAMP})[^\n()（）:：]{{1,16}}?[（(](?P<name>[\u4e00-\u9fff]{{2,3}})[）)][ ]?[:：]"
)
#: A chat's line: a speaker (a name or a role such as 理财经理, 客服) and a colon.
_ZH_CHAT_LINE = guarded(
    rf"(?m:^)[ \t]*{STAMP}?(?:[\u4e00-\u9fff]{{2,6}}[ ])?[\u4e00-\u9fff]{{2,6}}(?:{_ROLE_NOTE})?[ ]?[:：][ ]?\S"
)


def find_speakers(
    text: str,
    surname_len: Callable[[str, int], int],
    given_ok: Callable[[str], bool],
    is_common_word: Callable[[str], bool],
    particles: frozenset[str],
) -> list[Entity]:
    """A family name and one or two given-name characters before a colon at the start of a
    line (a chat's speaker), when they are not a dictionary word (金额：, 方法：). In a chat
    (three speaker lines or more) the given name may use any character but one of
    ``particles`` (胡兵：, 周桂花：); so may a speaker after a chat export's time stamp
    (``[09:15] 蔡想:``), or before a message's time at the line's end (``萧畅（科教处） 10:27``)."""
    out: list[Entity] = []
    chat = len(_ZH_CHAT_LINE.findall(text)) >= 3
    timed = list(_ZH_TIMED_SPEAKER.finditer(text)) if ":" in text else []
    bracketed = list(_ZH_BRACKETED_SPEAKER.finditer(text)) if "（" in text or "(" in text else []
    for m in [*_ZH_SPEAKER.finditer(text), *timed, *bracketed]:
        word = m.group("name")
        sl = surname_len(word, 0)
        given = word[sl:]
        # in a chat, any given name (a verb too: 王想：) but a particle or one that a word
        # starts (卫生差：, 卫生 "hygiene")
        # a unit in brackets after it (武东（国际业务部）：) makes the word a person's name,
        # even one that names a place
        unit = m.re is _ZH_SPEAKER and m.group("unit") is not None
        ok = given_ok(given) or (
            (chat or unit or m.group("stamp") is not None)
            and not any(c in particles for c in given)
            and (unit or not is_common_word(word[: sl + 1]))
        )
        # a chat's time stamps make the speakers' column: a word there is a name too (金利：)
        stamped = m.group("stamp") is not None and (chat or len(timed) >= 3)
        if sl and given and ok and (unit or stamped or not is_common_word(word)):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    return out

"""Question analysis for the reader: what kind of answer is asked for (its type and unit), and whether the
question can be answered from one passage at all (vague, off-topic, noise, or an aggregate of several figures).

The vocabularies here are the genre's and the language's own (units, question words, conversational words),
never phrases of particular questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.numbers import extract_quantities
from bot.facts.questions import COMPLEMENT, operation
from bot.retrieve import QueryInfo
from bot.store.lexical import words

# answer types
COUNT, MONEY, PERCENT, YEAR, DATE, PERSON, PHONE, YESNO, FREE = (
    "count", "money", "percent", "year", "date", "person", "phone", "yesno", "free")

_PERCENT_Q = re.compile(r"比例|比率|占比|百分之|百分比|[占率]\S{0,6}(多少|几)|多少%|(?<!频)率是?多少|"
                        r"what (share|proportion|percentage|fraction)|percentage|percent|\brate\b|\bshare of\b", re.I)
# ("收了多少信息处理费": a fee after 多少 with no measure word between is an amount)
_MONEY_Q = re.compile(r"多少钱|金额|资金|经费|费用|收费|贷款|捐款|捐赠款|善款|拨款|(多少|几)(万|亿)?元|预算|决算|费(?:是|为|共计?|一共|总共|有)?多少|"
                      r"多少(?![件条个次人户项家名场篇期所份批天日笔])[\u4e00-\u9fff]{0,6}?费(?![的用])|"
                      r"how much (?:[\w-]+ ){0,4}?(money|funding|funds?|fees?|donations?)\b|"
                      r"how much .*\b(spen[dt]|charged?|collected|allocated|cost|donated|raised)\b|"
                      r"\b(yuan|rmb|amount of money|spen[dt]|cost|budget|funding|fees?)\b", re.I)
_ETC = re.compile(r"[\u4e00-\u9fff]等(?![级于同])|之类|这类|那类|一类|这些|那些|\bsuch as\b|\betc\b|\band so on\b|\band the like\b|\band other\b", re.I)
_WHAT_AMOUNT = re.compile(r"\bwhat (?:did|was|were|is|are)\b.*\b(?:spen[dt]|cost|budget|expenditure|fees?)\b")  # "what did X spend"
_YEAR_Q = re.compile(r"哪一?年|何年|哪个年份|几几年|which year|what year|in what year", re.I)
_DATE_Q = re.compile(r"何时|什么时候|哪天|哪一天|几月几[日号]|日期|几月份?|哪个月|when\b|what date|which date|"
                     r"which day|which month", re.I)
_COUNTED_BY = "件条个次人户项家名场篇期所份批笔类"  # the measure words a count is asked in ("几件", "多少笔")
_COUNT_Q = re.compile(rf"多少|几[{_COUNTED_BY}天日]|数量|总数|总量|how many|number of|how much|count\b|"
                      r"\btotals?\b", re.I)
# a count's own measure word asked ("资金…有多少笔"): a count, whatever money words the question holds
_MEASURED_Q = re.compile(rf"(?:多少|几)(?:万)?[{_COUNTED_BY}]")
_UNIT_Q = re.compile(r"(?:多少|几)(万人次|人次|件次|万元|亿元|个工作日|工作日|小时|万|个|件|条|次|人|户|项|家|名|元|场|篇|期|所|份|批|笔|类|天|日)")

# English words naming a counted unit (a constraint on the figure, not a term to look for)
EN_UNITS = {"items": ("条", "项", "个", "件", "篇"), "pieces": ("条", "项", "个", "件", "篇"),
            "rounds": ("次", "轮"), "times": ("次",), "households": ("户",), "household": ("户",),
            "people": ("人", "人次", "名", "次"), "persons": ("人", "人次", "名", "次"), "person-times": ("人次",),
            "staff": ("人", "名"), "employees": ("人", "名"), "press conferences": ("场", "次"),
            "meetings": ("次", "场", "期"), "sessions": ("期", "次", "场"), "trainings": ("期", "次", "场"),
            "batches": ("批次", "批"), "cases": ("件", "起", "宗"), "articles": ("篇", "条"), "letters": ("封", "件"), "copies": ("份", "册"),
            "notices": ("条", "份", "期", "则", "篇", "个", "件", "次"), "announcements": ("条", "份", "期", "则", "篇", "个", "件", "次"),
            "days": ("天", "日", "个工作日", "工作日"), "working days": ("个工作日", "工作日", "天", "日")}

# conversational words that name no topic of the reports (a question made only of them is vague)
_VAGUE_ZH = frozenset("总体 整体 总的 情况 怎么样 怎样 如何 咋样 介绍 一下 概况 概述 大概 主要 内容 什么 哪些 你 您 我 "
                      "我们 能 能够 可以 会 做 帮 帮助 帮忙 好 你好 您好 谢谢 请问 请 问 问题 告诉 说说 讲讲 看看 一些 "
                      "工作 报告 年度 信息 政府 政府信息 公开 这 那 呢 吗 啊 吧 的 了 是 有 在 和 与 及 年 今年 去年".split())
_VAGUE_EN = frozenset("what can you do tell me about how is was are were it things overall general generally "
                      "the a an of in on for and or to hi hello hey thanks thank please help anything something "
                      "report reports annual government information disclosure work situation summary overview "
                      "give me i we us your yourself who what's whats how's going like".split())

# several figures combined: a sum, a difference, a change, a comparison
_AGGREGATE = re.compile(
    r"加起来|合计是?多少|一共是?多少.*(两|几)年|总和|之和|相比|比上一?年|比去年|较上年|多了多少|少了多少|增加了?多少|"
    r"减少了?多少|增长了?多少|下降了?多少|变化|差多少|相差|差额|增幅|降幅|"
    r"\b(together|combined|in total across|sum of|add up|difference|compared|more than|fewer than|less than|"
    r"increase|decrease|grew|growth|change from|changed|how many more|how many fewer|versus|vs\.?)\b", re.I)
_TWO_YEARS = re.compile(r"((?:19|20)\d\d)\D{1,12}((?:19|20)\d\d)")


@dataclass(frozen=True)
class Intent:
    """What the question asks for: the answer type, the units a count may have, and how to treat it."""

    atype: str
    units: tuple[str, ...] = ()
    aggregate: bool = False
    share: bool = False  # a proportion was asked ("what share", 占比): computed unless the report states it
    etc: bool = False  # the question lists with 等 itself ("行政许可、行政处罚等信息"): a report's 等 widens nothing
    places: tuple[str, ...] = ()  # the places the question names: one that is not the report's own names a part of it
    # figures the question states, (value, unit): none is the answer ("清理的1218笔资金里…"), and one with its unit
    # locates the asked clause ("3天以内拨出的有多少笔": the clause saying 3天)
    given: frozenset[tuple[str, str]] = frozenset()
    topic: bool = False  # what the things counted were about is asked ("how many were about …", "涉及…的")


_CONTACT_Q = re.compile(r"邮箱|电子邮件|e-?mail|网址|website|web address|邮编|邮政编码|postal ?code|post ?code|"
                        r"地址|\baddress\b", re.I)


def answer_type(info: QueryInfo) -> str:
    q = info.norm
    if _YEAR_Q.search(q):
        return YEAR
    when = re.search(r"何时|什么时候|\bwhen\b|what date", q, re.I)
    count = _COUNT_Q.search(q)
    if when and not (count and count.start() < when.start()):
        return DATE  # (a count asked first keeps its type: "how many items did X find when it combed …")
    if info.qtype == "phone":
        return PHONE
    if _CONTACT_Q.search(q) and not re.search(r"多少|几|how many|number of", q, re.I):
        return FREE  # a contact field's value (bot.answer.contact), whatever figures the question holds
    if info.qtype == "who":
        return PERSON
    if _PERCENT_Q.search(q):
        return PERCENT
    if _MONEY_Q.search(q) and not _MEASURED_Q.search(q) and (count or info.qtype == "quantity"
                                                               or _WHAT_AMOUNT.search(q)):
        return MONEY
    if count or info.qtype == "quantity":
        return COUNT
    if info.qtype == "when" or _DATE_Q.search(q):
        return DATE
    if info.qtype == "yesno":
        return YESNO
    return FREE


_CASES = re.compile(r"复议|诉讼|起诉|被告|官司")


def _units(info: QueryInfo) -> tuple[str, ...]:
    m = _UNIT_Q.search(info.norm)
    if m and m.group(1) == "次" and _CASES.search(info.norm):
        return ("次", "件", "起")  # "被复议、被告了几次": reconsiderations and lawsuits are counted in 件
    if m and m.group(1) not in ("万",):
        return (m.group(1),)
    if info.lang == "en":
        low = info.norm.lower()
        m = re.search(r"(?:how many|number of) ([a-z -]+?)(?= did| does| do| were| was| are| is| have| has| in| of|\?|$)", low)
        head = m.group(1).strip() if m else ""
        for phrase, units in EN_UNITS.items():
            if head == phrase or head.endswith(" " + phrase) or head.startswith(phrase + " of"):
                return units
        # the counted noun first, what qualifies it after: "how many notices about abandoned infants", "the average
        # number of days Huai'an took"
        for phrase, units in EN_UNITS.items():
            if re.search(rf"\b(?:how many|number of) (?:[a-z-]+ )?{re.escape(phrase)}\b", low):
                return units
    return ()


# the scale an amount is asked in: "多少万元", "in 10,000 yuan", "ten thousand yuan", "100 million yuan"
_MONEY_SCALE = ((re.compile(r"多少万元|几万元|(?:10,?000|ten thousand) yuan|万元", re.I), "万元"),
                (re.compile(r"多少亿元|几亿元|(?:100 million|hundred million) yuan|亿元", re.I), "亿元"))


def _money_units(info: QueryInfo) -> tuple[str, ...]:
    return next(((unit,) for pattern, unit in _MONEY_SCALE if pattern.search(info.norm)), ())


def intent(info: QueryInfo) -> Intent:
    atype = answer_type(info)
    q = info.norm
    if info.operand:  # one operand of a combined question: a single count or amount, never a share
        # (its wording may ask no figure itself: "哪一家…更多" split into one report's part)
        return Intent(MONEY, ()) if atype == MONEY else Intent(COUNT, _units(info) if atype in (COUNT, PERCENT) else ())
    aggregate = bool(_AGGREGATE.search(q) or COMPLEMENT.search(q)) or operation(q) in ("max", "min", "difference", "ratio") or (
        bool(_TWO_YEARS.search(q)) and atype in (COUNT, MONEY))  # a ranking, difference or ratio: no single figure
    share = atype == PERCENT and bool(re.search(r"占|share|proportion|fraction|what percentage of", q, re.I))
    units = _units(info) if atype == COUNT else _money_units(info) if atype == MONEY else ()
    return Intent(atype, units, aggregate, share, bool(_ETC.search(q)), given=_given(q), topic=_asks_topic(q))


# the topic a question asks about: "how many were about residential compound filing records"
TOPIC_EN = re.compile(r"\b(?:about|concerning|regarding|related to|relating to|on the (?:subject|topic) of)\s+"
                      r"(?!how\b|what\b|\d)(?:the\s+|an?\s+|its\s+|their\s+)?([a-z][a-z-]+)", re.I)
_GENRE_EN = frozenset("government information disclosure public open".split())  # "inquiries about government information"


def _asks_topic(q: str) -> bool:
    m = TOPIC_EN.search(q)
    return bool(m and m.group(1).lower() not in _GENRE_EN) or "涉及" in q


def _given(q: str) -> frozenset[tuple[str, str]]:
    """The figures a question states itself, years aside: none of them is what it asks."""
    return frozenset((x.value, x.unit) for x in extract_quantities(q)
                     if x.kind == "number" and not re.fullmatch(r"(?:19|20)\d\d", x.value))


def is_vague(info: QueryInfo, place_terms=frozenset()) -> bool:
    """A greeting, 'what can you do', 'how did it go overall': nothing named that one passage could state."""
    if info.lang == "en":
        toks = re.findall(r"[a-z']+", info.norm.lower())
        rest = [t for t in toks if t not in _VAGUE_EN and t.replace("'", "") not in place_terms]
        cjk = re.findall(r"[\u4e00-\u9fff]{2,}", info.norm)
        return not rest and not cjk
    rest = [w for w in words(re.sub(r"(19|20)\d\d年?", " ", info.norm))
            if re.search(r"[\u4e00-\u9fffA-Za-z]", w) and w not in _VAGUE_ZH
            and not any(p in w or w in p for p in place_terms if len(p) >= 2)]
    return not rest


def is_noise(info: QueryInfo, retriever=None) -> bool:
    """Random characters, a bare number, or chat about things no report mentions."""
    text = re.sub(r"[\s\W_]+", "", info.norm)
    letters = re.findall(r"[\u4e00-\u9fff]|[A-Za-z]{2,}", info.norm)
    if not letters or len(text) and sum(c.isdigit() for c in text) / len(text) > 0.6:
        return True
    if retriever is None or info.lang == "en" or (info.doc_ids and len(info.doc_ids) < len(retriever.docs)):
        return False  # (a question that names an indexed report's place or body is about the reports)
    content = [w for w in words(re.sub(r"[\d.\-+]+", " ", info.norm))
               if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w) and w not in _VAGUE_ZH]
    if not content:
        return False
    # none of the question's words occurs in any indexed passage: it is not about these reports
    return all(retriever.term_df(w) == 0 for w in content)

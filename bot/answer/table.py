"""Which row of a statutory table a question means, from the row's label and the template's structure.

The 2019 template's table 三 has fixed rows: 一、本年新收 … 二、上年结转 … 三、本年度办理结果 with sub-rows
（一）予以公开 … （七）总计, 四、结转下年度继续办理. A row is meant when the question names its own term (or one of
the template's fixed synonyms for it); a question about applications received with no other qualifier means
一、本年新收; a sub-row the question does not name is not meant."""

from __future__ import annotations

import re

from bot.retrieve.query import FROM_PREVIOUS_YEAR
from bot.text import find_term

# template row term -> words a question uses for it (the template's own vocabulary, Chinese and English)
ROW_TERMS: dict[str, tuple[str, ...]] = {
    "本年新收": ("本年新收", "新收", "收到", "接到", "受理", "接收", "收了", "收取申请", "提出", "提交", "递交",
             "receive", "received", "receiving", "got", "get", "new applications", "filed", "submitted", "accepted"),
    "上年结转": ("上年结转", "上年度结转", "上一年结转", "carried over from", "carried forward from", "carry over from",
             "carry forward from", "previous year",
             "last year", "brought forward"),
    "予以公开": ("予以公开", "全部公开", "完全公开", "完整公开", "disclosed in full", "fully disclosed", "grant", "in full",
             "fully"),
    "部分公开": ("部分公开", "部分予以公开", "partially", "partial", "partly", "in part"),
    "不予公开": ("不予公开", "拒绝公开", "拒绝", "refus", "not disclosed", "withheld", "denied", "turn down", "turned down", "rejected",
             "declined"),
    "国家秘密": ("国家秘密", "state secret"),
    "禁止公开": ("禁止公开", "prohibited"),
    "三安全一稳定": ("三安全", "一稳定", "security and stability"),
    "第三方合法权益": ("第三方", "third part"),
    "内部事务": ("内部事务", "internal affairs"),
    "过程性信息": ("过程性", "process information", "deliberative"),
    "行政执法案卷": ("执法案卷", "case file", "law enforcement"),
    "行政查询": ("行政查询", "查询事项", "inquiry matter", "administrative inquir"),
    "无法提供": ("无法提供", "unable to provide", "could not be provided", "cannot be provided"),
    "不掌握": ("不掌握", "does not hold", "did not hold", "not hold", "does not exist", "not exist", "not have"),
    "另行制作": ("另行制作", "没有现成", "needs to be created", "newly created", "be made", "ready made", "newly produced",
             "newly made"),
    "不明确": ("不明确", "unclear"),
    "不予处理": ("不予处理", "not processed", "not handled", "no action"),
    "信访举报投诉": ("信访", "举报", "投诉", "petition", "complaint"),
    "重复申请": ("重复", "repeat", "duplicate"),
    "公开出版物": ("出版物", "publication"),
    "大量反复": ("大量反复", "反复申请", "repeatedly", "mass"),
    "确认或重新出具": ("确认", "重新出具", "confirm", "reissue"),
    "其他处理": ("其他处理", "other handling", "otherwise handled"),
    "逾期不补正": ("补正", "逾期", "overdue", "suppl"),
    "缴纳费用": ("缴纳", "收费通知", "fee notice", "pay"),
    "办理结果总计": ("办理结果", "办结", "办理", "处理", "答复", "handled", "processed", "answered", "replied",
               "concluded", "results", "finish", "finished", "completed"),
    "结转下年度": ("结转下年", "下年度", "下一年", "转下", "继续办理", "继续办", "没办完", "未办完", "未办结", "尚未办结",
              "still open", "unfinished", "not finished", "not yet finished", "carried over to", "carried forward to", "over into", "forward into",
              "carry over to", "carry forward to", "next year", "following year", "still pending", "pending"),
}
# template row term -> its place in table 三 (bot.facts.template's row codes); "三.（三）.4" is a sub-row of "三.（三）"
ROW_CODES = {"本年新收": "一", "上年结转": "二", "予以公开": "三.（一）", "部分公开": "三.（二）", "不予公开": "三.（三）",
             "国家秘密": "三.（三）.1", "禁止公开": "三.（三）.2", "三安全一稳定": "三.（三）.3",
             "第三方合法权益": "三.（三）.4", "内部事务": "三.（三）.5", "过程性信息": "三.（三）.6",
             "行政执法案卷": "三.（三）.7", "行政查询": "三.（三）.8", "无法提供": "三.（四）", "不掌握": "三.（四）.1",
             "另行制作": "三.（四）.2", "不明确": "三.（四）.3", "不予处理": "三.（五）", "信访举报投诉": "三.（五）.1",
             "重复申请": "三.（五）.2", "公开出版物": "三.（五）.3", "大量反复": "三.（五）.4",
             "确认或重新出具": "三.（五）.5", "其他处理": "三.（六）", "逾期不补正": "三.（六）.1", "缴纳费用": "三.（六）.2",
             "办理结果总计": "三.（七）", "结转下年度": "四"}
# applications asked, in the template's word or the asker's ("请求", "requests")
APPLICATIONS = re.compile(r"申请|申請|请求|application|request", re.I)
_ROW_LABEL = re.compile(r"^(?P<label>.*?[\u4e00-\u9fff）)”\"])[\s|:：]*(?:\||\d)")


def row_label(text: str) -> str:
    """The label of a table row ("三、本年度办理结果 > （五）不予处理 > 2.重复申请"), '' for prose."""
    if " | " in text:
        return text.split(" | ")[0]
    m = _ROW_LABEL.match(text)
    if m and re.fullmatch(r"[\d\s,，]+", text[m.end("label"):].strip(" |:：")):
        return m.group("label")
    return ""


def _row_term(label: str) -> str | None:
    """The template term naming the row itself (its last path component; 总计 of 办理结果 is its own row)."""
    leaf = label.split(">")[-1]
    if "总计" in leaf and ("办理结果" in label or re.match(r"\s*[（(]七[)）]", leaf)):
        return "办理结果总计"
    for term in sorted(ROW_TERMS, key=len, reverse=True):
        if term in leaf or (term == "本年新收" and "新收" in leaf) or (term == "结转下年度" and "结转下年" in leaf):
            return term
    return None


def _find(low: str, syn: str) -> int:
    if syn.isascii():
        m = re.search(r"\b" + re.escape(syn), low)
        return m.start() if m else -1
    return find_term(low, syn)  # (a four-character term also with a word between its halves: "全部给公开")


def _says(low: str, syn: str) -> bool:
    return _find(low, syn) >= 0


def row_position(question: str, term: str) -> int:
    """Where the question first names a template row, in its own words or the template's (len when it does not)."""
    low = question.lower().replace("-", " ")
    return min((at for syn in ROW_TERMS[term] if (at := _find(low, syn)) >= 0), default=len(low))


def named_row_terms(question: str) -> set[str]:
    """The template rows the question names (in its own words or the template's synonyms)."""
    low = _NOT_COUNTING.sub(" ", question.lower().replace("-", " "))  # "third-party" says "third party"
    named = {t for t, syns in ROW_TERMS.items() if any(_says(low, s) for s in syns)}
    # a sub-row named makes the generic words (收到, 办理) name no row of their own
    specific = named - {"本年新收", "办理结果总计"}
    if specific:
        named -= {"本年新收", "办理结果总计"}
    if "上年结转" in named or "结转下年度" in named:
        named.discard("本年新收")
    if "本年新收" in named:
        named.discard("办理结果总计")
    named -= _outcomes_of_other_reasons(named)
    if {"上年结转", "结转下年度"} <= named and _FROM_BEFORE.search(low) and _INTO_YEAR.search(low):
        named.discard("结转下年度")  # "carried over into 2022 from the previous year": into the report's own year
    if {"予以公开", "部分公开"} <= named and _PARTLY.search(low) and not _FULLY.search(low):
        named.discard("予以公开")  # "partly granted", "部分予以公开": granted in part is the 部分公开 row
    return _leaves(named)


# the grant qualified as partial ("partly granted", "granted in part", "部分予以公开"), not two rows named
_PARTLY = re.compile(r"\bpart(?:ly|ially)\s+(?:\w+\s+)?(?:grant|disclos|releas)|\bin part\b|部分予以公开")
_FULLY = re.compile(r"\bfully\b|\bin full\b|全部")


_FROM_BEFORE = re.compile(FROM_PREVIOUS_YEAR.pattern + r"|从上一?年", re.I)
_INTO_YEAR = re.compile(r"\binto (?:the year )?(?:19|20)\d\d|(?:转入|结转到)(?:19|20)\d\d")

# what the asker leaves out of the row asked, a row beside it ("新收…（不含上年结转的）", "new requests, not counting
# ones carried over"): it names no row
_NOT_COUNTING = re.compile(r"(?:not counting|not including|without counting|不含|不包括|不算|不计)[^,，。;；?？)）]*", re.I)


def _outcomes_of_other_reasons(named: set[str]) -> set[str]:
    """Outcome rows named beside a reason that is not theirs: the reason tells the row, the asker's verb for the
    outcome is loose ("turned down because the city did not have it" is 无法提供 > 不掌握, not 不予公开)."""
    reasons = [ROW_CODES[t] for t in named if ROW_CODES.get(t, "").count(".") == 2]
    return {t for t in named if ROW_CODES.get(t, "").count(".") == 1 and reasons
            and not any(r.startswith(ROW_CODES[t] + ".") for r in reasons)}


def _leaves(named: set[str]) -> set[str]:
    """A row and its own sub-row named ("refused … third-party rights"): the sub-row is meant."""
    codes = {t: ROW_CODES.get(t, t) for t in named}
    return {t for t in named if not any(o != t and codes[o].startswith(codes[t] + ".") for o in named)}


def row_fit(label: str, question: str) -> float:
    """+1 when the question names this row of the template, -1 when the row is another one it does not name,
    0 when the row is not a template row (or the question names no row and the row is not the default)."""
    term = _row_term(label)
    if term is None:
        return 0.0
    named = named_row_terms(question)
    if term in named:
        return 1.0
    if not named and term == "本年新收" and APPLICATIONS.search(question):
        return 0.5  # applications asked plainly: the new applications of the year
    return -1.0

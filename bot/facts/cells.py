"""Single table cells answered from facts: a question that names only template terms (a row, a column, a place and
a year) is answered by the cell itself, quoted from its report. Anything else the question says (a channel, a
topic outside the template) sends it to the reader instead, so the template never answers what it does not hold.
"""

from __future__ import annotations

import re

from bot.answer.extractive import latest_year_line
from bot.facts.extract import Fact
from bot.facts.questions import years_named
from bot.models import Answer, Citation, Document, Figure
from bot.store.lexical import words
from bot.text import normalize

# table.py's template terms -> canonical rows of table 三 (bot.facts.template)
_T3_ROWS = {"本年新收": "一", "上年结转": "二", "予以公开": "三.（一）", "部分公开": "三.（二）", "不予公开": "三.（三）",
            "国家秘密": "三.（三）.1", "禁止公开": "三.（三）.2", "三安全一稳定": "三.（三）.3",
            "第三方合法权益": "三.（三）.4", "内部事务": "三.（三）.5", "过程性信息": "三.（三）.6",
            "行政执法案卷": "三.（三）.7", "行政查询": "三.（三）.8", "无法提供": "三.（四）", "不掌握": "三.（四）.1",
            "另行制作": "三.（四）.2", "不明确": "三.（四）.3", "不予处理": "三.（五）", "信访举报投诉": "三.（五）.1",
            "重复申请": "三.（五）.2", "公开出版物": "三.（五）.3", "大量反复": "三.（五）.4",
            "确认或重新出具": "三.（五）.5", "其他处理": "三.（六）", "逾期不补正": "三.（六）.1", "缴纳费用": "三.（六）.2",
            "办理结果总计": "三.（七）", "结转下年度": "四"}
_T3_COLUMNS = (("自然人", r"自然人|个人|公民|individual|natural person|citizen"),
               ("商业企业", r"商业企业|企业|compan|business|enterprise"), ("科研机构", r"科研机构|research"),
               ("社会公益组织", r"社会公益组织|公益|public.welfare|ngo\b|non-?profit"),
               ("法律服务机构", r"法律服务机构|律师|law firm|legal service"))
_T4_ROW = re.compile(r"行政复议|复议|reconsideration", re.I)
_T4_COLUMNS = (("结果维持", r"维持|upheld|maintained|sustained"), ("结果纠正", r"纠正|corrected|overturned|revoked"),
               ("其他结果", r"其他结果|other (result|outcome)"), ("尚未审结", r"尚未审结|未审结|pending|not (yet )?concluded"))
_ASKING = re.compile(r"(有)?(几|多少)[件个条项次起宗]?|是多少|有多少")  # "几件", "有多少": asking, not naming
_APPLICATIONS = re.compile(r"申请|申請|application|request", re.I)
# words that name nothing beyond what the template cell already is (question words, units, generic nouns)
_NEUTRAL_ZH = frozenset("多少 几 件 个 共 一共 总共 合计 总计 共计 全年 本年 本年度 年度 当年 政府 信息 政府信息 公开 信息公开 "
                        "政府信息公开 申请 公开申请 依申请 依申请公开 数量 情况 请问 收到 接到 受理 新收 办理 处理 结果 行政 "
                        "复议 行政复议 案件 数 总数 其中 结果 年 报告 年报".split())
_NEUTRAL_EN = frozenset("how many much did does do was were is are the a an in of for by at on to from with and or "
                        "its their it total number count government information disclosure open public request requests "
                        "application applications receive received get got accept accepted new year annual report "
                        "handled processed filed submitted case cases administrative what there altogether overall "
                        "people's county city district town province bureau office".split())


def _column(question: str, table: str) -> str:
    options = _T3_COLUMNS if table == "三" else _T4_COLUMNS
    return next((col for col, pattern in options if re.search(pattern, question, re.I)), "总计")


def target(question: str, row_terms: set[str]) -> tuple[str, str, str] | None:
    """(table, row, column) the question means, or None when it names no single template cell."""
    if _T4_ROW.search(question):
        return "四", "行政复议", _column(question, "四")
    if not _APPLICATIONS.search(question) or len(row_terms) > 1:
        return None
    term = next(iter(row_terms), "本年新收")  # applications asked plainly: the new applications of the year
    return ("三", _T3_ROWS[term], _column(question, "三")) if term in _T3_ROWS else None


def _residue(question: str, norm: str, lang: str, place_words: set[str]) -> list[str]:
    """What the question says beyond the template cell, its place and its year."""
    if lang == "en":
        tokens = [t.removesuffix("'s").replace("'", "") for t in re.findall(r"[a-z][a-z'’-]+", question.lower().replace("’", "'"))]
        return [t for t in tokens if t not in _NEUTRAL_EN and t not in place_words
                and not any(t.startswith(p) for p in _TEMPLATE_EN)]
    text = re.sub(r"\d{4}年?", " ", norm)
    return [w for w in words(text) if w not in _NEUTRAL_ZH and not _ASKING.fullmatch(w)
            and not any(p in w or w in p for p in place_words)
            and not any(term in w or w in term for term in _TEMPLATE_ZH)]


_TEMPLATE_EN = ("individual", "natural", "person", "citizen", "compan", "business", "enterprise", "research",
                "welfare", "law", "legal", "firm", "fully", "full", "partial", "refus", "withh", "denied", "secret",
                "third", "party", "parties", "internal", "affairs", "deliberative", "process", "enforcement", "inquir",
                "unable", "provide", "hold", "exist", "created", "unclear", "petition", "complaint", "repeat",
                "duplicate", "publication", "carried", "over", "forward", "next", "previous", "last", "pending",
                "upheld", "corrected", "overturned", "reconsideration", "disclosed", "granted", "result", "outcome",
                "other", "not", "yet", "concluded", "still", "brought", "prior")
_TEMPLATE_ZH = ("自然人", "个人", "公民", "商业企业", "企业", "科研机构", "社会公益组织", "法律服务机构", "律师", "予以公开",
                "全部公开", "部分公开", "不予公开", "国家秘密", "第三方", "内部事务", "过程性", "执法案卷", "行政查询",
                "无法提供", "不掌握", "另行制作", "没有现成", "不明确", "不予处理", "信访", "举报", "投诉", "重复",
                "出版物", "反复", "重新出具", "确认", "其他处理", "补正", "逾期", "缴纳", "结转", "下年", "上年",
                "继续", "维持", "纠正", "其他结果", "审结", "法人", "组织", "机构")


def answer_cell(question: str, norm: str, lang: str, row_terms: set[str], scope: list[str], place_words: set[str],
                facts: list[Fact], docs: dict[str, Document], note: str = "") -> Answer | None:
    """The cell's value with its quote, when the question names one template cell of exactly one report."""
    cell = target(question, row_terms)
    if cell is None or _residue(question, norm, lang, place_words) or len(years_named(norm)) > 1:
        return None
    found = [f for f in facts if f.doc_id in scope and (f.table, f.row, f.column) == cell and not f.uncertain]
    if len({f.doc_id for f in found}) != 1:
        return None
    return _compose(question, lang, found[0], docs[found[0].doc_id], note)


def _compose(question: str, lang: str, f: Fact, doc: Document, note: str) -> Answer:
    value = f"{int(f.value) if float(f.value).is_integer() else f.value}"
    section = next((" > ".join(p.section) for p in doc.paragraphs if p.start <= f.start < p.end + 1), "")
    citation = Citation(1, doc.id, doc.title, section, doc.text[f.start:f.end], f.start, f.end)
    what = f"{f.row_label.split(' > ')[-1]} · {f.column}"
    short = f"{value} {f.unit}" if lang == "en" else f"{value}{f.unit}"
    # the cell named on its own line, without the year: every number shown must be in the quote
    lines = [f"{short} [1]", f"({f.body} · {what})", "", f"「{citation.quote}」[1]", "",
             f"[1] {doc.title} › {section} ({doc.id})"]
    if note.startswith("latest_year:"):
        lines += ["", latest_year_line(lang)]
    return Answer(question, "\n".join(lines), True, [citation], notes=["table_cell"] + ([note] if note else []),
                  lang=lang, short=short, figure=Figure(value, f.unit, f"{f.row_label} | {f.column}", 1))


def place_words_of(info_norm: str, catalog) -> set[str]:
    """Place cores and their pinyin, as the question may write them."""
    cores = {c for c in catalog.place_cores if c in info_norm}
    return cores | {catalog.pinyin.get(c, "") for c in catalog.place_cores} | {normalize(c) for c in cores}

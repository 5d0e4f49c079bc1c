"""Single table cells answered from facts: a question that names only template terms (a row, a column, a place and
a year) is answered by the cell itself, quoted from its report. Anything else the question says (a channel, a
topic outside the template) sends it to the reader instead, so the template never answers what it does not hold.
"""

from __future__ import annotations

import re

import jieba

from bot.answer.extractive import latest_year_line
from bot.answer.intent import TOPIC_EN
from bot.answer.table import APPLICATIONS, ROW_CODES, ROW_TERMS
from bot.facts.extract import Fact
from bot.facts.questions import COMPLEMENT, years_named
from bot.facts.template import LABELS, T3_COLUMN_WORDS, T4_COLUMN_WORDS, t2_columns, t2_row_asked
from bot.models import Answer, Citation, Document, Figure
from bot.retrieve.query import GLOSSARY
from bot.store.lexical import words
from bot.text import normalize, to_simplified

_T4_ROW = re.compile(r"行政复议|复议|诉讼|起诉|被告|reconsideration|lawsuit|litigation|sued", re.I)
# table 四's column groups: 行政复议, then 行政诉讼 split into 未经复议直接起诉 and 复议后起诉
_T4_GROUPS = (("行政诉讼.复议后起诉", r"复议后.{0,4}(?:起诉|诉讼)|after\b.{0,80}\breconsideration|following (?:an? )?(?:administrative )?reconsideration"),
              ("行政诉讼.未经复议直接起诉", r"未经复议|直接起诉|without (administrative )?reconsideration|\bdirect"),
              ("", r"诉讼|起诉|被告|lawsuit|litigation|sued"),  # lawsuits in general: two cells, no single one
              ("行政复议", r"复议|reconsideration"))
_ASKING = re.compile(r"(有)?(几|多少)[件个条项次起宗份篇类笔批]?|是多少|有多少")  # "几件", "有多少": asking, not naming
# words that name nothing beyond what the template cell already is (question words, units, generic nouns)
_NEUTRAL_ZH = frozenset("多少 几 件 个 共 一共 总共 合计 总计 共计 全年 本年 本年度 年度 当年 政府 信息 政府信息 公开 信息公开 "
                        "政府信息公开 申请 公开申请 依申请 依申请公开 数量 情况 请问 收到 接到 受理 新收 办理 处理 结果 行政 "
                        "复议 行政复议 案件 数 总数 其中 结果 年 报告 年报 提出 申请人 是因为 来自 因为 原因 由于 属于 中有 当中 里面 情形 "
                        # function words and the asker's own scope words
                        "请求 原来 原 年底 年末 截至 截止 到 "
                        "各种 各类 各项 所有 加起来 起来 作为 共有 一共有 是 给 份 全市 全县 全区 全镇 全省 之中 里 中 涉及 关于 针对 对于 按 统计 次 被".split())


def _column(question: str, table: str) -> str:
    options = T3_COLUMN_WORDS if table == "三" else T4_COLUMN_WORDS
    return next((col for col, pattern in options if re.search(pattern, question, re.I)), "总计")


def target(question: str, row_terms: set[str], plain_means_new: bool = True) -> tuple[str, str, str] | None:
    """(table, row, column) the question means, or None when it names no single template cell."""
    table_two = _t2_target(question)
    if table_two is not None:
        return table_two
    if _T4_ROW.search(question):
        named = [r for r, pattern in _T4_GROUPS[:2] if re.search(pattern, question, re.I)]
        if len(named) > 1:
            return None  # direct suits and suits after reconsideration together: two cells, not one
        row = next(r for r, pattern in _T4_GROUPS if re.search(pattern, question, re.I))
        return ("四", row, _column(question, "四")) if row else None
    generic = not row_terms or row_terms <= {"本年新收", "办理结果总计"}  # named only by a verb: 收了, handled
    # an applicant column named with applications ("requests … came from citizens"): the year's new applications
    plain_means_new = plain_means_new or bool(_column(question, "三") != "总计" and APPLICATIONS.search(question))
    if len(row_terms) > 1 or (generic and not APPLICATIONS.search(question)) or not (row_terms or plain_means_new):
        return None  # a sub-row says itself what it counts; a verb alone or no row: only when applications are asked
    term = next(iter(row_terms), "本年新收")  # applications asked plainly: the new applications of the year
    return ("三", ROW_CODES[term], _column(question, "三")) if term in ROW_CODES else None


# table 二 (主动公开): the columns each row has; the template's own terms in Chinese and English
_T2_DOCUMENT_COLUMNS = (("本年新公开数量", r"新公开|newly (?:disclosed|published|made public|released)"),
                        ("对外公开总数量", r"对外公开总|公开总数|in total|out in the open|altogether|publicly available"),
                        ("本年制发件数", r"制发|出台|印发|新制作|制作|出了|issued?|issuing|produced|new"),
                        ("本年废止件数", r"废止|repeal|abolish"),
                        ("现行有效件数", r"现行有效|有效|in force|valid|effect"))
# the 2019–2020 template's columns of the decisions rows: the items of the year before, and the change
_T2_ITEM_COLUMNS = (("上一年项目数量", r"上一年|上年|previous year|year before|\b2019\b"),
                    ("本年增减", r"增减|增加|减少|增/减|change|increase|decrease|grew|fell"))


def _t2_target(question: str) -> tuple[str, str, str] | None:
    """A cell of table 二: rules and normative documents (issued / repealed / in force), the decisions on
    licences, penalties and coercive measures, and the administrative fees collected (万元)."""
    row = t2_row_asked(question)
    if row is None:
        return None
    if row == "政府集中采购":  # its projects, or their total amount (万元)
        amount = re.search(r"金额|多少钱|总额|万元|amount|how much|value|spent|spend", question, re.I)
        return "二", row, t2_columns(row)[1 if amount else 0]
    if len(t2_columns(row)) == 1:
        item = next((c for c, pattern in _T2_ITEM_COLUMNS if re.search(pattern, question, re.I)), None)
        return "二", row, item or t2_columns(row)[0]
    column = next((c for c, pattern in _T2_DOCUMENT_COLUMNS if re.search(pattern, question, re.I)), None)
    return ("二", row, column) if column else None


def _residue(question: str, norm: str, lang: str, place_words: set[str]) -> list[str]:
    """What the question says beyond the template cell, its place and its year."""
    if lang == "en":  # Chinese words in an English question quote the report's own term: they count too
        cjk = " ".join(re.findall(r"[\u4e00-\u9fff]+", norm))
        return _english_residue(question.lower(), place_words) + (_residue(cjk, cjk, "zh", place_words) if cjk else [])
    text = re.sub(r"\d{4}年?", " ", re.sub(r"(?<=[\u4e00-\u9fff])[了过着](?=[\u4e00-\u9fff])", "", norm))  # 制发了
    text = _TABLE_REF.sub(" ", text)
    return [w for w in words(text) if not _says_nothing_more(w, text, place_words)]


def _says_nothing_more(w: str, text: str, place_words: set[str]) -> bool:
    """The word is the asker's own (a question word, a neutral word, a verb for the row), names the place or the
    body, or is the template's (a piece of a row's own words too: 办完 of 没办完)."""
    return (w in _NEUTRAL_ZH or bool(_ASKING.fullmatch(w)) or _verb_before_row(text, w)
            or _names_place(w, place_words) or bool(_BODY.search(w)) or bool(_BODY_HAS.fullmatch(w))
            or any(term in w or w in term for term in _TEMPLATE_ZH) or _in_template(w)
            or any(w in r for r in _ROW_WORDS))


def _names_place(w: str, place_words: set[str]) -> bool:
    """A word of the place or the body. (A higher place said before it, "包头九原区", is not told from a verb
    before it, "知道淮安市": jieba tags 包头 a verb; such a word still counts.)"""
    return any(p in w or w in p for p in place_words)


# the Chinese words a question uses for template rows (bot.answer.table.ROW_TERMS: 办结, 全部公开, 反复申请)
_ROW_WORDS = frozenset(w for syns in ROW_TERMS.values() for w in syns if not w.isascii())


# the words of the template's specific rows (not the verbs of receiving and handling, which a channel may precede:
# "网上提交", "当面受理")
_SPECIFIC_ROW_WORDS = "|".join(sorted((w for t, syns in ROW_TERMS.items() if t not in ("本年新收", "办理结果总计")
                                       for w in syns if not w.isascii()), key=len, reverse=True))


def _verb_before_row(text: str, word: str) -> bool:
    """The asker's two-character verb right before a row's own words is that row's, no qualifier ("留到下一年度继续
    办理", "转到下一年")."""
    return len(word) == 2 and re.search(re.escape(word) + f"(?:{_SPECIFIC_ROW_WORDS})", text) is not None


# a table of the report named by its number ("年报表三中", "表二里"): the template's own structure, not a qualifier
_TABLE_REF = re.compile(r"表\s*[一二三四1-4]\s*(?:中|里|内)?")


def _in_template(word: str) -> bool:
    """The word, or each of its pieces, is in the template's labels ("正当理由", "处理结果" = 处理 + 结果)."""
    if word in LABELS:
        return True
    pieces = [p for p in jieba.cut_for_search(word) if len(p) >= 2 and p != word]
    return bool(pieces) and all(p in LABELS for p in pieces)


_BODY = re.compile(r"(局|委|厅|院|政府|中心|委员会)$")  # a body's name, abbreviated too ("发改局"): the scope's business
_BODY_HAS = re.compile(r"[局委厅院府办][有是在的因对]")  # a body name's last character cut with the verb after it: "审批局有" -> 局有


def _english_residue(low: str, place_words: set[str] = frozenset()) -> list[str]:
    """English words the genre glossary renders as something outside the template ("online" -> 网络, a channel).
    Words it does not know ("statutory", "dropped") name nothing the reports could hold apart from the cell, and
    words of the asked body's name ("administrative approval" of 行政审批局) name the report."""
    out = []
    topic = TOPIC_EN.search(low)
    if topic and topic.group(1) not in _TEMPLATE_EN and topic.group(1) not in place_words:
        out.append(topic.group(0))  # what the requests were about: a topic no template cell counts apart
    names = [w for w in place_words if len(w) >= 3 and not w.isascii()]
    for phrase, alts in GLOSSARY.items():
        if re.search(r"\b" + re.escape(phrase) + r"\b", low) and not any(
                a in _NEUTRAL_ZH or a in _ADMIN_UNITS or any(t in a or a in t for t in _TEMPLATE_ZH + tuple(ROW_CODES))
                or any(a in n for n in names) for a in alts):
            out.append(phrase)
    return out


# English words of the template's own rows and of information disclosure itself
_TEMPLATE_EN = frozenset(w for syns in ROW_TERMS.values() for s in syns if s.isascii() for w in s.split()) | frozenset(
    "information government disclosure disclosing public applications application requests request this that it "
    "them these those".split())
_ADMIN_UNITS = frozenset("省 市 县 区 镇 乡 村 局 条 项 个 件 人 人次 户 网站 费 收费".split())
_TEMPLATE_ZH = ("自然人", "个人", "公民", "商业企业", "企业", "科研机构", "社会公益组织", "法律服务机构", "律师", "予以公开",
                "全部公开", "部分公开", "不予公开", "国家秘密", "第三方", "内部事务", "过程性", "执法案卷", "行政查询",
                "无法提供", "不掌握", "另行制作", "没有现成", "不明确", "不予处理", "信访", "举报", "投诉", "重复",
                "出版物", "反复", "公司", "答复", "重新出具", "确认", "其他处理", "补正", "逾期", "缴纳", "结转", "下年", "上年",
                "继续", "维持", "纠正", "其他结果", "审结", "法人", "组织", "机构", "诉讼", "起诉", "未经", "直接",
                # table 二
                "规章", "规范性文件", "制发", "新制", "出台", "印发", "废止", "现行有效", "有效", "许可", "处罚", "强制",
                "行政事业性收费", "收费", "收取", "金额", "万元", "决定", "作出", "不再",
                # table 二 of the 2019–2020 template
                "上一年", "项目", "事项", "增减", "新公开", "对外公开", "新制作", "制作", "对外管理", "其他主动公开",
                "集中采购", "政府采购", "采购", "总金额",
                # the tables' own titles and the parties of table 四
                "主动公开", "被告")


_ETC = re.compile(r"[\u4e00-\u9fff]{2}等(原因|情形|情况|方式|渠道)")  # "不掌握等原因", "网络等渠道"


def answer_cell(question: str, norm: str, lang: str, row_terms: set[str], scope: list[str], place_words: set[str],
                facts: list[Fact], docs: dict[str, Document], note: str = "") -> Answer | None:
    """The cell's value with its quote, when the question names one template cell of exactly one report."""
    if _ETC.search(norm):
        return None  # "不掌握等原因无法提供": a ground followed by 等 means its whole row, not that ground alone
    # an English question's verbs are only partly known: it must name its row ("received", "granted in full")
    cell = target(to_simplified(question), row_terms, plain_means_new=lang != "en")
    if COMPLEMENT.search(norm):
        if cell is None or not cell[1].startswith("其他"):
            return None  # what is left without some parts: computed (bot.answer.parts), never one cell
        # "除规范性文件以外的其他主动公开文件": the template's own remainder row is the cell asked
        question, norm = COMPLEMENT.sub(" ", question), COMPLEMENT.sub(" ", norm)
    years = sorted(years_named(norm))
    # the items of the year before are asked with that year too ("2020年报告中…上一年（2019年）有几项")
    item_year = cell is not None and cell[2] == "上一年项目数量" and len(years) == 2 and years[1] - years[0] == 1
    if cell is None or _residue(question, norm, lang, place_words) or (len(years) > 1 and not item_year):
        return None
    found = [f for f in facts if f.doc_id in scope and (f.table, f.row, f.column) == cell and not f.uncertain]
    if len({f.doc_id for f in found}) != 1:
        return None
    return _compose(question, lang, found[0], docs[found[0].doc_id], note)


def _compose(question: str, lang: str, f: Fact, doc: Document, note: str) -> Answer:
    value = f"{int(f.value) if float(f.value).is_integer() else f.value}"
    section = next((" > ".join(p.section) for p in doc.paragraphs if p.start <= f.start < p.end + 1), "")
    citation = Citation(1, doc.id, doc.title, section, doc.text[f.start:f.end], f.start, f.end)
    what = f"{_row_name(f.row_label.split(' > ')[-1])} · {f.column}"
    short = f"{value} {f.unit}" if lang == "en" else f"{value}{f.unit}"
    # the cell named on its own line, without the year: every number shown must be in the quote
    lines = [f"{short} [1]", f"({f.body} · {what})", "", f"「{citation.quote}」[1]", "",
             f"[1] {doc.title} › {section} ({doc.id})"]
    if note.startswith("latest_year:"):
        lines += ["", latest_year_line(lang)]
    return Answer(question, "\n".join(lines), True, [citation], notes=["table_cell"] + ([note] if note else []),
                  lang=lang, short=short, figure=Figure(value, f.unit, f"{f.row_label} | {f.column}", 1))


_ROW_MARK = re.compile(r"[一二三四五六七]、|（[一二三四五六七]）|\d\.")  # "一、", "（三）", "2." begin a template row


def _row_name(label: str) -> str:
    """A row's own name: a flattened table's label runs on from the headers before it ("…法律服务机构其他一、本年新收
    政府信息公开申请数量"), the row begins at its last mark."""
    marks = list(_ROW_MARK.finditer(label))
    return label[marks[-1].start():] if len(label) > 30 and marks else label


# words of a combined question that ask for the arithmetic, not for a cell ("加起来", "占比", "变化趋势")
_OPERATION_ZH = frozenset("哪家 一家 哪一家 两家 三家 四家 几家 这两家 这三家 这几家 更多 更少 更高 更低 分别 各 各自 如何 怎样 怎么样 情况 起来 加起来 百分之 百分比 比例 比重 占比 减少 增加 增长 下降 变化 趋势 变化趋势 大约 两项 两者 两年 "
                          "提出 相差 差额 最多 最少 最高 最低 排名 相比 上年 去年".split())


_OPERATION_EN = frozenset("percentage percent rate share proportion total together combined trend change".split())
OPERATION_WORDS = _OPERATION_ZH | _OPERATION_EN  # (the service also ignores them in operands)


def outside_template(question: str, norm: str, lang: str, place_words: set[str]) -> list[str]:
    """What a combined question names beyond template cells, places, years and its arithmetic: a qualifier
    ("全市收办", "城乡低保") that the statutory tables do not hold, so their facts cannot answer it."""
    return [w for w in _residue(question, norm, lang, place_words) if w not in OPERATION_WORDS]


def place_words_of(info_norm: str, catalog) -> set[str]:
    """Place cores and their pinyin, as the question may write them."""
    cores = {c for c in catalog.place_cores if c in info_norm}
    return cores | {catalog.pinyin.get(c, "") for c in catalog.place_cores} | {normalize(c) for c in cores}

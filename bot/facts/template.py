"""The statutory template's own vocabulary (2019 template, revised 2021): tables 二, 三 and 四, their canonical
rows and columns, and the words that name them. Labels are matched on the normalized text (bot.text.normalize:
simplified, half-width), so traditional or full-width reports match too."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import normalize

T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4_ROWS = ("行政复议", "行政诉讼.未经复议直接起诉", "行政诉讼.复议后起诉")
MIDS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）")

# the words a question uses for a column: table 三's applicant columns and table 四's result columns (patterns
# over the question, Chinese and English)
T3_COLUMN_WORDS = (("自然人", r"自然人|个人|公民|individual|natural person|citizen"),
                   ("商业企业", r"商业企业|企业|公司|compan|business|enterprise|\bfirms?\b"), ("科研机构", r"科研机构|research"),
                   ("社会公益组织", r"社会公益组织|公益|public.welfare|ngo\b|non-?profit"),
                   ("法律服务机构", r"法律服务机构|律师|law firm|legal service"))
T4_COLUMN_WORDS = (("结果维持", r"维持|upheld|maintained|sustained"),
                   ("结果纠正", r"纠正|corrected|overturned|revoked"),
                   ("其他结果", r"其他结果|other (result|outcome)"),
                   ("尚未审结", r"尚未审结|未审结|pending|not (yet )?concluded"))
# table 二 (主动公开): the words a question uses for each row, in Chinese and English
T2_ROW_WORDS = (("其他主动公开文件", r"其他主动公开|other (?:proactively )?(?:disclosed|published|public) documents"),
                ("其他对外管理服务事项", r"其他对外管理|other external management"),
                ("行政规范性文件", r"规范性文件|normative"), ("规章", r"规章|\brules\b|\bregulations\b"),
                ("行政许可", r"行政许可|许可|licens|permit"), ("行政处罚", r"行政处罚|处罚|penalt"),
                ("行政强制", r"行政强制|强制|coerci|enforcement measure"),
                ("行政事业性收费", r"行政事业性收费|administrative fee"),
                ("政府集中采购", r"集中采购|政府采购|procurement"))

# column headers of tables 二, 三 and 四 that only a statutory table writes: a paragraph holding one is a table whose
# cell borders were lost ("信息内容本年制发件数…规章000行政规范性文件2023…")
RUN_ON_HEADERS = ("申请人情况", "信息内容", "结果维持")

# the template's labels in full (tables 二, 三, 四 of the 2021 revision), normalized: a question's word found here
# names a template row or column, not something the tables leave out
LABELS = normalize(
    "第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 行政规范性文件 第二十条第（五）项 "
    "本年处理决定数量 行政许可 第二十条第（六）项 行政处罚 行政强制 第二十条第（八）项 本年收费金额（单位：万元） "
    "行政事业性收费 申请人情况 自然人 法人或其他组织 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计 "
    "一、本年新收政府信息公开申请数量 二、上年结转政府信息公开申请数量 三、本年度办理结果 （一）予以公开 "
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形） （三）不予公开 1.属于国家秘密 "
    "2.其他法律行政法规禁止公开 3.危及“三安全一稳定” 4.保护第三方合法权益 5.属于三类内部事务信息 "
    "6.属于四类过程性信息 7.属于行政执法案卷 8.属于行政查询事项 （四）无法提供 1.本机关不掌握相关政府信息 "
    "2.没有现成信息需要另行制作 3.补正后申请内容仍不明确 （五）不予处理 1.信访举报投诉类申请 2.重复申请 "
    "3.要求提供公开出版物 4.无正当理由大量反复申请 5.要求行政机关确认或重新出具已获取信息 （六）其他处理 "
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 "
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 3.其他 （七）总计 "
    "四、结转下年度继续办理 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 未经复议直接起诉 复议后起诉")

# table 三: the words of each row, as the template writes them (normalized)
_T3_TOP = (("一", ("本年新收",)), ("二", ("上年结转",)), ("四", ("结转下年",)))
_T3_MID = (("（一）", ("予以公开",)), ("（二）", ("部分公开",)), ("（三）", ("不予公开",)), ("（四）", ("无法提供",)),
           ("（五）", ("不予处理",)), ("（六）", ("其他处理",)), ("（七）", ("总计",)))
_T3_SUB = {
    "（三）": (("1", ("国家秘密",)), ("2", ("禁止公开", "其他法律")), ("3", ("三安全", "一稳定")),
              ("4", ("第三方",)), ("5", ("内部事务",)), ("6", ("过程性",)), ("7", ("执法案卷",)),
              ("8", ("行政查询",))),
    "（四）": (("1", ("不掌握",)), ("2", ("另行制作", "没有现成")), ("3", ("补正后", "仍不明确"))),
    "（五）": (("1", ("信访", "举报投诉")), ("2", ("重复申请",)), ("3", ("公开出版物",)), ("4", ("大量反复",)),
              ("5", ("重新出具", "确认或"))),
    "（六）": (("1", ("不补正",)), ("2", ("缴纳费用", "收费通知"))),
}
SUBS = {mid: tuple(n for n, _ in subs) + (("3",) if mid == "（六）" else ()) for mid, subs in _T3_SUB.items()}
T3_ROWS = ("一", "二", *[f"三.{m}" + (f".{s}" if s else "") for m in MIDS for s in (("",) + SUBS.get(m, ()))], "四")

# table 二: rows and columns
# (the 2019–2020 template also has 其他主动公开文件 and 其他对外管理服务事项; a zh-TW conversion writes 文件 as 档案)
_T2_ROWS = (("其他主动公开文件", ("其他主动公开",)), ("其他对外管理服务事项", ("其他对外管理",)),
            ("行政规范性文件", ("规范性文件", "规范性档案")), ("规章", ("规章",)), ("行政许可", ("许可",)),
            ("行政处罚", ("处罚",)), ("行政强制", ("强制",)), ("行政事业性收费", ("收费",)),
            ("政府集中采购", ("集中采购", "政府采购")))  # 第二十条第（九）项 of the 2019–2020 template
_T2_COLS = (("本年制发件数", ("制发", "新制作")), ("本年废止件数", ("废止",)), ("现行有效件数", ("现行有效",)),
            ("本年处理决定数量", ("处理决定",)),
            ("采购项目数量", ("采购项目",)), ("采购总金额", ("采购总金额", "采购金额")),  # (before 收费's bare 金额)
            ("本年收费金额", ("收费金额", "金额")),
            # the 2019–2020 template's columns: 本年新制作数量 (above), 本年新公开数量, 对外公开总数量; 上一年项目数量,
            # 本年增/减, 处理决定数量 (above)
            ("本年新公开数量", ("新公开",)), ("对外公开总数量", ("对外公开总", "公开总数")),
            ("上一年项目数量", ("上一年项目", "上一年")), ("本年增减", ("增/减", "增减", "本年增")))
_NUMBERING = re.compile(r"^[(（]?[0-9一二三四五六七八九十]+[)）]?[.、．]?\s*")


@dataclass(frozen=True)
class Place:
    """Where a value sits in the template: table, canonical row, canonical column, unit."""

    table: str
    row: str
    column: str
    unit: str = "件"


def _norm(text: str) -> str:
    return normalize(text).replace(" ", "").replace("(", "（").replace(")", "）")


def _has(text: str, words) -> bool:
    return any(w in text for w in words)


def t3_row(label: str, previous: str = "") -> str | None:
    """The canonical table-三 row of a row label ("三.（三）.1"), or None. `previous`: the row above, which
    names the parent when a page break cut it from the label."""
    segs = [s for s in _norm(label).split(">") if s]
    if not segs:
        return None
    last, whole = segs[-1], "".join(segs)
    for mid, subs in _T3_SUB.items():
        for num, words in subs:
            if _has(last, words):
                return f"三.{mid}.{num}"
    in_six = "其他处理" in whole or previous.startswith("三.（六）.")
    if in_six and _NUMBERING.sub("", last) == "其他" and "其他处理" not in last:
        return "三.（六）.3"
    for mid, words in _T3_MID:
        if _has(last, words) and (mid != "（七）" or "办理结果" in whole or last.startswith("（七）")):
            return f"三.{mid}"
    for top, words in _T3_TOP:
        if _has(whole, words):
            return top
    return None


def t3_column(header: str) -> str | None:
    last = _norm(header).split("/")[-1]
    for col, words in (("自然人", ("自然人",)), ("商业企业", ("商业企业",)), ("科研机构", ("科研机构",)),
                       ("社会公益组织", ("公益组织",)), ("法律服务机构", ("法律服务",)), ("总计", ("总计", "合计"))):
        if _has(last, words):
            return col
    return "其他" if last == "其他" else None


def t4_place(header: str) -> tuple[str, str] | None:
    """(row, column) of a table-四 header such as "行政诉讼/复议后起诉/结果维持"."""
    h = _norm(header)
    parts = h.split("/")
    col = next((c for c, w in (("结果维持", "维持"), ("结果纠正", "纠正"), ("其他结果", "其他"),
                               ("尚未审结", "尚未"), ("总计", "总计")) if w in parts[-1]), None)
    if col is None:
        return None
    if "直接起诉" in h:
        return "行政诉讼.未经复议直接起诉", col
    if "复议后" in h:
        return "行政诉讼.复议后起诉", col
    return ("行政复议", col) if "复议" in h else None


T2_DOCUMENT_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")


def t2_documents_hold(issued: int, abolished: int, in_force: int) -> bool:
    """What a rules or normative-documents row of table 二 must hold: those issued this year and not abolished are
    in force ("行政规范性文件2023" is 2 issued, 0 abolished, 23 in force; not 20, 2, 3)."""
    return in_force >= issued - abolished


def t2_columns(row: str) -> tuple[str, ...]:
    """The columns a table-二 row has: rules and normative documents three, the others one."""
    if row in ("规章", "行政规范性文件", "其他主动公开文件"):
        return T2_DOCUMENT_COLUMNS
    if row == "政府集中采购":
        return ("采购项目数量", "采购总金额")
    return ("本年收费金额",) if row == "行政事业性收费" else ("本年处理决定数量",)


def t2_row(label: str) -> str | None:
    # a row's explanation in brackets names other rows ("其他对外管理服务事项（…含行政处罚、行政强制…）"): not its name
    n = re.sub(r"（[^）]*）?", "", _norm(label))
    return next((row for row, words in _T2_ROWS if _has(n, words)), None)


def t2_column(header: str) -> tuple[str, str] | None:
    """(column, unit) of a table-二 header."""
    whole = re.sub(r"（[^）]*）?", "", _norm(header))  # "本年增/减（指2020年增加或减少的事项数…）"
    n = _norm(header).split("/")[-1]
    col = next((c for c, words in _T2_COLS if _has(whole, words) and "/" in words[0]), None) or \
        next((c for c, words in _T2_COLS if _has(n, words)), None)
    if col is None:
        return None
    return col, t2_unit(col)


def t2_header(text: str) -> list[tuple[str, str]]:
    """The (column, unit) pairs a table-二 header line names, in order ("信息内容 本年制发件数 本年废止件数 …");
    [] when the line is not such a header."""
    n = _norm(text)
    if not n.startswith("信息内容"):
        return []
    spans = []  # (where, length, column) of each column's earliest word, the longer at a tie
    for col, words in _T2_COLS:
        hits = [(n.find(w), len(w)) for w in words if w in n]
        if hits:
            at, length = min(hits, key=lambda h: (h[0], -h[1]))
            spans.append((at, length, col))
    # a word inside another column's longer word names no column of its own ("金额" of "采购总金额")
    found = sorted((at, col) for at, length, col in spans
                   if not any(a <= at and at + length <= a + ln and ln > length for a, ln, _ in spans))
    return [(col, t2_unit(col)) for _, col in found]


T2_MONEY_COLUMNS = ("本年收费金额", "采购总金额")


def t2_unit(column: str) -> str:
    return "万元" if column in T2_MONEY_COLUMNS else "件"


def table_of_header(header: str) -> str | None:
    """Which table a column header belongs to."""
    if t4_place(header) and _has(_norm(header), ("复议", "诉讼")):
        return "四"
    if _norm(header).split("/")[-1] in T4_COLUMNS[:4]:  # 结果维持 … 尚未审结 are table 四's alone
        return "四"
    if t3_column(header):
        return "三"
    return "二" if t2_column(header) else None


def t2_row_asked(question: str) -> str | None:
    """The table-二 row a question names, in the template's words or English ("other proactively disclosed
    documents" -> 其他主动公开文件)."""
    return next((r for r, pattern in T2_ROW_WORDS if re.search(pattern, question, re.I)), None)

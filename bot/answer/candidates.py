"""Candidates: the sentences of the retrieved passages, and in each the typed figure bound to what was asked."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answer.concepts import GENERIC, Concept, coverage
from bot.answer.intent import (
    COUNT,
    DATE,
    MONEY,
    PERCENT,
    PHONE,
    YEAR,
    Intent,
)
from bot.answer.numbers import MONTH, UNITS, Quantity, extract_quantities, is_list_mark
from bot.chunk import split_sentences
from bot.facts.template import RUN_ON_HEADERS, T3_COLUMNS
from bot.models import Document
from bot.retrieve import Retrieval
from bot.store.lexical import words as base_words
from bot.text import normalize, says

# clauses: at punctuation (not the colon of a clock time, "16:56"), and at a space after a figure unless its unit or
# 月 follows ("… 12 3 0 16" splits, "新闻发布会 12 场" and "今年6 月份" do not)
CLAUSE_SPLIT = re.compile(rf"[,，;；：、（）()]|(?<!\d):|:(?!\d)|(?<=\d)\s(?!\s*(?:余|多|以上)?\s*(?:{UNITS}|月))(?=\D)")
_TABLE_CELL = re.compile(r"\s*\|\s*")
# a month, with or without its year: "2008年11月", "今年8月份", "10月底" (not "8月15日", a date)
_YEAR_MONTH = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月(?:份)?|" + MONTH.pattern)


@dataclass
class Sentence:
    doc: Document
    section: str
    start: int
    end: int
    text: str
    norm: str
    rank: int  # rank of its chunk in retrieval
    dense: float


MAX_WHOLE_REPORTS = 2  # a question scoped to this many reports reads all of them, not only the retrieved chunks


def read_sentences(retrieval: Retrieval, docs: dict[str, Document], retriever=None) -> list[Sentence]:
    """The sentences of the retrieved chunks, in retrieval order; when the question names one or two reports,
    then every other sentence of theirs (ranked last): the answer is in them though the search missed it."""
    chunks = [(rank, hit.chunk, retrieval.dense_scores.get(hit.chunk.id, 0.0)) for rank, hit in enumerate(retrieval.hits)]
    if retriever is not None and len(retrieval.scope) <= MAX_WHOLE_REPORTS:
        seen = {c.id for _, c, _ in chunks}
        chunks += [(len(seen), c, 0.0) for c in retriever.chunks_of(retrieval.scope) if c.id not in seen]
    out: list[Sentence] = []
    for rank, c, dense in chunks:
        doc = docs[c.doc_id]
        spans = [(c.start, c.end)] if " | " in c.text else split_sentences(c.text, c.start)
        for s, e in spans:
            text = doc.text[s:e]
            out.append(Sentence(doc, c.section_path, s, e, text, normalize(text), rank, dense))
    return out


def quantities(text: str):
    return [_unit_before(text, q) for q in extract_quantities(text)
            if q.kind in ("number", "percent") and not _digit_run(text, q)]


# a statistics table read as text, its unit column before the value: "主动公开信息数 条 69 其中：1、网站公开 条 69"
_UNIT_COLUMN = re.compile(r"(?:^|\s)(条|件|个|项|次|人次|人|户|万元|元)\s+$")


def _unit_before(text: str, q):
    m = _UNIT_COLUMN.search(text, 0, q.start) if not q.unit and q.kind == "number" else None
    return replace(q, unit=m.group(1)) if m else q


_GLUED = re.compile(r"[\u4e00-\u9fff）)]")


def run_on_table(s: Sentence) -> bool:
    """A statutory table whose cell borders were lost, its headers run into the text ("信息内容本年制发件数…
    规章000行政规范性文件2023…"): its figures are read as cells by bot.facts, never bound as a sentence's."""
    return " | " not in s.text and (any(h in s.text for h in RUN_ON_HEADERS) or bool(_FLAT_ROW.search(s.text)))


# a template row with its figures run on: "（一）予以公开5000005", "1.本机关不掌握相关政府信息 4000004"
_FLAT_ROW = re.compile(r"[\u4e00-\u9fff）)”](?<![约近达共超逾])\s?\d{3,}\s*$")  # (not "互动回应约3000": a figure)


def _digit_run(text: str, q) -> bool:
    """Digits that are no figure of their own: a flattened table's run ("规章000行政规范性文件2023第二十条": the cells
    of a row, read by bot.facts), glued to words on both sides with no unit, or written with a leading zero."""
    raw = q.raw.strip()
    if q.unit or not raw.isdigit():
        return False
    if len(raw) > 1 and raw.startswith("0"):
        return True
    before, after = text[q.start - 1:q.start], text[q.end:q.end + 1]
    return before != "第" and bool(_GLUED.fullmatch(before)) and bool(_GLUED.fullmatch(after))


_NOT_A_COUNT = ("%", "‰", "个百分点", "倍")


# measure words that count the same things in this genre: applications come in 件 or 份, cases in 件 or 起
_SAME_MEASURE = {"份": "件", "起": "件"}


# the general measure words an asker picks loosely ("几件实事" of "实事4项"); a clause's figure in another of them
# answers when none in the asked one does
_LOOSE_MEASURES = frozenset("件项个条")


def fits(q, it: Intent, unit_hint: str = "", loose: bool = False) -> bool:
    """A candidate of the wrong answer type is never shown: a rate for a count, an amount for a percentage."""
    unit = normalize(q.unit or unit_hint)
    if it.atype == PERCENT:
        return q.kind == "percent" or unit in ("%", "‰")
    if q.kind != "number" or unit in _NOT_A_COUNT:
        return False
    if it.atype == MONEY:
        return "元" in unit
    if "元" in unit:
        return False
    if it.units:
        unit = unit.lstrip("万亿") or unit  # "12万余条" counts 条
        unit = _SAME_MEASURE.get(unit, unit)
        asked = {_SAME_MEASURE.get(u, u) for u in it.units}
        if loose and unit in _LOOSE_MEASURES and asked <= _LOOSE_MEASURES and q.raw[:1].isdigit():
            return True
        # (a count asked in 次 may be stated in 人次: "被访问了多少次" of "总访问次数达7854070人次")
        return any(unit.startswith(u) or (unit and u.startswith(unit)) or (u == "次" and unit.endswith("次"))
                   for u in asked)
    return True


def first_of_kind(text: str, kinds: tuple[str, ...]):
    qs = extract_quantities(text)
    for kind in kinds:
        if kind == "month":
            m = _YEAR_MONTH.search(text)
            if m:
                return Quantity(m.group(0), m.group(0), m.start(), m.end(), kind="date"), (m.start(), m.end()), True
            continue
        q = next((q for q in qs if q.kind == kind), None)
        if q is not None:
            return q, (q.start, q.end), True
    return None


def _bind_table_row(text: str, cs: list[Concept], it: Intent):
    """A table row "label | header: value | ... | 总计: value": the column the question names, else the total."""
    plain = re.sub(r"第[一二三四五六七八九十百]+[条项款]", "", text)  # "第二十条" names a clause, not a unit
    if it.atype == COUNT and it.units and "件" not in it.units and not any(u in plain for u in it.units):
        return None  # the statutory tables count in 件; "多少条" asks about something else
    cells = _TABLE_CELL.split(text)
    if not any(":" in c or "：" in c for c in cells[1:]):
        figures = row_figures(text, it)
        if len(figures) == len(T3_COLUMNS):
            return _table3_column(figures, cs)
        if len(figures) > 1:
            return None  # "其他主动公开文件 | 56 | 45": columns without their headers, no figure is known to be asked
    best, tied = None, False
    for cell in cells[1:]:
        header = normalize(cell.split(":")[0].split("：")[0])
        hint = "万元" if "万元" in header else ("元" if "元" in header else "件")
        qs = [q for q in quantities(cell) if fits(q, replace(it, units=()), hint)]
        if not qs:
            continue
        # a column named by the question's longest term wins ("行政复议/总计" over "复议后起诉/总计")
        score = sum(c.weight * max((len(a) for a in c.alternatives if a in header), default=0)
                    / max(len(a) for a in c.alternatives) for c in cs if not c.rendered)  # columns: own words
        if "总计" in header or "合计" in header:
            score += 0.01  # the total unless the question names a column
        if best is not None and score == best[0]:
            tied = True
        if best is None or score > best[0]:
            best, tied = (score, qs[-1], cell), False
    if best is None or tied:
        return None  # (two columns fit the question alike: "本年新公开数量" and "对外公开总数量" asked "publicly")
    q, cell = best[1], best[2]
    offset = text.find(cell)
    header = normalize(cell.split(":")[0]).split("/")
    # "行政复议/总计" states the asked figure outright; a sub-column total does not
    tight = len(header) <= 2 and any(a == header[0] for c in cs for a in c.alternatives)
    return q, (offset, offset + len(cell)), tight


_ROW_CELL = re.compile(r"[^|\s][^|]*?(?=\s*(?:\||$))")  # a cell of "label | 40 | 2 |" without its spaces


def row_figures(text: str, it: Intent) -> list[tuple[Quantity, tuple[int, int]]]:
    """The figures of a table row's value cells, each with the span of its cell in `text`."""
    cells = list(_ROW_CELL.finditer(text))[1:]
    return [(q, m.span()) for m in cells for q in quantities(m.group()) if fits(q, replace(it, units=()), "件")]


def _table3_column(figures: list[tuple[Quantity, tuple[int, int]]], cs: list[Concept]):
    """A table-三 row whose header row was lost across a page ("1.本机关不掌握相关政府信息 | 30 | 1 | 0 | 0 | 2 |
    0 | 33"): its 7 figures are the template's 7 columns, so a column is known by its place; 总计 unless the
    question names another. "法人" alone names five columns: no figure."""
    asked = {a for c in cs for a in c.alternatives}
    named = [k for k, col in enumerate(T3_COLUMNS[:-2])
             if any(col in a for a in asked) or set(base_words(col)) <= asked]  # 商业企业 may come as 商业 + 企业
    if len(named) > 1 or (not named and any("法人" in a for a in asked)):
        return None
    q, span = figures[named[0] if named else -1]
    return q, span, False


# what the genre's figures count, in the words of the template and the reports
_COUNTED = ("行政复议", "复议", "行政诉讼", "诉讼", "申请", "咨询", "投诉", "举报", "信访", "建议", "提案")


def _counts_another_thing(lead: str, cs: list[Concept]) -> bool:
    """The figure counts another of the genre's things than the one asked: in "依申请公开领域行政复议案件25件"
    25 counts reconsiderations (the last such word before it), not applications."""
    found = [(lead.rfind(w) + len(w), w) for w in _COUNTED if w in lead]
    asked = [a for c in cs for a in c.alternatives if any(w in a or a in w for w in _COUNTED)]
    if not found or not asked:
        return False  # the question names none of them ("新收"): nothing to disagree with
    last = max(found)[1]
    return not any(last in a or a in last for a in asked)


_JOINT = re.compile("({0})(?:和|与|及|以及|、)({0})".format("|".join(_COUNTED)))  # "行政复议和行政诉讼案件共2件"


def _counts_jointly(lead: str, cs: list[Concept]) -> bool:
    """The figure counts two of the genre's things together and the question asks for one of them alone."""
    joints = list(_JOINT.finditer(lead))
    if not joints:
        return False
    m = joints[-1]
    asked = [any(m.group(k) in a or a in m.group(k) for c in cs for a in c.alternatives) for k in (1, 2)]
    return asked[0] != asked[1]


_PARTS_START = re.compile(r"其中|包括|(?:事项|内容)(?:主要)?涉及")  # "…申请共计8件，申请事项涉及政策法规信息1件、…"


def figure_clauses(text: str) -> list[str]:
    """The clauses of a sentence, a figureless piece after "、" kept with the clause before it: "、" lists the nouns
    of one item too ("28条被市委、市政府信息网站或刊物采用"), not only items with figures ("当面申请82件、网络申请29件")."""
    out: list[str] = []
    pos = 0
    for m in [*CLAUSE_SPLIT.finditer(text), None]:
        piece = text[pos:m.start() if m else len(text)]
        if out and text[pos - 1:pos] == "、" and not re.search(r"\d", piece):
            out[-1] += "、" + piece
        else:
            out.append(piece)
        pos = m.end() if m else pos
    return out


def _total_clause(text: str) -> tuple[str, int]:
    """For parts listed after their total ("受理…申请30件，其中网上申请10件，信函申请15件"): what the total's clause
    says, and where the parts begin (("", -1) for a sentence without them). It qualifies every part, so a part is
    chosen by the words only it says ("信函")."""
    m = _PARTS_START.search(text)
    figures = [q for q in quantities(text[:m.start()]) if q.kind == "number"] if m and m.start() > 0 else []
    if not figures:
        return "", -1
    # from the clause of the total's figure to 其中 (a heading run into the sentence before it says no more)
    start = max((e.end() for e in CLAUSE_SPLIT.finditer(text, 0, figures[-1].start)), default=0)
    return normalize(text[start:m.start()]) + " ", m.start()


def _adds_to_total(total: str, part: str, cs: list[Concept], topic: bool = False) -> bool:
    """The part's clause names an asked word of the question's own that its total does not, or two dictionary
    renderings of the asker's English words ("local matching" -> 地方配套资金): one guess alone may be chance, unless
    the question asks what the things counted were about ("how many were about … filing records": 小区备案信息6件)."""
    adds = [c for c in cs if any(says(part, a) for a in c.alternatives + (() if c.rendered else c.partial))
            and not any(says(total, a) for a in c.alternatives)]
    return any(not c.rendered for c in adds) or sum(c.rendered for c in adds) >= (1 if topic else 2)


def _not_the_body(cs: list[Concept], sent: Sentence) -> list[Concept]:
    """The asked words that do not name the report's body: "(财政与编制) website" asked of 财政与编制政务公开办公室
    names the report, and a part's "财政和编制部门直接答复" does not say more than its total by it."""
    body = normalize(sent.doc.body or "")
    return [c for c in cs if not (body and all(len(a) >= 2 and a in body for a in c.alternatives))]


def _place_part(sent: Sentence, it: Intent):
    """A place the question names that is not the report's own, with its figure in a breakdown of the report's total
    ("…3607件（市政府349件、沭阳县477件、泗阳县301件…）"): that figure is the place's."""
    own = (sent.doc.body or "") + (sent.doc.region or "")
    for place in (p for p in it.places if p not in own):
        for q in quantities(sent.text):
            lead = re.search(re.escape(place) + r"[省市县区镇乡]?(?:的|共|为)?\s*$", sent.text[max(0, q.start - 12):q.start])
            if lead and fits(q, it):
                start = q.start - len(lead.group())  # (the bound figure's offsets are within its clause)
                return replace(q, start=q.start - start, end=q.end - start), (start, q.end), True
    return None


def _bind_quantity(sent: Sentence, cs: list[Concept], it: Intent):
    """The figure the question asks for: in the clause that best matches the question, right after its terms."""
    text = sent.text
    if " | " in text:
        return _bind_table_row(text, cs, it)
    part = _place_part(sent, it)
    if part is not None:
        return part
    best, widened = None, False
    pos = 0
    has_head = any(c.head for c in cs)
    total_text, parts_at = _total_clause(text)
    not_body = _not_the_body(cs, sent)  # (the asked words a part may add to its total, or name after its figure)
    given = {v for v, _ in it.given}
    for clause in figure_clauses(text):
        cstart = text.find(clause, pos)
        pos = cstart + len(clause)
        found = quantities(clause)
        # (a list item's number is read in the sentence: the clause split cut "1" of "1、进一步规范…" from its 、)
        qs = [q for q in found if not is_list_mark(text, cstart + q.start) and q.value not in given]
        norm_clause = normalize(clause)
        qs = [q for q in qs if fits(q, it)] or [q for q in qs if fits(q, it, loose=True) and _touches(norm_clause, q, cs)]
        if not qs:
            continue
        total = total_text if 0 <= parts_at <= cstart + 2 else ""
        if total and not _adds_to_total(total, norm_clause, not_body, it.topic):
            continue  # a part that says nothing asked beyond its total: the total answers
        cov, head_ok = coverage(total + norm_clause, cs)
        # the counted thing comes just before its figure ("上年度结转申请34件"): take the first figure after
        # the last term of the question, and prefer a clause where they touch
        end_of = {a: norm_clause.rfind(a) + len(a) for c in cs for a in c.alternatives + c.partial
                  if a in norm_clause}
        ends = list(end_of.values())
        after = [q for q in qs if ends and q.start >= max(ends)] or qs  # (offsets within the clause)
        named = [q for q in qs if _names_after(norm_clause, q, cs)]
        if not named and it.atype == COUNT and (after is qs or _counts_unasked(norm_clause, after[0], cs)):
            named = [q for q in qs if _names_after(norm_clause, q, not_body, heads_only=False)]
        if named and named[0] is not after[0]:
            after = named[:1]  # "专栏8个大项56个子项" asked 子项: the figure whose measure the asked noun follows
        if len(after) >= 4 and not any(q.unit for q in after):
            after = after[-1:]  # a table row read as plain text ("… 12 3 0 0 1 0 16"): the total is last
        if _counts_another_thing(norm_clause[: after[0].start], cs) or _counts_jointly(norm_clause[: after[0].start], cs):
            continue
        # touching counts for a specific term only: "政府信息公开指南1条" does not touch "公开" in any useful sense
        specific = [e for a, e in end_of.items() if a not in GENERIC]
        tight = bool(specific) and after[0].start - max(specific) <= 2 and (head_ok or not has_head)
        if not it.etc and any(norm_clause[e:e + 1] == "等" for e in ends):
            widened = True  # "因本机关不掌握等原因无法提供40件": 等 follows an asked term, the figure counts more
            continue
        states = any((q.value, q.unit) in it.given for q in found if q.unit)
        score = cov + (0.5 if head_ok else 0) + (0.15 if tight else 0) + (0.3 if states else 0)
        if best is None or score > best[0]:
            best = (score, after[0], (cstart, cstart + len(clause)), tight, cov)
    if best is None or (widened and best[4] == 0):
        return None  # the asked clause was widened by 等: a clause naming nothing asked is not its stand-in
    return best[1], best[2], best[3]


def _names_after(clause: str, q, cs: list[Concept], heads_only: bool = True) -> bool:
    """The counted noun asked (the question's head) follows the figure's measure word ("56个子项", "192项行政审批事项").
    Without `heads_only`, any asked word does: when every asked word stands after the clause's figures ("46个单位窗口的
    288项行政许可事项" asked 行政许可), the figure they follow is the one counting them."""
    words = [a for c in cs if c.head or not heads_only for a in c.alternatives + c.partial
             if a not in GENERIC and len(a) >= 2]
    return bool(q.unit) and any(clause[q.end:].startswith(a) for a in words)


def _counts_unasked(clause: str, q, cs: list[Concept]) -> bool:
    """The figure's measure word is followed by a noun the question does not say ("28个相关部门")."""
    noun = re.match(r"[\u4e00-\u9fff]{2,}", clause[q.end:]) if q.unit else None
    return bool(noun) and coverage(noun.group(), cs)[0] == 0


# what stands between a counted thing and its figure: "依申请公开信息数1条", "实事共4项", "收到申请为3件"
_COUNT_NAME = re.compile(r"(?:信息)?(?:总数|数量|数)?(?:共计|共|有|为|是|了|达)*\s*$")


def _touches(clause: str, q, cs: list[Concept]) -> bool:
    """A specific asked word stands right before or after the figure ("利民实事4项", "4项实事")."""
    words = [a for c in cs for a in c.alternatives if a not in GENERIC and len(a) >= 2]
    lead = _COUNT_NAME.sub("", clause[:q.start])
    return any(lead.endswith(a) or clause[q.end:].startswith(a) for a in words)


def _bind_date(text: str, cs: list[Concept]):
    """Of several dates, the one whose stretch of the sentence (from the clause it opens to the next date's) says
    most of what was asked: "2019年5月1日起，降低医保缴费基数，8月1日起，贫困人口大病保险起付线…" asked 起付线."""
    dates = [q for q in extract_quantities(text) if q.kind == "date"]
    if len(dates) < 2:
        return None
    starts = [max((m.end() for m in CLAUSE_SPLIT.finditer(text, 0, d.start)), default=0) for d in dates]
    spans = list(zip(starts, starts[1:] + [len(text)]))
    scores = [coverage(normalize(text[a:b]), cs)[0] for a, b in spans]
    best = max(range(len(dates)), key=lambda k: scores[k])  # (ties: the first)
    q = dates[best]
    return q, (q.start, q.end), True


def bind(s: Sentence, cs: list[Concept], it: Intent):
    if it.atype in (COUNT, MONEY, PERCENT):
        return _bind_quantity(s, cs, it)
    if it.atype == PHONE:
        return first_of_kind(s.text, ("phone",))
    if it.atype == DATE:
        return _bind_date(s.text, cs) or first_of_kind(s.text, ("date", "month"))  # (a bare year says no when)
    if it.atype == YEAR:
        return first_of_kind(s.text, ("year",))
    return None

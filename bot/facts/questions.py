"""Questions that combine table figures (sum, difference, share, maximum, trend), answered by computing over
cited facts: the answer shows the arithmetic and cites every operand.

Which figure a question means comes from the statutory template's own vocabulary (its row and column names, and
their English renderings), never from phrases of particular questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.facts import compute
from bot.facts.extract import Fact
from bot.facts.template import T3_COLUMN_WORDS, T3_ROWS, T4_COLUMN_WORDS, T4_ROWS
from bot.models import Answer, Citation, Document
from bot.text import CN_YEAR, YEAR, chinese_year

# the operation asked for; None when the question asks for one figure
_OPS = (
    ("share", re.compile(r"占比|比例|比重|百分之几|占.{0,12}(多少|几)|what (share|percentage|proportion|fraction)|"
                         r"how much of|percent of|share of", re.I)),
    ("max", re.compile(r"最多|最高|最大|哪.{0,6}最|哪.{0,30}更(?:多|高|大)|排名|which .{0,40}\b(most|highest|largest|more)\b",
                       re.I)),
    ("min", re.compile(r"最少|最低|最小|哪.{0,30}更(?:少|低|小)|which .{0,40}\b(fewest|least|lowest|fewer|less)\b", re.I)),
    ("trend", re.compile(r"趋势|历年|逐年|各年|trend|over the years|year by year|each year", re.I)),
    ("ratio", re.compile(r"多少倍|几倍|how many times|what multiple", re.I)),
    ("difference", re.compile(r"(多|少|增加|减少|增长|下降)了?多少|比.{0,16}(多|少)|相比|变化|差|"
                              r"how many more|how many fewer|more than|fewer than|less than|increase|decrease|"
                              r"change|difference|compared|\b(?:go|went|gone) (?:up|down)\b|\bby how (?:much|many)\b", re.I)),
    ("sum", re.compile(r"合计|加起来|一共|总共|共计|两年|[两二三四](?:项|者|类)(?:共|合|总)|together|combined|in total|altogether|sum of|both years|add up|added up|"
                       r"总和|之和", re.I)),
)
# a complement: what is left of a total without some parts ("除X以外", "besides X", "not about X")
# ("规范性文件以外的各类政策文件": the complement said without 除)
COMPLEMENT = re.compile(r"除了?.{1,16}(?:以外|之外)|[\u4e00-\u9fff]{2,12}(?:以外|之外)的|不属于|\bbesides\b|\bother than\b|\bexcept\b|\bexcluding\b|"
                        r"\b(?:were|was|are|is) not (?:about|on|for|from)\b", re.I)
_PERCENT = re.compile(r"百分|%|percent|增幅|降幅|增长率|rate of", re.I)
# "last year" as a second year; "上年结转" / "carried over from last year" name a template row, not a year
_LAST_YEAR = re.compile(r"(?:上年|上一年)(?!度?结转)|去年|前一年|(?<!from )(?<!from the )(?:last|previous|prior) year|(?<!from the )year before",
                        re.I)

# the template's rows and columns, by their own words and English names (a fixed vocabulary of the template)
_ROWS = (
    (re.compile(r"行政复议|复议|reconsideration", re.I), ("四", "行政复议", "总计")),
    (re.compile(r"行政诉讼|诉讼|起诉|被告|lawsuit|litigation|sued", re.I), ("四", "行政诉讼", "总计")),
    (re.compile(r"部分公开|partial", re.I), ("三", "三.（二）", "总计")),
    (re.compile(r"不予公开|refus|withh|not disclosed|denied|turn(?:ed)? down|reject|declined", re.I),
     ("三", "三.（三）", "总计")),
    (re.compile(r"无法提供|unable to provide|could not be provided", re.I), ("三", "三.（四）", "总计")),
    (re.compile(r"不予处理|not processed", re.I), ("三", "三.（五）", "总计")),
    (re.compile(r"予以公开|全部公开|fully disclosed|disclosed in full|granted", re.I), ("三", "三.（一）", "总计")),
    (re.compile(r"结转下年|carried (over|forward) (to|into) (the )?next", re.I), ("三", "四", "总计")),
    (re.compile(r"上年结转|carried over from", re.I), ("三", "二", "总计")),
    (re.compile(r"收费|费用|fees?\b", re.I), ("二", "行政事业性收费", "本年收费金额")),
    (re.compile(r"行政处罚|处罚|penalt", re.I), ("二", "行政处罚", "本年处理决定数量")),
    (re.compile(r"行政许可|许可|licen[cs]|permit", re.I), ("二", "行政许可", "本年处理决定数量")),
    (re.compile(r"申请|request|application", re.I), ("三", "一", "总计")),
)


@dataclass(frozen=True)
class Target:
    table: str
    row: str
    column: str


def operation(question: str) -> str | None:
    return next((op for op, pattern in _OPS if pattern.search(question)), None)


def _rows_named(question: str) -> set[tuple[str, str, str]]:
    """The specific template rows a question names (申请 alone names none; 复议后起诉 is a lawsuit row)."""
    rows = {t for pattern, t in _ROWS[:-1] if pattern.search(question)}
    if re.search(r"复议后|经复议|after (?:a |the )?reconsideration", question, re.I):
        rows.discard(("四", "行政复议", "总计"))
    return rows


def target(question: str) -> Target | None:
    if len(_rows_named(question)) > 1:
        return None  # two rows named ("予以公开和部分公开"): each is an operand of its own (bot/answer/parts.py)
    row = next((t for pattern, t in _ROWS if pattern.search(question)), None)
    if row is None:
        return None
    columns = {"三": T3_COLUMN_WORDS, "四": T4_COLUMN_WORDS}.get(row[0], ())
    column = next((c for c, pattern in columns if re.search(pattern, question, re.I)), None)
    return Target(row[0], row[1], column or row[2])


def percent_change(question: str) -> bool:
    """A change asked in percent ("增长了百分之几", "by how many percent"): reports state it themselves."""
    return bool(_PERCENT.search(question))


def years_named(question: str) -> list[int]:
    years = [int(y) for y in YEAR.findall(question)] + [chinese_year(y) for y in CN_YEAR.findall(question)]
    years = sorted({y for y in years if y})
    if len(years) == 1 and _LAST_YEAR.search(question):
        years = [years[0] - 1, years[0]]
    return years


OP_WORDS = {"ratio": ("倍数", "Ratio"), "sum": ("合计", "Together"), "difference": ("相差", "Difference"), "share": ("占比", "Share"),
             "remainder": ("其余", "The rest"),
             "max": ("最多", "Most"), "min": ("最少", "Fewest"), "trend": ("变化", "Change")}


def _one_per_doc(facts: list[Fact]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for f in facts:
        if not f.uncertain:
            seen.setdefault(f.doc_id, f)
    return sorted(seen.values(), key=lambda f: (f.year or 0, f.body))


def _pick(facts: list[Fact], tgt: Target, doc_ids, years: list[int], column: str | None = None,
          pairs=()) -> list[Fact]:
    """The facts of the target cell in the reports and years named; with `pairs` ((doc ids, year) per operand:
    "洪泽区2024年和宿迁市2023年"), only each place's own year."""
    column = column or tgt.column
    return _one_per_doc([f for f in facts if f.table == tgt.table and f.row == tgt.row and f.column == column
                         and (not doc_ids or f.doc_id in doc_ids) and (not years or f.year in years)
                         and (not pairs or any(f.doc_id in ids and y in (None, f.year) for ids, y in pairs))])


def _computed(op: str, facts: list[Fact], tgt: Target, doc_ids, years, pairs=()) -> compute.Computed | None:
    """The arithmetic the question asks for, over the facts it names; None when they are not all there."""
    picked = _pick(facts, tgt, doc_ids, years, pairs=pairs)
    if op == "share":
        whole_row = Target(tgt.table, tgt.row, "总计") if tgt.column != "总计" else \
            Target(tgt.table, "三.（七）", "总计") if tgt.row.startswith("三.") else None
        split = _subrow_total(facts, tgt, doc_ids, years) if not picked and whole_row else None
        if split is not None:  # a row the report gives only as its grounds ("无法提供" = 1 + 2 + 3)
            whole = _pick(facts, whole_row, [split.facts[0].doc_id], [])
            return compute.share_of_total(list(split.facts), whole[0]) if whole and whole[0].value else None
        if len(picked) != 1:
            return None
        whole = _pick(facts, whole_row, [picked[0].doc_id], []) if whole_row else []
        return compute.share(picked[0], whole[0]) if whole and whole[0].value else None
    if pairs and len(picked) != len(pairs):
        return None  # a report asked about has no such fact: never a result over the others alone
    if op == "sum" and not picked:
        return _subrow_total(facts, tgt, doc_ids, years)
    if op in ("sum", "difference", "trend") and (len(picked) < 2 or (
            years and len(picked) != (len(pairs) or len(years)))):
        return None
    if op == "sum":
        return compute.total(picked)
    if op == "difference":
        if len(picked) != 2:
            return None
        if picked[0].year == picked[1].year:  # two bodies in one year ("A比B多/少多少"): how far apart they are
            return compute.difference(*sorted(picked, key=lambda f: -f.value))
        return compute.difference(picked[-1], picked[0])
    if op == "trend":
        return compute.trend(picked) if len({f.body for f in picked}) == 1 else None
    if op in ("max", "min") and len(picked) >= 2:
        return compute.maximum(picked) if op == "max" else compute.minimum(picked)
    return None


def _subrow_total(facts: list[Fact], tgt: Target, doc_ids, years: list[int]) -> compute.Computed | None:
    """A row the template only splits (不予公开 into its eight grounds): the sum of its sub-rows, in one report."""
    subs = [f for f in facts if f.table == tgt.table and f.row.startswith(tgt.row + ".") and f.column == tgt.column
            and not f.uncertain and (not doc_ids or f.doc_id in doc_ids) and (not years or f.year in years)]
    if len(subs) < 2 or len({f.doc_id for f in subs}) != 1:
        return None
    # every sub-row of the template must be there: a sum missing a ground would be a wrong figure
    expected = {r for r in T3_ROWS + T4_ROWS if r.startswith(tgt.row + ".") and r.count(".") == tgt.row.count(".") + 1}
    if not expected <= {f.row for f in subs}:
        return None
    return compute.total(subs)


def answer_subtotal(question: str, norm: str, lang: str, doc_ids, facts: list[Fact],
                    docs: dict[str, Document]) -> Answer | None:
    """One figure of a row the template only splits ("不予公开多少件"): the sum of its sub-rows in the one report
    asked about, computed and shown with every sub-row cited; None for any other question."""
    tgt = target(norm)
    if tgt is None or tgt.table not in ("三", "四") or len(years_named(norm)) > 1 \
            or operation(norm) not in (None, "sum"):
        return None  # (table 四: lawsuits are the direct ones plus those after reconsideration)
    result = _subrow_total(facts, tgt, doc_ids, [])
    return None if result is None else _compose(question, lang, "sum", result, list(result.facts), docs)


def _citation(n: int, f: Fact, docs: dict[str, Document]) -> Citation:
    doc = docs[f.doc_id]
    section = next((" > ".join(p.section) for p in doc.paragraphs if p.start <= f.start < p.end + 1), "")
    return Citation(n, f.doc_id, doc.title, section, doc.text[f.start:f.end], f.start, f.end)


def _compose(question: str, lang: str, op: str, result: compute.Computed, inputs: list[Fact],
             docs: dict[str, Document]) -> Answer:
    operands = [compute.Shown(_citation(n, f, docs), compute.where(f.body, f.year, lang), f"{f.row_label} · {f.column}",
                              f.value, f.unit) for n, f in enumerate(inputs, 1)]
    return compute.answer(question, lang, op, OP_WORDS[op], result, operands, [f"computed:{op}"])


def answer_combined(question: str, norm: str, lang: str, doc_ids, facts: list[Fact],
                    docs: dict[str, Document], pairs=()) -> Answer | None:
    """A computed answer when the question combines table figures and the facts hold every operand, else None.
    `pairs`: (doc ids, year) of each report operand when the question pairs places with years."""
    op, tgt = operation(norm), target(norm)
    if op is None or tgt is None or (op == "difference" and _PERCENT.search(norm)):
        return None  # a change in percent is what reports state themselves ("同比增长1.05%"): the reader finds it
    years = years_named(norm)
    if op in ("max", "min") and not doc_ids:
        doc_ids = ()
    result = _computed(op, facts, tgt, doc_ids, years, pairs)
    if result is None:
        return None
    inputs = list(result.facts) if op not in ("max", "min") else _pick(facts, tgt, doc_ids, years, pairs=pairs)
    if op == "trend":
        inputs = list(result.facts)
    return _compose(question, lang, op, result, inputs, docs)

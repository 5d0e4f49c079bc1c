"""The result of a combined question from the answers to its parts (bot/answer/parts.py): each part's cited
figure is an operand; the arithmetic is done by code (bot/facts/compute.py) and shown, every operand quoted.
When a part has no figure, or the units disagree, nothing is computed: the answer says which part is missing
and gives the figures that were found."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answer.parts import Plan
from bot.facts import compute
from bot.facts.questions import OP_WORDS
from bot.models import Answer, Citation, Document, Figure
from bot.store.lexical import words
from bot.text import normalize


@dataclass(frozen=True)
class Value:
    """One operand's figure as compute.* reads it (value, unit, year)."""

    value: float
    unit: str
    year: int | None
    label: str
    citation: Citation
    approximate: bool = False


def _value(ans: Answer, label: str, docs: dict[str, Document]) -> Value | None:
    fig = ans.figure
    if not ans.found or fig is None or not ans.citations:
        return None
    try:
        number = float(fig.value.replace(",", ""))
    except ValueError:
        return None
    cite = next((c for c in ans.citations if c.n == fig.citation), ans.citations[0])
    doc = docs.get(cite.source)
    return Value(number, fig.unit, doc.year if doc else None, label, cite, fig.approximate)


def _expanded(ans: Answer, label: str, docs: dict[str, Document]) -> list[Value] | None:
    """A part answered by a sum of its own ("不予公开" = its eight grounds): its addends, each with its citation,
    so that every number of the final arithmetic is quoted. None when the part is not such a sum."""
    if "computed:sum" not in ans.notes or ans.figure is None:
        return None
    addends = ans.figure.counts.split("=")[0].split("+")
    if len(addends) != len(ans.citations):
        return None
    out = []
    for text, cite in zip(addends, ans.citations):
        doc = docs.get(cite.source)
        line = next((x for x in ans.answer.split("\n") if x.startswith(f"[{cite.n}] ") and " · " in x), "")
        row = line.split(" · ")[1] if line.count(" · ") >= 2 else label
        out.append(
            Value(
                float(text.strip().replace("−", "-")),
                ans.figure.unit,
                doc.year if doc else None,
                row.split(" > ")[-1],
                cite,
            )
        )
    return out


def _counts(ans: Answer, fallback: str) -> str:
    """What a report operand's figure counts (its table row and column), for the operand line."""
    fig = ans.figure
    counts = fig.counts.replace(" | ", " · ").replace(fig.value + fig.unit, "").strip() if fig else ""
    counts = re.sub(r"\d[\d.,]*\s*\D{0,4}$", "", counts).strip()  # the figure that ends the clause ("12万余条。")
    return counts if 0 < len(counts) <= 40 else fallback


def _same_unit(values: list[Value]) -> list[Value] | None:
    """The values in one unit: 万条 and 条 agree (×10,000); an empty unit takes the others'; else None."""
    units = {v.unit for v in values if v.unit}
    if len(units) <= 1:
        unit = units.pop() if units else ""
        return [Value(v.value, unit, v.year, v.label, v.citation, v.approximate) for v in values]
    bases = {u[1:] if u.startswith("万") else u for u in units}
    if len(bases) != 1:
        return None
    base = bases.pop()
    return [
        Value(v.value * (10000 if v.unit.startswith("万") else 1), base, v.year, v.label, v.citation, v.approximate)
        for v in values
    ]


# a drop asked for ("少了多少", "how many fewer"): the earlier year less the later, a positive figure
_FEWER = re.compile(r"少了?(?:多少|几)|减少|下降|降低|fewer|\bless\b|decreas|dropp?|fell|declin", re.I)


def _compute(op: str, values: list[Value], fewer: bool = False) -> compute.Computed | None:
    if op == "sum":
        return compute.total(values)
    if op == "difference" and len(values) == 2:
        if all(v.year for v in values) and values[0].year != values[1].year:
            values = sorted(values, key=lambda v: v.year)
            if fewer:
                return compute.difference(values[0], values[1])
            return compute.difference(values[1], values[0])  # the change from the earlier year
        return compute.difference(values[0], values[1])  # A比B: A − B, in the order asked
    if op == "remainder" and len(values) >= 2 and sum(v.value for v in values[1:]) <= values[0].value:
        return compute.remainder(values[0], values[1:])  # the whole first, then the parts it leaves out
    if op == "ratio" and len(values) == 2 and values[1].value:
        return compute.ratio(values[0], values[1])  # in the order asked ("2024年…是2023年的多少倍")
    if op == "share" and len(values) == 2 and values[0].value:
        return compute.share(values[1], values[0])
    if op == "trend" and len(values) >= 2 and len({v.year for v in values}) == len(values):
        return compute.trend(values)
    if op in ("max", "min") and len(values) >= 2:
        return compute.maximum(values) if op == "max" else compute.minimum(values)
    return None


def combine(question: str, lang: str, plan: Plan, answers: list[Answer], docs: dict[str, Document]) -> Answer | None:
    """The computed answer; None when a part gave no figure, the units disagree, or the reports' figures are
    not the same quantity (then the ordinary reader says what it can)."""
    if not all(a.found and a.figure is not None for a in answers) or not _alike(plan, answers):
        return None
    values = []
    for a, o in zip(answers, plan.operands):
        addends = _expanded(a, o.label, docs)
        if addends is not None and plan.op != "sum":
            return None  # a part that is itself a sum can only be added to
        values += addends or [_value(a, o.label if not o.doc_ids else _counts(a, o.label), docs)]
    if any(v is None for v in values) or not _distinct(values):
        return None
    if plan.op == "share" and not 0 <= values[1].value <= values[0].value:
        return None  # a part larger than its whole: the parts were not what the question meant
    same = _same_unit(values)
    result = _compute(plan.op, same, bool(_FEWER.search(question))) if same else None
    return None if result is None else _compose(question, lang, plan.op, result, same, docs)


def _alike(plan: Plan, answers: list[Answer]) -> bool:
    """Operands of several reports count the same thing: all table cells of the same row and column, or all
    figures from sentences that say much the same around them (a cell and a sentence, two different cells, or
    "主动公开政府信息" against "行政复议案件" are different quantities)."""
    if not all(o.doc_ids for o in plan.operands):
        return True
    if all("table_cell" in a.notes for a in answers):
        return len({a.figure.counts for a in answers}) == 1
    # a cell read from the facts and one read from a table row by the reader name their row and column alike
    bags = [_clause_words(a.figure) for a in answers]
    chars = [_clause_chars(a.figure) for a in answers]
    return all(_overlap(bags[0], b) >= SAME_CLAUSE or _same_characters(chars[0], c) for b, c in zip(bags[1:], chars[1:]))


SAME_CLAUSE = 0.5  # share of content words two operands' clauses have in common (Jaccard)
SAME_CHARACTERS = 0.7  # or of their characters, for clauses the segmenter cuts apart ("依申请公开" | "公开申请")
_NEGATION = frozenset("不未无非否")


def _clause_chars(fig: Figure) -> set[str]:
    return set(re.findall(r"[\u4e00-\u9fff]", normalize(fig.counts)))


def _same_characters(a: set[str], b: set[str]) -> bool:
    """"2018年受理政府信息依申请公开98件" and "全年共受理政府信息公开申请64件" say one thing; "主动公开政府信息" and
    "不予公开政府信息" do not: a negation in one only is another quantity."""
    return _overlap(a, b) >= SAME_CHARACTERS and not (a ^ b) & _NEGATION


def _clause_words(fig: Figure) -> set[str]:
    return set(words(re.sub(r"[\d.]+", " ", normalize(fig.counts))))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _distinct(values: list[Value]) -> bool:
    """No figure counted twice: two operands that cite the same words of the same report are one figure."""
    spans = [(v.citation.source, v.citation.start, v.citation.end, v.value) for v in values]
    return len(set(spans)) == len(spans)


def _compose(
    question: str, lang: str, op: str, result: compute.Computed, values: list[Value], docs: dict[str, Document]
) -> Answer:
    operands = [compute.Shown(replace(v.citation, n=n), _where(v, docs, lang), v.label, v.value, v.unit)
                for n, v in enumerate(values, 1)]
    return compute.answer(question, lang, op, OP_WORDS[op], result, operands, [f"computed:{op}", "by_parts"],
                          approximate=any(v.approximate for v in values))


def _where(v: Value, docs: dict[str, Document], lang: str) -> str:
    doc = docs.get(v.citation.source)
    body, year = (doc.body, doc.year) if doc else ("", v.year)
    return compute.where(body, year, lang)

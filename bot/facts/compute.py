"""Arithmetic over facts, shown: each result carries its value, the arithmetic as a string ("95 − 21 = 74") and
the facts it used, so an answer can quote every operand. Not wired into the answerer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.facts.extract import Fact
from bot.models import Answer, Citation, Figure


@dataclass(frozen=True)
class Computed:
    value: int | float
    arithmetic: str
    facts: tuple[Fact, ...]
    unit: str = ""


def _fmt(x: int | float) -> str:
    """Six decimals at most (what the reports write, "1234.5678", without float noise); a minus sign, not a
    hyphen."""
    if isinstance(x, float):
        x = int(x) if x.is_integer() else x
    text = f"{x:.6f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)  # as precise as the reports
    return text.replace("-", "−")


def plain(x: int | float) -> str:
    """The value as data (Figure.value): an ASCII minus sign."""
    return _fmt(x).replace("−", "-")


def _unit(facts) -> str:
    units = {f.unit for f in facts}
    return units.pop() if len(units) == 1 else ""


def total(facts: list[Fact]) -> Computed:
    if not facts:
        raise ValueError("nothing to add")
    s = sum(f.value for f in facts)
    return Computed(s, " + ".join(_fmt(f.value) for f in facts) + f" = {_fmt(s)}", tuple(facts), _unit(facts))


def difference(a: Fact, b: Fact) -> Computed:
    d = a.value - b.value
    return Computed(d, f"{_fmt(a.value)} − {_fmt(b.value)} = {_fmt(d)}", (a, b), _unit((a, b)))


def remainder(whole: Fact, parts: list[Fact]) -> Computed:
    """What is left of a whole without its named parts: whole − a − b …"""
    if not parts or sum(f.value for f in parts) > whole.value:
        raise ValueError("the parts exceed the whole: they are not parts of it")
    r = whole.value - sum(f.value for f in parts)
    shown = " − ".join(_fmt(f.value) for f in (whole, *parts))
    return Computed(r, f"{shown} = {_fmt(r)}", (whole, *parts), _unit((whole, *parts)))


def share(part: Fact, whole: Fact) -> Computed:
    """part / whole in percent (rounded to 0.1)."""
    if not whole.value:
        raise ValueError("the whole is 0: no share")
    pct = round(100 * part.value / whole.value, 1)
    return Computed(pct, f"{_fmt(part.value)} ÷ {_fmt(whole.value)} = {_fmt(pct)}%", (part, whole), "%")


def share_of_total(parts: list[Fact], whole: Fact) -> Computed:
    """The share of a row the template only splits into sub-rows: (a + b + …) ÷ whole, in percent."""
    if not whole.value or not parts:
        raise ValueError("no parts, or the whole is 0: no share")
    s = sum(f.value for f in parts)
    pct = round(100 * s / whole.value, 1)
    added = " + ".join(_fmt(f.value) for f in parts)
    return Computed(pct, f"({added}) ÷ {_fmt(whole.value)} = {_fmt(pct)}%", (*parts, whole), "%")


def ratio(a, b) -> Computed:
    """a / b (rounded to 0.1), as "how many times"."""
    if not b.value:
        raise ValueError("divided by 0: no ratio")
    r = round(a.value / b.value, 1)
    return Computed(r, f"{_fmt(a.value)} ÷ {_fmt(b.value)} = {_fmt(r)}", (a, b), "倍")


def _extreme(facts: list[Fact], pick, name: str) -> Computed:
    """The largest or smallest of the facts (`pick` is max or min), shown as "max(a, b, c) = b"."""
    if not facts:
        raise ValueError("nothing to compare")
    top = pick(facts, key=lambda f: f.value)
    values = ", ".join(_fmt(f.value) for f in facts)
    return Computed(top.value, f"{name}({values}) = {_fmt(top.value)}", (top,), top.unit)


def maximum(facts: list[Fact]) -> Computed:
    return _extreme(facts, max, "max")


def minimum(facts: list[Fact]) -> Computed:
    return _extreme(facts, min, "min")


def trend(facts: list[Fact]) -> Computed:
    """Change from the earliest to the latest year (one fact a year)."""
    by_year = sorted((f for f in facts if f.year is not None), key=lambda f: f.year)
    if len(by_year) < 2:
        raise ValueError("a trend needs two years")
    first, last = by_year[0], by_year[-1]
    d = last.value - first.value
    steps = " → ".join(f"{f.year}: {_fmt(f.value)}" for f in by_year)
    pct = f" ({'+' if d >= 0 else ''}{_fmt(round(100 * d / first.value, 1))}%)" if first.value else ""
    return Computed(d, f"{steps}; {_fmt(last.value)} − {_fmt(first.value)} = {_fmt(d)}{pct}", tuple(by_year),
                    _unit(by_year))


@dataclass(frozen=True)
class Shown:
    """One operand as a computed answer shows it: its citation, whose it is ("淮安市人民政府2024年"), what it
    counts ("（一）予以公开 · 总计"), its value and unit."""

    citation: Citation
    where: str
    what: str
    value: int | float
    unit: str = ""


def where(body: str, year, lang: str) -> str:
    return f"{body} ({year})" if lang == "en" else f"{body}{year}年"


def answer(question: str, lang: str, op: str, words: tuple[str, str], result: Computed, operands: list[Shown],
           notes: list[str], approximate: bool = False) -> Answer:
    """The computed answer: the arithmetic with every operand's mark, then each operand with its quote, then the
    citations. `words`: the operation's name in Chinese and English ("合计", "Together")."""
    marks = "".join(f"[{o.citation.n}]" for o in operands)
    unit = "" if result.unit in ("%", "") else result.unit
    zh, en = words
    if op in ("max", "min"):  # name the report that has it
        top = next(o for o in operands if o.value == result.value).where
        zh, en = f"{zh}的是{top}", f"{en}: {top}"
    about = ("(approximate)" if lang == "en" else "(约)") if approximate else ""
    short = (f"{en}: {result.arithmetic} {unit} {about} {marks}" if lang == "en"
             else f"{zh}:{result.arithmetic}{unit}{about} {marks}")
    short = " ".join(short.split()) if lang == "en" else short.replace("  ", " ")
    lines = [short, ""]
    for o in operands:
        lines += [f"[{o.citation.n}] {o.where} · {o.what}: {_fmt(o.value)}{o.unit}", f"「{o.citation.quote}」[{o.citation.n}]"]
    lines += [""] + [f"[{o.citation.n}] {o.citation.title} › {o.citation.section} ({o.citation.source})" for o in operands]
    figure = Figure(plain(result.value), result.unit, result.arithmetic, 1, approximate)
    return Answer(question, "\n".join(lines), True, [o.citation for o in operands], notes=notes, figure=figure,
                  short=short, lang=lang)

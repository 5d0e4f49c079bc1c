"""Renderers: one Answer, several presentations (terminal text, chat HTML, OpenAI reply). None parses text back."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from bot.models import Answer, Citation

LABELS = {
    "zh": {"row": "行", "column": "列", "value": "数值", "copy": "复制", "sources": "出处", "chart": "各年数值"},
    "en": {"row": "Row", "column": "Column", "value": "Value", "copy": "Copy", "sources": "Sources",
           "chart": "By year"},
}
# units in an English answer (a figure's unit is as the report writes it)
EN_UNITS = {"件": "cases", "条": "items", "万元": "× 10,000 yuan", "元": "yuan", "人次": "person-times",
            "次": "times", "人": "people", "篇": "articles", "个": "", "项": "items", "场": "sessions"}
_STEP = re.compile(r"(?<!\d)((?:19|20)\d\d): (-?\d+(?:\.\d+)?)")
_CELL = re.compile(r"^(?P<col>[^:：|]+?)\s*[:：]\s*(?P<val>-?[\d,.]+)\s*(?P<unit>[^\d\s|]{0,3})$")
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])\s*")


def table_cells(quote: str) -> tuple[str, list[tuple[str, str]]] | None:
    """A table-row quote (`row > sub | col: value | …`) as (row label, [(column, value)]); None for prose."""
    parts = [p.strip() for p in quote.split(" | ") if p.strip()]
    row = "" if parts and _CELL.match(parts[0]) else (parts.pop(0) if parts else "")
    cells = [(m["col"], m["val"] + (m["unit"] or "")) for m in map(_CELL.match, parts) if m]
    return (row, cells) if len(cells) >= 2 and len(cells) == len(parts) else None


def _cited_cell(cells: list[tuple[str, str]], ans: Answer) -> int:
    fig = ans.figure
    if fig is None:
        return -1
    same = [i for i, (_, v) in enumerate(cells) if v.replace(",", "").startswith(fig.value)]
    named = [i for i in same if cells[i][0].split("/")[-1] in fig.counts]
    return (named or same or [-1])[0]


def render_table(row: str, cells: list[tuple[str, str]], cited: int, lang: str = "zh") -> str:
    """A table-row quote as a small (row, column, value) table, the cited cell highlighted."""
    lab = LABELS.get(lang, LABELS["zh"])
    body = []
    for i, (col, val) in enumerate(cells):
        head, _, leaf = col.rpartition("/")
        cls = " class='cited'" if i == cited else ""
        body.append(f"<tr{cls}><td>{html.escape(' > '.join(x for x in (row, head) if x))}</td>"
                    f"<td>{html.escape(leaf)}</td><td>{html.escape(val)}</td></tr>")
    return (f"<table class='quote-table'><thead><tr><th>{lab['row']}</th><th>{lab['column']}</th>"
            f"<th>{lab['value']}</th></tr></thead><tbody>{''.join(body)}</tbody></table>")


def _what_counted(counts: str, cite: Citation, fig) -> str:
    """What the figure counts, from its `counts`: a table row and column (numbering and 总计 dropped) or the
    clause stating it without its year and figure."""
    cells = table_cells(cite.quote)
    if cells or " | " in counts:  # the row label and the column unless it is the total
        plain = re.sub(r"\s*[:：]\s*[\d,.]+$", "", counts).replace(" | ", "/")
        row = cells[0] if cells and cells[0] else plain.split("/")[0]
        row = _NUMBERING.sub("", row.split(" > ")[-1])
        col = plain.split("/")[-1].strip()
        col = "" if col in ("总计", "總計") or col in row else col
        return " · ".join(x for x in (row, col) if x) if row else " · ".join(plain.split("/"))
    if fig.value in counts:
        counts = re.sub(r"^[^\d]{0,4}\d{4}年(度)?", "", counts.replace(fig.value + fig.unit, "", 1)).strip("，,;；。 ")
        return counts if 0 < len(counts) <= 40 else ""
    return counts


def _english_sentence(ans: Answer) -> str:
    """The answerer's English sentence stating the figure ("… received 141 applications in 2009."), or ""."""
    _, sep, sentence = ans.short.partition(" — ")
    sentence = re.sub(r"\s*(\[\d+\]\s*)+$", "", sentence).strip()
    ok = sep and ans.figure is not None and ans.figure.value in sentence and re.search("[A-Za-z]{3}", sentence)
    return sentence if ok else ""


def figure_line(ans: Answer, meta: dict | None = None, lang: str = "zh") -> str:
    """"淮安市人民政府2024年 本年新收政府信息公开申请数量 43 件 [1]": the figure with what it counts and where.
    In English, the answerer's English sentence when it has one, else the same line with the unit in English."""
    fig = ans.figure
    if fig is None or not ans.citations:
        return ""
    cite = next((c for c in ans.citations if c.n == fig.citation), ans.citations[0])
    if lang == "en" and _english_sentence(ans):
        return f"{_english_sentence(ans)} [{cite.n}]"
    body, year = (meta or {}).get(cite.source, ("", None))
    counts = _what_counted(fig.counts, cite, fig)
    where = f"{body}{year}年" if lang == "zh" and year else " ".join(str(x) for x in (body, year) if x)
    if not where:
        where = cite.title or cite.source
    approx = ("约" if lang == "zh" else "about ") if fig.approximate else ""
    unit = EN_UNITS.get(fig.unit, fig.unit) if lang == "en" else fig.unit
    return f"{where} {counts} {approx}{fig.value} {unit} [{cite.n}]".replace("  ", " ")


def series(ans: Answer) -> list[tuple[str, float]]:
    """The (year, value) steps of a computed trend ("2023: 11 → 2024: 351; …" in its figure); [] otherwise."""
    if ans.figure is None or "computed:trend" not in ans.notes:
        return []
    steps = _STEP.findall(ans.figure.counts.split(";")[0])
    return [(y, float(v)) for y, v in steps] if len(steps) >= 2 else []


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def chart_svg(points: list[tuple[str, float]], unit: str = "", lang: str = "zh") -> str:
    """A small inline SVG bar chart (no script, no external asset): one bar a year, its value above it."""
    if len(points) < 2:
        return ""
    w, h, top, base = 64 * len(points) + 24, 150, 22, 124
    low, high = min(0.0, *(v for _, v in points)), max(0.0, *(v for _, v in points))
    scale = (base - top) / ((high - low) or 1)
    zero = base + low * scale
    bars = []
    for i, (year, v) in enumerate(points):
        x, y0, y1 = 20 + 64 * i, zero - max(v, 0) * scale, zero - min(v, 0) * scale
        bars.append(f'<rect class="bar" x="{x}" y="{y0:.1f}" width="40" height="{max(y1 - y0, 1):.1f}" '
                    f'fill="#3b82f6"><title>{year}: {_num(v)}{html.escape(unit)}</title></rect>'
                    f'<text x="{x + 20}" y="{y0 - 5:.1f}" text-anchor="middle" font-size="12">{_num(v)}</text>'
                    f'<text x="{x + 20}" y="{base + 16}" text-anchor="middle" font-size="12">{year}</text>')
    label = f"{LABELS.get(lang, LABELS['zh'])['chart']}" + (f" ({html.escape(unit)})" if unit else "")
    return (f'<figure class="answer-chart"><svg role="img" aria-label="{label}" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
            f'<line x1="12" y1="{zero:.1f}" x2="{w - 4}" y2="{zero:.1f}" stroke="#9ca3af"/>{"".join(bars)}</svg>'
            f"<figcaption>{label}</figcaption></figure>")


def citation_label(c: Citation) -> str:
    where = f" › {c.section}" if c.section else ""
    return f"[{c.n}] {c.title or c.source}{where} ({c.source})"


def readable_label(c: Citation, meta: dict | None = None) -> str:
    """"[1] 淮安市人民政府 · 2024 · 淮安市人民政府2024年政府信息公开工作年度报告 › 四、…": names, not ids."""
    body, year = (meta or {}).get(c.source, ("", None))
    head = " · ".join(str(x) for x in (body, year, c.title or c.source) if x)
    return f"[{c.n}] {head}" + (f" › {c.section}" if c.section else "")


def render_text(ans: Answer) -> str:
    """What `python -m bot ask` prints: the answer as the answerer composed it."""
    return ans.answer


def source_url(c: Citation, base: str = "") -> str:
    return f"{base}/source/{quote(c.source)}?start={c.start}&end={c.end}"


def _link_refs(text: str, ans: Answer, base: str) -> str:
    """Escape `text` and make each [n] that names a citation a link to it."""
    by_n = {c.n: c for c in ans.citations}

    def link(m: re.Match) -> str:
        c = by_n.get(int(m[1]))
        return m[0] if c is None else (f'<a class="cite-ref" href="{source_url(c, base)}" target="_blank" '
                                       f'rel="noopener">[{c.n}]</a>')
    return re.sub(r"\[(\d+)\]", link, html.escape(text))


def _operand(c: Citation, ans: Answer) -> str:
    """For a computed answer, the line naming what citation n contributes ("[2] 宿迁市人民政府2024年 · … : 126件")."""
    if not any(n.startswith("computed:") for n in ans.notes):
        return ""
    line = next((x for x in ans.answer.split("\n") if x.startswith(f"[{c.n}] ") and " · " in x
                 and not x.endswith(f"({c.source})")), "")
    return f"<p class='operand'>{html.escape(line[len(f'[{c.n}] '):])}</p>" if line else ""


def _quote_html(c: Citation, ans: Answer, base: str, lang: str) -> str:
    cells = table_cells(c.quote)
    ref, operand = _link_refs(f"[{c.n}]", ans, base), _operand(c, ans)
    if cells:
        cited = _cited_cell(cells[1], ans) if ans.figure and ans.figure.citation == c.n else -1
        return f"{operand}<div class='quote-row'>{render_table(cells[0], cells[1], cited, lang)}{ref}</div>"
    return f"{operand}<blockquote>「{html.escape(c.quote)}」{ref}</blockquote>"


def render_chat(ans: Answer, base: str = "", lang: str = "zh", meta: dict | None = None) -> str:
    """The chat message: the figure with unit and what it counts (or the short answer), each quote (table rows as
    a small table with the cited cell marked), every [n] a link to its passage, readable report names.
    `meta` maps document id -> (issuing body, year) for the names."""
    copy = f"<a class='copy-plain' href='#copy'>{LABELS.get(lang, LABELS['zh'])['copy']}</a>"
    if not ans.found or not ans.citations:
        return f"<div class='answer'><p>{html.escape(ans.short or ans.answer).replace(chr(10), '<br>')}</p>{copy}</div>"
    computed = any(n.startswith("computed:") for n in ans.notes)  # the short answer shows the arithmetic
    head = (not computed and figure_line(ans, meta, lang)) or ans.short
    points = series(ans)
    chart = chart_svg(points, ans.figure.unit if ans.figure else "", lang) if points else ""
    quotes = "".join(_quote_html(c, ans, base, lang) for c in ans.citations)
    links = "<br>".join(
        f'<a class="citation-link" href="{source_url(c, base)}" target="_blank" rel="noopener">'
        f"{html.escape(readable_label(c, meta))}</a>" for c in ans.citations)
    extra = [n for n in ans.answer.split("\n") if n.startswith("(") or n.startswith("（")]
    tail = "".join(f"<p class='note'>{html.escape(n)}</p>" for n in extra)
    return (f"<div class='answer'><p class='headline'><strong>{_link_refs(head, ans, base)}</strong></p>{chart}{quotes}{tail}"
            f"<p class='sources'>{links}</p>{copy}</div>")


def render_openai(ans: Answer) -> str:
    """The assistant message of /v1/chat/completions: the composed text (citations as [n] lines)."""
    return ans.answer

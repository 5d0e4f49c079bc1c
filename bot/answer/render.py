"""Renderers: one Answer, several presentations (terminal text, chat HTML, OpenAI reply). None parses text back."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from bot.models import Answer, Citation

LABELS = {
    "zh": {"row": "行", "column": "列", "value": "数值", "copy": "复制", "sources": "出处"},
    "en": {"row": "Row", "column": "Column", "value": "Value", "copy": "Copy", "sources": "Sources"},
}
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


def figure_line(ans: Answer, meta: dict | None = None, lang: str = "zh") -> str:
    """"淮安市人民政府2024年 本年新收政府信息公开申请数量 3119 件 [1]": the figure with what it counts and where."""
    fig = ans.figure
    if fig is None or not ans.citations:
        return ""
    cite = next((c for c in ans.citations if c.n == fig.citation), ans.citations[0])
    body, year = (meta or {}).get(cite.source, ("", None))
    cells = table_cells(cite.quote)
    counts = fig.counts
    if cells:  # the row label (numbering dropped) and the column unless it is the total
        plain = re.sub(r"\s*[:：]\s*[\d,.]+$", "", counts).replace(" | ", "/")
        row = _NUMBERING.sub("", cells[0].split(" > ")[-1]) if cells[0] else ""
        col = plain.split("/")[-1].strip()
        col = "" if col in ("总计", "總計") or col in row else col
        counts = " · ".join(x for x in (row, col) if x) if row else " · ".join(plain.split("/"))
    elif fig.value in counts:  # a clause stating the figure: what it counts is the clause without year and figure
        counts = re.sub(r"^[^\d]{0,4}\d{4}年(度)?", "", counts.replace(fig.value + fig.unit, "", 1)).strip("，,;；。 ")
        counts = counts if 0 < len(counts) <= 40 else ""
    where = f"{body}{year}年" if lang == "zh" and year else " ".join(str(x) for x in (body, year) if x)
    if not where:
        where = cite.title or cite.source
    approx = ("约" if lang == "zh" else "about ") if fig.approximate else ""
    return f"{where} {counts} {approx}{fig.value} {fig.unit} [{cite.n}]".replace("  ", " ")


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


def _quote_html(c: Citation, ans: Answer, base: str, lang: str) -> str:
    cells = table_cells(c.quote)
    ref = _link_refs(f"[{c.n}]", ans, base)
    if cells:
        cited = _cited_cell(cells[1], ans) if ans.figure and ans.figure.citation == c.n else -1
        return f"<div class='quote-row'>{render_table(cells[0], cells[1], cited, lang)}{ref}</div>"
    return f"<blockquote>「{html.escape(c.quote)}」{ref}</blockquote>"


def render_chat(ans: Answer, base: str = "", lang: str = "zh", meta: dict | None = None) -> str:
    """The chat message: the figure with unit and what it counts (or the short answer), each quote (table rows as
    a small table with the cited cell marked), every [n] a link to its passage, readable report names.
    `meta` maps document id -> (issuing body, year) for the names."""
    copy = f"<a class='copy-plain' href='#copy'>{LABELS.get(lang, LABELS['zh'])['copy']}</a>"
    if not ans.found or not ans.citations:
        return f"<div class='answer'><p>{html.escape(ans.short or ans.answer).replace(chr(10), '<br>')}</p>{copy}</div>"
    head = figure_line(ans, meta, lang) or ans.short
    quotes = "".join(_quote_html(c, ans, base, lang) for c in ans.citations)
    links = "<br>".join(
        f'<a class="citation-link" href="{source_url(c, base)}" target="_blank" rel="noopener">'
        f"{html.escape(readable_label(c, meta))}</a>" for c in ans.citations)
    extra = [n for n in ans.answer.split("\n") if n.startswith("(") or n.startswith("（")]
    tail = "".join(f"<p class='note'>{html.escape(n)}</p>" for n in extra)
    return (f"<div class='answer'><p class='headline'><strong>{_link_refs(head, ans, base)}</strong></p>{quotes}{tail}"
            f"<p class='sources'>{links}</p>{copy}</div>")


def render_openai(ans: Answer) -> str:
    """The assistant message of /v1/chat/completions: the composed text (citations as [n] lines)."""
    return ans.answer

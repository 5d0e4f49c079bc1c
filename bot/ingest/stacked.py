"""Tables a page wrote one cell per line ("一、本年新收政府信息公开申请数量", "5", "0", … each on its own line, blank
lines between): each row's label and its figures back on one line ("一、本年新收… 5 0 0 0 0 0 5"), as the flattened
-table readers downstream expect; the header cells of a table of counts go with the first figures after them."""

from __future__ import annotations

import re

from bot.ingest.readers import Line

_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
MAX_LABEL = 40  # a row label or a header cell; a longer line is prose
MAX_HEADERS = 24  # header cells gathered before a table-四 style row of figures with no label of its own
MIN_FIGURES = 2  # a lone figure under a short line is as often a year or a page number as a cell


def _is_number(line: Line) -> bool:
    return not line.is_table_row and bool(_NUMBER.match(line.text))


def _is_label(line: Line) -> bool:
    text = line.text.strip()
    return not line.is_table_row and 0 < len(text) <= MAX_LABEL and not re.search(r"[。；;！？!?：:]$", text) \
        and not _NUMBER.match(text)


def _figures_after(lines: list[Line], i: int) -> tuple[list[str], int]:
    """The figures on the lines after `i` (blank lines between them skipped), and where they end."""
    figures, j, end = [], i + 1, i + 1
    while j < len(lines) and (not lines[j].text.strip() and not lines[j].is_table_row or _is_number(lines[j])):
        if lines[j].text.strip():
            figures.append(lines[j].text.strip())
            end = j + 1
        j += 1
    return figures, end


def restack(lines: list[Line]) -> list[Line]:
    """Rows of a table written one cell per line, joined: a label followed by two or more figures, or by one
    under a header put back on one line (table 二's "信息内容", "本年处理决定数量", "行政许可", "N")."""
    out: list[Line] = []
    i, under_header = 0, False
    while i < len(lines):
        if (header := _header_after(lines, i)) is not None:
            out.append(Line(" ".join(lines[j].text.strip() for j in header)))
            i, under_header = header[-1] + 1, True
            continue
        figures, end = _figures_after(lines, i) if _is_label(lines[i]) else ([], i + 1)
        if len(figures) >= (1 if under_header else MIN_FIGURES):
            out.append(Line(_with_headers(out, lines[i].text.strip(), len(figures)) + " " + " ".join(figures)))
            i = end
            continue
        under_header = under_header and not lines[i].text.strip()
        out.append(lines[i])
        i += 1
    return out


def _header_after(lines: list[Line], i: int) -> list[int] | None:
    """The header cells of a table 二 written one a line, from its first cell "信息内容" to the first row label (the
    label a figure follows); their line numbers, or None."""
    if lines[i].is_table_row or lines[i].text.strip() != "信息内容":
        return None
    cells, j = [i], i + 1
    while j < len(lines) and len(cells) <= 5:
        if not lines[j].text.strip():
            j += 1
            continue
        if not _is_label(lines[j]) or _figures_after(lines, j)[0]:
            break
        cells.append(j)
        j += 1
    return cells if len(cells) > 1 else None


def _with_headers(out: list[Line], label: str, n: int) -> str:
    """A row of 15 figures is table 四's, whose one row follows its header cells: they are its label."""
    if n != 15:
        return label
    headers: list[str] = []
    while out and (not out[-1].text.strip() or _is_label(out[-1]) and not re.search(r"\d", out[-1].text)) \
            and len(headers) < MAX_HEADERS:
        text = out.pop().text.strip()
        if text:
            headers.insert(0, text)
    return "".join(headers + [label])

"""Section tree: heading levels of Chinese reports (第一篇, 一、, （一）, 1、/1.) and the paragraphs under them."""

from __future__ import annotations

import re

_LEVELS = [
    (0, re.compile(r"^第[一二三四五六七八九十百]+[篇部章](分)?[:：\s]?")),
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
]
MAX_HEADING_CHARS = 40
_FIRST_STOP = re.compile(r"[。！？!?；;]")
# a statutory-table row whose cell borders were lost: "一、本年新收政府信息公开申请数量 120 5 0 1 0 0 126"
# or with its figures run together after the label: "（一）予以公开5000005" (or a space before them), or a statistics table's row with its
# unit column before the value: "1、当面申请数 条 0"
_TABLE_ROW = re.compile(r"(?:\s\d[\d,，.]*){3,}\s*$|(?:\|[^|]*){3,}\|?\s*$|[\u4e00-\u9fff）)”\"]\s?\d{3,}\s*$|"
                        r"\s(?:条|件|个|项|次|人次|人|户|万元|元)\s+\d[\d.]*(?:\s|$)")


# a Markdown heading as PDF converters write it: "## 四、政府信息公开行政复议…", "### 行政复议"
_MARKDOWN = re.compile(r"^(#{1,6})\s+(?=\S)")


def heading_level(text: str) -> int | None:
    """Level of a line that starts with a heading number, else None ('一是…' is not a heading). A Markdown
    heading counts by its number, or, unnumbered and at depth three or more, as a sub-heading ("### 行政复议")."""
    text = text.strip()
    md = _MARKDOWN.match(text)
    if md:
        text = text[md.end():]
    for level, pattern in _LEVELS:
        if pattern.match(text):
            return level
    return min(len(md.group(1)) - 1, 4) if md and len(md.group(1)) >= 3 else None


def is_flat_table_row(text: str) -> bool:
    """A table row of seven or more figures written as text, its cells apart ("（一）予以公开 5 0 0 0 0 0 5")."""
    return bool(_SPACED_ROW.search(text))


_SPACED_ROW = re.compile(r"[\u4e00-\u9fff）)”] (?:\d+ ){6,}\d+$")


def split_heading(text: str) -> tuple[str, bool] | None:
    """(heading text, whole line is the heading) for a heading line, or for a paragraph that opens
    with a short heading sentence ('（一）主动公开情况。2024年…'); None when the line is no heading."""
    text = text.strip()
    if heading_level(text) is None or _TABLE_ROW.search(text):
        return None
    text = _MARKDOWN.sub("", text)
    text = re.sub(r"(?<=[、.．）)])[\s\u2002\u2003\u3000]+", "", text)  # "二、\u2002主动公开" -> "二、主动公开"
    if len(text) <= MAX_HEADING_CHARS and not _FIRST_STOP.search(text[:-1]):
        return text.rstrip("。.;；"), True
    m = _FIRST_STOP.search(text)
    if m and m.start() <= 30:
        return text[:m.start()], False
    # "三、打造三个“公开平台”,创新… 一是…": heading and body on one line, split at the first space
    m = re.search(r"[ \u3000]+", text)
    if m and m.start() <= MAX_HEADING_CHARS:
        return text[:m.start()], False
    return None


def assign(paths: list[tuple[int, str]], level: int, heading: str) -> list[tuple[int, str]]:
    """New section stack after a heading at `level`: deeper or equal levels are closed."""
    return [p for p in paths if p[0] < level] + [(level, heading)]

"""Crawler exports: a CSV or JSON-lines file holding one article per row (标题, 时间, 内容, 来源网站, 访问地址).

Rows that are annual disclosure reports (decided by their title and opening text, never by a list of names)
become documents with their title, date and source URL kept as metadata; the other rows are skipped and counted.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from bot.errors import ReadError
from bot.ingest.readers import decode_text

# column names crawlers use, per field (Chinese and English headers)
_COLUMNS = {
    "title": ("标题", "題目", "标题名称", "题目", "名称", "title", "name", "headline"),
    "date": ("时间", "发布时间", "发布日期", "日期", "date", "time", "pubdate", "publish_time", "published"),
    "content": ("内容", "正文", "全文", "content", "text", "body", "article"),
    "site": ("来源网站", "来源", "网站", "site", "source", "website"),
    "url": ("访问地址", "链接", "网址", "地址", "url", "link", "href"),
}
_REPORT = re.compile(r"(信息|政务|政務)公开.{0,14}(年度|年)(工作)?(报告|報告)|(信息|政务)公开.{0,6}年报|年度(报告|報告)"
                     # the year named before the genre: "…2023年度政府信息公开工作报告"
                     r"|(?:(?:19|20)\d\d\s*年度?|年度).{0,12}(信息|政务|政務)公开.{0,6}(报告|報告)")


@dataclass(frozen=True)
class ExportRow:
    n: int  # row number in the file (1-based), stable across re-imports
    title: str
    date: str
    content: str
    site: str
    url: str


def _field(row: dict, name: str) -> str:
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for key in _COLUMNS[name]:
        value = lowered.get(key.lower())
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _rows(data: bytes, name: str) -> list[dict]:
    text = decode_text(data, name).lstrip("\ufeff")
    if name.lower().endswith(".jsonl"):
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ReadError(f"{name} line {n} is not JSON ({exc.msg}): one object a line is expected") from exc
                rows.append(item if isinstance(item, dict) else {})
        return rows
    csv.field_size_limit(1 << 26)
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise ReadError(f"{name} is not a readable CSV file ({exc}): export it as UTF-8 CSV with a header row") from exc


def is_annual_report(title: str, content: str) -> bool:
    # a row's title decides; a letter or notice may cite the report notice in its first sentence. A title the site
    # cut short ("…工作年度报...") leaves the decision to the text's opening, where the report names itself
    if title.strip() and not _CUT_SHORT.search(title):
        return bool(_REPORT.search(title))
    return bool(_REPORT.search(content[:200]) or (title.strip() and _REPORT.search(title)))


_CUT_SHORT = re.compile(r"(?:\.{2,}|…+)\s*$")


def looks_like_export(data: bytes, name: str) -> bool:
    """A text file that is a crawler's CSV export: its first line a header naming a title and a content column."""
    first = data.split(b"\n", 1)[0]
    if len(first) > 4096:
        return False  # a header row is short; a report run into one line is not one
    try:
        head = decode_text(first, name).lstrip("\ufeff")
    except ReadError:
        return False
    cells = {c.strip().strip('"').lower() for c in re.split(r"[,\t]", head)}
    return len(cells) >= 3 and any(c.lower() in cells for c in _COLUMNS["title"]) and any(
        c.lower() in cells for c in _COLUMNS["content"])


def read_export(data: bytes, name: str) -> tuple[list[ExportRow], int]:
    """The annual-report rows of a crawler export, and how many other rows were skipped."""
    rows = _rows(data, name)
    if rows and not any(_field(r, "content") for r in rows):
        raise ReadError(f"{name} has no content column: name it 内容 or content (found {sorted(rows[0])[:8]})")
    reports, skipped = [], 0
    for n, row in enumerate(rows, 1):
        item = ExportRow(n, _field(row, "title"), _field(row, "date"), _field(row, "content"), _field(row, "site"),
                         _field(row, "url"))
        if item.content and is_annual_report(item.title, item.content):
            reports.append(item)
        else:
            skipped += 1
    return reports, skipped

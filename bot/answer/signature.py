"""The date a report is signed: the last full date at its very end, under the issuing body's name ("咸宁市民政局
2016年1月29日"). A question about the report's own date ("落款日期", "when was the report issued") is answered from
it, not from dates the report's sentences mention (the statistics period, events of the year)."""

from __future__ import annotations

import re

from bot.answer.numbers import extract_quantities
from bot.models import Document

# the report itself dated: "年报的落款日期", "报告哪天发布", "when was the 2019 report issued", "what date is it signed"
REPORT_DATE = re.compile(r"(?:年报|报告)(?![中里内])[^,，。?？]{0,8}?(?:落款|发布(?!会)|印发|签发|出具|日期)|落款|"
                         r"\breport (?:was |were |is |got )?(?:issued|published|released|signed|dated|posted|put online)\b|"
                         r"\b(?:issue|publish|release|sign|date)[sd]? (?:the|its|this|that) (?:[\w'-]+ ){0,6}report\b", re.I)
NAME_CHARS = 30  # the body's name before the date, at most
TAIL = 80  # characters after the signature at most (a contact line, a crawler's link column is not a signature)


def signature_span(doc: Document) -> tuple[int, int, int, int] | None:
    """(quote start, quote end, date start, date end) of the report's signature: its last full date, standing
    within TAIL characters of the end; the quote includes the line before it (the body's name)."""
    text = doc.text.rstrip()
    dates = [q for q in extract_quantities(text[-400:]) if q.kind == "date" and "日" in q.raw or
             q.kind == "date" and re.fullmatch(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}", q.raw)]
    if not dates:
        return None
    offset = max(0, len(text) - 400)
    last = dates[-1]
    start, end = offset + last.start, offset + last.end
    if len(text) - end > TAIL:
        return None
    line_start = text.rfind("\n", 0, start)
    before = text[max(line_start + 1, start - NAME_CHARS): start]
    if not before.strip():  # the date on a line of its own: the body's name is the line before
        previous = text.rfind("\n", 0, max(0, line_start))
        before = text[max(previous + 1, start - NAME_CHARS): start]
    before = re.split(r"[。；;：:！？!?]", before)[-1]  # the name begins after the last sentence's end
    return start - len(before), end, start, end


# a web page's own date line near its top: "来源:区人民政府办公室 时间:2017-01-12 10:01", "发布时间:2022-02-09"
_PAGE_DATE = re.compile(r"(?:发布|发文|成文|生成)?(?:时间|日期)\s*[:：]\s*((?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}日?)")


def page_date_span(doc: Document) -> tuple[int, int, int, int] | None:
    """(line start, line end, date start, date end) of the date a crawled page says it was posted, in its first
    lines: the report's date when it has no signature at its end."""
    m = _PAGE_DATE.search(doc.text, 0, 600)
    if m is None:
        return None
    start = doc.text.rfind("\n", 0, m.start()) + 1
    end = doc.text.find("\n", m.end())
    return start, end if end >= 0 else len(doc.text), m.start(1), m.end(1)

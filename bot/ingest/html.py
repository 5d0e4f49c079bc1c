"""Web pages: the article without the site around it, and the page's own metadata with where each came from.

Government CMS pages wrap the report in navigation, link bars ("中国政府网 | 河南政府网"), share widgets and
footers. The article block is found by text density (gne, a maintained extractor for Chinese article pages),
its tables are kept as statutory-table lines, and title/date/source are read from the page's meta tags and
heading before falling back to the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from gne import GeneralNewsExtractor

from bot.ingest.readers import Line, html_lines

_REPORT_TITLE = re.compile(r"(信息|政务|政務)公开.{0,12}(报告|報告|年报|年報)|年度(报告|報告)")
_TITLE_SPLIT = re.compile(r"\s*[-_|｜—–]{1,2}\s*")  # "…年度报告-柘城县人民政府" -> parts
_BODY_END = re.compile(r"(人民政府|政府办公室|办公室|委员会|局|厅|委|办|中心|法院|检察院|公司|集团|银行|大学|医院)$")
_CRUMB = re.compile(r"[>›»]|当前位置|當前位置|您的位置|首页|首頁")  # breadcrumbs name the site, not the report
_TITLE_METAS = ("ArticleTitle", "articletitle", "title", "og:title")
_DATE_METAS = ("PubDate", "pubdate", "publishdate", "PublishTime", "article:published_time", "firstpublishedtime")
MIN_ARTICLE_SHARE = 0.25  # an extracted article with less of the page's text than this is a wrong guess


@dataclass
class Page:
    lines: list[Line]
    meta: dict[str, str] = field(default_factory=dict)  # 名称 / 发布日期 / 发布机构 as the text's own header has
    sources: dict[str, str] = field(default_factory=dict)  # the same keys -> where the value came from


def _meta_content(soup: BeautifulSoup, names: tuple[str, ...]) -> tuple[str, str]:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content", "").strip():
            return tag["content"].strip(), f"meta:{name}"
    return "", ""


def _title(soup: BeautifulSoup) -> tuple[str, str]:
    """The report's title: ArticleTitle meta, then a heading that names a report, then the <title> part."""
    value, source = _meta_content(soup, _TITLE_METAS)
    if value and _REPORT_TITLE.search(value):
        return _TITLE_SPLIT.split(value)[0] if not _REPORT_TITLE.search(_TITLE_SPLIT.split(value)[0]) else \
            next(p for p in _TITLE_SPLIT.split(value) if _REPORT_TITLE.search(p)), source
    for names in (["h1", "h2", "h3"], ["div", "p", "td", "span", "strong", "font"]):
        for tag in soup.find_all(names, limit=4000):
            text = re.sub(r"\s+", "", tag.get_text(" ", strip=True))
            if 6 <= len(text) <= 80 and _REPORT_TITLE.search(text) and not tag.find("a") and not _CRUMB.search(text):
                return text, f"heading:{tag.name}"
    if soup.title and soup.title.string:
        parts = [p for p in _TITLE_SPLIT.split(soup.title.string.strip()) if _REPORT_TITLE.search(p)]
        if parts:
            return parts[0], "title_tag"
    value, source = _meta_content(soup, ("description", "Description"))
    if value and _REPORT_TITLE.search(value) and len(value) <= 80:
        return value, source
    return "", ""


def _source(soup: BeautifulSoup) -> tuple[str, str]:
    """The issuing body named by the page's ContentSource meta, only when it names a body."""
    value, source = _meta_content(soup, ("ContentSource", "contentsource", "source"))
    return (value, source) if value and _BODY_END.search(value) and len(value) <= 30 else ("", "")


def _article_html(html: str, page_text_len: int) -> str | None:
    """The article block's HTML, or None when the extractor's guess holds too little of the page."""
    try:
        found = GeneralNewsExtractor().extract(html, with_body_html=True)
    except (ValueError, IndexError, AttributeError, TypeError):  # gne gives up on odd markup
        return None
    body = found.get("body_html") or ""
    text_len = len(re.sub(r"\s+", "", BeautifulSoup(body, "lxml").get_text())) if body else 0
    return body if page_text_len and text_len >= MIN_ARTICLE_SHARE * page_text_len else None


def read_page(html: str) -> Page:
    """Lines of the article (tables as row lines) and the page's metadata with provenance."""
    soup = BeautifulSoup(html, "lxml")
    meta: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key, (value, source) in (("名称", _title(soup)), ("发布日期", _meta_content(soup, _DATE_METAS)),
                                 ("发布机构", _source(soup))):
        if value:
            meta[key], sources[key] = value, source
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    page_text_len = len(re.sub(r"\s+", "", (soup.body or soup).get_text()))
    article = _article_html(str(soup), page_text_len)
    lines = html_lines(article) if article else html_lines(str(soup))
    head = [ln.text for ln in lines if ln.text.strip()][:5]
    if article and meta.get("名称") and not any(meta["名称"] in re.sub(r"\s+", "", t) for t in head):
        lines.insert(0, Line(meta["名称"]))  # the extractor left the heading outside the article block
    return Page(lines, meta, sources)

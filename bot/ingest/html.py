"""Web pages: the article without the site around it, and the page's own metadata with where each came from.

Government CMS pages wrap the report in navigation, link bars ("中国政府网 | 河南政府网"), share widgets and
footers. The article block is the smallest element that holds most of the page's running text (visible sentences
outside links, not the footer's short copyright/ICP lines); its tables are kept as statutory-table lines. Title, date
and issuer come from the page's meta tags, its `<title>` (split on "_", "-", "|" with the site's own name dropped),
its heading and its labelled header lines (发布日期, 来源), before the text is asked.

Measured on the 14 real pages of tests/data/pages (www.pingtan.gov.cn, www.wanzai.gov.cn, www.yichun.gov.cn): the
text-density extractor gne kept the whole article on 6 of the 13 article pages, a third of it on one and 1 to 11%
on the other six (the reader then fell back to the whole page, navigation included); this block rule keeps the
whole article on all 13 and the one list page whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Tag

from bot.ingest.readers import Line, html_lines

_REPORT_TITLE = re.compile(r"(信息|政务|政務)公开.{0,12}(报告|報告|年报|年報)|年度(报告|報告)")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-—–]{1,2}\s|(?<=[\u4e00-\u9fff])[-—–]{1,2}(?=[\u4e00-\u9fff]))\s*")
_BODY_END = re.compile(r"(人民政府|政府办公室|办公室|办公厅|管委会|委员会|局|厅|委|办|中心|队|法院|检察院|公司|集团|银行|大学|医院)$")
_CRUMB = re.compile(r"[>›»]|当前位置|當前位置|您的位置|所在位置|首页|首頁")  # breadcrumbs name the site, not the report
# words that only site chrome uses: a title holding one of them was read from the page around the article
_CHROME_TITLE = re.compile(r"欢迎|歡迎|当前位置|當前位置|首页|首頁|旧版|舊版|无障碍|無障礙|關懷版|关怀版")
_TITLE_METAS = ("ArticleTitle", "articletitle", "og:title", "title")
_DATE_METAS = ("PubDate", "pubdate", "publishdate", "PublishTime", "article:published_time", "firstpublishedtime")
_DATE_LABEL = re.compile(r"(发布日期|發布日期|发文日期|發文日期|公开日期|公開日期|发布时间|發布時間|成文日期|生成日期)\s*[:：]\s*"
                         r"((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})")
_SOURCE_LABEL = re.compile(r"(?:^|\s)(?:发布机构|發布機構|信息来源|来源|來源)\s*[:：]\s*([^\s:：]{2,30})")
_BLOCKS = frozenset("p div td th li h1 h2 h3 h4 h5 h6 section article pre dd dt blockquote center body table ul ol"
                    .split())
# what only a site's footer says: "版权所有：某某网站", "浙ICP备12345678号", "网站标识码：1234567890", "浙公网安备 12345678901234号"
_FOOTER = re.compile(r"版权所有|版權所有|ICP[备備]|网站标识码|網站標識碼|公网安备|公網安備")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
SENTENCE_CHARS = 20  # a run of text this long outside links is running text, not a menu entry
ARTICLE_SHARE = 0.75  # the article block holds at least this share of the page's running text
MIN_RUNNING_TEXT = 200  # below this the page is a list or a form: keep it whole
FOOTER_CHARS = 150  # a footer block is short; a paragraph this long naming 版权所有 is the article's


@dataclass
class Page:
    lines: list[Line]
    meta: dict[str, str] = field(default_factory=dict)  # 名称 / 发布日期 / 发布机构 / 站点 as the text's header has
    sources: dict[str, str] = field(default_factory=dict)  # the same keys -> where the value came from


def _meta_content(soup: BeautifulSoup, names: tuple[str, ...]) -> tuple[str, str]:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content", "").strip():
            return tag["content"].strip(), f"meta:{name}"
    return "", ""


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title_parts(text: str, site: str) -> list[str]:
    """'X年度报告_政府信息公开年报_某某管委会' -> the parts that are neither the site's name nor chrome."""
    parts = [_squash(p) for p in _TITLE_SPLIT.split(text.strip())]
    return [p for p in parts if len(p) >= 2 and p != site and not _CHROME_TITLE.search(p) and not _CRUMB.search(p)]


def _best_part(parts: list[str]) -> str:
    """The part that names a report, else the longest one (site and column names are the short ones)."""
    named = [p for p in parts if _REPORT_TITLE.search(p)]
    return named[0] if named else max(parts, key=len, default="")


def _heading(soup: BeautifulSoup, site: str, report_only: bool) -> tuple[str, str]:
    """A heading that is not a link, a breadcrumb or the site's name (naming a report, when asked to)."""
    kinds = (["h1", "h2", "h3"], ["div", "p", "td", "span", "strong", "font"]) if report_only else (["h1", "h2"],)
    for names in kinds:
        for tag in soup.find_all(names, limit=4000):
            text = _squash(tag.get_text(" ", strip=True))
            if not 6 <= len(text) <= 80 or tag.find("a") or _CRUMB.search(text) or text == site:
                continue
            if (_REPORT_TITLE.search(text) or not report_only) and not _CHROME_TITLE.search(text):
                return text, f"heading:{tag.name}"
    return "", ""


def _title(soup: BeautifulSoup, site: str) -> tuple[str, str]:
    """The article's title: ArticleTitle meta, a heading naming a report, the <title> part, the page's heading."""
    value, source = _meta_content(soup, _TITLE_METAS)
    meta_title = _best_part(_title_parts(value, site))
    if meta_title:
        return meta_title, source
    found = _heading(soup, site, report_only=True)
    if found[0]:
        return found
    tag_title = _best_part(_title_parts(soup.title.get_text() if soup.title else "", site))
    if tag_title:
        return tag_title, "title_tag"
    found = _heading(soup, site, report_only=False)
    if found[0]:
        return found
    value, source = _meta_content(soup, ("description", "Description"))
    if value and _REPORT_TITLE.search(value) and len(value) <= 80:
        return value, source
    return "", ""


def _is_body(name: str) -> bool:
    return bool(name) and len(name) <= 30 and bool(_BODY_END.search(name)) and not _CHROME_TITLE.search(name)


def _source(soup: BeautifulSoup, page_text: str) -> tuple[str, str]:
    """The issuer the page names: ContentSource meta, or a 发布机构/来源 label, only when it names a body."""
    value, source = _meta_content(soup, ("ContentSource", "contentsource", "source"))
    if _is_body(_squash(value)):
        return _squash(value), source
    m = next((m for m in _SOURCE_LABEL.finditer(page_text) if _is_body(m.group(1))), None)
    return (m.group(1), "label:来源") if m else ("", "")


def _date(soup: BeautifulSoup, page_text: str) -> tuple[str, str]:
    """The page's own 发布日期 line first (CMS PubDate metas often hold the page's build time), then the metas."""
    m = _DATE_LABEL.search(page_text)
    return (m.group(2), f"label:{m.group(1)}") if m else _meta_content(soup, _DATE_METAS)


def _hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN_STYLE.search(tag.get("style") or ""))


def _running_text(root: Tag) -> list[tuple[Tag, int]]:
    """(block element, characters of running text it holds itself): visible text outside links, per nearest block;
    a short block naming the site's registration or copyright is the footer, not running text."""
    hidden = {id(tag) for tag in root.find_all(_hidden)}
    own: dict[int, tuple[Tag, str]] = {}
    for string in root.find_all(string=True):
        if isinstance(string, Comment) or string.find_parent(["a", "option"]):
            continue
        if hidden and any(id(p) in hidden for p in string.parents):
            continue  # a display:none block (the CMS's column data, a print copy) is not what a reader sees
        text = _squash(str(string))
        block = next((p for p in string.parents if isinstance(p, Tag) and p.name in _BLOCKS), None)
        if text and block is not None:
            own[id(block)] = (block, own.get(id(block), (block, ""))[1] + text)
    return [(block, len(text)) for block, text in own.values()
            if len(text) >= SENTENCE_CHARS and not (len(text) < FOOTER_CHARS and _FOOTER.search(text))]


def article_block(soup: BeautifulSoup) -> Tag | None:
    """The smallest element holding ARTICLE_SHARE of the page's running text, or None for list-like pages."""
    units = _running_text(soup.body or soup)
    total = sum(n for _, n in units)
    if total < MIN_RUNNING_TEXT:
        return None
    held: dict[int, tuple[Tag, int]] = {}
    for block, n in units:
        for node in (block, *block.parents):
            if isinstance(node, Tag) and node.name not in ("html", "[document]"):
                held[id(node)] = (node, held.get(id(node), (node, 0))[1] + n)
    # the elements above the share form one chain of ancestors (each holds more than half): take the innermost
    chain = [(node, n) for node, n in held.values() if n >= ARTICLE_SHARE * total]
    return min(chain, key=lambda c: (c[1], -len(list(c[0].parents))))[0] if chain else None


def read_page(html: str) -> Page:
    """Lines of the article (tables as row lines) and the page's metadata with provenance."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    site = _squash(_meta_content(soup, ("SiteName", "sitename", "og:site_name"))[0])
    page_text = (soup.body or soup).get_text("\n")
    meta: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key, (value, source) in (("名称", _title(soup, site)), ("发布日期", _date(soup, page_text)),
                                 ("发布机构", _source(soup, page_text)), ("站点", (site, "meta:SiteName"))):
        if value:
            meta[key], sources[key] = value, source
    block = article_block(soup)
    lines = html_lines(str(block)) if block is not None else html_lines(str(soup))
    head = [_squash(ln.text) for ln in lines if ln.text.strip()][:5]
    if block is not None and meta.get("名称") and not any(meta["名称"] in t for t in head):
        lines.insert(0, Line(meta["名称"]))  # the heading sits above the article block
    return Page(lines, meta, sources)

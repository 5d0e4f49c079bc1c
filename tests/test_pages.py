"""Real government web pages and a real crawler export (issue 10).

tests/data/pages/ holds pages saved from public repositories (provenance in SOURCES.md) from more than one site
system; expected.json was written by reading each page, not from the bot. tests/data/crawl/ holds a crawler CSV
built from a public crawl of one body's reports over several years, mixed with rows that are not reports.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bot.ingest import read_documents
from tests.conftest import EMBED_CACHE

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
CRAWL = DATA / "crawl" / "pingtan_zone_zfxxgknb.csv"
FIELDS = ("title", "body", "year")
MIN_RIGHT = 0.95
# what only the site around an article says: a title holding one of these was read from the chrome
CHROME = re.compile(r"旧版本|舊版本|欢迎访问|歡迎訪問|当前位置|當前位置|您的位置|首页|首頁|网站无障碍|無障礙|关怀版|"
                    r"登录|注册|网站地图|[>›»]|(?:^|\s)[|｜](?:\s|$)")
# what only a page's menus and footer hold: a bare link-bar separator, copyright and registration lines
MENU_OR_FOOTER = re.compile(r"^[|｜丨]$|版权所有|版權所有|ICP[备備]|网站标识码|網站標識碼|公网安备|公網安備|无障碍|無障礙")


@pytest.fixture(scope="module")
def read_pages():
    return {name: read_documents(PAGES / name) for name in EXPECTED}


def _site_name(name: str) -> str:
    soup = BeautifulSoup((PAGES / name).read_bytes(), "lxml")
    tag = soup.find("meta", attrs={"name": "SiteName"})
    return re.sub(r"\s+", "", tag["content"]) if tag and tag.get("content") else ""


def test_every_saved_page_is_described_and_sourced():
    saved = sorted(p.name for p in PAGES.glob("*.html"))
    assert saved == sorted(EXPECTED)
    sources = (PAGES / "SOURCES.md").read_text(encoding="utf-8")
    assert [n for n in saved if n not in sources] == []
    for name, exp in EXPECTED.items():
        assert set(exp) >= {"title", "body", "year", "published", "site_system", "kind"}, name
    # more than one site system, and more than one vendor's CMS
    assert len({e["site_system"] for e in EXPECTED.values()}) >= 4
    assert len({e["site_system"].split("-")[0] for e in EXPECTED.values()}) >= 2


def test_title_body_and_year_are_read_from_the_article(read_pages):
    right = {f: 0 for f in FIELDS}
    wrong = []
    for name, exp in EXPECTED.items():
        docs = read_pages[name]
        assert len(docs) == 1, name
        doc = docs[0]
        got = {"title": doc.title, "body": doc.body, "year": doc.year}
        for f in FIELDS:
            if got[f] == exp[f]:
                right[f] += 1
            else:
                wrong.append((name, f, got[f], exp[f], doc.sources.get(f)))
    share = {f: right[f] / len(EXPECTED) for f in FIELDS}
    assert all(s >= MIN_RIGHT for s in share.values()), (share, wrong)


def test_kind_separates_reports_from_other_pages(read_pages):
    kinds = {name: read_pages[name][0].kind for name in EXPECTED}
    assert kinds == {name: exp["kind"] for name, exp in EXPECTED.items()}


def test_no_title_is_site_chrome(read_pages):
    for name in EXPECTED:
        title = read_pages[name][0].title
        assert title and len(title) <= 80, (name, title)
        assert not CHROME.search(title), (name, title)
        assert title != _site_name(name), (name, title)


def test_the_article_starts_at_its_title_not_at_the_navigation(read_pages):
    """The first lines are the article's, not the site's menu, banner or breadcrumb."""
    for name in EXPECTED:
        if EXPECTED[name]["site_system"].endswith("-list"):
            continue  # a column's list page has no article: the page itself is what it holds
        head = " ".join(p.text for p in read_pages[name][0].paragraphs[:3])
        assert not CHROME.search(head), (name, head[:200])


def test_the_article_text_holds_no_menu_or_footer(read_pages):
    """Nothing of the site around the article: no link bar, no 无障碍 switch, no copyright or ICP footer."""
    for name in EXPECTED:
        if EXPECTED[name]["site_system"].endswith("-list"):
            continue
        chrome = [p.text for p in read_pages[name][0].paragraphs if MENU_OR_FOOTER.search(p.text.strip())]
        assert chrome == [], (name, chrome[:5])


# ------------------------------------------------------------------ crawler export

REPORT_ROWS = {1: 2012, 3: 2013, 5: 2015}  # row number -> year its report covers (read from each row's text)


def _rows() -> list[dict]:
    with CRAWL.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_crawl_export_is_real_and_sourced():
    rows = _rows()
    assert len(rows) == 5
    sources = (DATA / "crawl" / "SOURCES.md").read_text(encoding="utf-8")
    for row in rows:
        assert row["访问地址"] in sources
        assert row["内容"] and row["标题"]


def test_crawl_export_gives_one_document_per_report_row():
    docs = read_documents(CRAWL)
    reports = {d.id: d for d in docs if d.kind == "annual_report"}
    assert sorted(reports) == [f"{CRAWL.stem}#{n}" for n in sorted(REPORT_ROWS)]
    rows = _rows()
    for n, year in REPORT_ROWS.items():
        doc, row = reports[f"{CRAWL.stem}#{n}"], rows[n - 1]
        assert doc.year == year
        assert doc.title == row["标题"]
        assert doc.url == row["访问地址"]
        assert doc.published == row["发布时间"][:10]
        assert doc.body == "平潭综合实验区管委会"
    # the notice in the same export is skipped
    assert f"{CRAWL.stem}#2" not in {d.id for d in docs}


def test_crawl_export_skips_a_letter_that_cites_the_report_notice():
    assert f"{CRAWL.stem}#4" not in {d.id for d in read_documents(CRAWL)}


# one question per year, each figure read in that year's text (政府信息公开专栏访问量)
YEAR_QUESTIONS = [
    (1, "平潭综合实验区2012年政府信息公开专栏访问量达多少人次？", "72065"),
    (3, "平潭综合实验区2013年政府信息公开专栏访问量达多少人次？", "196022"),
    (5, "平潭综合实验区2015年政府信息公开专栏访问量达多少人次？", "133890"),
]


@pytest.fixture(scope="module")
def crawl_service(tmp_path_factory):
    from bot.config import load_config
    from bot.service import Service

    base = tmp_path_factory.mktemp("crawl")
    (base / "corpus").mkdir()
    shutil.copy(CRAWL, base / "corpus")
    cfg = load_config(env={}, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                      embed_cache=EMBED_CACHE)
    return Service.open(cfg, build_if_missing=True)


@pytest.mark.slow
@pytest.mark.parametrize("row,question,figure", YEAR_QUESTIONS)
def test_crawl_export_answers_each_year_from_its_own_report(crawl_service, row, question, figure):
    ans = crawl_service.ask(question)
    assert ans.found, ans.answer
    assert ans.figure is not None and ans.figure.value == figure, ans.answer
    cited = next(c for c in ans.citations if c.n == ans.figure.citation)
    assert cited.source == f"{CRAWL.stem}#{row}", ans.answer
    assert figure in cited.quote

"""The real page in headless Chromium (Debian's /usr/bin/chromium): one server, one browser, every check in the
zh-CN and the en-US locale. Chinese by default, English by browser locale; cited answers with their unit; [2] of
a two-citation answer opening its passage; a chart for a trend question; 👍 reaching the feedback store; clear
resetting the conversation; filter chips and a question they exclude; the report browser; no admin area without
a key; /api/docs with the network blocked; the phone layout. With BOT_SCREENSHOTS=1 the zh-CN run writes
docs/screenshots/ (chat-desktop.png, chat-phone.png, …)."""

import json
import os
from pathlib import Path

import pytest

from tests.conftest import small_service

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FILES = ("000_ef4fad13e9076686.txt", "001_d6e3f92ae18b423a.txt", "suqian_2023.txt", "suqian_2024.txt")
LOCALES = ["zh-CN", "en-US"]
# what each locale asks and expects to see (the answers come from the real index of FILES)
TEXT = {
    "zh-CN": {
        "ask": "提问", "like": "赞", "clear": "清空对话", "saved": "已记录", "reports": "报告浏览", "search": "咸宁",
        "mdj": "牡丹江市民政局2009年受理了多少件依申请公开事项?", "unit": "141 件", "where": "牡丹江市民政局2009年",
        "sum": "宿迁市2023年和2024年本年新收的申请合计多少件？", "sum_head": "3511 + 3525 = 7036件",
        "trend": "宿迁市2023年和2024年新收的政府信息公开申请分别有多少件，趋势如何?",
        "followup": "那咸宁呢?", "not_followup": "太笼统", "chip": "年份 2015", "excluded": "排除了问题中的 2009 年",
        "download": "下载原始文件", "comment": "引用很清楚",
    },
    "en-US": {
        "ask": "Ask", "like": "Like", "clear": "Clear", "saved": "recorded", "reports": "Reports", "search": "Xianning",
        "mdj": "How many applications did the Mudanjiang civil affairs bureau receive in 2009?",
        "unit": "141 applications", "where": "Mudanjiang civil affairs bureau",
        "sum": "Suqian: new disclosure requests in 2023 and 2024 combined?", "sum_head": "3511 + 3525 = 7036 件",
        "trend": "What was the trend in Suqian's new disclosure applications in 2023 and 2024?",
        "followup": "What about Xianning?", "not_followup": "too general", "chip": "year 2015",
        "excluded": "excludes the year 2009", "download": "Download the original file", "comment": "clear quote",
    },
}
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/test.sh)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from bot.serve import create_app, serve_in_background

    cfg, service = small_service(tmp_path_factory.mktemp("web"), files=FILES)
    url, srv = serve_in_background(create_app(cfg, service=service))
    yield url, cfg
    srv.should_exit = True


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _shot(page_or_locator, name: str, locale: str) -> None:
    """Screenshots for the README, only when asked for (BOT_SCREENSHOTS=1): the Chinese page's, and the English
    desktop chat as chat-desktop-en.png."""
    if locale != "zh-CN":
        name = name.replace(".png", "-en.png") if name == "chat-desktop.png" else ""
    if os.environ.get("BOT_SCREENSHOTS") == "1" and name:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page_or_locator.screenshot(path=str(SHOTS / name))


def _open(browser, url, locale="zh-CN", width=1280, height=900):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    page.goto(f"{url}/", wait_until="domcontentloaded")
    expect(page.locator("#question textarea")).to_be_visible(timeout=60_000)
    expect(page.locator("#ask-button")).to_have_text(TEXT[locale]["ask"], timeout=20_000)  # the load event ran
    page.wait_for_timeout(300)
    return context, page


def _ask(page, question, n):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill(question)
    page.locator("#ask-button").click()
    expect(page.locator("#chat .answer")).to_have_count(n, timeout=60_000)
    return page.locator("#chat .answer").nth(n - 1)


def _cited_answer_with_unit(page, tx, locale):
    from playwright.sync_api import expect

    first = _ask(page, tx["mdj"], 1)
    expect(first.locator(".headline")).to_contain_text(tx["unit"])  # the figure with its unit
    expect(first.locator(".headline")).to_contain_text(tx["where"])
    expect(first.locator("a.citation-link")).to_contain_text("牡丹江市民政局 · 2009")  # names, not ids
    expect(first.locator("a.citation-link")).not_to_contain_text("000_ef4fad13e9076686")
    expect(page.locator("#source-panel mark.quote")).to_contain_text("141")
    _shot(page, "chat-desktop.png", locale)
    return first


def _second_citation(page, tx):
    """A sum over two years cites both reports; its [2] shows the 2024 report's cell in the side panel."""
    from playwright.sync_api import expect

    answer = _ask(page, tx["sum"], 2)
    expect(answer.locator(".headline")).to_contain_text(tx["sum_head"])
    refs = answer.locator(".headline a.cite-ref")
    expect(refs).to_have_count(2)
    expect(page.locator("#source-panel mark.quote")).to_contain_text("3511")  # [1] shown first
    refs.nth(1).click()
    expect(page.locator("#source-panel mark.quote")).to_contain_text("3525", timeout=10_000)
    expect(page.locator("#source-panel .source-meta")).to_contain_text("2024")


def _trend_chart(page, tx, locale):
    from playwright.sync_api import expect

    answer = _ask(page, tx["trend"], 3)
    chart = answer.locator(".answer-chart svg")
    expect(chart.locator("rect.bar")).to_have_count(2)
    expect(chart).to_contain_text("2023")
    expect(chart).to_contain_text("3525")
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100  # drawn, not an empty element
    _shot(answer, "chat-chart.png", locale)


def _feedback_stored(page, tx, cfg, locale):
    """👍 on the first answer, with a comment: the server's feedback store has it (as the admin listing shows)."""
    from click.testing import CliRunner
    from playwright.sync_api import expect

    from bot.cli import cli

    page.locator("#feedback-comment textarea").fill(tx["comment"])
    page.locator(f"#chat button[aria-label='{tx['like']}']").first.click()
    expect(page.locator("#feedback-status")).to_contain_text(tx["saved"], timeout=10_000)
    out = CliRunner().invoke(cli, ["feedback", "--json"], obj={}, env={"BOT_DATA_DIR": str(cfg.data_dir)})
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    mine = [r for r in rows if r["question"] == tx["mdj"]]
    assert mine and mine[0]["rating"] == 1 and mine[0]["comment"] == tx["comment"]
    assert mine[0]["lang"] == locale[:2] and mine[0]["citations"][0]["source"] == "000_ef4fad13e9076686"
    assert "141" in mine[0]["answer"]


@needs_chromium
@pytest.mark.parametrize("locale", LOCALES)
def test_chat_answers_citations_chart_feedback_clear(server, browser, locale):
    from playwright.sync_api import expect

    url, cfg = server
    tx = TEXT[locale]
    context, page = _open(browser, url, locale)
    first = _cited_answer_with_unit(page, tx, locale)
    _second_citation(page, tx)
    first.locator("a.cite-ref").first.click()  # [1] of the earlier answer opens it again
    expect(page.locator("#source-panel mark.quote")).to_contain_text("141", timeout=10_000)
    _trend_chart(page, tx, locale)
    page.locator("#question textarea").fill(tx["trend"])  # the same question again right away does nothing
    page.locator("#ask-button").click()
    page.wait_for_timeout(1000)
    expect(page.locator("#chat .answer")).to_have_count(3)
    first.locator("a.copy-plain").click()
    copied = page.evaluate("window.__lastCopied")
    assert "141" in copied and "<" not in copied
    _feedback_stored(page, tx, cfg, locale)
    page.locator(f"#chat button[aria-label='{tx['clear']}']").click()  # the chat's own clear (trash) button
    expect(page.locator("#chat .answer")).to_have_count(0, timeout=10_000)
    expect(page.locator("#source-panel mark.quote")).to_have_count(0)
    after = _ask(page, tx["followup"], 1)  # no earlier turn left to follow up on
    expect(after).to_contain_text(tx["not_followup"])
    context.close()


@needs_chromium
@pytest.mark.parametrize("locale", LOCALES)
def test_filter_chip_and_a_question_it_excludes(server, browser, locale):
    from playwright.sync_api import expect

    url, _ = server
    tx = TEXT[locale]
    context, page = _open(browser, url, locale)
    expect(page.locator("#filter-chips .chip")).to_have_count(0)
    page.locator("#filter-year input").click()
    page.get_by_role("option", name="2015", exact=True).click()
    expect(page.locator("#filter-chips .chip")).to_have_text(tx["chip"], timeout=10_000)
    answer = _ask(page, tx["mdj"], 1)  # asks about 2009 while the filter keeps only 2015
    expect(answer).to_contain_text(tx["excluded"])
    expect(answer.locator("a.cite-ref")).to_have_count(0)
    context.close()


@needs_chromium
@pytest.mark.parametrize("locale", LOCALES)
def test_report_browser_opens_a_report_with_its_original(server, browser, locale):
    from playwright.sync_api import expect

    url, _ = server
    tx = TEXT[locale]
    context, page = _open(browser, url, locale)
    page.locator("button[role=tab]", has_text=tx["reports"]).click()
    expect(page.locator("#reports-list a.report-link")).to_have_count(len(FILES), timeout=10_000)
    page.locator("#reports-search textarea, #reports-search input").first.fill(tx["search"])
    links = page.locator("#reports-list a.report-link")
    expect(links).to_have_count(1, timeout=10_000)
    _shot(page, "reports-desktop.png", locale)
    with context.expect_page() as opened:
        links.first.click()
    source = opened.value
    source.wait_for_load_state()
    expect(source.locator(".source-title")).to_contain_text("咸宁市民政局")
    expect(source.locator("a.download")).to_have_text(tx["download"])
    got = source.request.get(url + source.locator("a.download").get_attribute("href"))
    assert got.ok and len(got.body()) > 500
    assert source.request.get(url + "/original/..%2F..%2Fetc%2Fpasswd").status == 404
    context.close()


@needs_chromium
@pytest.mark.parametrize("locale", LOCALES)
def test_no_admin_without_key_and_offline_api_docs(server, browser, locale):
    from playwright.sync_api import expect

    url, _ = server
    context, page = _open(browser, url, locale)
    expect(page.locator("#admin-note")).to_contain_text("BOT_API_KEY")
    expect(page.locator("#tab-admin")).to_have_count(0)
    expect(page.locator("#admin-key, #admin-delete")).to_have_count(0)
    blocked = []

    def only_loopback(route):
        if route.request.url.startswith(url):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    docs = context.new_page()
    docs.route("**/*", only_loopback)
    docs.goto(url + "/api/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("govinfo-bot", timeout=20_000)
    expect(docs.locator(".opblock").first).to_be_visible()
    assert not [u for u in blocked if "swagger" in u or u.endswith(".js") or u.endswith(".css")], blocked
    context.close()


@needs_chromium
@pytest.mark.parametrize("locale", LOCALES)
def test_phone_opens_the_passage_under_the_answer(server, browser, locale):
    from playwright.sync_api import expect

    url, _ = server
    tx = TEXT[locale]
    context, page = _open(browser, url, locale, width=390, height=844)
    answer = _ask(page, tx["mdj"], 1)
    expect(answer.locator(".headline")).to_contain_text(tx["unit"])
    answer.locator("a.cite-ref").first.click()
    inline = answer.locator(".cite-inline")
    expect(inline.locator("mark.quote")).to_contain_text("141", timeout=10_000)
    head, box = answer.locator(".headline").bounding_box(), inline.bounding_box()
    assert box["y"] > head["y"] + head["height"] - 1  # under the answer, inside its bubble
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # no sideways scrolling
    answer.locator(".headline").evaluate(  # the answer's top, then its passage, in view for the screenshot
        "e => { e.scrollIntoView({block: 'start'}); let s = e.parentElement;"
        " while (s && !(s.scrollHeight > s.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(s).overflowY)))"
        " s = s.parentElement; if (s) s.scrollTop -= 40;"
        " window.scrollTo(0, window.scrollY + document.querySelector('#chat').getBoundingClientRect().top - 8); }")
    _shot(page, "chat-phone.png", locale)
    context.close()

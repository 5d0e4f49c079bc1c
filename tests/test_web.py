"""The real page in headless Chromium (Debian's /usr/bin/chromium): one server, one browser, several pages.
Chinese by default, English by browser locale; cited answers whose [n] open the passage; the report browser;
clear; feedback; the admin area absent without a key; /api/docs offline; the phone layout. Screenshots go to
docs/screenshots/."""

from pathlib import Path

import pytest

from tests.conftest import small_service

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MDJ = "牡丹江市民政局2009年受理了多少件依申请公开事项?"
XN = "咸宁市民政局2015年有没有因政府信息公开申请行政复议?"
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/test.sh)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from bot.serve import create_app, serve_in_background

    cfg, service = small_service(tmp_path_factory.mktemp("web"))
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


def _open(browser, url, locale="zh-CN", width=1280, height=900, query=""):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    page.goto(f"{url}/{query}", wait_until="domcontentloaded")
    expect(page.locator("#question textarea")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(800)  # the load event sets language, filters and lists
    return context, page


def _ask(page, question, n):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill(question)
    page.locator("#ask-button").click()
    expect(page.locator("#chat .answer")).to_have_count(n, timeout=60_000)


@needs_chromium
def test_chinese_page_cited_answer_citations_feedback_clear(server, browser):
    from playwright.sync_api import expect

    from bot.feedback import FeedbackStore

    url, cfg = server
    context, page = _open(browser, url)
    expect(page.locator("#ask-button")).to_have_text("提问")
    _ask(page, MDJ, 1)
    first = page.locator("#chat .answer").first
    expect(first.locator(".headline")).to_contain_text("141 件")  # the figure with its unit
    expect(first.locator(".headline")).to_contain_text("牡丹江市民政局2009年")
    expect(first.locator("a.citation-link")).to_contain_text("牡丹江市民政局 · 2009")  # names, not ids
    expect(page.locator("#source-panel mark.quote")).to_contain_text("141")
    _ask(page, XN, 2)
    expect(page.locator("#source-panel .source-title")).to_contain_text("咸宁")
    first.locator("a.cite-ref").first.click()  # [1] of the earlier answer opens it in the side panel
    expect(page.locator("#source-panel .source-title")).to_contain_text("2009年度市民政局", timeout=10_000)
    page.locator("#question textarea").fill(MDJ)  # a question repeated right away does nothing
    page.screenshot(path=str(SHOTS / "chat-desktop.png"))
    first.locator("a.copy-plain").click()
    copied = page.evaluate("window.__lastCopied")
    assert "141" in copied and "<" not in copied
    page.locator("#chat button[aria-label='赞']").first.click()  # 👍 on the first answer
    expect(page.locator("#feedback-status")).to_contain_text("已记录", timeout=10_000)
    rows = FeedbackStore.for_data_dir(cfg.data_dir).list()
    assert rows and rows[0]["rating"] == 1 and rows[0]["question"] == MDJ and rows[0]["citations"]
    page.locator("#chat button[aria-label='清空对话']").click()  # the chat's own clear (trash) button
    expect(page.locator("#chat .answer")).to_have_count(0, timeout=10_000)
    expect(page.locator("#source-panel mark.quote")).to_have_count(0)
    context.close()


@needs_chromium
def test_report_browser_opens_a_report_with_its_original(server, browser):
    from playwright.sync_api import expect

    url, _ = server
    context, page = _open(browser, url)
    page.locator("button[role=tab]", has_text="报告浏览").click()
    page.locator("#reports-search textarea, #reports-search input").first.fill("咸宁")
    links = page.locator("#reports-list a.report-link")
    expect(links).to_have_count(1, timeout=10_000)
    page.screenshot(path=str(SHOTS / "reports-desktop.png"))
    with context.expect_page() as opened:
        links.first.click()
    source = opened.value
    source.wait_for_load_state()
    expect(source.locator(".source-title")).to_contain_text("咸宁市民政局")
    href = source.locator("a.download").get_attribute("href")
    got = source.request.get(url + href)
    assert got.ok and len(got.body()) > 500
    assert source.request.get(url + "/original/..%2F..%2Fetc%2Fpasswd").status == 404
    context.close()


@needs_chromium
def test_english_page_no_admin_offline_docs(server, browser):
    from playwright.sync_api import expect

    url, _ = server
    context, page = _open(browser, url, locale="en-US")
    expect(page.locator("#ask-button")).to_have_text("Ask")
    expect(page.locator("#admin-note")).to_contain_text("BOT_API_KEY")
    expect(page.locator("#tab-admin")).to_have_count(0)
    _ask(page, "How many applications did the Mudanjiang civil affairs bureau receive in 2009?", 1)
    expect(page.locator("#chat .answer .headline")).to_contain_text("141")
    page.screenshot(path=str(SHOTS / "chat-desktop-en.png"))
    docs = context.new_page()
    docs.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    docs.goto(url + "/api/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("govinfo-bot", timeout=20_000)
    context.close()


@needs_chromium
def test_phone_opens_the_passage_under_the_answer(server, browser):
    from playwright.sync_api import expect

    url, _ = server
    context, page = _open(browser, url, width=390, height=844)
    _ask(page, MDJ, 1)
    page.locator("#chat a.cite-ref").first.click()
    expect(page.locator("#chat .cite-inline mark.quote")).to_contain_text("141", timeout=10_000)
    page.locator("#chat .cite-inline").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "chat-phone.png"))
    context.close()

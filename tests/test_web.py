"""The real page in headless Chromium (Debian's /usr/bin/chromium): ask, see the cited answer, open the quote."""

from pathlib import Path

import pytest

from tests.conftest import small_service

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    from bot.server import create_app, serve_in_background

    cfg, service = small_service(tmp_path_factory.mktemp("web"))
    url, server = serve_in_background(create_app(cfg, service=service))
    yield url
    server.should_exit = True


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/test.sh installs it)")
def test_ask_see_citation_open_highlighted_quote(server_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(server_url + "/", wait_until="domcontentloaded")
        box = page.locator("#question textarea")
        expect(box).to_be_visible(timeout=60_000)
        box.fill("牡丹江市民政局2009年受理了多少件依申请公开事项?")
        page.locator("#ask-button").click()
        answer = page.locator("#chat").get_by_text("141件", exact=False).first
        expect(answer).to_be_visible(timeout=60_000)
        link = page.locator("#chat a.citation-link").first
        expect(link).to_contain_text("000_ef4fad13e9076686")
        # the side panel already shows the cited passage with the quote highlighted
        panel_mark = page.locator("#source-panel mark.quote")
        expect(panel_mark).to_contain_text("141")
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        with context.expect_page() as opened:
            link.click()
        source = opened.value
        source.wait_for_load_state()
        mark = source.locator("mark.quote")
        expect(mark).to_be_visible()
        expect(mark).to_contain_text("141")
        expect(source.locator(".source-title")).to_contain_text("2009年度市民政局")
        source.screenshot(path=str(tmp_path / "source.png"))
        assert (tmp_path / "chat.png").stat().st_size > 10_000
        browser.close()

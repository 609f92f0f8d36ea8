"""The Content-Security-Policy in Chromium: it is enforced (an injected inline script does not
run, and Chromium reports it, which is what the `context` fixture fails every browser test
on), htmx works under it, and the API docs page works under its own, wider policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.browser.support import BrowserCast
from tests.support.cast import PLATFORM_HOST
from tests.support.live_server import LiveSite

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true";
    document.head.append(script);
}"""


def test_an_injected_inline_script_is_refused_and_reported(
    browser: Browser, live_site: LiveSite, browser_cast: BrowserCast
) -> None:
    context = browser.new_context()
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(message.text)

    context.on("console", keep)
    page = context.new_page()
    page.goto(live_site.url(browser_cast.utrecht.host))
    page.evaluate(INJECT_INLINE_SCRIPT)
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in text for text in messages), messages
    context.close()


@pytest.mark.parametrize("where", ["neighbourhood", "platform"])
def test_the_api_docs_page_works_under_its_policy(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, where: str
) -> None:
    host = browser_cast.utrecht.host if where == "neighbourhood" else PLATFORM_HOST
    page.goto(live_site.url(host, "/api/docs/"))
    # The page first fetches the whole schema, generated on request: seconds on a busy machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "TijdVoorElkaar API", timeout=30_000
    )
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, from the schema
    # A main landmark to jump to, holding Swagger UI's title as the page's one h1.
    expect(page.get_by_role("main").get_by_role("heading", level=1)).to_have_count(1)


def test_htmx_works_without_injecting_styles_or_evaluating_code(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast
) -> None:
    page.goto(live_site.url(browser_cast.utrecht.host))
    config = page.evaluate("[htmx.config.includeIndicatorStyles, htmx.config.allowEval]")
    assert config == [False, False]  # from the page's htmx-config meta
    expect(page.locator("#main > h1")).to_have_count(0)  # the page's h1 is in a container
    page.evaluate("htmx.ajax('GET', '/ads/', {target: '#main', select: 'main h1'})")
    expect(page.locator("#main > h1")).to_be_visible()  # the list's h1, swapped in by htmx
    assert page.evaluate("document.querySelectorAll('style').length") == 0

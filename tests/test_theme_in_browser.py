"""The theme as readers meet it, in headless Chromium against the built site on 127.0.0.1."""

import pytest

from tests.built_site import SEED_POST, theme_asset
from tests.page_checks import CONTRAST_JS

pytestmark = pytest.mark.browser

# The last one is missing on purpose: the server answers with the site's 404 page.
PAGES = ["", SEED_POST, "about/", "tags/", "tag/chronic-pain/", "author/yoko-sakura/", "archives/", "no-such-page/"]

@pytest.fixture
def open_page(browser, dev_server):
    """open_page(path, **context options) -> a loaded Playwright page; closed after the test."""
    contexts = []

    def open_page(path, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        response = page.goto(f"{dev_server}/{path}")
        assert response.status == (404 if path == "no-such-page/" else 200)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_the_post_reads_with_javascript_off(open_page):
    page = open_page(SEED_POST, java_script_enabled=False)
    assert page.locator("h1").inner_text().startswith("Neuroscience v.s. massage therapy")
    body = page.locator("article .post-body")
    assert body.is_visible()
    assert "healing arts" in body.inner_text()


@pytest.mark.parametrize("path", PAGES)
def test_no_page_scrolls_sideways_on_a_320px_phone(open_page, path):
    page = open_page(path, viewport={"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{path} is {overflow}px wider than the phone"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa_in_both_colour_schemes(open_page, scheme):
    page = open_page(SEED_POST, color_scheme=scheme)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    is_dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert is_dark == (scheme == "dark")
    brightness = sum(int(v) for v in background[4:-1].split(",")[:3]) / 3
    assert (brightness < 60) if scheme == "dark" else (brightness > 200), background
    for selector in ("article .post-body p", ".post-meta", ".site-nav a", ".tag-list a", ".site-footer a", ".copyright"):
        ratio = page.evaluate(CONTRAST_JS, [selector, "color"])
        assert ratio >= 4.5, f"{scheme}: {selector} has contrast {ratio:.2f}"


def test_print_shows_the_post_without_navigation(open_page):
    page = open_page(SEED_POST)
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator("article .post-body").is_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(open_page):
    page = open_page(SEED_POST)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_focus_is_visible_on_links(open_page):
    page = open_page(SEED_POST)
    for _ in range(3):
        page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("path", PAGES)
def test_loading_a_page_asks_nothing_of_another_origin(open_page, dev_server, path):
    page = open_page(path)
    page.wait_for_load_state("networkidle")
    elsewhere = [url for url in page.requests if not url.startswith(dev_server)]
    assert not elsewhere, f"/{path} requested {elsewhere}"
    extra = {url.removeprefix(dev_server) for url in page.requests[1:]}
    allowed = {"/favicon.svg"} | {url for url in extra if path == SEED_POST and theme_asset(url, "share.js")}
    assert extra <= allowed, f"/{path} loads more than its HTML, icon and (on posts) share script: {extra}"

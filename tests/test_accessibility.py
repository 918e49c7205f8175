"""Accessibility in headless Chromium, on the publish build as nginx serves it (comments by a real
Isso): axe-core's WCAG 2.0/2.1/2.2 A and AA rules find nothing on any page template, in light and
dark colour schemes, 375 and 1280 px wide; and every page works with the keyboard alone, with the
focus always visible."""

import pytest

from tests.built_site import PROJECT, SEED_POST, post_comment, show_comments
from tests.page_checks import TEMPLATES

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [*TEMPLATES, ("post with comments open", SEED_POST)]
VIEWS = [(scheme, width) for scheme in ("light", "dark") for width in (375, 1280)]

# Every element a keyboard user must be able to reach, that is shown, numbered in data-kb.
FOCUSABLE = """'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])'"""
MARK_FOCUSABLE_JS = f"""() => [...document.querySelectorAll({FOCUSABLE})]
  .filter((e) => !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map((e, i) => {{ e.dataset.kb = i; return i; }})"""
# Those still shown: what the reader could want to reach (opening comments replaces the button).
STILL_SHOWN_JS = """(numbers) => numbers.map((n) => document.querySelector(`[data-kb="${n}"]`))
  .filter((e) => e && e.getClientRects().length).map((e) => e.outerHTML.slice(0, 100))"""
FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  e.dataset.kbSeen ??= String(Math.random());
  return { id: e.dataset.kbSeen, number: e.dataset.kb, html: e.outerHTML.slice(0, 100),
           visible: outline || style.boxShadow !== 'none' };
}"""


COMMENT = "Thank you: my shoulders feel lighter."


@pytest.fixture(scope="module")
def commented(served_site):
    """The seed post's thread holds a comment, with its reply button (posted once, over HTTP)."""
    post_comment(served_site.isso.url, served_site.url, f"/{SEED_POST}", COMMENT, "Aiko")
    return served_site


def open_template(context, served_site, name, path):
    page = context.new_page()
    page.goto(f"{served_site.url}/{path}")
    if name == "search":
        page.locator("main .search-results a").first.wait_for()
    if name == "post with comments open":
        show_comments(page)
        page.get_by_text(COMMENT).wait_for()
    return page


@pytest.fixture(scope="module")
def view(browser, commented):
    """view(scheme, width) -> a browser context of that colour scheme and width (shared)."""
    contexts = {}

    def open_view(scheme, width):
        if (scheme, width) not in contexts:
            contexts[scheme, width] = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
        return contexts[scheme, width]

    yield open_view
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def checked_page(browser, commented):
    """checked_page(name, path, scheme, width) -> the template open at that colour scheme and
    width, with axe loaded. Each template is opened once: the views after the first change the
    viewport and the colour scheme in place, as a reader turning a phone or switching to dark."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    pages = {}

    def open_view(name, path, scheme, width):
        if name not in pages:
            for page in pages.values():
                page.close()
            pages.clear()
            pages[name] = open_template(context, commented, name, path)
            pages[name].evaluate(AXE.read_text(encoding="utf-8"))
        page = pages[name]
        page.set_viewport_size({"width": width, "height": 800})
        page.emulate_media(color_scheme=scheme)
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        return page

    yield open_view
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme, width", VIEWS, ids=[f"{s}-{w}px" for s, w in VIEWS])
@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_axe_finds_no_wcag_violation(checked_page, name, path, scheme, width):
    page = checked_page(name, path, scheme, width)
    assert page.evaluate("(scheme) => matchMedia(`(prefers-color-scheme: ${scheme})`).matches", scheme)
    assert page.evaluate("innerWidth") == width
    results = page.evaluate("(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG_TAGS)
    violations = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                  for v in results["violations"]]
    assert violations == [], f"/{path} {scheme} {width}px"
    assert len(results["passes"]) > 10  # axe ran its rules here


def test_axe_is_the_pinned_one():
    assert AXE.is_file(), f"{AXE} is missing: `make test` installs it (npm ci)"


@pytest.mark.browser
@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_the_keyboard_reaches_everything_with_the_focus_visible(view, served_site, name, path):
    page = open_template(view("light", 375), served_site, name, path)
    focusable = page.evaluate(MARK_FOCUSABLE_JS)
    seen, reached, hidden_focus = set(), set(), []
    outside = 0  # Tabs that left the page (to the browser); the next one comes back to its top
    for _ in range(len(focusable) + 30):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        outside = outside + 1 if focus is None else 0
        if outside:
            if outside > 2:
                break
            continue
        if focus["id"] in seen:  # round again: every element has had its turn
            break
        seen.add(focus["id"])
        if focus["number"] is not None:
            reached.add(int(focus["number"]))
        if not focus["visible"]:
            hidden_focus.append(focus["html"])
    missed = page.evaluate(STILL_SHOWN_JS, [n for n in focusable if n not in reached])
    page.close()
    assert len(seen) >= 5  # the walk went through the page
    assert missed == [], f"/{path}: not reached by Tab"
    assert hidden_focus == [], f"/{path}: focus not visible"

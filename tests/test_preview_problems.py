"""Every build of the preview lists every current problem: in the terminal, in the same words and
layout as `make html` (80 columns here), every time the same mistake is saved; and on top of the
page being previewed, in Chromium, with a link to the preview's list of all problems. Fixed, they
go with the next reload. None of it is ever in a built site.

The real preview runs on a copy of the project (tests/preview.py); the pages are read in headless
Chromium as the writer's browser shows them."""

import json

import pytest
from bs4 import BeautifulSoup

from tests.built_site import PROJECT, SEED_POST, copy_project, write_files
from tests.preview import Preview
from tests.problem_messages import BROKEN, POST, assert_readable, expected, joined, problem_paragraphs

pytestmark = pytest.mark.browser

ADDRESS = "/post/why-your-shoulders-hold-stress/"
FILE = f"content/posts/{POST}"
GOOD = BROKEN[f"posts/{POST}"].replace("Tgas:", "Tags:").replace("\n![](/images/shoulder-tension.jpg)\n", "")
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BOX = ".devserver-problems"
# problems.js marks the page once it has asked the preview: the number of the site's problems.
CHECKED = "(count) => document.documentElement.dataset.devserverProblems === String(count)"
RELOADED_AND_CHECKED = "(count) => window.notReloaded === undefined && " \
                       "document.documentElement.dataset.devserverProblems === String(count)"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("problems"))
    write_files(project / "content", {f"posts/{POST}": GOOD})
    preview = Preview(project, columns=80)
    yield preview
    preview.stop()


@pytest.fixture
def page(browser, preview):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def save(preview, text, name=POST):
    """Save a post as the writer does; returns what the preview printed for the build it caused."""
    mark = len(preview.printed)
    (preview.project / "content" / "posts" / name).write_text(text, encoding="utf-8")
    preview.wait_for("Changed:")
    preview.wait_for("Built in")
    return preview.printed_since(mark)


def before_reload(page):
    page.evaluate("window.notReloaded = true")


def box_messages(page):
    return [text.replace("\n", " ").strip() for text in page.locator(f"{BOX} li").all_inner_texts()]


def test_a_mistake_is_listed_in_the_terminal_and_on_the_page_at_every_save_and_goes_when_fixed(preview, page):
    page.goto(f"{preview.url}{ADDRESS}")
    page.wait_for_function(CHECKED, arg=0)
    assert page.locator(BOX).count() == 0, "no problems, no box"

    before_reload(page)
    printed = save(preview, BROKEN[f"posts/{POST}"])
    assert_readable(printed, 80)
    assert [joined(lines) for lines in problem_paragraphs(printed)] == expected(), printed
    assert all(len(lines) > 1 for lines in problem_paragraphs(printed)[1:]), "wrapped at 80 columns"
    page.wait_for_function(RELOADED_AND_CHECKED, arg=3, timeout=15_000)
    region = page.get_by_role("region", name=f"Preview: 3 problems in {FILE}")
    assert region.is_visible()
    assert box_messages(page) == expected(), "the same words as in the terminal"
    link = region.get_by_role("link", name="List of all 3 problems in the site")
    assert link.get_attribute("href") == "/__devserver/problems"

    # The same mistake saved again (another line changed): listed again, in both places.
    before_reload(page)
    printed = save(preview, BROKEN[f"posts/{POST}"].replace("Some words", "Some more words"))
    assert [joined(lines) for lines in problem_paragraphs(printed)] == expected(), printed
    assert "3 problems in posts and pages, listed above." in joined(printed.splitlines())
    page.wait_for_function(RELOADED_AND_CHECKED, arg=3, timeout=15_000)
    assert box_messages(page) == expected()

    before_reload(page)
    printed = save(preview, GOOD)
    assert problem_paragraphs(printed) == []
    page.wait_for_function(RELOADED_AND_CHECKED, arg=0, timeout=15_000)
    assert page.locator(BOX).count() == 0, "fixed: the box is gone"


def test_the_problems_page_lists_every_problem_of_the_site(preview, page):
    save(preview, BROKEN[f"posts/{POST}"])
    typo = "Title: Sleep\nDate: 2024-02-01\nAuthor: Yoko Sakura\nTags: sleep\nSumary: Rest.\n\nSleep well.\n"
    save(preview, typo, "sleep.md")
    try:
        # A page whose file has no problem: the count of the site's, and the link.
        page.goto(f"{preview.url}/{SEED_POST}")
        page.wait_for_function(CHECKED, arg=4)
        region = page.get_by_role("region", name="Preview: 4 problems in the site")
        assert region.locator("li").count() == 0
        # The keyboard reaches the link, with the focus visible, and opens the list.
        link = region.get_by_role("link", name="List of all 4 problems in the site")
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('.devserver-problems') !== null"):
                break
        assert page.evaluate("document.activeElement.textContent") == "List of all 4 problems in the site"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        page.wait_for_url(f"{preview.url}/__devserver/problems")

        html = BeautifulSoup(page.content(), "lxml")
        assert html.h1.get_text() == "4 problems in the site"
        listed = {section.h2.get_text(): [" ".join(li.get_text().split()) for li in section.find_all("li")]
                  for section in html.find_all("section")}
        assert listed == {
            FILE: expected(),
            "content/posts/sleep.md": ['content/posts/sleep.md, line 5: "Sumary" is not a field the site '
                                       'knows. Did you mean "Summary"? Rename it to "Summary:".'],
        }
        assert sorted(a["href"] for a in html.find_all("a", string="Its page in the preview")) == sorted([
            ADDRESS, "/post/sleep/"])

        # Fixed while the list is open: it updates by itself.
        page.evaluate("window.notReloaded = true")
        save(preview, typo.replace("Sumary:", "Summary:"), "sleep.md")
        page.wait_for_function("window.notReloaded === undefined && "
                               "document.querySelector('h1').textContent === '3 problems in the site'")
    finally:
        (preview.project / "content" / "posts" / "sleep.md").unlink()
        preview.wait_for("Built in")
        save(preview, GOOD)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_box_and_the_list_are_accessible(preview, browser, scheme):
    save(preview, BROKEN[f"posts/{POST}"])
    context = browser.new_context(color_scheme=scheme, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        for address, scope in ((ADDRESS, BOX), ("/__devserver/problems", "body")):
            page.goto(f"{preview.url}{address}")
            if scope == BOX:
                page.wait_for_function(CHECKED, arg=3)
            page.evaluate(AXE.read_text(encoding="utf-8"))
            results = page.evaluate("([scope, tags]) => axe.run(document.querySelector(scope), "
                                    "{ runOnly: { type: 'tag', values: tags } })", [scope, WCAG_TAGS])
            violations = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                          for v in results["violations"]]
            assert violations == [], f"{address} ({scheme})"
            assert any(rule["id"] == "color-contrast" for rule in results["passes"]), "contrast was checked"
    finally:
        context.close()
        save(preview, GOOD)


@pytest.mark.linux_services
def test_the_box_and_the_list_are_valid_html_and_keep_to_the_sites_csp(preview, browser, tmp_path):
    from tests.page_checks import validate

    save(preview, BROKEN[f"posts/{POST}"])
    headers = (preview.project / ".preview" / "site" / "_headers").read_text(encoding="utf-8")
    csp = next(line.split(":", 1)[1].strip() for line in headers.splitlines()
               if line.strip().startswith("Content-Security-Policy:"))

    def with_the_sites_csp(route):
        if route.request.resource_type != "document":
            return route.continue_()
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": csp})

    context = browser.new_context()
    context.add_init_script("""window.cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
          window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
        });""")
    context.route(f"{preview.url}/**", with_the_sites_csp)
    errors, missing = [], []
    try:
        page = context.new_page()
        # The post's missing picture is one of its problems: its 404 is expected, and only it.
        page.on("console", lambda message: message.type == "error" and "404 (Not Found)" not in message.text
                and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
        page.goto(f"{preview.url}{ADDRESS}")
        page.wait_for_function(CHECKED, arg=3)
        assert page.locator(f"{BOX} li").count() == 3
        assert page.evaluate("window.cspViolations") == [] and errors == []
        assert missing == [f"{preview.url}/images/shoulder-tension.jpg"]
        (tmp_path / "page-with-problems.html").write_text(page.content(), encoding="utf-8")
        page.goto(f"{preview.url}/__devserver/problems")
        assert page.evaluate("window.cspViolations") == [] and errors == []
        (tmp_path / "problems.html").write_text(page.content(), encoding="utf-8")
    finally:
        context.close()
        save(preview, GOOD)
    checked, problems = validate(tmp_path)
    assert len(checked) == 2 and problems == []


def test_the_page_of_a_post_left_out_of_the_site_still_shows_why(preview, page):
    page.goto(f"{preview.url}{ADDRESS}")
    page.wait_for_function(CHECKED, arg=0)
    before_reload(page)
    save(preview, GOOD.replace("Title: Why your shoulders hold stress\n", ""))  # no title: left out
    page.wait_for_function(RELOADED_AND_CHECKED, arg=1, timeout=15_000)
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert box_messages(page) == [f'{FILE}, line 1: has no "Title:" line. Fill it in at the top, like '
                                  '"Title: Sleep and stress". It is left out of the site until then.']
    save(preview, GOOD)


def test_a_problem_of_a_whole_file_is_listed_without_a_line(preview, page):
    """A file of a kind the site does not publish has no line: the list names the file alone, as
    the terminal does, never "line 0"."""
    script = preview.project / "content" / "images" / "tracker.js"
    script.parent.mkdir(exist_ok=True)
    script.write_text("alert(1)\n", encoding="utf-8")
    try:
        preview.wait_for("Built in")
        page.goto(f"{preview.url}/__devserver/problems")
        items = [" ".join(li.get_text().split()) for li in BeautifulSoup(page.content(), "lxml").find_all("li")]
        listed = [item for item in items if "tracker.js" in item]
        assert listed and listed[0].startswith("content/images/tracker.js: "), items
        assert "line 0" not in " ".join(items)
    finally:
        script.unlink()
        preview.wait_for("Built in")


def test_a_script_written_in_a_post_does_not_run_in_the_preview(preview, page):
    """The preview sends the site's own security policy: a script in a draft runs no more on
    127.0.0.1 (where every draft is readable) than on the published site; the preview's own
    reload and problems box still work."""
    page.goto(f"{preview.url}{ADDRESS}")
    page.wait_for_function(CHECKED, arg=0)
    before_reload(page)
    save(preview, GOOD + '\n<script>document.documentElement.dataset.draftScript = "ran"</script>\n')
    page.wait_for_function(RELOADED_AND_CHECKED, arg=1, timeout=15_000)
    assert "<script>document.documentElement.dataset.draftScript" in page.content(), "the script is on the page"
    assert page.evaluate("document.documentElement.dataset.draftScript") is None, "and did not run"
    assert "It holds a script" in " ".join(box_messages(page))
    save(preview, GOOD)


def test_the_preview_answers_for_a_page_as_it_was_built(preview):
    save(preview, BROKEN[f"posts/{POST}"])
    import urllib.request

    with urllib.request.urlopen(f"{preview.url}/__devserver/problems.json?page={ADDRESS}") as response:
        answer = json.load(response)
    assert answer["total"] == 3 and [p["line"] for p in answer["problems"]] == [4, 8, 8]
    assert {p["source"] for p in answer["problems"]} == {f"posts/{POST}"}
    save(preview, GOOD)


def test_no_build_for_publishing_or_make_html_has_any_of_it(site):
    for file in site.output.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".js", ".css", ".json", ".txt", ".xml", ""):
            text = file.read_text(encoding="utf-8", errors="replace")
            assert "__devserver" not in text and "devserver-problems" not in text, file

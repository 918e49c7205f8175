"""Comments: a real Isso on 127.0.0.1 with a temporary database, a blog built against it and
served on 127.0.0.1, used in headless Chromium. Disqus, giscus and Cusdis: their markup, and
that nothing of theirs loads before the reader asks (their origins are never reached: the
browser's requests to them are recorded and refused).
"""

import json
import re
import urllib.request
from contextlib import ExitStack

import pytest

from plugins.comments.isso_server import running_isso
from tests.built_site import PROJECT, build_fixture, post_comment, show_comments, theme_asset, write_files
from tests.page_checks import CONTRAST_JS
from tools.site_server import serving

POST = "Title: {title}\nAuthor: Yoko Sakura\nDate: {date}\nTags: {tags}\n{extra}\n{body}\n"
BLOG = {
    "posts/sleep.md": POST.format(title="Sleep after a massage", date="2024-05-20", tags="sleep", extra="",
                                  body="Many clients sleep deeply on the night after a massage."),
    "posts/stress.md": POST.format(title="Stress and touch", date="2024-06-20", tags="stress", extra="",
                                   body="Touch lowers the heart rate and calms the mind."),
    "posts/hips.md": POST.format(title="Hips at the desk", date="2024-07-20", tags="posture", extra="",
                                 body="Stand up every half hour and the hips thank you."),
    "posts/quiet.md": POST.format(title="A quiet note", date="2024-08-20", tags="sleep",
                                  extra="Comments: off", body="This one has no comments section."),
}


class CommentedBlog:
    """A blog built against a running Isso, and served: `url`, `isso`, `site`."""

    def __init__(self, folder, **isso_sections):
        self.output = folder / "output"
        self.output.mkdir(parents=True)
        self._running = ExitStack()  # the site is served first: Isso must know its address
        self.url = self._running.enter_context(serving(self.output))
        self.isso = self._running.enter_context(running_isso(folder / "isso" / "comments.db", self.url, **isso_sections))
        content = write_files(folder / "content", BLOG)
        self.site = build_fixture(content, "pelicanconf.py", self.output,
                                  settings={"COMMENTS": {"provider": "isso", "url": self.isso.url, "counts": True}})

    def close(self):
        self._running.close()

    def post_comment(self, thread, text, author=""):
        return post_comment(self.isso.url, self.url, thread, text, author)


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    blog = CommentedBlog(tmp_path_factory.mktemp("comments"))
    yield blog
    blog.close()


@pytest.fixture(scope="module")
def moderated_blog(tmp_path_factory):
    blog = CommentedBlog(tmp_path_factory.mktemp("moderated"), moderation={"enabled": "true"})
    yield blog
    blog.close()


# --- The markup ----------------------------------------------------------------------------

def test_each_post_has_a_comments_section_that_says_where_comments_go(blog):
    section = blog.site.page("post/sleep-after-a-massage/").select_one("main section#comments")
    assert section.h2.get_text() == "Comments"
    note = " ".join(section.select_one(".comments-note").get_text().split())
    assert "own server" in note and "name and e-mail are optional" in note.lower()
    assert section.select_one("#isso-thread")["data-isso-id"] == "/post/sleep-after-a-massage/"
    assert section.select_one("button.comments-show").has_attr("hidden")  # shown by comments.js
    assert "need JavaScript" in section.noscript.get_text()
    # Nothing of the comment server in the page: only our own script, which asks it later.
    page = blog.site.page("post/sleep-after-a-massage/")
    assert [theme_asset(s["src"], "comments.js") for s in page.select("script[src]") if "comments" in s["src"]] == [True]
    assert blog.isso.url not in " ".join(s.get("src", "") for s in page.select("script, link, img"))


def test_a_post_can_turn_its_comments_off(blog):
    page = blog.site.page("post/a-quiet-note/")
    assert page.select("#comments") == [] and page.select("script[src$='comments.js']") == []
    assert "This one has no comments" in page.select_one("main article .post-body").get_text()


def test_no_comment_server_address_means_no_comments_section(site):
    # Neither `make html` nor `make publish` has COMMENTS_URL here: no section, no counts.
    for file in site.html_files():
        soup = site.soup(file)
        assert soup.select("#comments, .comment-count, script[src*=comment]") == [], file


def test_the_production_configuration_is_valid_for_isso_with_moderation_and_email():
    from isso import config as isso_config

    settings = isso_config.load(isso_config.default_file(), str(PROJECT / "plugins" / "comments" / "isso" / "production.cfg"))
    assert settings.getboolean("moderation", "enabled")
    assert settings.get("general", "notify") == "smtp"
    assert list(settings.getiter("general", "host")) == ["https://www.herbclinique.com", "https://herbclinique.com"]
    assert settings.get("server", "public-endpoint") == "https://www.herbclinique.com/comments"
    # Placeholders to fill on the server, so no secret lives in the repository.
    assert {settings.get("smtp", "password"), settings.get("hash", "salt"), settings.get("admin", "password")} == {"CHANGE-ME"}


# --- In the browser ------------------------------------------------------------------------

@pytest.fixture
def reader(browser):
    """reader(url, **context options): a page, recording its requests and any dialog."""
    contexts = []

    def open_page(url, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.dialogs, page.errors = [], [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


TALL = {"viewport": {"width": 1280, "height": 3000}}  # the comments are in view without scrolling


def write_comment(page, text, author=""):
    page.fill(".isso-postbox textarea", text)
    page.fill(".isso-postbox input[name=author]", author)
    page.click(".isso-postbox input[type=submit]")


def comment_as_a_reader(reader, address, text, author):
    """Open a post, show its comments and write one; the page, once Isso shows the comment."""
    page = reader(address, **TALL)
    show_comments(page)
    write_comment(page, text, author)
    page.locator("#isso-root .isso-comment").first.wait_for()
    return page


def shown_comments(page):
    return page.locator("#isso-root .isso-comment .isso-text").all_inner_texts()


@pytest.mark.browser
def test_nothing_goes_to_the_comment_server_before_the_reader_asks(blog, reader):
    page = reader(f"{blog.url}/post/sleep-after-a-massage/", **TALL)
    page.mouse.move(200, 200)
    page.keyboard.press("Tab")
    page.wait_for_load_state("networkidle")  # whatever the page would ask for on its own, it has asked
    assert [url for url in page.requests if url.startswith(blog.isso.url)] == []
    assert [url for url in page.requests if not url.startswith(blog.url)] == []
    assert page.locator(".comments-show").is_visible()
    assert not [url for url in page.requests if theme_asset(url, "isso.css")]
    show_comments(page)
    assert any(url.startswith(f"{blog.isso.url}/js/embed.min.js") for url in page.requests)
    assert any(theme_asset(url, "isso.css") for url in page.requests)  # the thread's styles, with it
    assert page.evaluate("document.activeElement.id") == "comments", "focus stays in the section"
    assert page.locator("textarea.isso-textarea").get_attribute("aria-label") == "Your comment"


@pytest.mark.browser
def test_scrolling_down_to_the_comments_loads_them(blog, reader):
    page = reader(f"{blog.url}/post/sleep-after-a-massage/", viewport={"width": 375, "height": 500})
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.requests if url.startswith(blog.isso.url)]
    page.mouse.wheel(0, 5000)
    page.locator(".isso-postbox textarea").wait_for()


@pytest.mark.browser
def test_a_comment_is_posted_shown_and_kept_across_reloads_and_server_restarts(blog, reader):
    address = f"{blog.url}/post/stress-and-touch/"
    page = comment_as_a_reader(reader, address, "This helped me sleep, thank you!", "Mariko")
    assert page.locator("#isso-root .isso-author").first.inner_text() == "Mariko"
    page.reload()
    show_comments(page)
    page.locator("#isso-root .isso-comment").first.wait_for()
    assert shown_comments(page) == ["This helped me sleep, thank you!"]
    blog.isso.stop()
    blog.isso.start()
    other = reader(address, **TALL)  # another reader, after the restart
    show_comments(other)
    other.locator("#isso-root .isso-comment").first.wait_for()
    assert shown_comments(other) == ["This helped me sleep, thank you!"]


@pytest.mark.browser
def test_script_in_a_comment_shows_as_text_and_runs_nothing(blog, reader):
    text = "<script>alert('text')</script> <img src=x onerror=alert('img')> [click me](javascript:alert('link'))"
    page = comment_as_a_reader(reader, f"{blog.url}/post/hips-at-the-desk/", text, "<img src=x onerror=alert('author')>")
    page.reload()
    show_comments(page)
    comment = page.locator("#isso-root .isso-comment").first
    comment.wait_for()
    assert "<script>alert('text')</script>" in comment.locator(".isso-text").inner_text()
    assert comment.locator(".isso-author").inner_text() == "<img src=x onerror=alert('author')>"
    assert comment.locator("script, img, [onerror]").count() == 0
    hrefs = comment.locator(".isso-text a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript:")]
    for link in comment.locator(".isso-text a").all():
        link.click()
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise((done) => setTimeout(done))")  # any task the clicks queued has run
    assert page.dialogs == [] and page.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_thread_matches_the_theme_and_passes_contrast(blog, reader, scheme):
    blog.post_comment("/post/sleep-after-a-massage/", "Looking forward to my next session.", "Aiko")
    page = reader(f"{blog.url}/post/sleep-after-a-massage/", color_scheme=scheme, **TALL)
    show_comments(page)
    page.locator("#isso-root .isso-comment").first.wait_for()
    for selector in ("#isso-root .isso-comment-header time", "#isso-root .isso-author", "#isso-root .isso-text",
                     ".isso-input-wrapper label", ".comments-note"):
        assert page.evaluate(CONTRAST_JS, [selector, "color"]) >= 4.5, f"{selector} in {scheme}"
    # Our h2 "Comments" heads the section; Isso's own h4 would skip a level, so it is not shown.
    assert page.locator("#comments h4").evaluate_all("hs => hs.filter(h => h.offsetParent !== null).length") == 0
    fonts = page.evaluate("[document.body, document.querySelector('.isso-textarea')].map(e => getComputedStyle(e).color)")
    assert fonts[0] == fonts[1], "the comment box has the page's text colour"


@pytest.mark.browser
def test_with_moderation_a_new_comment_is_held_from_other_readers(moderated_blog, reader):
    address = f"{moderated_blog.url}/post/sleep-after-a-massage/"
    comment_as_a_reader(reader, address, "Waiting for the clinic to approve this.", "Ken")  # shown to its writer
    other = reader(address, **TALL)
    with other.expect_response(lambda response: "/?uri=" in response.url) as thread:
        show_comments(other)
    assert thread.value.json()["total_replies"] == 0, "Isso gives other readers no held comment"
    other.wait_for_load_state("networkidle")
    assert shown_comments(other) == []
    with urllib.request.urlopen(f"{moderated_blog.isso.url}/count", data=b'["/post/sleep-after-a-massage/"]') as r:
        assert json.load(r) == [0], "Isso counts no published comment"


@pytest.mark.browser
def test_the_counts_in_lists_match_the_comments(blog, reader):
    for text in ("First!", "Second thoughts", "Third time"):
        blog.post_comment("/post/a-quiet-note/", text)  # comments made before they were turned off
    threads = ["/post/sleep-after-a-massage/", "/post/stress-and-touch/", "/post/hips-at-the-desk/"]
    with urllib.request.urlopen(f"{blog.isso.url}/count", data=json.dumps(threads).encode()) as response:
        expected = json.load(response)
    page = reader(f"{blog.url}/")
    links = page.locator("a.comment-count")
    page.wait_for_function("[...document.querySelectorAll('a.comment-count')].every(a => a.textContent !== 'Comments')")
    paths = links.evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    shown = dict(zip(paths, links.all_inner_texts(), strict=True))
    labels = ["No comments yet" if n == 0 else "1 comment" if n == 1 else f"{n} comments" for n in expected]
    assert shown == dict(zip(threads, labels, strict=True))
    assert "/post/a-quiet-note/" not in shown  # comments off: no count
    assert all(re.fullmatch(r".*#comments", href) for href in links.evaluate_all("as => as.map(a => a.href)"))


# --- Hosted providers ----------------------------------------------------------------------

HOSTED = {
    "disqus": ({"url": "https://herbclinique.disqus.com"}, "#disqus_thread", "https://herbclinique.disqus.com/embed.js"),
    "giscus": ({"url": "https://giscus.app", "repo": "herbclinique/blog", "repo_id": "R_1", "category": "Comments",
                "category_id": "DIC_1"}, ".giscus", "https://giscus.app/client.js"),
    "cusdis": ({"url": "https://cusdis.com", "app_id": "app-123"}, "#cusdis_thread", "https://cusdis.com/js/cusdis.es.js"),
}


@pytest.fixture(scope="module")
def hosted_blog(tmp_path_factory):
    """provider -> (the site built with it, served at this address)."""
    folder = tmp_path_factory.mktemp("hosted")
    content = write_files(folder / "content", {"posts/sleep.md": BLOG["posts/sleep.md"]})
    sites = {}
    with ExitStack() as servers:
        for provider, (options, _, _) in HOSTED.items():
            site = build_fixture(content, "pelicanconf.py", folder / provider,
                                 settings={"COMMENTS": {"provider": provider, **options}})
            sites[provider] = (site, servers.enter_context(serving(site.output)))
        yield sites


@pytest.mark.parametrize("provider", HOSTED)
def test_a_hosted_provider_gets_its_embed_markup(hosted_blog, provider):
    options, container, _ = HOSTED[provider]
    site, _ = hosted_blog[provider]
    section = site.page("post/sleep-after-a-massage/").select_one("section#comments")
    assert section["data-provider"] == provider and section["data-url"] == options["url"]
    element = section.select_one(container)
    assert element is not None
    if provider == "giscus":
        assert (element["data-repo"], element["data-category-id"], element["data-mapping"]) == \
            ("herbclinique/blog", "DIC_1", "pathname")
    if provider == "cusdis":
        assert (element["data-app-id"], element["data-page-id"]) == ("app-123", "/post/sleep-after-a-massage/")
    assert provider in section.select_one(".comments-note").get_text().lower()
    # Third-party services are not asked for counts on every list page.
    assert site.page("").select("a.comment-count, script[src*=comment-counts]") == []


@pytest.mark.browser
@pytest.mark.parametrize("provider", HOSTED)
def test_nothing_of_a_hosted_provider_loads_before_the_reader_asks(hosted_blog, reader, provider):
    _, _, embed = HOSTED[provider]
    _, url = hosted_blog[provider]
    refused = []
    page = reader("about:blank", **TALL)
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: (refused.append(route.request.url), route.abort()))
    page.goto(f"{url}/post/sleep-after-a-massage/")
    page.wait_for_load_state("networkidle")
    assert refused == [] and all(u.startswith(url) or u == "about:blank" for u in page.requests)
    show_comments_button = page.locator(".comments-show")
    show_comments_button.focus()
    # The embed's request, made once the reader asks, fails when the route refuses it (a load
    # state of "networkidle" could be reached before the request was made).
    with page.expect_event("requestfailed", lambda request: request.url.startswith(embed)):
        page.keyboard.press("Enter")
    assert page.locator(f'script[src^="{embed}"]').count() == 1
    assert any(request.startswith(embed) for request in refused)

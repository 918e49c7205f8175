"""Under each post: the call to action, share links, related posts, newer and older posts."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.built_site import build_fixture, write_files

POSTS = {  # name: (day, tags)
    "p1": (1, "a, b, c"), "p2": (2, "a, b"), "p3": (3, "a"), "p4": (4, "c"),
    "p5": (5, "a, b, c"), "p6": (6, "d"), "p7": (7, "b"),
}
TRICKY_TITLE = 'Rest & "recovery": 休息と回復'
SHOWN_TITLE = "Rest & “recovery”: 休息と回復"  # as readers see it, typeset
CTA = {"text": "Book a session", "url": "https://booking.example/herb-clinique"}


def post(name, day, tags, title=None):
    return (f"Title: {title or name}\nSlug: {name}\nDate: 2024-01-{day:02}\nAuthor: Yoko Sakura\n"
            f"Tags: {tags}\n\nText of {name}.\n")


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading-on")
    files = {f"posts/{name}.md": post(name, day, tags) for name, (day, tags) in POSTS.items()}
    files["posts/tricky.md"] = post("tricky", 9, "e", title=TRICKY_TITLE)
    return build_fixture(write_files(root / "content", files), "publishconf.py", root / "output",
                         settings={"CALL_TO_ACTION": CTA})


def titles(blog, name, selector):
    return [a.get_text(strip=True) for a in blog.page(f"post/{name}/").select(selector)]


@pytest.mark.parametrize(("name", "expected"), [
    ("p1", ["p5", "p2", "p7"]),  # all three tags, then two, then the newest sharing one
    ("p3", ["p5", "p2", "p1"]),  # all share "a": newest first
    ("p4", ["p5", "p1"]),  # only two posts share "c"
])
def test_related_posts_share_the_most_tags_newest_first(blog, name, expected):
    assert titles(blog, name, ".related li a") == expected


def test_a_post_with_nothing_related_has_no_related_section(blog):
    assert blog.page("post/p6/").select_one(".related") is None


def test_newer_and_older_posts(blog):
    nav = blog.page("post/p3/").select_one("nav.post-nav")
    links = {a["rel"][0]: a.get_text(" ", strip=True) for a in nav.find_all("a")}
    assert links == {"prev": "← Older post p2", "next": "Newer post → p4"}
    assert titles(blog, "p1", "nav.post-nav a[rel=prev]") == []
    assert [a["rel"][0] for a in blog.page("post/tricky/").select("nav.post-nav a")] == ["prev"]


def share_links(blog):
    return {a.get_text(strip=True): a["href"] for a in blog.page("post/tricky/").select(".share a")}


def test_share_links_carry_the_title_and_address_correctly_encoded(blog):
    address = f"{blog.siteurl}/post/tricky/"
    links = share_links(blog)
    assert set(links) == {"Facebook", "X", "LinkedIn", "WhatsApp", "E-mail"}
    query = {name: parse_qs(urlsplit(href).query) for name, href in links.items()}
    assert query["Facebook"] == {"u": [address]}
    assert query["X"] == {"url": [address], "text": [SHOWN_TITLE]}
    assert query["LinkedIn"] == {"url": [address]}
    assert query["WhatsApp"] == {"text": [f"{SHOWN_TITLE} {address}"]}
    assert query["E-mail"] == {"subject": [SHOWN_TITLE], "body": [address]}
    assert urlsplit(links["E-mail"]).scheme == "mailto"


def test_the_call_to_action_is_under_every_post_when_set(blog):
    link = blog.page("post/p1/").select_one("article .call-to-action a")
    assert (link.get_text(strip=True), link["href"]) == (CTA["text"], CTA["url"])


def test_without_the_setting_there_is_no_call_to_action(dev_site):
    assert dev_site.page("post/neuroscience-v-s-massage-therapy/").select(".call-to-action") == []


@pytest.mark.browser
def test_copy_link_copies_the_address_and_nothing_of_the_networks_loads(browser, dev_server):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dev_server)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{dev_server}/post/neuroscience-v-s-massage-therapy/")
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(dev_server) for url in requests), requests
    button = page.get_by_role("button", name="Copy link")
    button.click()
    page.wait_for_function("document.querySelector('.share-status').textContent === 'Link copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == "/post/neuroscience-v-s-massage-therapy/"
    context.close()


@pytest.mark.browser
def test_without_javascript_the_share_links_remain_and_the_buttons_stay_hidden(browser, dev_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{dev_server}/post/neuroscience-v-s-massage-therapy/")
    assert page.get_by_role("link", name="WhatsApp").is_visible()
    assert page.get_by_role("button", name="Copy link").is_hidden()
    context.close()

"""Drafts and scheduled posts: previewed with a banner, never published."""

from datetime import date, timedelta

import pytest

from tests.built_site import build_fixture, write_files

NEXT_MONTH = (date.today() + timedelta(days=30)).isoformat()
CONTENT = {
    "posts/published.md": "Title: Published post\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags: care\n\nLive.\n",
    "posts/draft.md": "Title: Draft post\nDate: 2024-02-01\nAuthor: Yoko Sakura\nTags: care\nStatus: draft\n\nNot yet.\n",
    "posts/future.md": f"Title: Future post\nDate: {NEXT_MONTH}\nAuthor: Yoko Sakura\nTags: care\n\nSoon.\n",
    "pages/draft-page.md": "Title: Draft page\nStatus: draft\n\nNot yet.\n",
}
UNPUBLISHED = ["Draft post", "Future post", "Draft page", "draft-post", "future-post", "draft-page"]


def build(tmp_path_factory, settings_file):
    root = tmp_path_factory.mktemp("drafts")
    return build_fixture(write_files(root / "content", CONTENT), settings_file, root / "output")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    return build(tmp_path_factory, "pelicanconf.py")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return build(tmp_path_factory, "publishconf.py")


@pytest.fixture(params=["preview", "published"])
def blog(request):
    return request.getfixturevalue(request.param)


def listed_titles(blog, path):
    """The post titles a listing page shows, leaving out the preview's own drafts section."""
    links = blog.page(path).select("main article h2 a, main .archive-list a")
    return [a.get_text(" ", strip=True).replace("\xa0", " ") for a in links if not a.find_parent(class_="drafts")]


@pytest.mark.parametrize("path", ["", "tag/care/", "archives/", "author/yoko-sakura/"])
def test_lists_show_only_published_posts(blog, path):
    assert listed_titles(blog, path) == ["Published post"]


def test_tag_counts_leave_unpublished_posts_out(blog):
    assert blog.page("tags/").select_one("main li").get_text(" ", strip=True) == "care (1 post)"


def test_the_published_site_holds_no_trace_of_them(published):
    assert not (published.output / "drafts").exists()
    for path in published.output.rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            for trace in UNPUBLISHED:
                assert trace not in text, f"{path} mentions {trace}"
    assert "&lt;p&gt;Live.&lt;/p&gt;" in (published.output / "feeds/all.atom.xml").read_text(), "the feed has the live post"


def test_the_preview_shows_a_draft_with_a_banner_that_says_how_to_publish(preview):
    banner = preview.page("drafts/post/draft-post/").select_one("article .draft-banner")
    assert banner.strong.get_text() == "Draft."
    assert "Status: draft" in banner.get_text()
    page_banner = preview.page("drafts/draft-page/").select_one("article .draft-banner")
    assert page_banner.strong.get_text() == "Draft."
    assert preview.page("post/published-post/").select_one(".draft-banner") is None


def test_the_preview_shows_a_scheduled_post_with_its_date(preview):
    banner = preview.page("drafts/post/future-post/").select_one("article .draft-banner")
    assert banner.strong.get_text() == "Scheduled."
    home_drafts = preview.page("").select_one("section.drafts")
    entries = {li.a.get_text(strip=True).replace("\xa0", " "): li for li in home_drafts.select("li")}
    assert set(entries) == {"Draft post", "Future post"}
    assert entries["Future post"].time["datetime"].startswith(NEXT_MONTH)
    assert "scheduled" not in entries["Draft post"].get_text()


def test_a_future_post_is_published_by_a_build_on_its_date(tmp_path):
    content = write_files(tmp_path / "content", {
        "posts/today.md": f"Title: Due today\nDate: {date.today().isoformat()}\nAuthor: Yoko Sakura\nTags: care\n\nNow.\n",
    })
    blog = build_fixture(content, "publishconf.py", tmp_path / "output")
    assert (blog.output / "post/due-today/index.html").is_file()

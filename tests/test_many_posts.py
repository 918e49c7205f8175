"""The project's settings and theme over a fixture blog of 12 posts: pagination and typography,
which the one seed post cannot show."""

import pytest

from tests.built_site import build_fixture, write_files

POSTS = 12  # pagination is 10 a page: two pages


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    root = tmp_path_factory.mktemp("many-posts")
    posts = {}
    for n in range(1, POSTS + 1):
        body = 'She said "relax" -- and it helped... The answer --- it seems --- is rest.' if n == 1 else "Text."
        posts[f"posts/post-{n:02}.md"] = (
            f"Title: Post number {n}\nDate: 2024-01-{n:02}\nAuthor: Yoko Sakura\nTags: stress\n\n{body}\n"
        )
    return build_fixture(write_files(root / "content", posts), "pelicanconf.py", root / "output")


def titles(blog, path):
    # Typogrify joins the last two words with a no-break space, so that no line ends alone.
    return [a.get_text(strip=True).replace("\xa0", " ") for a in blog.page(path).select("main article h2 a")]


@pytest.mark.parametrize("listing", ["", "tag/stress/", "author/yoko-sakura/"])
def test_listings_show_ten_posts_newest_first_then_a_second_page(blog, listing):
    first, second = titles(blog, listing), titles(blog, f"{listing}page/2/")
    assert first == [f"Post number {n}" for n in range(12, 2, -1)]
    assert second == ["Post number 2", "Post number 1"]


def test_pagination_links_both_ways_and_names_the_page(blog):
    first = blog.page_file("")
    older = blog.soup(first).select_one("nav.pagination a[rel=next]")
    assert older.get_text(strip=True) == "Older posts →"
    second = blog.target(first, older["href"])
    assert second == blog.page_file("page/2/")
    newer = blog.soup(second).select_one("nav.pagination a[rel=prev]")
    assert blog.target(second, newer["href"]) == first
    assert "Page 2 of 2" in blog.soup(second).select_one("nav.pagination").get_text()
    assert blog.soup(second).title.get_text() == "Page 2 · Blog · HERB CLINIQUE"


def test_quotes_dashes_and_ellipses_are_typeset(blog):
    body = blog.page("post/post-number-1/").select_one(".post-body").get_text()
    assert "“relax”" in body
    assert "—" in body, "-- and --- become dashes"
    assert "helped…" in body
    assert "--" not in body and "..." not in body

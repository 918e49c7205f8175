import pytest

POST = {"post.md": 'Title: "Sleep" -- and rest...\nDate: 2023-02-19\nSlug: post\nSummary: It\'s "deep" sleep.\n\n'
                   'It\'s "deep" sleep -- really... `"code"` stays.\n'}


def pages(output):
    return {p.relative_to(output).as_posix(): p.read_text() for p in output.rglob("*.html")}


@pytest.mark.parametrize("cached", [False, True], ids=["no cache", "warm cache"])
def test_same_pages_as_pelicans_own_typogrify(pelican_build, tmp_path, cached):
    settings = {"TYPOGRIFY": True, "TYPOGRIFY_OMIT_FILTERS": ["caps"], "CACHE_PATH": str(tmp_path / "cache"),
                "CACHE_CONTENT": cached, "LOAD_CONTENT_CACHE": cached}
    pelicans = pages(pelican_build(POST, settings))
    for _ in range(2 if cached else 1):  # with the cache: the second build reads the cached HTML
        ours = pages(pelican_build(POST, settings, plugins=["typography"]))
        assert ours == pelicans
    assert "It&#8217;s &#8220;deep&#8221; sleep &#8212;" in ours["post.html"]
    assert "&#8220;</span>Sleep&#8221; &#8212;" in ours["post.html"], "the title too"
    assert '<code>"code"</code>' in ours["post.html"]


def test_the_cache_holds_typogrified_html(pelican_build, tmp_path):
    import gzip
    import pickle

    settings = {"TYPOGRIFY": True, "CACHE_PATH": str(tmp_path / "cache"), "CACHE_CONTENT": True}
    pelican_build(POST, settings, plugins=["typography"])
    with gzip.open(tmp_path / "cache" / "ArticlesGenerator-Readers", "rb") as cache:
        [(_, (content, metadata))] = pickle.load(cache).values()
    assert "&#8220;deep&#8221;" in content and "&#8220;deep&#8221;" in metadata["summary"]


def test_nothing_changes_with_typogrify_off(pelican_build):
    assert "It's \"deep\"" in pages(pelican_build(POST, plugins=["typography"]))["post.html"].replace("&quot;", '"')


def test_html_comments_and_code_are_left_as_written(pelican_build):
    """A comment that spans lines keeps its "--" (typogrify alone would make "<!—" of it and show the
    rest on the page); code keeps straight quotes, dashes and dots."""
    post = {"post.md": "Title: T\nDate: 2023-02-19\nSlug: post\n\nText -- here.\n\n<!-- a table kept for later\n"
                       "|--|--|\n-->\n\nAnd `print(\"a\" -- 'b' ...)` in code.\n"}
    html = pages(pelican_build(post, {"TYPOGRIFY": True, "TYPOGRIFY_OMIT_FILTERS": ["caps"]},
                               plugins=["typography"]))["post.html"]
    assert "<!-- a table kept for later\n|--|--|\n-->" in html and "Text &#8212;&nbsp;here." in html
    assert "<code>print(\"a\" -- 'b' ...)</code>" in html.replace("&quot;", '"').replace("&#39;", "'")

"""The built site, dev and publish builds alike: content, addresses, theme, links."""

import gzip
import re
from datetime import date

import pytest

from tests.built_site import SEED_POST, settings_value, theme_asset

TAGS = {"neuroscience": "neuroscience", "massage therapy": "massage-therapy", "chronic pain": "chronic-pain"}


def words(text):
    """The words of a text, whatever its quotes, dashes and spaces."""
    return re.findall(r"[^\W_]+", text.replace("’", "'"))


def plain(text):
    """Rendered typography back to what the writer typed: … to ..., curly to straight quotes."""
    for fancy, typed in {"…": "...", "\xa0": " ", "’": "'", "‘": "'", "“": '"', "”": '"'}.items():
        text = text.replace(fancy, typed)
    return " ".join(text.split())


# --- The build ------------------------------------------------------------------------------


def test_build_prints_no_warning(site):
    # Messages have no level word (tools/messages): a warning would be a line of its own.
    lines = site.log.splitlines()
    assert lines[0].startswith("Done: Processed 1 article, 0 drafts"), site.log
    assert lines[1] == f"The site is ready in {site.output}/."
    summary = ["Summary:", "  1 post published; there is no record of the last publish build to compare with.",
               "  Nothing was uploaded: `make rsync_upload` or `make github` puts the site online."]
    assert lines[2:] == (summary if site.name == "publish" else []), site.log


def test_addresses_are_clean_directories(site):
    built = {p.relative_to(site.output).as_posix() for p in site.html_files()}
    assert built == {
        "index.html",
        "404.html",
        "about/index.html",
        "archives/index.html",
        "author/yoko-sakura/index.html",
        f"{SEED_POST}index.html",
        "tags/index.html",
        "search/index.html",
        *(f"tag/{slug}/index.html" for slug in TAGS.values()),
    }


def test_links_point_at_directories_not_html_files(site):
    for file in site.html_files():
        for _, url in site.links(file):
            if site.file_of(url) not in (None, file):  # a #fragment of the page itself is fine
                assert not urlpath(url).endswith(".html"), f"{file}: {url} is not a clean URL"


def urlpath(url):
    return url.split("#")[0].split("?")[0]


# --- The seed post --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def post(site):
    return site.page(SEED_POST)


def test_post_title_is_the_only_h1(post, seed):
    headings = post.find_all("h1")
    assert len(headings) == 1
    assert plain(headings[0].get_text()) == seed["title"]
    assert plain(post.title.get_text()).startswith(seed["title"])


def test_post_body_is_the_seed_word_for_word(post, seed):
    body = post.select_one("article .post-body")
    assert words(body.get_text(" ")) == words(seed["body"])
    assert len(body.find_all("p")) > 1, "the body is split into paragraphs"


def test_typography_has_curly_quotes(post):
    body = post.select_one("article .post-body").get_text()
    assert "“reset”" in body and "there’s" in body
    assert '"' not in body and "'" not in body


def test_byline_names_the_writer_with_her_credential_and_links_to_her_page(site, post):
    byline = post.select_one("article header .byline a[rel=author]")
    assert byline.get_text(strip=True) == "Yoko Sakura, CMT"
    author_page = site.target(site.page_file(SEED_POST), byline["href"])
    assert author_page == site.page_file("author/yoko-sakura/")
    assert lists_seed_post(site, author_page)
    assert site.soup(author_page).h1.get_text(strip=True) == "Posts by Yoko Sakura, CMT"


def test_credential_comes_from_the_settings():
    assert settings_value("pelicanconf.py", "AUTHOR_CREDENTIALS") == {"Yoko Sakura": "CMT"}


def test_date_is_machine_readable(post):
    time = post.select_one("article header time[datetime]")
    assert time["datetime"].startswith("2023-02-19")
    assert time.get_text(strip=True) == "Feb 19, 2023"


def test_reading_time_is_two_minutes(post):
    assert post.select_one("article header .reading-time").get_text(strip=True) == "2 min read"


def test_tags_lead_to_tag_pages_that_list_the_post(site, post):
    links = post.select("article a[rel=tag]")
    assert {a.get_text(strip=True) for a in links} == set(TAGS)
    for link in links:
        tag_page = site.target(site.page_file(SEED_POST), link["href"])
        assert tag_page == site.page_file(f"tag/{TAGS[link.get_text(strip=True)]}/")
        assert link.get_text(strip=True) in site.soup(tag_page).h1.get_text()
        assert lists_seed_post(site, tag_page)


def lists_seed_post(site, page_file):
    """Does a listing page link to the seed post by its title?"""
    return any(
        site.target(page_file, a["href"]) == site.page_file(SEED_POST) and "Neuroscience" in a.get_text()
        for a in site.soup(page_file).find_all("a", href=True)
    )


def test_tag_index_lists_every_tag_with_its_count(site):
    index = site.page("tags/")
    entries = {li.a.get_text(strip=True): li.get_text(" ", strip=True) for li in index.select("main li")}
    assert set(entries) == set(TAGS)
    assert all(entry.endswith("(1 post)") for entry in entries.values())


def test_home_page_lists_the_post_with_summary_byline_date_reading_time_and_tags(site):
    home = site.page("")
    assert home.h1.get_text(strip=True) == "Blog"
    entry = home.select_one("main article")
    assert lists_seed_post(site, site.page_file(""))
    assert entry.select_one(".summary").get_text(strip=True).startswith("At first glance")
    assert entry.select_one(".byline").get_text(" ", strip=True) == "By Yoko Sakura, CMT"
    assert entry.select_one("time[datetime]")["datetime"].startswith("2023-02-19")
    assert entry.select_one(".reading-time").get_text(strip=True) == "2 min read"
    assert {a.get_text(strip=True) for a in entry.select("a[rel=tag]")} == set(TAGS)


def test_archives_list_the_post_under_its_year(site):
    archives = site.page("archives/")
    assert archives.select_one("main h2").get_text(strip=True) == "2023"
    assert lists_seed_post(site, site.page_file("archives/"))


def test_about_page_is_about_herb_clinique(site):
    about = site.page("about/")
    assert plain(about.h1.get_text()) == "About HERB CLINIQUE"
    assert "Yoko Sakura, CMT" in plain(about.select_one("main").get_text())


def test_404_page_leads_back_to_the_site(site):
    page = site.page("404.html")
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.select("main a[href]"), "the 404 page offers ways back"


# --- Every page -----------------------------------------------------------------------------


def test_every_page_has_the_landmarks_and_one_h1(site):
    for file in site.html_files():
        soup = site.soup(file)
        assert soup.html["lang"] == "en", file
        for selector in ("body > header", "header nav", "body > main", "body > footer"):
            assert len(soup.select(selector)) == 1, f"{file}: {selector}"
        assert len(soup.find_all("h1")) == 1, file


def test_skip_link_is_first_and_targets_the_main_landmark(site):
    for file in site.html_files():
        soup = site.soup(file)
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main", file
        assert "skip" in first_link.get_text().lower()
        assert soup.find(id="main").name == "main", file


def test_navigation_has_blog_about_tags_and_marks_the_current_page(site):
    for path, current in {"": "Blog", "about/": "About", "tags/": "Tags", SEED_POST: None}.items():
        nav = site.page(path).select_one("header nav")
        assert [a.get_text(strip=True) for a in nav.find_all("a")] == ["Blog", "About", "Tags"]
        marked = [a.get_text(strip=True) for a in nav.select("a[aria-current=page]")]
        assert marked == ([current] if current else []), path


def test_footer_has_the_social_links_and_this_years_copyright(site):
    social = dict(settings_value("pelicanconf.py", "SOCIAL"))
    assert set(social) == {"Instagram", "Facebook"}
    for file in site.html_files():
        footer = site.soup(file).select_one("body > footer")
        links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
        assert links == social, file
        assert f"© {date.today().year} by HERB CLINIQUE" in footer.get_text(" ", strip=True), file


def test_no_template_code_or_none_leaks_into_a_page(site):
    leak = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|\bNone\b")
    for file in site.html_files():
        soup = site.soup(file)
        texts = [t for t in soup.find_all(string=True) if t.parent.name not in ("style", "script")]
        values = [" ".join(v) if isinstance(v, list) else v for e in soup.find_all(True) for v in e.attrs.values()]
        for text in texts + values:
            assert not leak.search(text), f"{file.relative_to(site.output)} shows {text.strip()[:80]!r}"


def test_every_internal_link_and_asset_resolves(site):
    checked = 0
    for file in site.html_files():
        for attribute, url in site.links(file):
            target = site.file_of(url)
            if target is None:
                continue
            assert target.is_file(), f"{file.relative_to(site.output)}: {attribute}={url} leads nowhere"
            fragment = url.partition("#")[2]
            if fragment and target.suffix == ".html":
                assert site.soup(target).find(id=fragment), f"{file}: no #{fragment} in {target}"
            checked += 1
    assert checked > 50


def test_other_origins_are_only_links_the_reader_may_follow(site):
    """Social links and share links only: nothing of another origin is loaded."""
    social = {url for _, url in settings_value("pelicanconf.py", "SOCIAL")}
    for file in site.html_files():
        soup = site.soup(file)
        share_links = {a["href"] for a in soup.select(".share a[href]")}
        for attribute, url in site.links(file):
            if url.startswith(("http://", "https://")) and site.file_of(url) is None:
                assert attribute == "href" and url in social | share_links, f"{file}: {attribute}={url}"
        for element in soup.select("link[href], script[src], img[src], source[srcset]"):
            address = element.get("href") or element.get("src") or element.get("srcset")
            assert not address.startswith(("http", "//")) or address.startswith(site.base + "/"), (file, address)


def test_publish_build_links_are_absolute_to_the_site_address(publish_site):
    siteurl = publish_site.siteurl
    assert siteurl.startswith("https://")
    home = publish_site.page("")
    hrefs = [a["href"] for a in home.select("body > header a")]
    assert hrefs and all(href.startswith(siteurl + "/") for href in hrefs)


def test_publish_build_has_an_atom_feed_and_links_to_it(publish_site):
    feed = publish_site.output / "feeds/all.atom.xml"
    assert "Neuroscience" in feed.read_text(encoding="utf-8")
    link = publish_site.page("").select_one('link[rel=alternate][type="application/atom+xml"]')
    assert publish_site.file_of(link["href"]) == feed


# --- The theme's CSS ------------------------------------------------------------------------


def test_css_is_inline_small_and_the_only_style(site):
    search_loader = site.soup(site.output / "index.html").select("script:not([src]):not([type])")[0].string
    assert "data-search-script" in search_loader
    for file in site.html_files():
        soup = site.soup(file)
        styles = soup.find_all("style")
        assert len(styles) == 1, file
        assert not soup.select('link[rel~="stylesheet"]'), f"{file} loads a stylesheet"
        # Reading needs no script: the share buttons' is a deferred file, and the one inline
        # script, the same on every page (one CSP hash), only loads search when it is used.
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        inline = [s for s in scripts if not s.has_attr("src")]
        assert [s.string for s in inline] == [search_loader], f"{file}: one inline script, the search loader"
        for script in scripts:
            if script.has_attr("src"):
                assert theme_asset(script["src"], "share.js") and script.has_attr("defer"), file
        assert not re.search(r"@font-face|@import|url\(", styles[0].string), "no web fonts, no further requests"
    css = site.soup(site.output / "index.html").style.string
    # At most a third of the first round trip (14 KB compressed, tests/test_budgets.py) is style.
    compressed = len(gzip.compress(css.encode(), mtime=0))
    assert compressed < 5 * 1024, f"CSS is {len(css.encode())} bytes, {compressed} compressed"
    assert "prefers-color-scheme:dark" in css.replace(" ", "")
    assert "@media print" in css

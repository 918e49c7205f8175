"""Site search: the Pagefind index a build makes, and the search box as readers use it.

A fixture blog (test_posts/ beside this file: five posts, one of them in Japanese, and a page) is built
once with the project's settings and theme, served on 127.0.0.1 and searched in headless
Chromium. The seed post is searched on the real site.
"""

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.built_site import SEED_POST, build_fixture, theme_asset
from tools.site_server import serving

SEARCH_SITE = Path(__file__).resolve().parent / "test_posts"
SEARCH_ASSETS = re.compile(r"/pagefind/|/theme/search\.js")


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    return build_fixture(SEARCH_SITE, "pelicanconf.py", tmp_path_factory.mktemp("search") / "output")


@pytest.fixture(scope="module")
def search_server(search_site):
    with serving(search_site.output) as url:
        yield url


def indexed_pages(output):
    """{address: fragment} for every page in the Pagefind index (fragments are gzipped JSON)."""
    pages = {}
    for fragment in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        pages[record["url"]] = record
    return pages


def published_addresses(site):
    """The address of every published post and page of a build, read from its pages."""
    addresses = set()
    for file in site.html_files():
        article = site.soup(file).select_one("main article.post, main article.page")
        if article is not None and not article.select(".draft-banner"):
            addresses.add(urlsplit(site.url_of(file)).path)
    return addresses


# --- The index -----------------------------------------------------------------------------

def test_the_index_covers_every_post_and_page_and_nothing_else(search_site):
    posts = {f"/post/{slug}/" for slug in ("sciatica-and-the-piriformis-muscle", "sleep-better-after-a-massage",
                                            "stress-cortisol-and-touch", "desk-work-and-your-neck",
                                            "katakori-to-massage")}
    assert set(indexed_pages(search_site.output)) == posts | {"/visit/"}
    assert published_addresses(search_site) == posts | {"/visit/"}


def test_the_real_site_index_has_the_seed_post_and_the_about_page(site):
    assert set(indexed_pages(site.output)) == {f"/{SEED_POST}", "/about/"}


def test_each_post_is_indexed_with_title_date_reading_time_and_tags(search_site):
    record = indexed_pages(search_site.output)["/post/sleep-better-after-a-massage/"]
    assert record["meta"]["title"].replace("\xa0", " ") == "Sleep better after a massage"
    assert record["meta"]["datetime"] == "2024-05-20T09:00:00+00:00"
    assert record["meta"]["date"] == "May 20, 2024"
    assert record["meta"]["reading_time"] == "1 min read"
    assert record["filters"] == {"tag": ["sleep", "stress"]}


def test_only_the_text_is_indexed_not_the_frame_around_it(search_site):
    record = indexed_pages(search_site.output)["/post/sleep-better-after-a-massage/"]
    words = record["content"].replace("\u200b", "")
    assert "melatonin" in words and "sleep" in words  # the body, and the tags
    for frame in ("Skip to main content", "Search the blog", "By Yoko Sakura", "Share", "© "):
        assert frame not in words


def test_the_japanese_post_is_split_into_words(search_site):
    record = indexed_pages(search_site.output)["/post/katakori-to-massage/"]
    assert "\u200b血行\u200b" in record["content"]  # Pagefind's word boundaries around 血行 (circulation)


def test_the_bundle_has_no_unused_ready_made_interface(search_site):
    bundle = {path.name for path in (search_site.output / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json"} <= bundle
    assert not {name for name in bundle if "-ui." in name or "highlight" in name}


def test_the_search_page_lists_topics_and_archives_for_readers_without_javascript(site):
    soup = site.page("search/")
    assert "needs JavaScript" in soup.noscript.get_text()
    links = {a["href"] for a in soup.select("main a")}
    assert f"{site.siteurl}/tag/chronic-pain/" in links and f"{site.siteurl}/archives/" in links
    assert soup.select_one("main form[role=search]").has_attr("hidden")  # shown by the script
    # Indexable (Lighthouse's SEO audit): every /search/?q=… names /search/ as its one address.
    assert not soup.select_one("meta[name=robots]")
    assert soup.select_one("link[rel=canonical]")["href"].endswith("/search/")


def test_every_page_but_the_search_page_has_the_header_search_box(site):
    for file in site.html_files():
        header_form = site.soup(file).select_one("header form[role=search]")
        if site.url_of(file) == f"{site.base}/search/":
            assert header_form is None
        else:
            assert header_form["action"] == f"{site.siteurl}/search/", file
            assert header_form.select_one("input[type=search][name=q]")["id"] == "header-search-q"
            assert header_form.select_one("label[for=header-search-q]").get_text(strip=True)


def test_search_off_means_no_box_no_script_and_no_index(tmp_path):
    site = build_fixture(SEARCH_SITE, "pelicanconf.py", tmp_path / "output",
                         settings={"SEARCH": {"enabled": False}})
    assert not (site.output / "pagefind").exists()
    home = site.page("")
    assert home.select("form[role=search]") == []
    assert [script for script in home.select("script") if script.get("type") != "application/ld+json"] == []


# --- In the browser ------------------------------------------------------------------------

@pytest.fixture
def reader(browser, search_server):
    """reader(path) -> a page of the fixture blog, recording the addresses it requests."""
    contexts = []

    def open_page(path="", base=search_server, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.errors = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{base}/{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def search_in_header(page, words):
    page.fill("#header-search-q", words)
    status = page.locator(".search-header [role=status]")
    status.filter(has_text=re.compile("found")).wait_for()
    return status.inner_text()


def result_paths(page, form=".search-header"):
    return [urlsplit(href).path for href in
            page.locator(f"{form} .search-results .search-result-title a").evaluate_all("as => as.map(a => a.href)")]


@pytest.mark.browser
def test_a_page_that_is_only_read_downloads_nothing_for_search(reader):
    page = reader("post/sleep-better-after-a-massage/")
    page.mouse.wheel(0, 2000)
    page.keyboard.press("Tab")  # the skip link: focus, but not in the search box
    page.wait_for_load_state("networkidle")  # whatever the page would ask for on its own, it has asked
    assert [url for url in page.requests if SEARCH_ASSETS.search(url)] == []
    page.focus("#header-search-q")
    page.wait_for_function("() => !!document.querySelector('script[data-search]')")
    page.wait_for_load_state("networkidle")
    assert any(theme_asset(url, "search.js") for url in page.requests)


@pytest.mark.browser
def test_a_word_from_one_post_finds_that_post_first(reader):
    page = reader()
    assert search_in_header(page, "piriformis") == "1 post found for “piriformis”."
    assert result_paths(page) == ["/post/sciatica-and-the-piriformis-muscle/"]
    marked = page.locator(".search-header .search-results mark").all_inner_texts()
    assert marked and all(word.lower() == "piriformis" for word in marked)
    assert page.locator(".search-header .search-results time").first.get_attribute("datetime") == \
        "2024-03-04T10:00:00+00:00"
    assert page.errors == []


@pytest.mark.browser
def test_a_japanese_word_finds_the_japanese_post(reader):
    page = reader()
    search_in_header(page, "血行")
    assert result_paths(page)[0] == "/post/katakori-to-massage/"


@pytest.mark.browser
def test_a_word_from_no_post_says_so(reader):
    page = reader()
    page.fill("#header-search-q", "xylophone")
    status = page.locator(".search-header [role=status]")
    status.filter(has_text="No posts found").wait_for()
    assert status.inner_text().startswith("No posts found for “xylophone”.")
    assert page.locator(".search-header .search-results").is_hidden()


@pytest.mark.browser
def test_the_keyboard_alone_reaches_and_opens_every_result(reader):
    page = reader()
    page.focus("#header-search-q")
    page.keyboard.type("massage")
    page.locator(".search-header [role=status]").filter(has_text="found").wait_for()
    paths = result_paths(page)
    assert len(paths) >= 3
    page.keyboard.press("ArrowDown")
    for index in range(len(paths)):
        focused = page.evaluate("() => new URL(document.activeElement.href).pathname")
        assert focused == paths[index]
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == "header-search-q"
    assert page.locator(".search-header .search-results").is_hidden()
    # Tab from the box goes through the button to the first result; Enter opens it.
    page.keyboard.type(" ")
    page.locator(".search-header .search-results").wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(paths[0]) + "$"))


@pytest.mark.browser
def test_the_number_of_results_is_in_a_live_region(reader):
    page = reader()
    search_in_header(page, "stress")
    status = page.locator(".search-header .search-status")
    assert status.get_attribute("role") == "status"  # announced politely by screen readers
    count = page.locator(".search-header .search-results > li").count()
    assert status.inner_text().startswith(f"{count} posts found")


@pytest.mark.browser
def test_a_search_address_can_be_shared_and_runs_its_query(reader, dev_server):
    page = reader("search/?q=endorphins", base=dev_server)
    page.locator(".search-page [role=status]").filter(has_text="found").wait_for()
    assert result_paths(page, ".search-page") == [f"/{SEED_POST}"]
    assert page.input_value("#page-search-q") == "endorphins"


@pytest.mark.browser
def test_submitting_the_header_box_opens_the_search_page_with_the_query(reader):
    page = reader()
    page.fill("#header-search-q", "cortisol")
    page.press("#header-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=cortisol$"))
    page.locator(".search-page [role=status]").filter(has_text="found").wait_for()
    assert result_paths(page, ".search-page") == ["/post/stress-cortisol-and-touch/"]


@pytest.mark.browser
def test_a_tag_filter_narrows_the_results(reader):
    page = reader("search/?q=massage")
    status = page.locator(".search-page [role=status]")
    status.filter(has_text="found").wait_for()
    everything = result_paths(page, ".search-page")
    page.select_option("#page-search-tag", "sleep")
    status.filter(has_text="1 post found").wait_for()
    assert result_paths(page, ".search-page") == ["/post/sleep-better-after-a-massage/"]
    assert len(everything) > 1 and "/post/sleep-better-after-a-massage/" in everything
    assert "tag=sleep" in page.url  # the narrowed search is a link too


@pytest.mark.browser
def test_without_javascript_the_box_leads_to_topics_and_archives(reader):
    page = reader(java_script_enabled=False)
    page.fill("#header-search-q", "sleep")
    page.press("#header-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=sleep$"))
    assert "Search needs JavaScript" in page.inner_text("main")
    assert page.locator("main a[href$='/tag/sleep/']").is_visible()
    assert page.locator("main a[href$='/archives/']").is_visible()
    assert page.locator("main form[role=search]").is_hidden()
    assert [url for url in page.requests if SEARCH_ASSETS.search(url)] == []


"""Speed budgets that do not depend on the machine: bytes and requests.

- Every page paints from the first round trip: its HTML, with the CSS inline, is at most 14 KB
  compressed (what a server's first flight of TCP packets carries).
- Nothing but the HTML blocks rendering: no stylesheet file, every script deferred, no web fonts.
- A post without pictures transfers at most 30 KB compressed on load, in Chromium from nginx.
"""

import gzip
import re

import pytest

from bench.corpus import write_corpus
from tests.built_site import SEED_POST, build_fixture
from tests.page_checks import validate

FIRST_ROUND_TRIP = 14 * 1024
POST_WITHOUT_PICTURES = 30 * 1024


def compressed_size(file):
    """Bytes on the wire: the build's own .gz copy where it wrote one, else gzip's default level."""
    copy = file.with_name(file.name + ".gz")
    return len(copy.read_bytes()) if copy.is_file() else len(gzip.compress(file.read_bytes(), mtime=0))


def test_every_page_paints_from_the_first_round_trip(every_build, report):
    name, site = every_build
    sizes = {file.relative_to(site.output).as_posix(): compressed_size(file) for file in site.html_files()}
    largest = max(sizes, key=sizes.get)
    too_big = {page: size for page, size in sizes.items() if size > FIRST_ROUND_TRIP}
    assert not too_big, f"over {FIRST_ROUND_TRIP} B compressed: {too_big}"
    report(f"First round trip, {name} build: {len(sizes)} pages, largest {largest} at {sizes[largest]:,} B "
           f"compressed (budget {FIRST_ROUND_TRIP:,} B)")


@pytest.fixture(scope="module")
def years_of_posts(tmp_path_factory):
    """40 generated posts (bench/corpus.py: ~620 words, headings, lists, pictures, Japanese ones),
    built for publishing: long lists, paginated tags, posts with pictures."""
    root = tmp_path_factory.mktemp("corpus")
    content = write_corpus(40, root / "content")
    return build_fixture(content, "publishconf.py", root / "output", settings={"CACHE_PATH": str(root / "cache")})


@pytest.mark.linux_services
def test_a_blog_of_many_long_posts_still_paints_from_the_first_round_trip_and_is_valid(years_of_posts, report):
    sizes = {f.relative_to(years_of_posts.output).as_posix(): compressed_size(f) for f in years_of_posts.html_files()}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= FIRST_ROUND_TRIP, f"{largest}: {sizes[largest]} B"
    # The generated "Japanese" posts are English words with Japanese sentences: the checker's
    # guess of their language is about the generator, not the site.
    checked, problems = validate(years_of_posts.output, ignore=["This document appears to be written in"])
    assert problems == [] and len(checked) > 60
    report(f"First round trip, 40 generated posts: {len(sizes)} pages, largest {largest} at {sizes[largest]:,} B; "
           f"Nu HTML Checker: {len(checked)} files, 0 errors")


def test_nothing_but_the_html_blocks_rendering_and_there_are_no_web_fonts(every_build):
    _, site = every_build
    for file in site.html_files():
        soup = site.soup(file)
        assert not soup.select('link[rel~="stylesheet"], link[rel~="preload"][as="font"]'), file
        for script in soup.select("script[src]"):
            assert script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module", file
        for style in soup.find_all("style"):
            assert not re.search(r"@import|@font-face", style.string or ""), file


@pytest.mark.browser
def test_a_post_without_pictures_transfers_at_most_30_kb_on_load(browser, served_site, report):
    assert not served_site.site.page(SEED_POST).select("article img"), "the seed post has no pictures"
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(f"{served_site.url}/{SEED_POST}")
    page.wait_for_load_state("networkidle")
    transferred = {r.url.removeprefix(served_site.url): r.sizes() for r in requests}
    context.close()
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in transferred.values())
    assert all(url.startswith("/") for url in transferred), f"another origin: {list(transferred)}"
    assert total <= POST_WITHOUT_PICTURES, f"{total} B: {transferred}"
    report(f"Seed post on load: {len(transferred)} requests, {total:,} B transferred with headers "
           f"({', '.join(transferred)}; budget {POST_WITHOUT_PICTURES:,} B)")

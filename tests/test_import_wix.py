"""make import-wix: a Wix-style feed written for the project (tests/wix_feed/: a formatted post
with pictures, a video and Wix's markup; an excerpt-only post; a Japanese post with an emoji in
its title), its pictures served by a real HTTP server on 127.0.0.1. The import runs as the
command the Makefile calls, on a copy of the project; the result is built with the site's
settings and theme."""

import subprocess
import sys
import threading
from urllib.parse import unquote

import pytest

from tests.built_site import PROJECT, build_fixture, checksums, copy_project
from tools.import_wix import text_of
from tools.site_server import SiteRequestHandler, serving

FEED = PROJECT / "tests" / "wix_feed" / "blog-feed.xml"
FORMATTED, EXCERPT_ONLY, JAPANESE = ("five-stretches-for-desk-shoulders", "why-we-drink-water-after-a-massage",
                                     "肩こりとマッサージ")


class RecordingHandler(SiteRequestHandler):
    requests = []
    lock = threading.Lock()

    def do_GET(self):
        with self.lock:
            self.requests.append(self.path)
        super().do_GET()


@pytest.fixture(scope="module")
def media_server():
    with serving(PROJECT / "tests" / "wix_feed", handler=RecordingHandler) as url:
        yield url


def run_import(project, feed, *, dry_run=False):
    env = {"PATH": "/usr/bin:/bin", "DRY_RUN": "1" if dry_run else ""}
    return subprocess.run([sys.executable, "-m", "tools.import_wix", str(feed), "--project", str(project)],
                          cwd=PROJECT, capture_output=True, text=True, env=env)


def fresh_project(folder, media_server, feed_text=None):
    project = copy_project(folder)
    feed = folder / "blog-feed.xml"
    feed.write_text(feed_text if feed_text is not None else FEED.read_text().replace("{media}", f"{media_server}/media"),
                    encoding="utf-8")
    return project, feed


@pytest.fixture(scope="module")
def imported(tmp_path_factory, media_server):
    project, feed = fresh_project(tmp_path_factory.mktemp("wix"), media_server)
    first = run_import(project, feed)
    assert first.returncode == 0, first.stderr
    as_imported = post_file(project, FORMATTED).read_text(encoding="utf-8")  # before the writer's fixes
    return project, feed, first, as_imported


def post_file(project, slug):
    return project / "content" / "posts" / f"{slug}.md"


@pytest.fixture(scope="module")
def built(imported, tmp_path_factory):
    """The imported posts after the writer follows the warnings (descriptions for two pictures,
    the picture Wix lost taken out), built with the site's settings."""
    project = imported[0]
    formatted = post_file(project, FORMATTED)
    text = formatted.read_text(encoding="utf-8").replace("![](", "![Shoulders seen from behind](")
    formatted.write_text("\n".join(line for line in text.splitlines() if "missing~mv2" not in line) + "\n")
    draft = post_file(project, EXCERPT_ONLY)
    draft.write_text(draft.read_text(encoding="utf-8").replace("![](", "![A glass of water on a towel]("))
    return build_fixture(project / "content", "pelicanconf.py", tmp_path_factory.mktemp("wix-site") / "output")


def test_each_post_is_written_with_its_fields_and_a_line_of_progress(imported):
    project, _, result, _ = imported
    head = post_file(project, FORMATTED).read_text(encoding="utf-8").split("\n\n")[0]
    assert head.splitlines() == [
        "Title: Five stretches for desk shoulders", "Date: 2023-03-14 09:30-08:00", "Author: Yoko Sakura",
        "Tags: posture, Self Care", "Slug: five-stretches-for-desk-shoulders",
        "Summary: Hours at a desk pull the shoulders forward. These five stretches undo a little of it every day.",
    ]
    japanese = post_file(project, JAPANESE).read_text(encoding="utf-8")
    assert "Title: 肩こりとマッサージ 💆\u200d♀️" in japanese and "Lang: ja" in japanese
    assert "Date: 2023-04-10 10:00+09:00" in japanese
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[1/3] Five stretches for desk shoulders: written") and "2 pictures fetched" in lines[0]
    assert any(line.startswith("[3/3] 肩こりとマッサージ") for line in lines)
    assert "Imported 3, skipped 0 (already here), drafts 1, warnings 4, pictures fetched 3." in result.stdout


def test_wix_markup_becomes_clean_markdown(imported):
    markdown = imported[3].split("\n\n", 1)[1]
    for leftover in ("<div", "<span", "<p", "style=", "class=", "data-hook", "viewer-", "\n\n\n"):
        assert leftover not in markdown
    for expected in ("## Before you start", "**forward**", "*down*", "1. Chin tucks", "- Once after lunch",
                     "> The body keeps the shape", "[the NHS exercise pages](https://www.nhs.uk/live-well/exercise/)",
                     "(https://www.youtube.com/watch?v=abc123XYZ_0)"):
        assert expected in markdown


def test_the_text_of_every_post_survives_word_for_word(imported, built):
    import feedparser

    for entry in feedparser.parse(imported[1].read_bytes(), sanitize_html=False).entries:
        if not entry.get("content"):
            continue
        slug = unquote(entry.link.rpartition("/post/")[2])
        page = built.page(f"post/{slug}/")
        assert page.html["lang"] == ("ja" if slug == JAPANESE else "en")  # read aloud in its language
        body = page.select_one(".post-body")
        for video in body.select('a[href*="youtube.com/watch"]'):
            video.decompose()
        feed_words = text_of(entry.content[0].value).replace("A picture Wix lost", "").split()
        page_words = body.get_text(" ").replace("\xa0", " ").split()
        assert " ".join(page_words) == " ".join(feed_words), slug


def test_pictures_are_downloaded_full_size_and_used_from_the_site(imported, built, media_server):
    project = imported[0]
    folder = project / "content" / "images" / FORMATTED
    assert sorted(p.name for p in folder.iterdir()) == ["7d1a2f_stretch-mv2.jpg", "9c3e11_shoulders-mv2.png"]
    # The original, not Wix's 740 px copy: /media/<id>, without /v1/fill/…
    assert "/media/7d1a2f_stretch~mv2.jpg" in RecordingHandler.requests
    page = built.page(f"post/{FORMATTED}/")
    pictures = page.select(".post-body img")
    assert len(pictures) == 2
    for img in pictures:  # the site's own resized copies of the downloaded pictures
        addresses = [img["src"], *[part.split()[0] for part in img["srcset"].split(",")]]
        assert img["alt"] and all(a.startswith("/images/") and built.page_file(a[1:]).is_file() for a in addresses)


def test_what_needs_the_writer_is_named(imported):
    out = imported[2].stdout
    assert "a picture has no description (9c3e11_shoulders~mv2.png)" in out
    assert "the picture " in out and "missing~mv2.jpg could not be downloaded" in out
    assert "/media/missing~mv2.jpg)" in imported[3]  # still there to fix, not a broken post


def test_a_post_the_feed_gives_only_in_part_is_a_draft(imported, built):
    text = post_file(imported[0], EXCERPT_ONLY).read_text(encoding="utf-8")
    assert "\nStatus: draft\n" in text and "Copy the rest of the post from" in text
    assert "the feed has only its excerpt: it is a draft" in imported[2].stdout
    assert built.page(f"drafts/post/{EXCERPT_ONLY}/").select_one("h1")  # previewed with its banner
    assert not built.page_file(f"post/{EXCERPT_ONLY}/").exists()


def test_a_second_run_changes_nothing(imported):
    project, feed, _, _ = imported
    before = checksums(project / "content")
    again = run_import(project, feed)
    assert again.returncode == 0
    assert "Imported 0, skipped 3 (already here)" in again.stdout
    assert checksums(project / "content") == before


def test_a_dry_run_lists_and_writes_nothing(tmp_path, media_server):
    project, feed = fresh_project(tmp_path, media_server)
    before, asked = checksums(project / "content"), len(RecordingHandler.requests)
    result = run_import(project, feed, dry_run=True)
    assert result.returncode == 0
    assert f"would write content/posts/{FORMATTED}.md" in result.stdout and "Would import 3" in result.stdout
    assert checksums(project / "content") == before and len(RecordingHandler.requests) == asked


@pytest.mark.parametrize("name, feed_text, message", [
    ("not a feed", "<!DOCTYPE html><html><body><p>Page not found</p></body></html>", "not a readable feed"),
    ("empty", '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', "no posts"),
    ("cut short", FEED.read_text()[: len(FEED.read_text()) * 2 // 3], "cut short"),
])
def test_a_broken_feed_says_why_and_writes_nothing(tmp_path, media_server, name, feed_text, message):
    project, feed = fresh_project(tmp_path, media_server, feed_text)
    before = checksums(project / "content")
    result = run_import(project, feed)
    assert result.returncode != 0 and message in result.stderr and "Nothing was written" in result.stderr, name
    assert checksums(project / "content") == before


def test_the_makefile_target_needs_a_feed():
    result = subprocess.run(["make", "--no-print-directory", "import-wix"], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode != 0 and "make import-wix FEED=" in result.stderr

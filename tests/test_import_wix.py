"""make import-wix against a Wix site shaped as Wix serves one today (tests/wix_site/, README.md
there says where each shape comes from): a sitemap listing 24 posts, a feed of the newest 20
without their text, post pages in today's markup whose pictures are blurred placeholders, and
the pictures at full size; served by a real HTTP server on 127.0.0.1 standing in for both the
site and Wix's picture server. Also: the same site saved as a folder (read offline), an old feed
with the whole posts, and a hostile site. The import runs as the Makefile runs it, into a
temporary copy of the test site's content; the writer's content/ is never read."""

import os
import shutil
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.built_site import PROJECT, checksums, copy_site_content
from tools.import_wix.safety import clean_field, slug_from_path, slug_problem
from tools.import_wix.to_markdown import original_address, prepare, to_markdown

FIXTURES = PROJECT / "tests" / "wix_site"
MIRROR = FIXTURES / "mirror"
SITE, MEDIA = "https://www.herbclinique.com", "https://static.wixstatic.com"
RICH, JAPANESE, GONE, MISSING_PICTURE = (
    "five-stretches-for-desk-shoulders",
    "肩こりとマッサージ",
    "why-we-drink-water-after-a-massage",
    "heat-or-ice-which-one-when",
)
ALREADY_HERE = "neuroscience-v-s-massage-therapy"  # the test site's post, also on the Wix site
NO_NETWORK = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
}


# --- A Wix site on 127.0.0.1 --------------------------------------------------------------------


class WixHandler(BaseHTTPRequestHandler):
    """Serves a mirror folder as Wix would: the site's pages at /..., pictures at /media/<name>."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        path = unquote(urlsplit(self.path).path)
        with server.lock:
            server.requests.append(path)
        behaviour = server.behaviours.get(path)
        if behaviour:
            return behaviour(self)
        if path.startswith("/media/"):
            file = server.root / "static.wixstatic.com" / "media" / path[len("/media/") :]
        else:
            file = server.root / "www.herbclinique.com" / path.lstrip("/")
            file = file if file.is_file() else file.with_name(file.name + ".html")
        if not file.is_file() or not file.resolve().is_relative_to(server.root):
            return self.send_error(404)
        kind = {".xml": "application/xml", ".html": "text/html; charset=utf-8"}.get(file.suffix, "image/jpeg")
        self.answer(file.read_bytes(), kind)

    def answer(self, body, kind="image/jpeg", status=200, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class WixServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root, behaviours=None):
        super().__init__(("127.0.0.1", 0), WixHandler)
        self.root, self.behaviours = Path(root).resolve(), behaviours or {}
        self.requests, self.lock = [], threading.Lock()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.released = threading.Event()  # ends the answers that hold on (slow, hang)

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.shutdown()
        self.server_close()


def served_copy(source, destination, server_url):
    """A copy of a mirror folder whose addresses (the site's, Wix's media host's) lead to the server."""
    shutil.copytree(source, destination)
    for file in destination.rglob("*"):
        if file.suffix in (".xml", ".html"):
            text = file.read_text(encoding="utf-8")
            file.write_text(text.replace(SITE, server_url).replace(MEDIA, server_url), encoding="utf-8")
    return destination


def run_import(content, *args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tools.import_wix", "--content", str(content), *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **(env or {})},
    )


def fresh_content(folder):
    copy_site_content(folder / "content")
    return folder / "content"


def head_and_body(path):
    """The post's fields as Pelican's Markdown reader reads them (the meta extension), and its body."""
    text = path.read_text(encoding="utf-8")
    reader = markdown.Markdown(extensions=["meta"])
    reader.convert(text)
    return {key: value for key, value in reader.Meta.items()}, text.split("\n\n", 1)[1]


def field(path, name):
    return head_and_body(path)[0][name.lower()][0]


def words_of_html(html):
    soup = BeautifulSoup(html, "lxml")
    for video in soup.select('a[href*="youtube.com/watch"]'):
        video.decompose()  # the page shows a player where the post has a link
    return soup.get_text(" ").replace("\xa0", " ").split()


def sitemap_slugs(root=MIRROR):
    text = (root / "www.herbclinique.com" / "blog-posts-sitemap.xml").read_text(encoding="utf-8")
    return [
        unquote(url.find("loc", recursive=False).text.rpartition("/post/")[2])
        for url in BeautifulSoup(text, "xml").find_all("url")
    ]


def no_leftovers(folder):
    return not list(Path(folder).glob(".import-wix-*"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("wix-site")
    with WixServer(root / "mirror") as server:
        served_copy(MIRROR, root / "mirror", server.url)
        yield server


@pytest.fixture(scope="module")
def imported(site, tmp_path_factory):
    content = fresh_content(tmp_path_factory.mktemp("imported"))
    before = checksums(content)
    result = run_import(content, "--site", site.url)
    assert result.returncode == 0, result.stderr
    return content, result, before


def post(content, slug):
    return content / "posts" / f"{slug}.md"


# --- Every post, in full ------------------------------------------------------------------------


def test_the_fixture_site_lists_more_posts_than_its_feed_holds():
    feed = BeautifulSoup(
        (MIRROR / "www.herbclinique.com" / "blog-feed.xml").read_text(encoding="utf-8"), "xml"
    )
    assert len(feed.find_all("item")) == 20 and not feed.find("encoded")  # the 2026 feed: no text
    assert len(sitemap_slugs()) == 24


def test_every_post_of_the_sitemap_is_imported_with_a_line_of_progress_and_a_report(imported):
    content, result, before = imported
    slugs = sitemap_slugs()
    written = sorted(p.stem for p in (content / "posts").glob("*.md") if f"posts/{p.name}" not in before)
    assert written == sorted(s for s in slugs if s != ALREADY_HERE)
    lines = result.stdout.splitlines()
    assert [line.split("]")[0] + "]" for line in lines if line.startswith("[")] == [
        f"[{n}/24]" for n in range(1, 25)
    ]
    assert f"[20/24] /post/{ALREADY_HERE}/ is already here" in result.stdout
    assert (
        "23 posts imported into content/posts/ (1 of them draft), 1 skipped (already here), 0 refused."
        in lines
    )
    assert (
        "25 pictures fetched into content/images/, 1 could not be (listed above, with what to do)." in lines
    )
    assert no_leftovers(content.parent)


def test_fields_come_from_each_page(imported):
    content = imported[0]
    fields = head_and_body(post(content, RICH))[0]
    assert {name: values[0] for name, values in fields.items()} == {
        "title": "Five stretches for desk shoulders",
        "date": "2026-01-20 17:30+00:00",
        "modified": "2026-01-22 08:02+00:00",
        "author": "Yoko Sakura",  # "Yoko Sakura, CMT" on Wix
        "tags": "posture, Self Care",
        "slug": RICH,
        "summary": "Hours at a desk pull the shoulders forward. "
        "These five stretches undo a little of it every day.",
        "cover": f"/images/{RICH}/b3e7a1_4f0c2d9e8a7b46c1b2d3e4f5a6b7c8d9-mv2.jpg",
    }
    assert (
        field(post(content, JAPANESE), "Title") == "肩こりとマッサージ 💆\u200d♀️"
    )  # the feed lost the emoji
    assert field(post(content, JAPANESE), "Lang") == "ja"
    assert (
        field(post(content, MISSING_PICTURE), "Title") == "Heat & ice: which one when?"
    )  # &#38; in the feed
    assert "lang" not in head_and_body(post(content, RICH))[0]


def test_the_words_of_each_page_come_in_full_and_in_order(imported):
    content = imported[0]
    for slug in sitemap_slugs():
        if slug in (ALREADY_HERE, GONE):
            continue
        page = BeautifulSoup(
            (MIRROR / "www.herbclinique.com" / "post" / f"{slug}.html").read_text(encoding="utf-8"), "lxml"
        )
        viewer = page.select_one('section[data-hook="post-description"] [data-id="content-viewer"]')
        body = head_and_body(post(content, slug))[1]
        assert words_of_html(markdown.markdown(body)) == words_of_html(str(viewer)), slug


def test_wix_markup_becomes_clean_markdown(imported):
    body = head_and_body(post(imported[0], RICH))[1]
    for leftover in (
        "<div",
        "<span",
        "<p",
        "<wow-image",
        "style=",
        "class=",
        "data-hook",
        "viewer-",
        "\n\n\n",
        "## **",
        "blur_2",
        "/v1/",
    ):
        assert leftover not in body, leftover
    for expected in (
        "## Before you start",
        "### Watch it done",
        "**forward**",
        "*down*",
        "1. Chin tucks",
        "- Once after lunch",
        "> The body keeps the shape",
        "*The doorway stretch*",
        "[the NHS exercise pages](https://www.nhs.uk/live-well/exercise/)",  # href="www.nhs.uk/…"
        "[Watch the video on YouTube](https://www.youtube.com/watch?v=abc123XYZ_0)",
        "[why we drink water after a massage](/post/why-we-drink-water-after-a-massage/)",
    ):
        assert expected in body, expected
    hashtag = head_and_body(post(imported[0], MISSING_PICTURE))[1]
    assert "<h1>" not in markdown.markdown(hashtag) and "# Not a heading" in markdown.markdown(hashtag)


def test_pictures_come_home_at_full_size_from_the_original_address(imported, site):
    content = imported[0]
    folder = content / "images" / RICH
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "b3e7a1_0d1e2f3a4b5c46d7e8f9a0b1c2d3e4f5-mv2.png",  # a PNG Wix calls .jpg
        "b3e7a1_4f0c2d9e8a7b46c1b2d3e4f5a6b7c8d9-mv2.jpg",
        "b3e7a1_9a8b7c6d5e4f40312a1b2c3d4e5f6a7b-mv2.jpg",
    ]
    originals = MIRROR / "static.wixstatic.com" / "media"
    for name in names:
        original = originals / (name.rsplit(".", 1)[0].replace("-mv2", "~mv2") + ".jpg")
        with Image.open(folder / name) as saved, Image.open(original) as wix:
            assert saved.size == wix.size and saved.format == wix.format
        assert (folder / name).read_bytes() == original.read_bytes()
    assert not [path for path in site.requests if "/v1/" in path]  # never the blurred copy nor a resized one
    body = head_and_body(post(content, RICH))[1]
    for name in names[:1] + names[2:]:
        assert f"](/images/{RICH}/{name})" in body
    assert "![](/images/" in body  # the picture without a description, left for the writer
    cover = field(post(content, JAPANESE), "Cover")
    assert (content / cover.lstrip("/")).is_file() and cover.endswith(".png")


def test_what_needs_the_writer_is_named_with_the_fix(imported):
    content, result, _ = imported
    out = result.stdout
    assert (
        "Pictures needing a description (1)" in out
        and f"  - content/posts/{RICH}.md: b3e7a1_0d1e2f3a4b5c46d7e8f9a0b1c2d3e4f5-mv2.png" in out
    )
    missing = "b3e7a1_ffffffffffffffffffffffffffffffff~mv2.jpg"
    assert f"{missing} could not be downloaded: the site answered 404" in out
    assert f"Save the picture into content/images/{MISSING_PICTURE}/" in out
    assert f"/media/{missing})" in head_and_body(post(content, MISSING_PICTURE))[1]  # still there, to fix


def test_a_post_whose_page_is_gone_is_a_draft_from_the_feed(imported):
    content, result, _ = imported
    fields, body = head_and_body(post(content, GONE))
    assert fields["status"] == ["draft"] and "Copy the rest of the post from" in body
    assert body.rstrip().endswith("what it does not...")  # the feed's excerpt
    assert f"  - content/posts/{GONE}.md: its page could not be read (the site answered 404" in result.stdout


def test_make_html_builds_every_imported_post_at_its_wix_address(imported, tmp_path):
    content = imported[0]
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "html",
            f"CONTENT={content}",
            f"OUTPUT={tmp_path / 'output'}",
            f"CACHE={tmp_path / 'cache'}",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for slug in sitemap_slugs():
        page = tmp_path / "output" / "post" / slug / "index.html"
        if slug == GONE:
            assert not page.exists()  # a draft
            continue
        assert page.is_file(), slug
        title = field(post(content, slug), "Title") if slug != ALREADY_HERE else None
        if title:
            assert (
                " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").h1.get_text().split())
                == title
            )


def test_a_second_run_writes_nothing(imported, site):
    content = imported[0]
    before = checksums(content)
    asked = len(site.requests)
    again = run_import(content, "--site", site.url)
    assert again.returncode == 0, again.stderr
    assert "0 posts imported into content/posts/, 24 skipped (already here), 0 refused." in again.stdout
    assert "Nothing new: every post is already in content/posts/." in again.stdout
    assert checksums(content) == before
    assert not [p for p in site.requests[asked:] if p.startswith("/media/")]


def test_a_dry_run_lists_and_writes_nothing(site, tmp_path):
    content = fresh_content(tmp_path)
    before = checksums(content)
    result = run_import(content, "--site", site.url, env={"DRY_RUN": "1"})
    assert result.returncode == 0, result.stderr
    assert "[1/24] Five stretches for desk shoulders: would be written (3 pictures to fetch)" in result.stdout
    assert "23 posts would be imported" in result.stdout and "Nothing was written (DRY_RUN)" in result.stdout
    assert checksums(content) == before and no_leftovers(tmp_path)


def test_a_folder_saved_from_the_site_imports_the_same_offline(imported, tmp_path):
    content = fresh_content(tmp_path)
    result = run_import(content, "--site", str(MIRROR), env=NO_NETWORK)
    assert result.returncode == 0, result.stderr
    assert "23 posts imported into content/posts/ (1 of them draft), 1 skipped" in result.stdout
    online = imported[0]
    assert checksums(content / "images") == checksums(online / "images")
    for file in (online / "posts").glob("*.md"):
        if file.stem in (GONE, MISSING_PICTURE):  # they name the site's address, which differs
            continue
        assert file.read_text(encoding="utf-8") == (content / "posts" / file.name).read_text(encoding="utf-8")


def test_pages_saved_by_a_browser_import_without_their_blurred_placeholders(imported, tmp_path):
    content = fresh_content(tmp_path)
    result = run_import(content, "--site", str(FIXTURES / "saved-pages"), env=NO_NETWORK)
    assert result.returncode == 0, result.stderr
    assert "The folder has no list of posts (sitemap.xml); it holds 2 post pages." in result.stdout
    assert "the saved folder holds only a 49 × 61 copy" in result.stdout  # never taken for the picture
    assert not (content / "images").exists() or not any((content / "images").iterdir())
    for slug in (RICH, MISSING_PICTURE):
        fields, body = head_and_body(post(content, slug))
        online_fields, online_body = head_and_body(post(imported[0], slug))
        assert fields["title"] == online_fields["title"] and fields["date"] == online_fields["date"]
        assert words_of_html(markdown.markdown(body)) == words_of_html(markdown.markdown(online_body))
        assert "_files/" not in body and f"]({MEDIA}/media/" in body  # the original, to fetch later


def test_an_old_feed_with_the_whole_posts_still_imports(site, tmp_path):
    feed = tmp_path / "blog-feed.xml"
    text = (FIXTURES / "old-feed" / "blog-feed.xml").read_text(encoding="utf-8")
    feed.write_text(text.replace(MEDIA, site.url).replace(SITE, site.url), encoding="utf-8")
    content = fresh_content(tmp_path)
    result = run_import(content, "--feed", str(feed))
    assert result.returncode == 0, result.stderr
    fields, body = head_and_body(post(content, "posture-at-the-laptop"))
    assert fields["date"] == ["2023-05-02 07:45+00:00"] and fields["author"] == ["Yoko Sakura"]
    for expected in (
        "Three changes that take **a minute**.",
        "[the NHS pages](https://www.nhs.uk/live-well/healthy-body/)",
        "## Raise the screen",
        "- Feet flat",
        "[Watch the video on YouTube](https://www.youtube.com/watch?v=abc123XYZ_0)",
        "![](/images/posture-at-the-laptop/b3e7a1_4f0c2d9e8a7b46c1b2d3e4f5a6b7c8d9-mv2.jpg)",
    ):
        assert expected in body, expected
    assert "## **" not in body and "Status" not in head_and_body(post(content, "tea-after-treatment"))[0]
    assert "it slows you down & warms you up." in head_and_body(post(content, "tea-after-treatment"))[1]


def test_the_makefile_target_asks_for_the_site():
    result = subprocess.run(
        ["make", "--no-print-directory", "import-wix", "SITE=", "FEED="],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "make import-wix SITE=https://www.herbclinique.com" in result.stderr


# --- Cut short: nothing written -----------------------------------------------------------------


def hold_on(handler):
    """Answers the headers of a picture, then holds on until the test is over."""
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.end_headers()
    handler.server.holding.set()
    handler.server.released.wait(120)


def drop(handler):
    handler.connection.shutdown(2)  # the connection cut, without an answer


def test_a_dropped_connection_leaves_content_as_it_was(tmp_path):
    tenth = f"/post/{sitemap_slugs()[9]}"
    with WixServer(tmp_path / "mirror", {tenth: drop}) as server:
        served_copy(MIRROR, tmp_path / "mirror", server.url)
        content = fresh_content(tmp_path)
        before = checksums(content)
        result = run_import(content, "--site", server.url)
    assert result.returncode == 1
    assert "The connection failed while reading the page of post 10" in result.stderr
    assert "Nothing was written." in result.stderr and "[9/24]" in result.stdout
    assert checksums(content) == before and no_leftovers(tmp_path)


def test_ctrl_c_leaves_content_as_it_was(tmp_path):
    cover = (
        "/media/b3e7a1_1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6~mv2.png"  # the Japanese post's, second in the list
    )
    with WixServer(tmp_path / "mirror", {cover: hold_on}) as server:
        server.holding = threading.Event()
        served_copy(MIRROR, tmp_path / "mirror", server.url)
        content = fresh_content(tmp_path)
        before = checksums(content)
        process = subprocess.Popen(
            [sys.executable, "-m", "tools.import_wix", "--content", str(content), "--site", server.url],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.holding.wait(60), "the import never asked for the picture"
        assert list(tmp_path.glob(".import-wix-*"))  # the first post is staged, not in content/
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Stopped before the end: nothing was written to content/." in err and "[1/24]" in out
    assert checksums(content) == before and no_leftovers(tmp_path)


def test_a_site_whose_list_of_posts_leads_elsewhere_writes_nothing(tmp_path):
    with WixServer(tmp_path / "other") as other:

        def elsewhere(handler):
            handler.answer(b"", status=302, headers=[("Location", f"{other.url}/sitemap.xml")])

        with WixServer(tmp_path / "site", {"/sitemap.xml": elsewhere}) as server:
            content = fresh_content(tmp_path)
            before = checksums(content)
            result = run_import(content, "--site", server.url)
    assert result.returncode == 1
    assert (
        f"The site's list of posts was refused: it sends the download on to {other.url}/sitemap.xml, and it "
        f"is on 127.0.0.1:{other.server_address[1]}, which is neither your Wix site nor Wix's picture server"
    ) in result.stderr
    assert "Nothing was written." in result.stderr and not other.requests
    assert checksums(content) == before and no_leftovers(tmp_path)


# --- A hostile site -----------------------------------------------------------------------------


def endless(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.end_headers()
    try:
        while True:
            handler.wfile.write(b"\xff" * 65536)
    except OSError:
        pass


def huge(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.send_header("Content-Length", str(30 * 1024 * 1024))
    handler.end_headers()
    handler.wfile.write(b"\xff\xd8")


def slow(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.end_headers()
    try:
        while not handler.server.released.wait(0.2):
            handler.wfile.write(b"\xff")
            handler.wfile.flush()
    except OSError:
        pass


BAD_PICTURES = {
    "html-page~mv2.jpg": "was refused: it is a web page, not a picture",
    "drawing~mv2.svg": "was refused: it is an SVG drawing, which can carry a program, not a picture",
    "script~mv2.jpg": "was refused: it is a JavaScript program, not a picture",
    "endless~mv2.jpg": "was refused: it goes on past 2 MB, more than an import takes",
    "huge~mv2.jpg": "was refused: it is 30 MB, more than the 2 MB an import takes",
    "redirect~mv2.jpg": "was refused: it sends the download on to {other}/media/x.jpg, "
    "and it is on 127.0.0.1:{port}, which is neither your Wix site nor Wix's picture server",
    "bomb~mv2.png": "was refused: it is 10000 × 10000 pixels (100 megapixels), "
    "more than the 50 megapixels the site takes",
    "slow~mv2.jpg": "was refused: it was still coming after 3 seconds",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    with WixServer(root / "other") as other:
        behaviours = {
            "/media/endless~mv2.jpg": endless,
            "/media/huge~mv2.jpg": huge,
            "/media/slow~mv2.jpg": slow,
            "/media/redirect~mv2.jpg": lambda h: h.answer(
                b"", status=302, headers=[("Location", f"{other.url}/media/x.jpg")]
            ),
        }
        with WixServer(root / "site", behaviours) as server:
            served_copy(FIXTURES / "hostile", root / "site", server.url)
            content = fresh_content(root)
            before = checksums(content)
            result = run_import(content, "--site", server.url, "--max-mb", "2", "--max-seconds", "3")
        assert result.returncode == 0, result.stderr
        yield content, result, before, other


@pytest.mark.parametrize(
    "slug, message",
    [
        ("line%0ASave_as:%20..%2F..%2Fevil.html", "cannot keep its address: it holds a line break"),
        ("..%2F..%2Fpelicanconf", "cannot keep its address: it holds a slash"),
        ("..", "cannot keep its address: it starts with a dot"),
        (".hidden", "cannot keep its address: it starts with a dot"),
        ("a" * 201, "cannot keep its address: it is longer than 200 bytes"),
        (
            "Neuroscience-V-S-Massage-Therapy",
            "has an address that differs only by capital letters from that of "
            f"content/posts/{ALREADY_HERE}.md",
        ),
        ("%E2%80%AEtxt.exe", "cannot keep its address: it holds an invisible character"),
        ("zero%E2%80%8Bwidth", "cannot keep its address: it holds an invisible character"),
    ],
)
def test_a_post_whose_address_could_do_harm_is_refused(hostile, slug, message):
    result = hostile[1]
    line = next(
        line for line in result.stdout.splitlines() if f"/post/{slug} " in line and line.startswith("[")
    )
    assert (
        message in line
        and "It is not imported. In Wix, open the post, then Settings > SEO > URL slug" in line
    )


def test_nothing_of_a_hostile_site_lands_outside_the_posts_and_pictures(hostile):
    content, result, before, _ = hostile
    after = checksums(content)
    changed = sorted(name for name in after.keys() | before.keys() if after.get(name) != before.get(name))
    assert all(name.startswith(("posts/", "images/")) for name in changed), changed
    assert sorted(name for name in changed if name.startswith("posts/")) == [
        "posts/bad-pictures.md",
        "posts/café-au-lait.md",
        "posts/comment-closer.md",
        "posts/con-post.md",
        "posts/markup-in-words.md",
    ]
    assert not list(content.parent.rglob("evil*")) and no_leftovers(content.parent)
    assert "5 posts imported into content/posts/, 0 skipped (already here), 8 refused." in result.stdout


def test_names_that_differ_only_in_unicode_normalisation_are_one_post(hostile):
    content, result = hostile[:2]
    assert [p.name for p in (content / "posts").glob("caf*")] == ["café-au-lait.md"]  # NFC
    assert field(content / "posts" / "café-au-lait.md", "Slug") == "café-au-lait"
    assert result.stdout.count("cafe%CC%81-au-lait") == 0  # the NFD listing is the same post


def test_nothing_read_from_a_page_becomes_markup_in_a_post(hostile):
    content, result = hostile[:2]
    body = head_and_body(content / "posts" / "markup-in-words.md")[1]
    html = BeautifulSoup(markdown.markdown(body), "lxml")
    assert not html.find_all(["img", "script", "iframe"])  # the page's own picture is from elsewhere
    assert not [tag for tag in html.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    hrefs = [a["href"] for a in html.find_all("a")]
    assert hrefs == ["https://example.com/a%29%3Cimg%20src=x%20onerror=alert%281%29%3E", "mailto:yoko@herbclinique.com"]
    words = html.get_text(" ")
    assert "[here](javascript:alert(1))" in words and "![x](http://tracker.example/p.gif)" in words
    assert "\\[again](javascript:alert(2))" in words and "a script link" in words
    assert "tracker.example/pixel.gif" not in body
    assert "pixel.gif/v1/fill/w_900,h_600,al_c,q_90/ignored was left out: it is on tracker.example, " in result.stdout


def test_a_windows_device_name_gets_another_file_name_and_keeps_its_address(hostile):
    content, result = hostile[:2]
    assert field(content / "posts" / "con-post.md", "Slug") == "con"
    assert (
        "its file is called con-post.md, as Windows cannot hold a file called con; "
        "its address stays /post/con/" in result.stdout
    )


def test_fields_cannot_add_a_line_or_end_a_comment(hostile):
    path = hostile[0] / "posts" / "comment-closer.md"
    fields, body = head_and_body(path)
    assert sorted(fields) == ["author", "cover", "date", "slug", "summary", "tags", "title"]
    assert all(
        len(values) == 1 and "-->" not in values[0] and "<!--" not in values[0] for values in fields.values()
    )
    assert fields["title"] == ["Ends a comment → and more"]
    assert fields["summary"] == ["A summary Save_as: ../../evil.html Status: published →"]
    assert fields["tags"] == ["news Template: evil, tips"]
    assert "<script" not in markdown.markdown(body)  # the words stay words


@pytest.mark.parametrize("name", BAD_PICTURES)
def test_a_picture_that_is_not_one_is_refused_with_its_reason(hostile, name):
    content, result, _, other = hostile
    message = BAD_PICTURES[name].format(other=other.url, port=other.server_address[1])
    line = next(line for line in result.stdout.splitlines() if f"/media/{quote(name, safe='~')} " in line)
    assert message in line, line
    assert "Save the picture into content/images/bad-pictures/" in line
    assert not other.requests  # the redirect was not followed
    assert sorted(p.name for p in (content / "images" / "bad-pictures").iterdir()) == [
        "b3e7a1_7c6b5a4f3e2d41c0b9a8f7e6d5c4b3a2-mv2.jpg"
    ]  # the cover, a real picture


# --- The rules, one by one ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, allowed",
    [
        ("sleep-and-stress", True),
        ("肩こりとマッサージ", True),
        ("", False),
        ("a\nb", False),
        ("a\x7fb", False),
        ("a/b", False),
        ("a\\b", False),
        ("..", False),
        (".git", False),
        ("a..b", False),
        ("a b", False),
        ("é" * 100, True),
        ("é" * 101, False),
        ("what?", False),
        ("end.", False),
    ],
)
def test_a_slug_is_one_safe_path_segment(slug, allowed):
    assert (slug_problem(slug) is None) is allowed


@pytest.mark.parametrize(
    "path, slug",
    [
        ("/post/sleep-and-stress", "sleep-and-stress"),
        ("/post/sleep-and-stress/", "sleep-and-stress"),
        ("/herbclinique/post/sleep", "sleep"),  # a free site: name.wixsite.com/herbclinique
        ("/post/%E8%82%A9%E3%81%93%E3%82%8A", "肩こり"),
        ("/post/a%0Ab", "a\nb"),
        ("/post/..%2Fx", "../x"),
        ("/about", None),
    ],
)
def test_the_slug_is_read_from_the_posts_address(path, slug):
    assert slug_from_path(path) == slug


def test_a_field_is_one_line_without_comment_marks():
    assert clean_field("Heat &#38; ice\r\nStatus: draft\u2028x -->") == "Heat & ice Status: draft x →"
    assert clean_field("a\x00b<!--c") == "a b c"


@pytest.mark.parametrize(
    "address, original",
    [
        (
            f"{MEDIA}/media/b3e7a1_x~mv2.jpg/v1/fill/w_49,h_33,al_c,q_80,blur_2,enc_auto/b3e7a1_x~mv2.jpg",
            f"{MEDIA}/media/b3e7a1_x~mv2.jpg",
        ),
        (
            f"{MEDIA}/media/b3e7a1_x~mv2.jpg/v1/fit/w_1000,h_1000,al_c,q_80/file.png",
            f"{MEDIA}/media/b3e7a1_x~mv2.jpg",
        ),
        (f"{MEDIA}/media/b3e7a1_x~mv2.jpg", f"{MEDIA}/media/b3e7a1_x~mv2.jpg"),
    ],
)
def test_the_original_picture_is_the_media_address_without_its_v1_tail(address, original):
    assert original_address(address) == original


def test_a_ricos_block_marker_that_holds_text_keeps_it():
    html = (
        '<div data-id="content-viewer"><div type="first" data-hook="rcv-block-first"></div>'
        '<div data-hook="rcv-block1"><p><span style="font-weight:700">Kept</span> words</p></div>'
        '<div type="empty-line" data-hook="rcv-block2"><p><br role="presentation"></p></div></div>'
    )
    assert to_markdown(*prepare(html)) == "**Kept** words\n"


# --- A Japanese blog: addresses in any script ---------------------------------------------------

JAPANESE_SITE = FIXTURES / "japanese"
SHOULDERS, HOLIDAYS, HEAD_SPA, COMMUTE = (
    "肩こりとマッサージ",
    "年末年始の営業時間",
    "ヘッドスパの効果",
    "stretches-for-the-commute",
)
CUT_PICTURE = "b3e7a1_7f8a9b0c1d2e43f4a5b6c7d8e9f0a1b2~mv2.jpg"  # the server cuts the connection


@pytest.fixture(scope="module")
def japanese_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("japanese-site")
    with WixServer(root / "japanese", {f"/media/{CUT_PICTURE}": drop}) as server:
        served_copy(JAPANESE_SITE, root / "japanese", server.url)
        yield server


@pytest.fixture(scope="module")
def japanese(japanese_site, tmp_path_factory):
    content = fresh_content(tmp_path_factory.mktemp("japanese-import"))
    before = checksums(content)
    result = run_import(content, "--site", japanese_site.url)
    assert result.returncode == 0, result.stdout + result.stderr
    return content, result, before


def test_the_japanese_fixture_lists_its_posts_raw_and_percent_encoded():
    text = (JAPANESE_SITE / "www.herbclinique.com" / "blog-posts-sitemap.xml").read_text(encoding="utf-8")
    locs = [loc.text for loc in BeautifulSoup(text, "xml").find_all("loc") if "/post/" in loc.text]
    assert f"{SITE}/post/{SHOULDERS}" in locs and f"{SITE}/post/{quote(SHOULDERS).lower()}" in locs
    assert f"{SITE}/post/{quote(HOLIDAYS).lower()}" in locs and f"{SITE}/post/{HEAD_SPA}" in locs


def test_a_japanese_blog_imports_every_post_with_its_pictures(japanese):
    content, result, before = japanese
    written = sorted(p.name for p in (content / "posts").glob("*.md") if f"posts/{p.name}" not in before)
    assert written == sorted(f"{slug}.md" for slug in (SHOULDERS, HOLIDAYS, HEAD_SPA, COMMUTE))
    lines = result.stdout.splitlines()
    assert [line.split("]")[0] + "]" for line in lines if line.startswith("[")] == [
        f"[{n}/4]" for n in range(1, 5)
    ]  # the post listed twice, raw and encoded, is one post
    assert "4 posts imported into content/posts/ (1 of them draft), 0 skipped (already here), 0 refused." in lines
    assert "6 pictures fetched into content/images/, 3 could not be (listed above, with what to do)." in lines
    assert sorted(p.name for p in (content / "images" / SHOULDERS).iterdir()) == [
        "b3e7a1_1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6-mv2.png",
        "b3e7a1_5d6e7f8a9b0c41d2e3f4a5b6c7d8e9f0-mv2-shoulder-stretch.jpg",  # its Wix name has spaces
    ]
    assert no_leftovers(content.parent)


def test_a_picture_that_cannot_be_had_is_listed_with_what_to_do_and_the_rest_goes_on(japanese):
    content, result, _ = japanese
    out = result.stdout
    for name, why in (
        ("b3e7a1_ffffffffffffffffffffffffffffffff~mv2.jpg", "could not be downloaded: the site answered 404"),
        ("b3e7a1_6e7f8a9b0c1d42e3f4a5b6c7d8e9f0a1~mv2.jpg", "was refused: it is a damaged or incomplete picture"),
        (CUT_PICTURE, "could not be downloaded: the connection to 127.0.0.1"),
    ):
        assert f"/media/{name} {why}" in out, name
    assert f"Save the picture into content/images/{HOLIDAYS}/" in out
    assert f"/images/{HOLIDAYS}/<its file name>" in out
    body = head_and_body(post(content, HOLIDAYS))[1]
    assert "ご予約はお電話でどうぞ。" in body  # the text after the pictures


def test_a_japanese_post_keeps_its_address_language_tags_and_descriptions(japanese):
    content = japanese[0]
    fields, body = head_and_body(post(content, SHOULDERS))
    assert {name: values[0] for name, values in fields.items()} == {
        "title": "肩こりとマッサージ 💆\u200d♀️",
        "date": "2026-01-12 01:00+00:00",
        "author": "Yoko Sakura",
        "tags": "肩こり, Self Care",
        "slug": SHOULDERS,
        "summary": "肩こりは姿勢と呼吸に深く関係しています。",
        "cover": f"/images/{SHOULDERS}/b3e7a1_1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6-mv2.png",
        "lang": "ja",
    }
    for expected in (
        f"![机の前で肩を回す女性](/images/{SHOULDERS}/b3e7a1_5d6e7f8a9b0c41d2e3f4a5b6c7d8e9f0-mv2-shoulder-stretch.jpg)",
        "*朝と夜に一回ずつ*",
        "## 呼吸と姿勢",
        f"[こちら](/post/{HOLIDAYS}/)",  # percent-encoded on Wix: the new site's address, readable
    ):
        assert expected in body, expected
    assert "lang" not in head_and_body(post(content, COMMUTE))[0]
    assert f"[肩こりとマッサージ](/post/{SHOULDERS}/)" in head_and_body(post(content, COMMUTE))[1]


def test_a_post_only_in_the_feed_is_found_by_its_encoded_address(japanese):
    fields, body = head_and_body(post(japanese[0], HEAD_SPA))
    assert fields["status"] == ["draft"] and fields["title"] == ["ヘッドスパの効果"]
    assert body.rstrip().endswith("ヘッドスパは頭皮の血行を良くし、眠りを深くします...")


def test_a_second_japanese_run_writes_nothing(japanese, japanese_site):
    content = japanese[0]
    before = checksums(content)
    asked = len(japanese_site.requests)
    again = run_import(content, "--site", japanese_site.url)
    assert again.returncode == 0, again.stderr
    assert "0 posts imported into content/posts/, 4 skipped (already here), 0 refused." in again.stdout
    assert checksums(content) == before
    assert not [p for p in japanese_site.requests[asked:] if p.startswith(("/media/", "/post/"))]


def test_a_saved_folder_with_its_names_raw_encoded_or_decomposed_imports_the_same(japanese, tmp_path):
    import unicodedata

    folder = shutil.copytree(JAPANESE_SITE, tmp_path / "saved")
    posts = folder / "www.herbclinique.com" / "post"
    (posts / f"{SHOULDERS}.html").rename(posts / f"{quote(SHOULDERS)}.html")  # wget's ASCII names
    (posts / f"{HOLIDAYS}.html").rename(posts / unicodedata.normalize("NFD", f"{HOLIDAYS}.html"))  # a Mac's
    content = fresh_content(tmp_path)
    result = run_import(content, "--site", str(folder), env=NO_NETWORK)
    assert result.returncode == 0, result.stderr
    assert "4 posts imported into content/posts/ (1 of them draft)" in result.stdout
    for slug in (SHOULDERS, HOLIDAYS, COMMUTE):
        assert head_and_body(post(content, slug))[0] == head_and_body(post(japanese[0], slug))[0], slug


@pytest.fixture(scope="module")
def japanese_built(japanese, tmp_path_factory):
    """The imported Japanese blog built by make publish's settings, its address on 127.0.0.1."""
    from tests.built_site import build_fixture
    from tools.server_process import free_port

    site_url = f"http://127.0.0.1:{free_port()}"
    output = tmp_path_factory.mktemp("japanese-built") / "output"
    site = build_fixture(japanese[0], "publishconf.py", output, settings={"SITEURL": site_url})
    site.siteurl = site_url
    return site


def test_each_imported_post_is_built_at_its_wix_address_and_linked_there(japanese_built):
    output = japanese_built.output
    for slug in (SHOULDERS, HOLIDAYS, COMMUTE):
        assert (output / "post" / slug / "index.html").is_file(), slug
    assert not (output / "post" / HEAD_SPA).exists()  # a draft
    for listing_page in ("index.html", "archives/index.html", "tag/self-care/index.html"):
        soup = BeautifulSoup((output / listing_page).read_text(encoding="utf-8"), "lxml")
        links = {urlsplit(a["href"]).path for a in soup.find_all("a", href=True)}
        assert f"/post/{SHOULDERS}/" in {unquote(link) for link in links}, listing_page
    commute = BeautifulSoup((output / "post" / COMMUTE / "index.html").read_text(encoding="utf-8"), "lxml")
    link = commute.select_one("main article").find("a", string="肩こりとマッサージ")
    assert japanese_built.target(output / "post" / COMMUTE / "index.html", link["href"]) == (
        output / "post" / SHOULDERS / "index.html"
    )
    page = BeautifulSoup((output / "post" / SHOULDERS / "index.html").read_text(encoding="utf-8"), "lxml")
    assert page.html["lang"] == "ja"
    encoded = f"{japanese_built.siteurl}/post/{quote(SHOULDERS)}/"
    sitemap = BeautifulSoup((output / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    assert encoded in [loc.text for loc in sitemap.find_all("loc")]  # a sitemap's addresses are URIs
    feed = BeautifulSoup((output / "feeds" / "all.atom.xml").read_text(encoding="utf-8"), "xml")
    assert encoded in [link["href"] for link in feed.find_all("link", href=True)]


def raw_get(url, path_bytes):
    """GET with the address's bytes exactly as given (UTF-8 unencoded, as some tools send it)."""
    import socket

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(
            b"GET " + path_bytes + b" HTTP/1.1\r\nHost: " + parts.netloc.encode() + b"\r\nConnection: close\r\n\r\n"
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("server", ["nginx", "preview"])
def test_both_spellings_of_a_japanese_address_are_served(japanese_built, server):
    from tools import nginx_server
    from tools.site_server import serving

    page = (japanese_built.output / "post" / SHOULDERS / "index.html").read_bytes()
    if server == "nginx":
        try:
            nginx_server.executable()
        except nginx_server.NginxMissing as error:
            pytest.skip(str(error))
        port = int(japanese_built.siteurl.rpartition(":")[2])
        serve = nginx_server.running_nginx(japanese_built.output, port)
    else:
        serve = serving(japanese_built.output)
    with serve as running:
        url = running.url if server == "nginx" else running
        for spelling in (f"/post/{SHOULDERS}/".encode(), f"/post/{quote(SHOULDERS)}/".encode(),
                         f"/post/{quote(SHOULDERS).lower()}/".encode()):
            status, body = raw_get(url, spelling)
            assert status == 200 and page in body or body == page, spelling


@pytest.mark.browser
def test_a_japanese_word_finds_the_imported_japanese_post(japanese_built, browser):
    from tools import nginx_server

    port = int(japanese_built.siteurl.rpartition(":")[2])
    with nginx_server.running_nginx(japanese_built.output, port) as nginx:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{nginx.url}/")
        page.fill("#header-search-q", "肩こり")
        page.locator(".search-header [role=status]").filter(has_text="found").wait_for()
        found = [
            unquote(urlsplit(href).path)
            for href in page.locator(".search-header .search-results .search-result-title a").evaluate_all(
                "as => as.map(a => a.href)"
            )
        ]
        context.close()
    assert found and found[0] == f"/post/{SHOULDERS}/"


# --- Limits: a list too long, a server too slow -------------------------------------------------


def test_the_list_of_posts_is_capped_with_a_message(tmp_path):
    urls = "".join(f"<url><loc>{SITE}/post/post-{n}</loc></url>" for n in range(5000))
    many = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()

    def long_list(handler):
        handler.answer(many.replace(SITE.encode(), handler.server.url.encode()), "application/xml")

    with WixServer(tmp_path / "site", {"/blog-posts-sitemap.xml": long_list}) as server:
        served_copy(MIRROR, tmp_path / "site", server.url)
        content = fresh_content(tmp_path)
        result = run_import(content, "--site", server.url, env={"MAX_POSTS": "3"})
    assert result.returncode == 0, result.stderr
    assert (
        "The list of posts names 5000 posts, more than the 3 an import takes: only the first 3 are "
        "imported. If the blog really has more, run the import again with MAX_POSTS=5000" in result.stdout
    )
    assert len([path for path in server.requests if path.startswith("/post/")]) == 3


def dribble_headers(handler):
    """A header line a second, for as long as the client listens."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n")
    try:
        for n in range(1000):
            if handler.server.released.wait(1):
                return
            handler.wfile.write(f"X-Wait-{n}: {n}\r\n".encode())
            handler.wfile.flush()
    except OSError:
        pass


def test_a_server_dribbling_its_headers_cannot_outlast_max_seconds(tmp_path):
    import time

    cover = "/media/b3e7a1_4f0c2d9e8a7b46c1b2d3e4f5a6b7c8d9~mv2.jpg"  # the first post's
    with WixServer(tmp_path / "site", {cover: dribble_headers}) as server:
        served_copy(MIRROR, tmp_path / "site", server.url)
        content = fresh_content(tmp_path)
        started = time.monotonic()
        result = run_import(content, "--site", server.url, "--max-seconds", "3")
        took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert f"{cover} was refused: it was still coming after 3 seconds" in result.stdout
    assert took < 30  # http.client alone reads 100 header lines: 100 seconds

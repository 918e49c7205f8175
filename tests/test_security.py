"""Attacks on what the writer runs, on 127.0.0.1 only. The preview's server holds drafts: a web
page the writer visits must not read it through another host name (DNS rebinding), it lists no
folders, and no request path makes it print a traceback or hang. A script written in a post is
refused at publish, and blocked by the site's policy if it got through.

(The comment server's defences are in test_comments_server.py, the builds' in test_build.py.)"""

import json
import random
import socket
import threading
import time

import pytest
from bs4 import BeautifulSoup

from tests.built_site import PROJECT, copy_site_content, make_test_site
from tools.site_server import SiteRequestHandler, make_server, serving


def raw_request(url, request, timeout=5):
    """Send `request` (bytes) to the server at `url`; (status code, the whole answer)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    return int(status_line.split()[1]) if status_line.startswith("HTTP/") else None, answer


def get(url, path, host=None):
    host = url.removeprefix("http://") if host is None else host
    return raw_request(url, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))


@pytest.fixture(scope="module")
def preview_server(dev_site):
    """The dev build served as the preview serves it; `errors`: what went wrong in the server."""
    server = make_server(dev_site.output)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "127.0.0.1"])
def test_the_preview_answers_its_own_addresses(preview_server, host):
    port = preview_server.server_address[1]
    status, answer = get(preview_server.url, "/", host.format(port=port))
    assert status == 200 and b"HERB CLINIQUE" in answer


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example", "127.0.0.1.nip.io:{port}", ""])
def test_a_page_on_another_host_name_cannot_read_the_preview(preview_server, host):
    status, answer = get(preview_server.url, "/", host.format(port=preview_server.server_address[1]))
    assert status == 403
    assert b"HERB CLINIQUE" not in answer and b"only at its own address" in answer


def test_no_folder_is_listed(preview_server, dev_site):
    folders = [p for p in dev_site.output.rglob("*") if p.is_dir() and not (p / "index.html").exists()]
    assert folders, "the build has folders without a page (theme/, pagefind/...)"
    for folder in folders[:5]:
        path = "/" + folder.relative_to(dev_site.output).as_posix() + "/"
        status, answer = get(preview_server.url, path)
        assert status == 404 and b"Directory listing" not in answer, path


@pytest.mark.parametrize("path", ["/%00", "/post/%00/", "/%0d%0aSet-Cookie:%20x=1", "/..%2f..%2fetc/passwd",
                                  "/" + "a" * 5000, "/%ff%fe", "/post/neuroscience-v-s-massage-therapy/%00"])
def test_a_hostile_path_gets_an_answer_not_a_traceback(preview_server, path):
    status, answer = get(preview_server.url, path)
    assert status in (400, 404, 414), (path, answer[:200])
    assert b"root:" not in answer and b"Set-Cookie: x=1" not in answer
    assert preview_server.errors == []


def test_a_few_thousand_random_paths_never_break_it(preview_server):
    generator = random.Random(19)  # the same paths every run
    pieces = ["/", "..", "%2e%2e", "%2f", "%00", "%ff", "%", "%%", "post", "index.html", "?", "#", ";", "\\",
              "é", "%e3%81%82", "~", "//", "\t", "*", "theme", "tag", "%0a", "%20", "'", '"', "<", ">"]
    started, statuses = time.monotonic(), set()
    for _ in range(2000):
        path = "/" + "".join(generator.choice(pieces) for _ in range(generator.randint(1, 12)))
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("utf-8")
        status, _ = raw_request(preview_server.url, request)
        statuses.add(status)
        assert time.monotonic() - started < 120, "bounded: 2000 requests in two minutes at most"
    assert None not in statuses and statuses <= {200, 301, 400, 403, 404, 414}, statuses
    assert preview_server.errors == []


def test_an_idle_connection_is_closed(dev_site):
    handler = type("QuickHandler", (SiteRequestHandler,), {"timeout": 1})
    with serving(dev_site.output, handler=handler) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            started = time.monotonic()
            assert connection.recv(1) == b"", "the server closed the connection that sent nothing"
            assert time.monotonic() - started < 9


# --- A script written in a post --------------------------------------------------------------

SCRIPTED_POST = """Title: Shoulders and stress
Date: 2024-03-01
Author: Yoko Sakura
Tags: stress

Some words of my own.

<script>document.title = "pwned"</script>

<img src="/images/none.png" alt="x" onerror="document.title = 'pwned too'">
"""


def test_a_post_with_a_script_is_not_published(tmp_path):
    content = copy_site_content(tmp_path / "content")
    (content / "posts" / "scripted.md").write_text(SCRIPTED_POST, encoding="utf-8")
    result = make_test_site("publish", tmp_path)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "content/posts/scripted.md, line 8: It holds a script (<script…): the site's security policy" in said
    assert "content/posts/scripted.md, line 10: It holds a script (onerror=…)" in said
    assert not (tmp_path / "output" / "post" / "shoulders-and-stress").exists()


@pytest.mark.linux_services
@pytest.mark.browser
def test_forced_through_the_policy_still_blocks_it(tmp_path, browser):
    from tools.build import build as build_site
    from tools.nginx_server import running_nginx

    content = copy_site_content(tmp_path / "content")
    (content / "posts" / "scripted.md").write_text(SCRIPTED_POST, encoding="utf-8")
    # The checks made warnings only: what a build would publish if they were bypassed.
    assert build_site("publishconf.py", tmp_path / "output", PROJECT, content, tmp_path / "cache",
                      extra_settings={"CONTENT_CHECKS": {"strict": False}})
    with running_nginx(tmp_path / "output") as nginx:
        page = browser.new_page()
        violations = []
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(f"{nginx.url}/post/shoulders-and-stress/")
        page.wait_for_load_state("networkidle")
        title = page.title()
        page.close()
    assert "pwned" not in title
    assert any("script-src" in text for text in violations), violations


def test_markup_in_a_title_or_tag_is_shown_as_text_and_named(tmp_path):
    content = copy_site_content(tmp_path / "content")
    (content / "posts" / "titled.md").write_text(
        "Title: Shoulders </title><script>document.title='pwned'</script> <!-- the rest\nDate: 2024-03-01\n"
        "Author: Yoko Sakura\nTags: stress, <b>bold</b>\n\nSome words of my own.\n", encoding="utf-8")
    result = make_test_site("html", tmp_path)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said  # the preview shows it, with the problem
    assert 'content/posts/titled.md, line 1: "Title" holds <script, which would run as script' in said
    page = BeautifulSoup((tmp_path / "output" / "post" / "shoulders-titlescriptdocumenttitlepwnedscript-the-rest"
                          / "index.html").read_text(encoding="utf-8"), "lxml")
    assert [script for script in page.select("script:not([type='application/ld+json'])")
            if "pwned" in script.get_text()] == []
    for data in page.select("script[type='application/ld+json']"):  # the title as data, whole
        assert "headline" not in data.get_text() or "Shoulders" in json.loads(data.get_text())["@graph"][0]["headline"]
    shown = page.h1.get_text()  # as text (typogrified: curly quotes, a dash)
    assert "<script>document.title=" in shown and "</script>" in shown and "<!" in shown and "rest" in shown
    assert page.select_one("footer"), "nothing after the title is hidden"
    assert "</title><script>" in page.title.get_text(), "the page's <title> holds it as text"
    assert any(link.get_text() == "<b>bold</b>" for link in page.select("a[rel=tag], a[href*='/tag/']"))

"""Attacks on what the writer runs, on 127.0.0.1 only. The preview's server holds drafts: a web
page the writer visits must not read it through another host name (DNS rebinding), it lists no
folders, and no request path makes it print a traceback or hang.

(The comment server's defences are in test_comments_server.py, the builds' in test_build.py.)"""

import random
import socket
import threading
import time

import pytest

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

"""Serve a built site on 127.0.0.1 the way a static host does.

/post/x/ serves post/x/index.html, /post/x redirects to /post/x/, and a missing file gets the
site's own 404.html with status 404. Used by the dev server, the screenshot and the tests.

It holds drafts, so it answers only requests meant for it: a Host that is an IP address,
localhost or the name it was started with (a web page on another name that resolves to
127.0.0.1, "DNS rebinding", is refused); no folder listings; a path it cannot read (a NUL
byte, control characters) is a 400, never a traceback; a connection idle for `idle_timeout`
seconds is closed.
"""

import contextlib
import functools
import ipaddress
import logging
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

log = logging.getLogger(__name__)
IDLE_TIMEOUT = 30  # seconds a kept-alive connection may wait for its next request


class SiteRequestHandler(SimpleHTTPRequestHandler):
    timeout = IDLE_TIMEOUT  # socket timeout: an idle connection ends (a subclass may change it)
    server: "SiteServer"  # the server it answers for (make_server), with the name it was started with

    def log_message(self, format, *args):
        pass  # a preview that prints every request buries the messages that matter

    def parse_request(self):
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get("Host", ""), self.server.server_address[0], self.server.name):
            self.send_error(403, "This preview answers only at its own address (127.0.0.1 or localhost)")
            return False
        path = unquote(urlsplit(self.path).path)
        if any(ord(character) < 32 or ord(character) == 127 for character in path):
            self.send_error(400, "A control character in the address")
            return False
        return True

    def translate_path(self, path):
        # An address sent with its UTF-8 bytes unencoded (/post/肩こり/, as curl and some tools send
        # it) arrives decoded as Latin-1: read those bytes as UTF-8, so both spellings are one page.
        try:
            path = quote(path.encode("latin-1"), safe="/%?#&=+;:@!$'()*,~")
        except UnicodeEncodeError:
            pass
        return super().translate_path(path)

    def list_directory(self, path):
        self.send_error(404)  # a folder without index.html is not a page

    def send_error(self, code, message=None, explain=None):
        not_found_page = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not not_found_page.is_file():
            return super().send_error(code, message, explain)
        self.send_html(not_found_page.read_bytes(), status=404)

    def send_html(self, body, status=200):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def host_allowed(host_header, bound_address, bound_name):
    """True for a Host naming this server: an IP address, localhost, or the name it was started with."""
    hostname = urlsplit(f"//{host_header}").hostname or ""
    if hostname in ("localhost", bound_address, bound_name) or hostname.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return True


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True  # open connections never hold up the end of the process

    def __init__(self, address, handler, name=""):
        self.name = name  # the host name it was started with (HOST=…), allowed in Host headers
        self.errors = []  # what went wrong in handling a request (tests read it), one line each
        super().__init__(address, handler)

    def handle_error(self, request, client_address):
        """One line instead of the standard traceback on the terminal."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the reader went away, or an idle connection timed out
        self.errors.append(f"{type(error).__name__}: {error}")
        log.warning("A request to the preview failed: %s", self.errors[-1])


def make_server(directory, host="127.0.0.1", port=0, handler=SiteRequestHandler):
    """A server for `directory` (not yet serving). Port 0 picks a free port."""
    return SiteServer((host, port), functools.partial(handler, directory=str(directory)), name=host)


def base_url(server):
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


@contextlib.contextmanager
def serving(directory, host="127.0.0.1", port=0, handler=SiteRequestHandler):
    """Serve `directory` in a background thread; yields the base URL, e.g. http://127.0.0.1:8123."""
    server = make_server(directory, host, port, handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

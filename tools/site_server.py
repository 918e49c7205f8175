"""Serve a built site on 127.0.0.1 the way a static host does.

/post/x/ serves post/x/index.html, /post/x redirects to /post/x/, and a missing file gets the
site's own 404.html with status 404. Used by the dev server, the screenshot and the tests.
"""

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class SiteRequestHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # a preview that prints every request buries the messages that matter

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


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True  # open connections never hold up the end of the process


def make_server(directory, host="127.0.0.1", port=0, handler=SiteRequestHandler):
    """A server for `directory` (not yet serving). Port 0 picks a free port."""
    return SiteServer((host, port), functools.partial(handler, directory=str(directory)))


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

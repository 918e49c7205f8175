"""make devserver: build the site, serve it, rebuild and reload the browser on every change.

Watches content/, theme/, plugins/ and the settings with watchfiles (inotify, no polling), from
before the first build: a file saved while a build runs starts the next build when it ends (every
build runs to its end, so an editor saving as the writer types never keeps her words from showing).
The site is built by tools/site_in_memory, a child process that keeps it in memory: saving a
post rebuilds only the pages that show it; open pages reload as soon as the saved post's own page
is written (the builder says `visible`), and again when the rest of the site (lists, tags) is
written; the search index follows a moment later. A change to the theme, the plugins or the settings starts a fresh
builder, which builds everything. Open pages reload through a Server-Sent Events stream and a
small script file that only the preview adds: no inline script, nothing in the built site itself.

The preview has its own folder, .preview/ (git-ignored), never output/: the site it serves
(site/), its build cache (cache/), the last build's problems (problems.json, from content_checks),
which source file each page was made from (pages.json) and the pages' fingerprints
(fingerprints.pickle) and the posts as read (contents.pickle, written when it stops), with which
the next preview reads and renders only what changed while it was stopped. `make publish` and the uploads build
into output/ meanwhile without touching it.

Every build lists every current problem, in the terminal (tools/messages) and on the pages: a
second script file (problems.js) shows the problems of the page's own file on top of it, and
links to /__devserver/problems, a page of the preview listing all of them.

When the site's comments use Isso and it is installed (make comments-server; not in the writer's
requirements.lock, as it needs a C compiler), the preview also runs a local Isso (plugins/comments/isso_server.py) on
127.0.0.1:8080 with its database in .isso/ (kept between runs), allowing exactly the preview's
own address, and builds the site against it; stopping the preview stops it.
"""

import argparse
import functools
import html
import json
import logging
import os
import queue
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles
from pelican.settings import read_settings

from plugins.comments.isso_server import IssoFailed, IssoServer
from tools.messages import say
from tools.site_in_memory import BuilderProcess
from tools.site_server import SiteRequestHandler, base_url, make_server

PROJECT = Path(__file__).resolve().parent.parent
WATCHED = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]
EVENTS = "/__devserver/events"
PROBLEMS_PAGE = "/__devserver/problems"
PROBLEMS_JSON = "/__devserver/problems.json"
# The preview's own files (tools/devserver_files/), served at /__devserver/<name>. reload.js
# reloads the page when the build number changes (EventSource reconnects by itself after a
# restart); problems.js shows the page's problems on top of it, styled by problems.css.
FILES = Path(__file__).resolve().parent / "devserver_files"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
SCRIPTS = ["/__devserver/reload.js", "/__devserver/problems.js"]


class PreviewFolder:
    """The preview's own folder (.preview/): what it serves, its cache, and what the builds say."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.site = self.folder / "site"
        self.cache = self.folder / "cache"
        self.problems_file = self.folder / "problems.json"
        self.pages_file = self.folder / "pages.json"
        self.memory_file = self.folder / "fingerprints.pickle"  # the builder's, for its next start


class Problems:
    """The last build's problems (content_checks' JSON rows: file, source, line, what, fix) and the
    source file of each page (site_in_memory's pages.json), as the pages and the list show them."""

    def __init__(self, preview):
        self.preview = preview
        # Every page's source file seen by this preview: a post left out of the site since (a date
        # that is no date) still gets its problems shown at its old address, on the 404 page.
        self.remembered = {}
        self.lock = threading.Lock()

    @staticmethod
    def read(path, empty):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return empty

    def all(self):
        return self.read(self.preview.problems_file, [])

    def pages(self):
        """{page file: source file relative to the content folder} of the last build."""
        pages = self.read(self.preview.pages_file, {})
        with self.lock:
            self.remembered.update(pages)
        return pages

    def source_of(self, address):
        """The source file (posts/x.md) of the page at `address` (/post/x/), or None."""
        page = unquote(address).lstrip("/")
        if page == "" or page.endswith("/"):
            page += "index.html"
        source = self.pages().get(page)
        with self.lock:
            return source or self.remembered.get(page)

    def for_page(self, address):
        """What problems.js shows on the page at `address`: its own problems and the site's count."""
        problems, source = self.all(), self.source_of(address)
        own = [problem for problem in problems if source and problem.get("source") == source]
        return {"total": len(problems), "problems": own, "list": PROBLEMS_PAGE}

    def page_html(self):
        """The list of every problem of the site, by file, with a link to each file's page."""
        problems = self.all()
        addresses = {}
        for page, source in sorted(self.pages().items()):
            addresses.setdefault(source, "/" + page.removesuffix("index.html"))
        by_file = {}
        for problem in problems:
            by_file.setdefault((problem["file"], problem.get("source")), []).append(problem)
        count = f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'}"
        parts = [f"<h1>{count} in the site</h1>" if problems else "<h1>No problems in the site</h1>",
                 ("<p>The preview lists here what its last build found: each problem starts with the file and "
                  "the line, then says what is wrong and what to do. Fix the file and save it: this page "
                  "updates by itself. Only the preview has this page.</p>")]
        for number, ((file, source), found) in enumerate(by_file.items(), 1):
            parts.append(f'<section aria-labelledby="file-{number}">'
                         f'<h2 id="file-{number}">{html.escape(file)}</h2>')
            if source in addresses:
                parts.append(f'<p><a href="{html.escape(addresses[source])}">Its page in the preview</a></p>')
            parts.append("<ul>" + "".join(
                f"<li><strong>{html.escape(where(problem))}:</strong> "
                f"{html.escape(problem['what'])} {html.escape(problem['fix'])}</li>" for problem in found)
                + "</ul>")
            parts.append("</section>")
        parts.append('<p><a href="/">Back to the site</a></p>')
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            f"<title>{count if problems else 'No problems'} in the site (preview)</title>\n"
            '<link rel="stylesheet" href="/__devserver/problems.css">\n'
            f'<script src="{SCRIPTS[0]}" defer></script>\n'
            '</head>\n<body class="devserver-problems-page">\n<main>\n'
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n"
        ).encode()


class Builds:
    """The number of the last good build, and a way to wait for the next one."""

    def __init__(self):
        self.number = str(time.time_ns())  # unique across restarts of the preview
        self.changed = threading.Condition()

    def finished(self):
        with self.changed:
            self.number = str(time.time_ns())
            self.changed.notify_all()

    def wait(self, seen, timeout):
        with self.changed:
            self.changed.wait_for(lambda: self.number != seen, timeout)
            return self.number


def where(problem):
    """"content/posts/x.md, line 8", or the file alone for a problem of the whole file (line 0)."""
    return f"{problem['file']}, line {problem['line']}" if problem["line"] else problem["file"]


def site_policy(site):
    """The Content-Security-Policy the last build wrote for the host (plugins/security_headers'
    _headers file, its rule for every address), or None when the site has none."""
    try:
        lines = (site / "_headers").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    in_every_address = False
    for line in lines:
        if not line.startswith((" ", "\t")):
            in_every_address = line.strip() == "/*"
        elif in_every_address and line.strip().lower().startswith("content-security-policy:"):
            return line.split(":", 1)[1].strip()
    return None


class PreviewRequestHandler(SiteRequestHandler):
    """The site's pages with the preview's scripts, its build events and its problems. The server
    makes one per request: main() gives it the preview's `builds` and `problems` (functools.partial)."""

    def __init__(self, *args, builds, problems, **kwargs):
        self.builds, self.problems = builds, problems
        super().__init__(*args, **kwargs)  # handles the request

    def do_GET(self):
        address = urlsplit(self.path)
        if address.path == EVENTS:
            return self.stream_builds()
        if address.path == PROBLEMS_JSON:
            page = parse_qs(address.query).get("page", ["/"])[0]
            return self.send_bytes(json.dumps(self.problems.for_page(page), ensure_ascii=False).encode(),
                                   "application/json; charset=utf-8")
        if address.path.rstrip("/") == PROBLEMS_PAGE:
            return super().send_html(self.problems.page_html())
        name = address.path.removeprefix("/__devserver/")
        if name != address.path and "/" not in name and (FILES / name).is_file():
            return self.send_bytes((FILES / name).read_bytes(), TYPES.get(Path(name).suffix, "text/plain"))
        page = self.html_file()
        if page is None:
            return super().do_GET()
        self.send_html(page.read_bytes())

    def end_headers(self):
        # The site's own security policy on every answer, as the host sends it: a script written
        # in a draft does not run here either. The preview's scripts and styles are files of this
        # address ('self'), its events and problems requests too.
        policy = site_policy(Path(self.directory))
        if policy:
            self.send_header("Content-Security-Policy", policy)
        super().end_headers()

    def send_html(self, body, status=200):
        # Every page of the site the preview sends, its 404 page too, gets the preview's scripts.
        super().send_html(self.with_reload_script(body), status)

    def html_file(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return None  # the parent class redirects /post/x to /post/x/
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    @staticmethod
    def with_reload_script(page):
        tags = "".join(f'<script src="{script}" defer></script>' for script in SCRIPTS).encode()
        head_end = page.find(b"</head>")
        return page[:head_end] + tags + page[head_end:] if head_end >= 0 else page + tags

    def send_bytes(self, body, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def stream_builds(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            while True:
                number = self.builds.wait(seen, timeout=15)
                # A comment line keeps the connection alive while nothing changes.
                self.wfile.write(f"data: {number}\n\n".encode() if number != seen else b": idle\n\n")
                self.wfile.flush()
                seen = number
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded


# A change here needs a fresh builder: its Pelican has read them once and for all.
RESTART_FOR = ("theme/", "plugins/", "pelicanconf.py", "publishconf.py")


class Builder:
    """tools/site_in_memory in a child process (its BuilderProcess), started afresh for a change
    that needs it; each step True when it worked."""

    def __init__(self, project, preview):
        self.process = BuilderProcess(
            "--project", project, "--output", preview.site, "--cache", preview.cache,
            "--problems", preview.problems_file, "--pages", preview.pages_file, "--memory", preview.memory_file)

    def start(self, visible=None):
        """A fresh builder, which builds everything (or, taking up the last preview's pages, what
        changed since); True when that build succeeded."""
        return self.process.start(visible).ok

    def build(self, changed, visible=None):
        """True when it worked."""
        if not self.process.running() or any(path.startswith(RESTART_FOR) for path in changed):
            return self.start(visible)
        return self.process.build(changed, visible).ok

    def index(self):
        """Ask for the search index, without waiting: a save meanwhile is built at once."""
        return self.process.index_later()

    def stop(self):
        self.process.stop()


def build(builder, changed=None, visible=None):
    """Build the site; True when it succeeded. A failed build leaves the last good one served.
    `visible`: called when the changed posts' own pages are written, before the rest."""
    started = time.monotonic()
    if builder.build(changed, visible) if changed is not None else builder.start(visible):
        say(f"Built in {time.monotonic() - started:.1f} s.")
        return True
    say("The build failed: the message above names the file. The preview still shows the last good build; "
        "fix the file and save it again.")
    return False


class Watcher:
    """The changes to the watched files, collected from start() on, also while a build runs."""

    def __init__(self, project):
        self.project = project
        self.paths = [project / name for name in WATCHED if (project / name).exists()]
        self.changes = queue.Queue()
        self.ready = threading.Event()
        self.stopped = threading.Event()

    def start(self):
        """Watch from now on: returns once the watches are in place."""
        logging.getLogger("watchfiles").setLevel(logging.ERROR)  # its own words on Ctrl+C are noise here
        threading.Thread(target=self.collect, daemon=True).start()
        self.ready.wait()

    def collect(self):
        # step: the quiet time that ends a burst of saves (an editor writes a file in several steps).
        # yield_on_timeout: the first round, changes or not, says the watches are in place.
        try:
            for changes in watchfiles.watch(*self.paths, debounce=1000, step=20, rust_timeout=500,
                                            yield_on_timeout=True, stop_event=self.stopped,
                                            raise_interrupt=False):
                self.ready.set()
                if changes:
                    self.changes.put(changes)
        except Exception as error:  # noqa: BLE001 (handed to the main thread, which stops the preview)
            self.changes.put(error)
        finally:
            self.ready.set()

    def next(self):
        """The files changed since the last call (paths relative to the project), waiting for one."""
        changes = set()
        while True:
            found = self.changes.get() if not changes else self.changes.get_nowait()
            if isinstance(found, Exception):
                raise found
            changes |= found
            if self.changes.empty():
                return changed_files(changes, self.project)

    def stop(self):
        self.stopped.set()


def changed_files(changes, project):
    return sorted({Path(path).relative_to(project).as_posix() for _, path in changes})


def listed(names):
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# Isso is not in the writer's requirements.lock: its misaka is built from source, with a C compiler.
COMMENTS_NOT_INSTALLED = (
    "Comments are not shown in this preview: the comment server (Isso) is not installed. To show them, run "
    "`make comments-server` once (it needs a C compiler: on a Mac, run `xcode-select --install` first).")


def comment_server_installed():
    """True when Isso's command is beside this Python (IssoServer runs it from there)."""
    return shutil.which("isso", path=str(Path(sys.executable).parent)) is not None


def start_comments(project, site_origin, port):
    """A local Isso when the site's comments use it; the builds then point at it (COMMENTS_URL).
    It starts in a thread beside the first build (its address is known before it answers);
    returns (the server, that thread), or None."""
    comments = read_settings(str(project / "pelicanconf.py")).get("COMMENTS") or {}
    if comments.get("provider") != "isso":
        return None
    if not comment_server_installed():
        say(COMMENTS_NOT_INSTALLED)
        return None
    isso = IssoServer(project / ".isso" / "comments.db", site_origin, port=port)
    os.environ["COMMENTS_URL"] = isso.url

    def start():
        try:
            isso.start()
        except IssoFailed as error:
            say(f"Comments are off in this preview: {error}")
            say(f"(Is another preview running? Its comment server uses port {port}.)")
            return
        say(f"Comments: a local Isso at {isso.url}, keeping them in .isso/comments.db")

    thread = threading.Thread(target=start, name="comments", daemon=True)
    thread.start()
    return isso, thread


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--comments-port", type=int, default=8080, help="the local Isso's port; 0 picks a free one")
    parser.add_argument("--preview", default=".preview",
                        help="the preview's own folder (the site it serves, its cache), never output/")
    parser.add_argument("--project", default=str(PROJECT), help="the folder with pelicanconf.py")
    args = parser.parse_args(argv)
    project = Path(args.project).resolve()
    preview = PreviewFolder((project / args.preview).resolve())
    preview.site.mkdir(parents=True, exist_ok=True)
    # `kill` stops the preview like Ctrl+C does, so the comment server is stopped with it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    builds = Builds()
    handler = functools.partial(PreviewRequestHandler, builds=builds, problems=Problems(preview))
    builder = Builder(project, preview)  # not started yet
    watcher = Watcher(project)
    # Watched before anything is served (the last preview's pages are served at once, while the
    # first build runs): a file saved as soon as a page answers is never missed.
    watcher.start()
    try:
        server = make_server(preview.site, args.host, args.port, handler)
    except OSError as error:
        watcher.stop()
        sys.exit(f"Cannot serve on {args.host}:{args.port} ({error.strerror}). Is another preview "
                 f"running? Stop it, or pick another port: make devserver PORT={args.port + 1}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Isso accepts comments only from the preview's exact address, and checks on starting that it
    # answers: it starts once the preview serves, beside the first build.
    comments = start_comments(project, base_url(server), args.comments_port)
    try:
        say("Building the site...")
        if build(builder, visible=builds.finished):
            builds.finished()
            builder.index()
        say(f"Preview: {base_url(server)}/  (rebuilt and reloaded when you save a file; Ctrl+C stops it)")
        say(f"Problems, when there are some, are shown on top of the pages and listed at "
            f"{base_url(server)}{PROBLEMS_PAGE}")
        watch(watcher, builder, builds)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        builder.stop()
        server.shutdown()
        if comments:
            comments[1].join()
            comments[0].stop()
        say("Preview stopped.")


def watch(watcher, builder, builds):
    """Build after every change, until Ctrl+C: the changes saved during a build are built together
    once it ends."""
    while True:
        changed = watcher.next()
        say(f"Changed: {listed(changed)}. Rebuilding...")
        # Open pages reload once the saved post's page is written, and again when the whole site is.
        if build(builder, changed, visible=builds.finished):
            builds.finished()
            builder.index()  # the search index follows, beside the next builds


if __name__ == "__main__":
    main()

"""Site search: a Pagefind index of the built site.

Everything of the feature is here: this module (the index), templates/ (the header's box
search/header_form.html, the form search/form.html, the loader search/loader.html, the /search/
page search.html), static/search.js (results as you type), css/search.css, and the tests with
their posts (test_posts/).

Pagefind (the pinned pip package `pagefind[extended]`, which bundles the binary with Japanese
and Chinese word segmentation) reads the written HTML and writes a chunked index beside it,
so a search in the browser downloads only the pieces its words need.

What is indexed is marked by the theme with Pagefind's own attributes: `data-pagefind-body` on
the text of posts and pages (so lists, tags and the 404 page are not indexed),
`data-pagefind-meta` on the date and reading time, `data-pagefind-filter="tag"` on tag links,
`data-pagefind-ignore` on what is not the text (byline, tags, share buttons).

Settings, one dict (defaults below):
    SEARCH = {
        "enabled": True,          # False: no index, and the theme shows no search box
        "bundle_dir": "pagefind", # where the index goes, inside the output folder
        "language": None,         # one index language for every page (ISO 639-1), or None
                                  # for one index per <html lang> (Pagefind's default)
        "exclude_selectors": [],  # CSS selectors inside the body that are not indexed
        "timeout": 300,           # seconds before a stuck Pagefind fails the build (its service,
                                  # fed as the pages are written: the command line instead)
        "reuse": True,            # copy the last index when no page changed (see below)
        "deferred": False,        # True: not at the end of the build; the preview calls
                                  # index_site() itself once the pages are served
        "as_written": True,       # False: index only the finished folder (see below)
    }

Pagefind indexes the pages as Pelican writes them (IndexAsWritten): `pagefind --service`
(pagefind_service.py) is started with the build, below its priority, and a thread of the build
hands it each page written (the build pays one queue put per page; the thread reads the page and
writes it to Pagefind). Once the pages holding the posts' and pages' text are all in (the build
names them when every post is read), the index is asked for, so Pagefind makes it while Pelican
writes the lists and tag pages (and again at the end if a page of text came later). Only a page
with `data-pagefind-body` is handed over (Pagefind would leave the others out anyway), unless no
page has it. At the end (a step after rendering, run by plugins/build_order) that index is kept
when it was made from exactly the pages now in the folder. Otherwise Pagefind's command line
indexes the finished folder (IndexRun), in its own process, while the steps after it
(security_headers, precompress) work, leaving its folder alone; build_order waits for it at the
end, and a step that fails stops it. A page written again is expected (said in a DEBUG line); a
failure of the thread or of Pagefind's service (an error, Pagefind ending, no answer within
"timeout") is said in a WARNING naming why. The preview indexes once its pages are served.
Made as the pages are written, the index (Japanese, pelicanconf.py) is off the build's critical
path: `make bench-machinery` (2026-12-07, medians of 5) measured cold builds 29 % faster at 30
posts (1.41 s against 2.00 s with "as_written" off) and 17 % faster at 1000 (10.78 s against 13.03 s).

Pagefind writes its filter and metadata files in a different order on every run, even from
the same pages (Pagefind/pagefind#638), so an unchanged site would upload again each time.
With "reuse", the last index is kept in CACHE_PATH/search_index with a digest of the pages it
was made from; when the digest matches, that index is copied instead of made anew.

A missing or failing Pagefind stops the build with a message saying what to do: a site that
silently has no search is worse than no build (tools/build.py keeps the last good output).
"""

import hashlib
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import traceback
from importlib.metadata import version
from pathlib import Path

from pelican import signals

from plugins.shared import plugin_list, security_policy
from plugins.shared.site_pages import html_pages

from .pagefind_service import PagefindService, ServiceError

log = logging.getLogger(__name__)

DEFAULTS = {
    "enabled": True,
    "bundle_dir": "pagefind",
    "language": None,
    "exclude_selectors": [],
    "timeout": 300,
    "reuse": True,
    "deferred": False,
    "as_written": True,
}


# Pagefind's ready-made search interfaces: this plugin has its own (static/search.js),
# so these ~400 KB are not uploaded.
READY_MADE_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

# Pagefind's notes about a chosen index language without stemming: the SEARCH setting's choice.
EXPECTED_NOTES = ("doesn't support stemming for the language", "will not match across root words")


class SearchIndexError(SystemExit):
    """Stops the build. A SystemExit, so Pelican prints this sentence, not a traceback."""


def options_of(settings):
    options = {**DEFAULTS, **(settings.get("SEARCH") or {})}
    bundle = Path(options["bundle_dir"])
    if not options["bundle_dir"] or bundle.is_absolute() or ".." in bundle.parts:
        # The folder is emptied before each index: it must be a folder of its own in the output.
        raise SearchIndexError(f'Search: SEARCH["bundle_dir"] is {options["bundle_dir"]!r}; it must name '
                               'a folder inside the output, like "pagefind".')
    return options


def pagefind_executable():
    """The binary inside the pip package: installed with the site, never downloaded at build time."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "Search: the Pagefind package is not installed in this Python environment. "
            "Run `make html` (it installs the pinned requirements), or "
            "`pip install -r requirements.lock`; or turn search off with "
            'SEARCH = {"enabled": False} in pelicanconf.py.'
        ) from None
    try:
        return get_executable()
    except FileNotFoundError as error:
        raise SearchIndexError(f"Search: the Pagefind program is missing ({error}). "
                               "Reinstall it: rm -rf .venv && make html.") from None


# Pagefind loads a language's word segmentation dictionary when it first meets a page in that
# language: ~0.8 s for Japanese. A page of it handed over when the build starts (to an index of its
# own) has the dictionary loaded while Pelican reads the posts: at 30 posts, the index came 0.11 s
# after the last page instead of 0.9 s.
WARM_UP_TEXT = {"ja": "日本語の文章です。"}


def warm_up_page(options):
    """A page in SEARCH["language"] whose segmentation loads something, or None."""
    text = WARM_UP_TEXT.get(options["language"])
    return text and f'<html lang="{options["language"]}"><body data-pagefind-body><p>{text}</p></body></html>'


def service_config(options):
    """The command line's options (pagefind_command) as the service takes them."""
    return {"force_language": options["language"], "exclude_selectors": list(options["exclude_selectors"])}


def pagefind_command(output_path, options):
    command = [str(pagefind_executable()), "--site", str(output_path),
               "--output-subdir", options["bundle_dir"], "--quiet"]
    if options["language"]:
        command += ["--force-language", options["language"]]
    for selector in options["exclude_selectors"]:
        command += ["--exclude-selectors", selector]
    return command


def pages_digest(output_path, options):
    """What the index is made from: every page's address and bytes, the options, Pagefind's version."""
    digest = hashlib.sha256(repr((sorted(options.items()), version("pagefind"))).encode())
    for page, _ in html_pages(output_path):
        try:
            text = page.read_bytes()
        except FileNotFoundError:  # removed by a build since it was listed
            continue
        digest.update(page.relative_to(output_path).as_posix().encode() + b"\0")
        digest.update(text)
    return digest.hexdigest()


def cached_index_fits(cache, digest):
    """True when the cached index was made from these very pages."""
    stamp = cache / "pages.sha256"
    return stamp.exists() and stamp.read_text() == digest


def linked_copy(source, target):
    """A copy of the folder `source` whose files are hard links where the file system allows (the
    index's ~1000 pieces: a copy took a second). Nothing writes into an index's files: each new
    index is written into an emptied folder."""
    def link(source_file, target_file):
        try:
            os.link(source_file, target_file)
        except OSError:  # another file system, or no hard links there
            shutil.copy2(source_file, target_file)
    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)


def keep_index(output_path, options, cache, digest):
    shutil.rmtree(cache, ignore_errors=True)
    linked_copy(output_path / options["bundle_dir"], cache / "bundle")
    (cache / "pages.sha256").write_text(digest)


def add_search_settings(pelican):
    """initialized receiver: templates see the full SEARCH dict (to guard the box, find the bundle),
    and the /search/ page (templates/search.html) is written when search is on."""
    settings = pelican.settings
    settings["SEARCH"] = options_of(settings)
    # "indexed": what the theme asks before marking what Pagefind reads (data-pagefind-…): false
    # when the plugin is off, whatever the settings say.
    settings["SEARCH"]["indexed"] = settings["SEARCH"]["enabled"]
    if settings["SEARCH"]["enabled"]:
        if "search" not in settings["DIRECT_TEMPLATES"]:
            settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "search"]
        # Pagefind runs WebAssembly (not eval of text), in a worker; its pieces are named by content.
        security_policy.allow(settings, "script-src", "'wasm-unsafe-eval'")
        security_policy.allow(settings, "worker-src", "'self'")
        bundle = settings["SEARCH"]["bundle_dir"]
        security_policy.keep_a_year(settings, *(f"/{bundle}/{piece}/" for piece in ("fragment", "index", "filter")))


def start_index(pelican):
    """A step after rendering (plugins/build_order): every page is written; index them. Pagefind
    goes on in its own process, beside the steps after this one (which leave its folder alone):
    the run returned is waited for by build_order; None when nothing is left to wait for."""
    as_written = _AS_WRITTEN.pop(absolute(pelican.settings["OUTPUT_PATH"]), None)
    if options_of(pelican.settings)["deferred"]:
        return None
    return index_started(pelican.settings, as_written)


def index_site(settings):
    """Index the pages in the output folder (SEARCH["deferred"] aside), and wait for the index."""
    run = index_started(settings)
    if run is not None:
        run.wait()


class IndexRun:
    """Pagefind at work on the output folder: `folder` is where it writes; wait() returns once the
    index is written and checked (SearchIndexError if it failed); stop() ends it unfinished."""

    def __init__(self, output_path, options, digest, cache):
        self.output_path, self.options, self.digest, self.cache = output_path, options, digest, cache
        self.folder = output_path / options["bundle_dir"]
        self.said = tempfile.TemporaryFile()  # noqa: SIM115 (open while Pagefind writes to it; closed by wait or stop)
        self.started = time.monotonic()
        self.done = False
        try:
            self.process = subprocess.Popen(pagefind_command(output_path, options), stdout=self.said,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        except OSError as error:
            self.said.close()
            raise SearchIndexError(f"Search: Pagefind could not be started ({error}).") from None

    def wait(self):
        if self.done:
            return
        self.done = True
        try:
            self.process.wait(timeout=max(0.0, self.options["timeout"] - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:
            self.stop()
            raise SearchIndexError(f"Search: Pagefind did not finish within {self.options['timeout']} s "
                                   "and was stopped. The search index was not made.") from None
        self.said.seek(0)
        words = self.said.read().decode("utf-8", "replace")
        self.said.close()
        checked_index(self.output_path, self.options, self.process.returncode, words)
        if self.digest:
            keep_index(self.output_path, self.options, self.cache, self.digest)

    def stop(self):
        """End Pagefind unfinished (a later step failed, or it took too long)."""
        self.done = True
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.said.close()


def absolute(path):
    """`path` made absolute the way Pelican makes its output path (no symbolic link followed, no
    file system call): one spelling per page, in content_written and in the folder's listing."""
    return Path(os.path.abspath(path))


def stamp_of(status):
    """What tells a page written again from the one read: its os.stat_result's time, size, inode."""
    return (status.st_mtime_ns, status.st_size, status.st_ino)


class IndexAsWritten:
    """The pages of one build handed to Pagefind's service as Pelican writes them, by a thread of
    the build (Pagefind below the build's priority: the rendering comes first). The index is asked
    for as soon as the pages the build expects to be indexed are all handed over (expect()), while
    Pelican writes the lists and tag pages, and again at the end if a page of text came after that.

    Why its index cannot be used is kept in `unusable`, (reason, is a failure), the first reason
    only: a failure (an error, Pagefind ending, a time-out) is said in a WARNING at the end; an
    expected reason (a page written again, the last index reused) in a DEBUG line."""

    def __init__(self, settings):
        self.options = options_of(settings)
        self.output = absolute(settings["OUTPUT_PATH"])
        self.bundle = self.output / self.options["bundle_dir"]
        self.inbox = queue.SimpleQueue()  # pages written, the list of expected pages, None at the end
        self.taken = {}  # page -> its stamp when handed over (or set aside)
        self.unmarked = []  # pages without data-pagefind-body: indexed only if no page has it
        self.expected = None  # the pages expect() named, not handed over yet
        self.marked = 0  # pages with data-pagefind-body handed over
        self.asked = None  # the id of the index asked for, while no page of text came after it
        self.in_folder = None  # the id of the index in the bundle folder
        self.writers = []  # the threads writing the indexes asked for
        self.writing_files = threading.Lock()
        self.unusable = None
        self.giving_up = threading.Lock()
        self.details = ""  # an unexpected error's traceback
        self.finished = False
        executable = pagefind_executable()  # a missing Pagefind stops the build at its start
        try:
            self.service = PagefindService(executable, service_config(self.options), warm_up_page(self.options))
        except OSError as error:  # as for the command line (IndexRun): the same program
            raise SearchIndexError(f"Search: Pagefind could not be started ({error}).") from None
        self.feeder = self.thread("search: pages to Pagefind", self.feed)

    def written(self, path):
        """content_written's part, in the build: the page goes to the thread (one put)."""
        path = absolute(path)
        if path.suffix == ".html" and path.is_relative_to(self.output) and not path.is_relative_to(self.bundle):
            self.inbox.put(path)

    def expect(self, paths):
        """The pages that hold the text of posts and pages (the ones the theme marks)."""
        self.inbox.put(list(paths))

    def give_up(self, reason, failure=True):
        with self.giving_up:
            if self.unusable is None:
                self.unusable = (reason, failure)

    def thread(self, name, work, *arguments):
        """`work` in a thread of its own; what makes it fail is kept as the index's failure."""
        def run():
            try:
                work(*arguments)
            except (ServiceError, OSError) as error:
                self.give_up(str(error))
            except Exception as error:  # noqa: BLE001 (any other: a bug, said at the end with its traceback)
                self.details = traceback.format_exc()
                self.give_up(f"{type(error).__name__}: {error}")
        started = threading.Thread(target=run, name=name, daemon=True)
        started.start()
        return started

    def feed(self):
        """The thread: each page written, handed over in the order written; the index asked for
        once the expected pages are in, and at the end if a page of text came since."""
        self.service.ready(self.options["timeout"])
        while (item := self.inbox.get()) is not None:
            if self.unusable:
                return
            if isinstance(item, list):
                self.expected = {absolute(path) for path in item} - set(self.taken)
                self.ask_if_all_there()
            else:
                self.take(item)
        if not self.marked:  # no page marks its text: Pagefind indexes them all
            for path in self.unmarked:
                self.add(path, path.read_bytes())
        if self.asked is None:
            self.ask_for_index()

    def take(self, path):
        if path in self.taken:  # Pagefind cannot take a page back: the finished folder is indexed
            self.give_up(f"{path.relative_to(self.output)} was written twice", failure=False)
            self.service.end_at_once()
            return
        try:
            stamp = stamp_of(path.stat())
            html = path.read_bytes()
        except FileNotFoundError:  # removed since: the check at the end sees the folder as it is
            return
        self.taken[path] = stamp
        if b"data-pagefind-body" in html:
            self.add(path, html)
            self.marked += 1
            self.asked = None  # an index asked for before lacks this page
        else:
            self.unmarked.append(path)
        if self.expected is not None:
            self.expected.discard(path)
            self.ask_if_all_there()

    def add(self, path, html):
        self.service.add_page(path.relative_to(self.output).as_posix(), html.decode("utf-8", "replace"))

    def ask_if_all_there(self):
        if self.expected == set() and self.marked and self.asked is None:
            self.ask_for_index()

    def ask_for_index(self):
        """Ask Pagefind for the index of the pages handed over so far; a thread writes it into the
        bundle folder when it comes, unless a page came meanwhile."""
        self.asked = self.service.ask_for_files()
        self.writers.append(self.thread("search: index to its folder", self.write_index, self.asked))

    def write_index(self, message_id):
        files = self.service.files(message_id, self.options["timeout"])
        with self.writing_files:
            if self.asked != message_id:  # a page came since: a newer index is asked for
                return
            shutil.rmtree(self.bundle, ignore_errors=True)  # no pieces of an older index
            for name, data in files.items():
                if name not in READY_MADE_UI:
                    path = self.bundle / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
            self.in_folder = message_id

    def no_more_pages(self):
        self.inbox.put(None)

    def finish(self):
        """No more pages: wait (SEARCH["timeout"] at most) for the index of those handed over.
        The pages taken {page: stamp}, and `unusable`."""
        if not self.finished:
            self.finished = True
            timeout = self.options["timeout"]
            deadline = time.monotonic() + timeout
            self.no_more_pages()
            self.feeder.join(timeout)
            for thread in [self.feeder, *self.writers]:  # the feeder has started every writer (or is stuck)
                thread.join(max(0.0, deadline - time.monotonic()))
                if thread.is_alive():
                    self.give_up(f"Pagefind did not take the pages or write the index within {timeout} s")
                    self.service.end_at_once()  # a write to it that waits on a full pipe ends now
                    break
            if self.in_folder != self.asked or self.asked is None:
                self.give_up("the index was not written")
            if self.unusable:  # its work is not wanted: it may be stuck too
                self.service.end_at_once()
            said = self.service.close()
            if self.unusable and self.unusable[1] and said:
                self.unusable = (f"{self.unusable[0]}; Pagefind said: {last_words(said)}", True)
        return self.taken, self.unusable

    def stop(self):
        """Pagefind stops at once: its index is not wanted (the last one is reused, or a later step
        failed)."""
        self.give_up("the index was not wanted", failure=False)
        self.service.end_at_once()
        self.finish()


class AsWrittenRun:
    """The end of an IndexAsWritten, what build_order waits for (as for an IndexRun): wait() keeps
    its index, or has the command line make one (IndexRun) if it was not made from the pages now
    in the folder."""

    def __init__(self, as_written, output_path, options, digest, cache):
        self.as_written, self.output_path, self.options = as_written, output_path, options
        self.digest, self.cache = digest, cache
        self.folder = output_path / options["bundle_dir"]
        self.how = None  # "as written", "at the end" or "stopped"
        as_written.no_more_pages()  # it ends while the steps after this one run

    def wait(self):
        if self.how:
            return
        taken, unusable = self.as_written.finish()
        if unusable is None:
            unusable = self.unlike_the_folder(taken)
        if unusable is None:
            self.how = "as written"
            log.debug("Search: the index was made as the pages were written")
            checked_index(self.output_path, self.options, 0, "")
            if self.digest:
                keep_index(self.output_path, self.options, self.cache, self.digest)
            return
        self.how = "at the end"
        reason, failure = unusable
        if failure:
            log.warning("Search: the index made as pages were written could not be used (%s): the finished "
                        "pages are indexed instead.%s", reason, f"\n{self.as_written.details}".rstrip())
        else:
            log.debug("Search: indexing the finished pages (%s)", reason)
        shutil.rmtree(self.folder, ignore_errors=True)
        IndexRun(self.output_path, self.options, self.digest, self.cache).wait()

    def unlike_the_folder(self, taken):
        """Why the pages in the folder are not those indexed (an expected reason), or None."""
        pages = {page: stamp_of(status) for page, status in html_pages(self.output_path)
                 if not page.is_relative_to(self.folder)}
        for page in sorted(pages.keys() | taken.keys()):
            if pages.get(page) != taken.get(page):
                where = page.relative_to(self.output_path)
                happened = ("is not there any more" if page not in pages else "was not written by Pelican's writer"
                            if page not in taken else "changed after it was indexed")
                return (f"{where} {happened}", False)
        return None

    def stop(self):
        self.how = self.how or "stopped"
        self.as_written.stop()


_AS_WRITTEN = {}  # output folder -> the IndexAsWritten of the build writing there


def start_index_as_written(pelican):
    """initialized receiver: hand the pages to Pagefind as they are written (not in the preview,
    which indexes once its pages are served)."""
    output = absolute(pelican.settings["OUTPUT_PATH"])
    stale = _AS_WRITTEN.pop(output, None)  # of a build that failed before its end
    if stale:
        stale.stop()
    options = options_of(pelican.settings)
    if options["enabled"] and options["as_written"] and not options["deferred"]:
        _AS_WRITTEN[output] = IndexAsWritten(pelican.settings)


def page_written(path, context=None, **_):
    """content_written receiver."""
    for as_written in _AS_WRITTEN.values():
        as_written.written(path)


def marked_pages(generators, settings):
    """The output paths of the pages that hold posts' and pages' text (what the theme marks with
    data-pagefind-body), as Pelican's generators write them."""
    lists = ("articles", "translations", "hidden_articles", "hidden_translations", "pages", "hidden_pages")
    output = Path(settings["OUTPUT_PATH"])
    return [output / content.save_as for generator in generators for name in lists
            for content in getattr(generator, name, None) or () if getattr(content, "save_as", None)]


def expect_marked_pages(generators):
    """all_generators_finalized receiver: say which pages the index waits for."""
    settings = generators[0].settings
    as_written = _AS_WRITTEN.get(absolute(settings["OUTPUT_PATH"]))
    if as_written:
        as_written.expect(marked_pages(generators, settings))



def index_started(settings, as_written=None):
    """Start indexing the pages in the output folder: the IndexRun (or, with the IndexAsWritten
    of this build, its AsWrittenRun), or None when the index is already there (search off, or the
    last index copied: no page changed)."""
    options = options_of(settings)
    if not options["enabled"]:
        return None
    output_path = Path(settings["OUTPUT_PATH"])
    bundle = output_path / options["bundle_dir"]
    cache = Path(settings["CACHE_PATH"]) / "search_index"
    digest = pages_digest(output_path, options) if options["reuse"] else None
    if digest and cached_index_fits(cache, digest):
        if as_written:
            as_written.stop()  # it may be writing into the folder: it ends first
        shutil.rmtree(bundle, ignore_errors=True)
        linked_copy(cache / "bundle", bundle)
        return None
    if as_written:  # it empties the folder before it writes there
        return AsWrittenRun(as_written, absolute(output_path), options, digest, cache)
    shutil.rmtree(bundle, ignore_errors=True)  # no index pieces of old builds
    pagefind_command(output_path, options)  # a missing Pagefind stops the build here, with its sentence
    return IndexRun(output_path, options, digest, cache)


def run_pagefind(output_path, options):
    """Pagefind over the output folder, waited for."""
    IndexRun(output_path, options, None, None).wait()


def last_words(words):
    """What Pagefind said last, each line once (a panic repeats per thread)."""
    lines = [line.strip() for line in words.splitlines() if line.strip()]
    return "\n".join(dict.fromkeys(lines[-12:]))


def checked_index(output_path, options, returncode, words):
    """Stop the build if Pagefind failed or wrote no index; remove its ready-made interfaces; pass
    on what it said, its expected notes aside."""
    if returncode != 0:
        raise SearchIndexError(f"Search: Pagefind failed (exit {returncode}), "
                               f"so the search index was not made:\n{last_words(words)}")
    bundle = output_path / options["bundle_dir"]
    if not (bundle / "pagefind-entry.json").exists():
        raise SearchIndexError(f"Search: Pagefind ran but wrote no index ({bundle} has no pagefind-entry.json).")
    for name in READY_MADE_UI:
        (bundle / name).unlink(missing_ok=True)
    for line in words.splitlines():
        if line.strip() and not any(note in line for note in EXPECTED_NOTES):
            log.warning("Search (Pagefind): %s", line.strip())


def needs_build_order(pelican):
    """initialized receiver: start_index is run by plugins/build_order once the pages are written."""
    plugin_list.needs_build_order("search", pelican.settings)


def register():
    signals.initialized.connect(add_search_settings)
    signals.initialized.connect(needs_build_order)
    signals.initialized.connect(start_index_as_written)
    signals.content_written.connect(page_written)
    signals.all_generators_finalized.connect(expect_marked_pages)

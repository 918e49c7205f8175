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
        "timeout": 300,           # seconds before a stuck Pagefind fails the build
        "reuse": True,            # copy the last index when no page changed (see below)
        "deferred": False,        # True: not at the end of the build; the preview calls
                                  # index_site() itself once the pages are served
    }

Pagefind's command line indexes the finished output folder once every page is written (a step
after rendering, run by plugins/build_order), in its own process: the steps after it
(security_headers, precompress) work meanwhile, leaving its folder alone, and build_order waits
for it at the end; a step that fails stops it. The preview indexes once its pages are served.

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
import shutil
import subprocess
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from pelican import signals

from plugins.shared import plugin_list, security_policy
from plugins.shared.site_pages import html_pages

log = logging.getLogger(__name__)

DEFAULTS = {
    "enabled": True,
    "bundle_dir": "pagefind",
    "language": None,
    "exclude_selectors": [],
    "timeout": 300,
    "reuse": True,
    "deferred": False,
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
    if options_of(pelican.settings)["deferred"]:
        return None
    return index_started(pelican.settings)


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


def index_started(settings):
    """Start indexing the pages in the output folder: the IndexRun, or None when the index is
    already there (search off, or the last index copied: no page changed)."""
    options = options_of(settings)
    if not options["enabled"]:
        return None
    output_path = Path(settings["OUTPUT_PATH"])
    bundle = output_path / options["bundle_dir"]
    cache = Path(settings["CACHE_PATH"]) / "search_index"
    digest = pages_digest(output_path, options) if options["reuse"] else None
    if digest and cached_index_fits(cache, digest):
        shutil.rmtree(bundle, ignore_errors=True)
        linked_copy(cache / "bundle", bundle)
        return None
    shutil.rmtree(bundle, ignore_errors=True)  # no index pieces of old builds
    pagefind_command(output_path, options)  # a missing Pagefind stops the build here, with its sentence
    return IndexRun(output_path, options, digest, cache)


def run_pagefind(output_path, options):
    """Pagefind over the output folder, waited for."""
    IndexRun(output_path, options, None, None).wait()


def checked_index(output_path, options, returncode, words):
    """Stop the build if Pagefind failed or wrote no index; remove its ready-made interfaces; pass
    on what it said, its expected notes aside."""
    if returncode != 0:
        lines = [line.strip() for line in words.splitlines() if line.strip()]
        details = "\n".join(dict.fromkeys(lines[-12:]))  # its last words, each once (a panic repeats per thread)
        raise SearchIndexError(f"Search: Pagefind failed (exit {returncode}), "
                               f"so the search index was not made:\n{details}")
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

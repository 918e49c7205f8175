"""The preview's builder: one Pelican kept alive, writing only the pages a change touches.

`make devserver` runs this as a child process (python -m tools.site_in_memory) and sends it a
line per change; it answers a line per build. Between builds:

- the posts and pages as read stay in memory (KeptContents), so only the files that changed are
  read again; when the builder stops they are kept in contents.pickle beside `--memory`, and the
  next builder takes them up (else its first build reads Pelican's reader cache, by its caching
  settings, in the preview's cache folder);
- kept in memory, for every page written, a fingerprint of what its template used (the post, its
  neighbours and related posts, the ten posts of a list page, the tags, the settings...). A build
  renders a page only when that fingerprint changed: editing one post's text renders the post,
  the pages that show it (neighbours, related posts, its list and tag pages) and the whole-site
  pages (archives, tags).

It keeps to Pelican's documented ground: its writer comes through the `get_writer` signal and
renders through Pelican's own write_file() and write_feed(), the reader cache is set by Pelican's
caching settings. Each page is on disk when Pelican sends `content_written` (and each feed at
`feed_written`), so plugins that read the file then work as in any build. What it needs of
Pelican's private parts (how the writer opens a file and Pelican's rules for it, a post copied or
read again alone, its page written as its generator writes it) is in
plugins/shared/pelican_adapter.py, checked by tests/test_pelican_adapter.py.

A page is written when it is rendered, replaced in one step (the preview never serves half a
page) and only if its bytes changed; a build that fails puts back the pages it had replaced, so
the preview keeps showing the last good build. Pages of deleted posts are removed.
The search index follows a moment after the pages, in a second step (`index`), so the browser
reloads without waiting for Pagefind.

A save of one post's text alone (its fields as they were) writes that post's page before the
build even starts (write_first_page: the file read again alone, the rest from the last build):
the browser reloads within a tenth of a second at any number of posts; the build then finds
the page as it would have made it. A save of more (a title, a date, a tag, a new post) has the
saved pages written first once every post is read (SelectiveWriter.write_awaited). A build,
the first one too, always runs to its end: the saves made meanwhile are built once after it,
shown first by the same one-page path (a build stopped by each save, as an editor's autosave
makes them, would never show her words while she types).

A change to the theme, the plugins or the settings needs a fresh process: devserver starts one.
The test tests/test_incremental.py checks that the output equals a fresh full build.

Every build says every current problem (tools/messages: the same paragraphs as `make html`;
Pelican's once-per-process memory of what it said is forgotten before each build). For the
preview's pages, `--problems FILE` has content_checks write the build's problems there as JSON,
and `--pages FILE` writes which source file (relative to the content folder) each page was made
from: {"post/x/index.html": "posts/x.md"}.

Protocol, one line each way:  build [changed paths as JSON]  ->  built <seconds> <pages written>
                               index                          ->  indexed <seconds>
                               (a failure answers: failed; an index's: index-failed)
The index is made beside the builds (a thread of this process; Pagefind is a process of its own):
a build asked while it runs starts at once, and its `built` may come before the `indexed`; each
`index` asked gets one `indexed` line, for an index begun after it was asked.
Before `built`, a build may say `visible <seconds>`: the pages of the changed posts and pages are
written (the page the writer is looking at holds the change), while the rest of the site (lists,
tags, archives, feeds) is still being written. The preview reloads the browser then.

Jinja's compiled templates are kept between builds (a bytecode cache in memory, Jinja's own
mechanism, keyed by each template's source): a build compiles only a template that changed.
Both ends are in this module: serve() answers, BuilderProcess asks (tools/devserver.py and the
tests use it), so the protocol is written once.
"""

import argparse
import hashlib
import importlib
import io
import json
import logging
import os
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pelican
from jinja2 import BytecodeCache, meta
from pelican import Pelican, signals
from pelican.contents import Content, SkipStub
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.paginator import Page as ListPage
from pelican.paginator import Paginator
from pelican.settings import read_settings
from pelican.urlwrappers import URLWrapper

import tools.build
from plugins.shared import one_post_steps, pelican_content
from plugins.shared.pelican_adapter import (
    OverwriteRules,
    WriterWithOpenHook,
    ask_before_reading,
    copy_of_content,
    forget_memoized_html,
    forget_repeated_warnings,
    read_again,
    take_what_the_site_gave,
    text_as_read,
    write_own_page,
)
from tools import messages

PROJECT = Path(__file__).resolve().parent.parent
# Changes under these folders are posts and pages; any other change to content (pictures,
# extra files) may show on any page, so every page is rendered again (but written only if changed).
TEXT_FOLDERS = ("content/posts/", "content/pages/")
INTRASITE_LINK = re.compile(r"[{|](filename|static|attach|index|tag|category|author)[}|]")
# The search plugin's module (plugins/search): index() calls its index_site() after the pages are served.
SEARCH_MODULE = "search.search"
# Pelican's own reader cache, by its caching settings: each build reads again only the posts
# whose files changed (the others' converted HTML comes from CACHE_PATH; not gzipped, as
# pelicanconf.py says).
CACHING = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": "reader"}
# The environment variables a build reads: the settings' (pelicanconf.py, publishconf.py) and
# the locale's, whose month names Pelican's dates use (its LOCALE setting is the environment's).
# Any other variable (a terminal's TERM_SESSION_ID, VSCODE_...) leaves the last preview's pages
# taken up. tests/test_preview_speed.py checks the settings and plugins read no other.
BUILD_ENVIRONMENT = ("SITEURL", "COMMENTS_URL", "RSYNC_DEST", "LC_ALL", "LC_TIME", "LANG")
# What is installed: a change to a lock file is a fresh full build.
LOCK_FILES = "requirements*.lock"
# Once the posts are kept in memory (KeptContents), loading and saving that cache at every build
# is time lost (a quarter of a save's build at 1000 posts): the builds after the first leave it.
KEPT_CACHING = {**CACHING, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
log = logging.getLogger(__name__)


class Memory:
    """What outlives one build: each page's fingerprint, and what the last build wrote."""

    def __init__(self):
        self.fingerprints = {}  # output file (relative) -> fingerprint of what rendered it
        self.outputs = set()  # every page and feed the last build wrote or kept
        self.static = set()  # every static file of the last build
        self.epoch = 0  # bumped when a change may show on every page
        self.writer: SelectiveWriter | None = None  # the writer of the build under way
        self.context = {}  # the context of the build under way, shared by its generators
        self.awaited = set()  # sources (relative to the content folder) whose pages the writer waits for
        self.generators = []  # the generators of the build under way
        self.content_root = Path()  # the build's content folder (settings PATH), resolved; set before each build
        self.on_visible: Callable[[], None] | None = None  # called once the awaited sources' pages are all written


def fields(content):
    """A post's fields as read, to tell whether a save changed more than its text."""
    return repr(sorted(content.metadata.items()))


class KeptContents:
    """The posts and pages as read (their reader's and content_object_init's work done), kept from
    one build to the next by file: a build reads again only the files that changed since. Each
    build gets its own copy of each (later steps, Pelican's and the plugins', change the posts in
    place), whose links resolve in that build's site."""

    def __init__(self):
        self.kept = {}  # source file (absolute) -> (its stamp when read, the content as read)
        self.asked = {}  # source file -> its stamp when the generator asked, before reading it

    def clear(self):
        self.kept.clear()

    def attach(self, generator):
        """Have `generator` (articles or pages) ask here before reading a file."""
        ask_before_reading(generator, lambda path: self.copy_of(generator, path),
                           lambda path, content: self.keep(generator, path, content))

    def copy_of(self, generator, path):
        source = os.path.join(generator.path, path)
        stamp = self.asked[source] = file_stamp(source)  # taken before a read: a save during it reads again
        found = self.kept.get(source)
        if found is None or found[0] != stamp or stamp is None:
            return None
        return copy_of_content(found[1], generator.context, generator.settings)

    def keep(self, generator, path, content):
        source = os.path.join(generator.path, path)
        # Kept as read: a copy, made before the later steps change `content`.
        self.kept[source] = (self.asked.pop(source, None), copy_of_content(content, {}, generator.settings))

    def forget_missing(self):
        """Drop the files deleted since (their posts would otherwise stay in memory)."""
        for source in [source for source in self.kept if not os.path.exists(source)]:
            del self.kept[source]


def file_stamp(path):
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory from one build to the next (Jinja checks each
    against its template's source, so a changed template is compiled again)."""

    def __init__(self):
        self.buckets = {}

    def load_bytecode(self, bucket):
        code = self.buckets.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self.buckets[(bucket.key, bucket.checksum)] = bucket.code

    def __reduce__(self):
        # The settings hold this cache, and Pelican's reader cache pickles them (with a post's
        # tags, which only read their address patterns): code objects cannot be pickled, and
        # this class is __main__'s in the builder's process, which no other process could load
        # again. A pickled copy is None, which any process reads.
        return (type(None), ())


class Fingerprints:
    """Fingerprints of the values a template is given, computed once per value in a build."""

    def __init__(self, epoch, context):
        self.epoch = epoch
        self.context = context  # the build's shared context (the generators' public `context`)
        self.known = {}  # (id, shallow) -> (value, fingerprint); the value is kept so ids stay unique
        self.stamps = {}

    def of(self, value, shallow=False):
        key = (id(value), shallow)
        if key not in self.known:
            self.known[key] = (value, self.compute(value, shallow))
        return self.known[key][1]

    def compute(self, value, shallow):
        if value is None or isinstance(value, (str, int, float, bool, datetime, date)):
            return repr(value)
        if isinstance(value, Content):
            return self.neighbour(value) if shallow else self.content(value)
        if isinstance(value, URLWrapper):
            return f"{type(value).__name__}:{value.name}:{value.slug}:{value.url}"
        if isinstance(value, Paginator):  # templates use its counts; its pages are fingerprinted apart
            return f"paginator:{value.count}:{value.num_pages}:{value.per_page}"
        if isinstance(value, ListPage):
            return digest(("page", value.number, self.of(value.object_list, shallow), self.of(value.paginator)))
        if isinstance(value, dict):
            return digest(sorted((str(k), self.of(v, shallow)) for k, v in value.items()))
        if isinstance(value, (list, tuple)):
            return digest([self.of(v, shallow) for v in value])
        if isinstance(value, (set, frozenset)):
            return digest(sorted(self.of(v, shallow) for v in value))
        if callable(value):  # filters, macros, functions: the same for the life of the process
            return f"callable:{getattr(value, '__qualname__', type(value).__qualname__)}"
        if hasattr(value, "__dict__"):
            return digest((type(value).__qualname__, self.of(vars(value), shallow)))
        return repr(value)

    def content(self, content):
        """A post or page as its own page shows it: all its attributes; the posts it points to
        (neighbours, related posts) by their file and address."""
        parts = [(name, self.of(value, shallow=True)) for name, value in sorted(vars(content).items())
                 if value is not self.context and name != "settings"]
        parts.append(("epoch", self.epoch))
        if INTRASITE_LINK.search(text_as_read(content) or ""):
            # {filename}other.md resolves to that post's current address: depends on the whole site.
            parts.append(("site", self.of(self.context.get("generated_content"), shallow=True)))
        return digest(parts)

    def neighbour(self, content):
        """Another post shown on a page (title, date, address, summary): its file decides."""
        path = content.source_path
        if path not in self.stamps:
            try:
                status = os.stat(path)
                self.stamps[path] = (status.st_mtime_ns, status.st_size)
            except OSError:
                self.stamps[path] = None
        return f"content:{path}:{self.stamps[path]}:{content.url}:{content.status}:{self.epoch}"


def digest(parts):
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class TemplateNames:
    """The context names a template (with the templates it extends, includes and imports) uses."""

    def __init__(self):
        self.known = {}

    def of(self, template):
        environment, name = template.environment, template.name
        if name not in self.known:
            self.known[name] = self.collect(environment, name, set())
        return self.known[name]

    def collect(self, environment, name, seen):
        seen.add(name)
        source = environment.loader.get_source(environment, name)[0]
        tree = environment.parse(source)
        names = set(meta.find_undeclared_variables(tree))
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return None  # a template chosen at render time: it may use anything
            if referenced not in seen:
                more = self.collect(environment, referenced, seen)
                if more is None:
                    return None
                names |= more
        return names


class Unchanged(str):
    """What SelectiveWriter.render() gives for a page whose fingerprint is unchanged: the page on
    disk is already what the template would make. Its file is then left as it is."""


UNCHANGED = Unchanged("")


class OneStepFiles:
    """Writes files in one step (a temporary file renamed over the old one: the preview never
    serves half a page), only when their bytes change, and can put back what it replaced."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.replaced: dict[str, bytes | None] = {}  # absolute path -> its bytes before (None: it was new)
        self.written = 0  # files whose bytes changed

    def save(self, path, text):
        """Put `text` at `path` in one step, unless the file already holds exactly that."""
        data = text.encode("utf-8")
        try:
            before = Path(path).read_bytes()
        except OSError:
            before = None
        if before == data:
            return
        self.replaced.setdefault(path, before)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".writing-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        self.written += 1

    def undo(self):
        """The build failed: put back the files it replaced, remove those it added."""
        for path, before in self.replaced.items():
            if before is None:
                Path(path).unlink(missing_ok=True)
                continue
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".writing-")
            with os.fdopen(handle, "wb") as file:
                file.write(before)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)


class SelectiveWriter(OneStepFiles, WriterWithOpenHook):
    """Pelican's writer, but a page whose fingerprint is unchanged is neither rendered nor written,
    and a page or feed is written only when its bytes changed, each in one step."""

    # Pelican makes its writer from a class (get_writer), with the output folder and the settings
    # only: SiteInMemory gives these on a subclass of its own (SiteInMemory.writer_class).
    memory: Memory
    template_names: TemplateNames

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.memory.writer = self  # so that SiteInMemory can finish or undo this build
        self.fingerprints = Fingerprints(self.memory.epoch, self.memory.context)
        self.new_fingerprints = {}
        self.outputs = set()  # every page and feed of this build (relative to the output)
        self.rules = OverwriteRules()  # Pelican's, for two outputs at one address
        self.capitals = {}  # (template, ids of its capitals' values) -> (the values, their digest)
        self.early = set()  # pages written before their generator's turn (write_awaited), not written yet by it
        if self.memory.awaited:
            self.write_awaited()

    def write_awaited(self):
        """Write the pages of the changed posts and pages first (the writer is made once every
        post is read and every plugin's step before writing is done): the browser reloads on
        them at once, before the thousand other pages are looked at. Each is the call its
        generator makes later for it (which then finds it written), its signal included."""
        root = self.memory.content_root
        for generator in self.memory.generators:
            for content in pelican_content.contents([generator]):
                source = Path(content.source_path)
                if source.is_relative_to(root) and source.relative_to(root).as_posix() in self.memory.awaited:
                    self.write_own_page(generator, content)

    def write_own_page(self, generator, content):
        opened = set(self.rules.opened)
        write_own_page(self, generator, content)
        self.early |= self.rules.opened - opened

    def write_file(self, name, template, context, *args, **kwargs):
        result = super().write_file(name, SelectiveTemplate(template, self), context, *args, **kwargs)
        memory = self.memory
        content = kwargs.get("article") or kwargs.get("page")
        if memory.awaited and content is not None and getattr(content, "source_path", None):
            source = Path(content.source_path)
            if source.is_relative_to(memory.content_root):
                memory.awaited.discard(source.relative_to(memory.content_root).as_posix())
            if not memory.awaited and memory.on_visible:
                memory.on_visible()
        return result

    def fingerprint(self, template, localcontext):
        names = self.template_names.of(template)
        if names is None:
            names = localcontext.keys()
        used = sorted(name for name in names if name in localcontext)
        # Capitals (the settings, and what plugins add beside them) are fingerprinted too. A change
        # to the settings files restarts the builder (devserver's RESTART_FOR), but a plugin may
        # put a name in capitals into the context from the posts, or change one between builds:
        # skipping them would leave such pages stale. It costs little: the pages of a template
        # share the same values, so their digest is made once per template and build.
        capitals = [name for name in used if name.isupper()]
        key = (template.name, tuple(id(localcontext[name]) for name in capitals))
        if key not in self.capitals:
            values = [localcontext[name] for name in capitals]  # kept, so that their ids stay theirs
            self.capitals[key] = (values, digest([(name, self.fingerprints.of(value))
                                                  for name, value in zip(capitals, values, strict=True)]))
        others = [(name, self.fingerprints.of(localcontext[name])) for name in used if not name.isupper()]
        return digest((template.name, self.capitals[key][1], others))

    def render(self, template, localcontext):
        output_file = localcontext["output_file"]
        fingerprint = self.fingerprint(template, localcontext)
        unchanged = fingerprint in (self.memory.fingerprints.get(output_file), self.new_fingerprints.get(output_file))
        if unchanged and os.path.exists(os.path.join(self.output_path, output_file)):
            return UNCHANGED
        self.new_fingerprints[output_file] = fingerprint
        return template.render(localcontext)

    def open_output(self, path, override):
        if path in self.early:  # its generator's own call, after write_awaited's
            self.early.discard(path)
            self.rules.forget(path)
        written = self.rules.may_write(path, override)
        self.outputs.add(os.path.relpath(path, self.output_path))
        return OutputFile(self, path) if written else open(os.devnull, "w", encoding="utf-8")

    def finish(self):
        """The build worked: remember its fingerprints; returns how many files changed."""
        self.memory.fingerprints.update(self.new_fingerprints)
        return self.written


class FirstPageWriter(OneStepFiles, WriterWithOpenHook):
    """Pelican's writer for the one page the preview writes ahead of a build (write_first_page)."""

    def open_output(self, path, override):
        return OutputFile(self, path)


class SelectiveTemplate:
    """A template whose render() asks the writer first."""

    def __init__(self, template, writer):
        self.template, self.writer = template, writer
        self.name = template.name

    def render(self, localcontext):
        return self.writer.render(self.template, localcontext)


class OutputFile(io.StringIO):
    """A page or feed being written (Pelican writes it in a `with` block): saved by the writer at
    the end of the block, before Pelican sends content_written or feed_written; not saved if the
    block failed. A page the writer did not render (UNCHANGED) is left as it is on disk."""

    def __init__(self, writer, path):
        super().__init__()
        self.writer, self.path, self.unchanged = writer, path, False

    def write(self, text):
        if text is UNCHANGED:
            self.unchanged = True
        return super().write(text)

    def __exit__(self, kind, value, traceback):
        if kind is None and not self.unchanged:
            self.writer.save(self.path, self.getvalue())
        return super().__exit__(kind, value, traceback)


class BuildFailed(Exception):
    pass


class SiteInMemory:
    """Builds the site at `project` into `output`: the first time fully into a fresh folder, then
    only what changed."""

    def __init__(self, project=PROJECT, output="output", settings_file="pelicanconf.py", overrides=None,
                 problems_file=None, pages_file=None, memory_file=None):
        self.project = Path(project).resolve()
        self.memory_file = Path(memory_file).resolve() if memory_file else None
        # The posts as read, kept for the next builder when this one stops.
        self.contents_file = self.memory_file.with_name("contents.pickle") if self.memory_file else None
        self.output = (self.project / output).resolve()
        self.settings_file = settings_file
        self.overrides = dict(overrides or {})
        self.problems_file = Path(problems_file).resolve() if problems_file else None
        self.pages_file = Path(pages_file).resolve() if pages_file else None
        self.memory = Memory()
        self.template_names = TemplateNames()

        class SiteWriter(SelectiveWriter):
            memory, template_names = self.memory, self.template_names

        self.writer_class = SiteWriter
        self.generators = []
        self.pelican: Pelican | None = None  # the Pelican of the last build
        self.written = 0
        self.compiled = CompiledTemplates()
        self.started = 0.0  # when the build under way started (time.perf_counter())
        # Called with the seconds since the build started, see Memory.on_visible.
        self.on_visible: Callable[[float], None] | None = None
        self.contents = KeptContents()
        signals.get_writer.connect(self.supply_writer, weak=False)
        signals.article_generator_init.connect(self.attach_contents, weak=False)
        signals.page_generator_init.connect(self.attach_contents, weak=False)
        signals.all_generators_finalized.connect(self.remember_generators, weak=False)
        # What this process runs with, read once: a change to any of it starts a fresh builder.
        self.code_stamp = self.stamps([Path(__file__).parent, *sorted(PROJECT.glob(LOCK_FILES)),
                                       *(self.project / name for name in
                                         ("theme", "plugins", "pelicanconf.py", "publishconf.py", settings_file))])
        self.content_stamp = None
        self.resumed = False  # the first build took up the last builder's fingerprints
        self.kept_texts = {}  # the posts' and pages' stamps when the last builder's last build read them
        self.texts_built = {}  # the same, for this builder's last build
        self.contents_to_take_up = False  # the last builder's posts as read, to take up at the first build

    # --- the memory of the last process, kept in `memory_file` ----------------------------------
    def stamps(self, paths, skip=()):
        """A digest of the files under `paths` (name, size, time), but those under `skip`."""
        found = []
        for path in paths:
            for root, folders, files in os.walk(path) if path.is_dir() else [(path.parent, [], [path.name])]:
                folders[:] = sorted(name for name in folders
                                    if name != "__pycache__" and Path(root, name) not in skip)
                for name in sorted(files):
                    try:
                        status = os.stat(os.path.join(root, name))
                    except OSError:
                        continue
                    found.append((os.path.join(root, name), status.st_size, status.st_mtime_ns))
        return digest(found)

    def session(self):
        """Everything a page's fingerprint leaves out because it is the same for the whole life of
        a builder: the code, theme, settings and lock files (read at start), the content that is
        not posts or pages (pictures: a change to them is a new epoch, read before each build), the
        environment variables the build reads, the folders, Pelican and Python."""
        environment = [(name, os.environ.get(name)) for name in BUILD_ENVIRONMENT]
        return digest((self.code_stamp, self.content_stamp, self.settings_file, sorted(self.overrides.items()),
                       str(self.output), environment, pelican.__version__, sys.version))

    def snapshot_content(self):
        content = self.content_folder()
        self.content_stamp = self.stamps([content], skip={content / "posts", content / "pages"})

    def resume(self):
        """Take up the last builder's fingerprints when they are of the same code, settings and
        pictures, and its pages are still there; True when they are."""
        if self.memory_file is None or not self.output.is_dir():
            return False
        try:
            with self.memory_file.open("rb") as file:
                kept = pickle.load(file)
        except (OSError, EOFError, pickle.PickleError, AttributeError, ValueError):
            return False
        if not isinstance(kept, dict) or kept.get("session") != self.session():
            return False
        memory = self.memory
        memory.fingerprints, memory.outputs, memory.static = kept["fingerprints"], kept["outputs"], kept["static"]
        memory.epoch = kept["epoch"]
        # The names each template uses (parsing every template takes a second): the session
        # says the theme and the plugins are as they were.
        self.template_names.known.update(kept.get("template_names", {}))
        self.kept_texts = kept.get("texts", {})
        self.contents_to_take_up = True  # once Pelican has loaded the plugins, whose classes they hold
        return True

    def keep_contents(self):
        """Keep the posts and pages as read for the next builder (when it stops): its first
        build then reads only the files changed since, as a save's build does (reading a
        thousand posts again from Pelican's reader cache takes a second and a half)."""
        if self.contents_file is None or not self.contents.kept:
            return
        staging = self.contents_file.with_name(f".{self.contents_file.name}.{os.getpid()}")
        try:
            with staging.open("wb") as file:
                pickle.dump({"session": self.session(), "kept": self.contents.kept}, file,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(staging, self.contents_file)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
            staging.unlink(missing_ok=True)
            log.debug("The posts read were not kept for the next start: %s", error)

    def take_up_contents(self):
        """The posts and pages the last builder kept, when read with the same code, settings and
        pictures (each is used only while its file's stamp is the same)."""
        if self.contents_file is None:
            return
        try:
            with self.contents_file.open("rb") as file:
                kept = pickle.load(file)
        except (OSError, EOFError, pickle.PickleError, AttributeError, ValueError, ImportError, TypeError):
            return
        if isinstance(kept, dict) and kept.get("session") == self.session():
            self.contents.kept.update(kept["kept"])

    def text_stamps(self):
        """{posts/x.md: (modification time, size)} of every file under the posts' and pages' folders."""
        root = self.content_folder()
        found = {}
        for folder in TEXT_FOLDERS:  # content/posts/ -> <the content folder>/posts
            for where, _, files in os.walk(root / folder.partition("/")[2]):
                for name in files:
                    path = os.path.join(where, name)
                    try:
                        status = os.stat(path)
                    except OSError:
                        continue
                    found[Path(path).relative_to(root).as_posix()] = (status.st_mtime_ns, status.st_size)
        return found

    def keep(self):
        """Keep this build's fingerprints for the next builder (written in one step)."""
        if self.memory_file is None:
            return
        memory = self.memory
        kept = {"session": self.session(), "fingerprints": memory.fingerprints, "outputs": memory.outputs,
                "static": memory.static, "epoch": memory.epoch, "template_names": self.template_names.known,
                "texts": self.texts_built}
        self.memory_file.parent.mkdir(parents=True, exist_ok=True)
        staging = self.memory_file.with_name(f".{self.memory_file.name}.{os.getpid()}")
        with staging.open("wb") as file:
            pickle.dump(kept, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(staging, self.memory_file)

    def forget(self):
        """The pages on disk may no longer be what the kept fingerprints say (a failed build)."""
        if self.memory_file is not None:
            self.memory_file.unlink(missing_ok=True)

    def settings(self, output):
        os.chdir(self.project)  # the settings name folders relative to the project
        caching = KEPT_CACHING if self.contents.kept else CACHING
        settings = read_settings(str(self.project / self.settings_file),
                                 override={**self.overrides, **caching, "OUTPUT_PATH": str(output)})
        settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "bytecode_cache": self.compiled}
        # The index is made by index(), after the pages are served.
        settings["SEARCH"] = {**(settings.get("SEARCH") or {}), "deferred": True}
        if self.problems_file:
            settings["CONTENT_CHECKS"] = {**(settings.get("CONTENT_CHECKS") or {}),
                                          "problems_file": str(self.problems_file)}
        return settings

    # --- signal receivers (only for this site's Pelican) ---------------------------------------
    def supply_writer(self, pelican):
        return self.writer_class if pelican is self.pelican else None

    def attach_contents(self, generator):
        if self.pelican is not None and generator.settings is self.pelican.settings:
            if self.contents_to_take_up:
                self.contents_to_take_up = False
                self.take_up_contents()
            self.contents.attach(generator)

    def remember_generators(self, generators):
        self.generators = self.memory.generators = generators
        self.memory.context = generators[0].context if generators else {}

    # --- builds ---------------------------------------------------------------------------------
    def start(self):
        """The first build: fully, into a fresh folder put in place of the output when it worked;
        or, when the last builder's fingerprints are kept (`memory_file`) and still hold, in place,
        rendering only the pages whose fingerprint changed since."""
        started = self.started = time.perf_counter()
        self.snapshot_content()
        self.resumed = self.resume()
        if self.resumed:
            # The posts saved since the last builder kept its pages (or while this one started)
            # are written first, and said visible, as after a save.
            self.memory.awaited = {source for source, stamp in self.text_stamps().items()
                                   if self.kept_texts.get(source) != stamp}
            self.memory.on_visible = self.visible if self.on_visible else None
            try:
                self.run(self.output)
            finally:
                self.memory.awaited, self.memory.on_visible = set(), None
            return time.perf_counter() - started
        self.forget()
        staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-building-", dir=self.output.parent))
        try:
            self.run(staging)
            staging.chmod(0o755)
            tools.build.replace(self.output, staging)
            self.keep()
        finally:
            tools.build.shutil.rmtree(staging, ignore_errors=True)
        return time.perf_counter() - started

    def build(self, changed=()):
        """Build again after `changed` (paths relative to the project); returns (seconds, pages written)."""
        started = self.started = time.perf_counter()
        if any(not str(path).startswith(TEXT_FOLDERS) for path in changed):
            self.memory.epoch += 1
            self.snapshot_content()
            self.contents.clear()  # a picture may change what a post is made of: every file is read again
        # The changed posts and pages still there: once their pages are written, they are visible.
        sources = [str(path).partition("/")[2] for path in changed if str(path).startswith(TEXT_FOLDERS)]
        self.memory.awaited = {source for source in sources if (self.content_folder() / source).is_file()}
        self.memory.on_visible = self.visible if self.on_visible else None
        first = None
        if self.on_visible and len(changed) == 1 and len(self.memory.awaited) == 1:
            first = self.write_first_page(next(iter(self.memory.awaited)))
            if first is not None:
                self.memory.awaited = set()
                self.visible()
        try:
            self.run(self.output)
        except BuildFailed:
            if first is not None:
                first.undo()  # the last good build's page, as the rest of the site
            raise
        finally:
            self.memory.awaited, self.memory.on_visible = set(), None
        if first is not None:
            self.written += first.written
        return time.perf_counter() - started, self.written

    def write_first_page(self, source):
        """The page of one post whose text alone changed (its fields as before), written before
        the build: the file is read again alone, takes from its last build's self what the whole
        site decides (neighbours, related posts, tag spellings, address), and is rendered in that
        build's site. The build that follows writes the page again if it differs. Returns the
        writer (to undo it if that build fails), or None when the page could not be made so."""
        found = [(generator, content) for generator in self.generators for content in pelican_content.contents([generator])
                 if content.source_path == os.path.abspath(os.path.join(generator.path, source))]
        kept = self.contents.kept.get(found[0][1].source_path) if len(found) == 1 else None
        if kept is None or not isinstance(found[0][0], (ArticlesGenerator, PagesGenerator)):
            return None
        generator, before = found[0]
        logging.disable(logging.CRITICAL)  # the build that follows says every problem, once
        try:
            content = read_again(generator, before)
            if (isinstance(content, SkipStub) or not content.is_valid() or content.status != before.status
                    or fields(content) != fields(kept[1])):
                return None
            take_what_the_site_gave(content, before)
            one_post_steps.post_read_alone.send(content, settings=generator.settings)
            writer = FirstPageWriter(str(self.output), settings=generator.settings)
            try:
                write_own_page(writer, generator, content)
            except Exception:
                writer.undo()
                raise
            return writer
        except Exception:  # noqa: BLE001 (the build that follows says what is wrong)
            return None
        finally:
            logging.disable(logging.NOTSET)

    def content_folder(self):
        return Path(self.overrides.get("PATH") or self.project / "content").resolve()

    def visible(self):
        self.memory.on_visible = None  # said once per build
        if self.on_visible:
            self.on_visible(time.perf_counter() - self.started)

    def run(self, output):
        self.texts_built = self.text_stamps() if self.memory_file else {}  # before reading them
        forget_repeated_warnings()
        forget_memoized_html()  # the last build's posts are not used again
        self.contents.forget_missing()
        pelican = self.pelican = Pelican(self.settings(output))
        root = self.memory.content_root = Path(pelican.settings["PATH"]).resolve()
        self.memory.writer = None
        self.written = 0
        try:
            pelican.run()
        except (Exception, SystemExit) as error:
            if self.memory.writer is not None:
                self.memory.writer.undo()  # the preview keeps showing the last good build
            self.forget()
            raise BuildFailed(messages.located(error, str(error) or type(error).__name__)) from error
        writer = self.memory.writer
        assert writer is not None, "Pelican.run() makes its writer (get_writer) before it writes anything"
        self.written = writer.finish()
        self.remove_stale(output, writer.outputs)
        if self.pages_file:
            self.write_pages(self.pages_file, root)
        if output == self.output:  # not the first build's staging folder until it is put in place
            self.keep()

    def write_pages(self, pages_file, root):
        """Write to `pages_file` {page file: its source file relative to `root`, the content folder}
        of every post and page."""
        pages = {}
        for content in pelican_content.contents(self.generators):
            source = Path(content.source_path).resolve()
            if content.save_as and source.is_relative_to(root):
                pages[content.save_as] = source.relative_to(root).as_posix()
        pages_file.parent.mkdir(parents=True, exist_ok=True)
        staging = pages_file.with_name(f".{pages_file.name}.{os.getpid()}")
        staging.write_text(json.dumps(pages, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(staging, pages_file)

    def remove_stale(self, output, outputs):
        """Delete the pages and static files the last build had and this one (`outputs`) has not."""
        static = {item.save_as for generator in self.generators for item in getattr(generator, "staticfiles", [])}
        for name in (self.memory.outputs - outputs) | (self.memory.static - static):
            path = Path(output) / name
            path.unlink(missing_ok=True)
            self.memory.fingerprints.pop(name, None)
            for folder in path.parents:
                if folder == Path(output) or any(folder.iterdir()):
                    break
                folder.rmdir()
        self.memory.outputs, self.memory.static = outputs, static

    def index(self):
        """Make the search index of the pages now in the output; returns seconds."""
        started = time.perf_counter()
        search = importlib.import_module(SEARCH_MODULE)
        if self.pelican is None:
            raise BuildFailed("There is no built site to index yet: the search index follows a build.")
        settings = self.pelican.settings
        try:
            search.index_site({**settings, "OUTPUT_PATH": str(self.output),
                               "SEARCH": {**settings["SEARCH"], "deferred": False}})
        except (Exception, SystemExit) as error:
            raise BuildFailed(str(error) or type(error).__name__) from error
        return time.perf_counter() - started


# --- the line protocol, both ends -----------------------------------------------------------------
@dataclass
class Answer:
    """One line of the builder's: `built <seconds> <pages written, or all>`, `indexed <seconds>`,
    or `failed` (also what is read from a builder that has stopped)."""

    ok: bool
    seconds: float = 0.0
    written: int | None = None  # pages a build wrote; None after the first build (all) and an index

    @classmethod
    def parse(cls, line):
        words = line.split()
        if words[:1] == [INDEX_FAILED]:
            return cls(False)
        if len(words) >= 2 and words[0] in ("built", "indexed"):
            written = int(words[2]) if words[0] == "built" and words[2:3] != ["all"] else None
            return cls(True, float(words[1]), written)
        return cls(False)


def built_line(seconds, written="all"):
    return f"built {seconds:.3f} {written}"


def indexed_line(seconds):
    return f"indexed {seconds:.3f}"


def visible_line(seconds):
    return f"visible {seconds:.3f}"


FAILED = "failed"
INDEX_FAILED = "index-failed"


class Indexer:
    """Makes the search index in a thread beside the builds, one after the other: each `index`
    asked is answered once an index begun after it is made."""

    def __init__(self, site, answer):
        self.site, self.answer = site, answer
        self.asked = self.done = 0
        self.closing = False
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self.run, name="search index")
        self.thread.start()

    def ask(self):
        with self.changed:
            self.asked += 1
            self.changed.notify_all()

    def run(self):
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.asked > self.done or self.closing)
                if self.asked == self.done:
                    return  # closing, nothing left to index
                asked = self.asked
            try:
                line = indexed_line(self.site.index())
            except BuildFailed as error:
                log.error("%s", error)
                line = INDEX_FAILED
            for _ in range(asked - self.done):
                self.answer(line)
            self.done = asked

    def close(self):
        """Wait for the indexes asked to be made."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        self.thread.join()


def serve(site, commands, answers):
    """Answer BuilderProcess's lines until stdin closes (and the indexes asked are made)."""
    lock = threading.Lock()

    def answer(line):
        with lock:
            answers.write(line + "\n")
            answers.flush()

    site.on_visible = lambda seconds: answer(visible_line(seconds))
    indexer = Indexer(site, answer)
    try:
        for line in commands:
            command, _, argument = line.strip().partition(" ")
            try:
                if command == "build":
                    answer(built_line(*site.build(json.loads(argument or "[]"))))
                elif command == "index":
                    indexer.ask()
            except BuildFailed as error:
                log.error("%s", error)
                answer(FAILED)
    finally:
        indexer.close()


class BuilderProcess:
    """This module in a child process, as tools/devserver.py and the tests drive it: one line
    asked, one line answered (an Answer). `options`: main()'s command-line options; `stderr`:
    where its messages go (the terminal when None)."""

    def __init__(self, *options, stderr=None):
        self.command = [sys.executable, "-m", "tools.site_in_memory", *map(str, options)]
        self.stderr = stderr
        self.process: subprocess.Popen[str] | None = None
        self.indexes = 0  # indexes asked whose answer is not read yet
        self.last_index = Answer(True)

    def start(self, visible=None):
        """A fresh builder (any running one stopped first); answers for its first, full build.
        `visible`: as for build(), for the posts saved since the last builder's pages."""
        self.stop()
        self.process = subprocess.Popen(self.command, cwd=PROJECT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.indexes = 0
        return self.answer(visible)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def build(self, changed, visible=None):
        """Build again after `changed`, paths relative to the project (content/posts/x.md).
        `visible`: called with no argument when the changed posts' pages are written, before the
        rest of the site (not called when the build wrote no such page)."""
        return self.ask("build " + json.dumps([str(path) for path in changed]), visible)

    def index(self):
        """Make the search index of the pages built; answers once it is made."""
        if not self.index_later():
            return Answer(False)
        while self.indexes:
            if self.read_one() is not None:  # not an index's line: the builder has stopped
                return Answer(False)
        return self.last_index

    def index_later(self):
        """Ask for the search index without waiting for it: builds asked meanwhile run at once
        (the answer is read, and left aside, by the next build's or index's)."""
        if not self.send("index"):
            return False
        self.indexes += 1
        return True

    def send(self, line):
        if self.process is None or self.process.stdin is None:  # not started, or stopped
            return False
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return False
        return True

    def ask(self, line, visible=None):
        if not self.send(line):
            return Answer(False)
        return self.answer(visible)

    def read_one(self, visible=None):
        """Reads one line: an index's answer is kept aside (None returned); a build's or a
        failure is returned as its Answer; `visible` is called for a visible line."""
        output = self.process.stdout if self.process else None
        line = output.readline() if output else ""
        if not line:  # the builder has stopped
            self.indexes = 0
            return Answer(False)
        word = line.split(" ", 1)[0].strip()
        if word == "visible":
            if visible:
                visible()
            return None
        if word in ("indexed", INDEX_FAILED):
            self.indexes = max(0, self.indexes - 1)
            self.last_index = Answer.parse(line)
            return None
        return Answer.parse(line)

    def answer(self, visible=None):
        while True:
            found = self.read_one(visible)
            if found is not None:
                return found

    def stop(self, timeout=10):
        process, self.process = self.process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", default=str(PROJECT))
    parser.add_argument("--output", default="output")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--content", help="another content folder (the benchmarks' generated posts)")
    parser.add_argument("--cache", help="another cache folder")
    parser.add_argument("--problems", help="write each build's content problems here, as JSON")
    parser.add_argument("--pages", help="write each build's {page file: source file} here, as JSON")
    parser.add_argument("--memory", help="keep the pages' fingerprints here, so that the next builder on the "
                                         "same output renders only what changed meanwhile")
    args = parser.parse_args(argv)
    overrides = {"PATH": str(Path(args.content).resolve())} if args.content else {}
    if args.cache:
        overrides["CACHE_PATH"] = str(Path(args.cache).resolve())
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr  # Pelican's own words go to the terminal; stdout carries the answers
    messages.install()
    site = SiteInMemory(args.project, args.output, args.settings, overrides, args.problems, args.pages, args.memory)

    def say_visible(seconds):  # during the first build; serve() says it for the builds after
        answers.write(visible_line(seconds) + "\n")
        answers.flush()

    site.on_visible = say_visible
    try:
        try:
            seconds = site.start()
            answers.write(built_line(seconds, site.written if site.resumed else "all") + "\n")
        except BuildFailed as error:
            log.error("%s", error)
            answers.write(FAILED + "\n")
        answers.flush()
        serve(site, sys.stdin, answers)
    except KeyboardInterrupt:
        pass  # Ctrl+C in the preview's window reaches this process too: the preview says it stopped
    finally:
        try:
            site.keep_contents()
        except KeyboardInterrupt:
            pass  # a second Ctrl+C: the next start reads the posts from the reader cache


if __name__ == "__main__":
    main()

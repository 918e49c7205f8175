"""The preview's builder: one Pelican kept alive, writing only the pages a change touches.

`make devserver` runs this as a child process (python -m tools.site_in_memory) and sends it a
line per change; it answers a line per build. Kept in memory between builds:

- the posts' converted HTML (Pelican's reader cache, normally a file read and written at every
  build), so only the files that changed are read again;
- for every page written, a fingerprint of what its template used (the post, its neighbours and
  related posts, the ten posts of a list page, the tags...). A build renders a page only when
  that fingerprint changed: editing one post's text renders the post, the pages that show it
  (neighbours, related posts, its list and tag pages) and the whole-site pages (archives, tags).

Pages go to the output folder when the build has finished, each replaced in one step, and only
if their bytes changed; a build that fails writes nothing. Pages of deleted posts are removed.
The search index follows a moment after the pages, in a second step (`index`), so the browser
reloads without waiting for Pagefind.

A change to the theme, the plugins or the settings needs a fresh process: devserver starts one.
The test tests/test_incremental.py checks that the output equals a fresh full build.

Every build says every current problem (tools/messages: the same paragraphs as `make html`;
Pelican's once-per-process memory of what it said is forgotten before each build). For the
preview's pages, `--problems FILE` has content_checks write the build's problems there as JSON,
and `--pages FILE` writes which source file (relative to the content folder) each page was made
from: {"post/x/index.html": "posts/x.md"}.

Protocol, one line each way:  build [changed paths as JSON]  ->  built <seconds> <pages written>
                               index                          ->  indexed <seconds>
                               (a failure answers: failed)
"""

import argparse
import hashlib
import importlib
import io
import json
import logging
import os
import re
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from jinja2 import meta
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.paginator import Page as ListPage
from pelican.paginator import Paginator
from pelican.settings import read_settings
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

import tools.build
from tools import messages

PROJECT = Path(__file__).resolve().parent.parent
# Changes under these folders are posts and pages; any other change to content (pictures,
# extra files) may show on any page, so every page is rendered again (but written only if changed).
TEXT_FOLDERS = ("content/posts/", "content/pages/")
INTRASITE_LINK = re.compile(r"[{|](filename|static|attach|index|tag|category|author)[}|]")
log = logging.getLogger(__name__)


class Memory:
    """What outlives one build: the reader caches and each page's fingerprint."""

    def __init__(self):
        self.reader_caches = {}  # generator class name -> Pelican's {path: (stamp, (html, metadata))}
        self.fingerprints = {}  # output file (relative) -> fingerprint of what rendered it
        self.outputs = set()  # every page and feed the last build wrote or kept
        self.static = set()  # every static file of the last build
        self.epoch = 0  # bumped when a change may show on every page
        self.writer = None  # the writer of the build under way


class Fingerprints:
    """Fingerprints of the values a template is given, computed once per value in a build."""

    def __init__(self, epoch):
        self.epoch = epoch
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
                 if name not in ("_context", "settings")]
        parts.append(("epoch", self.epoch))
        if INTRASITE_LINK.search(content._content or ""):
            # {filename}other.md resolves to that post's current address: depends on the whole site.
            parts.append(("site", self.of(content._context.get("generated_content"), shallow=True)))
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


class SelectiveWriter(Writer):
    """Pelican's writer, but a page whose fingerprint is unchanged is neither rendered nor written,
    and the others are held until the build has finished (commit())."""

    memory = None  # set on the subclass made by SiteInMemory
    template_names = None

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.memory.writer = self  # so that SiteInMemory can commit this build's pages
        self.fingerprints = Fingerprints(self.memory.epoch)
        self.rendered = {}  # absolute path -> text, written by commit()
        self.new_fingerprints = {}
        self.outputs = set()
        self.skip_next_open = False

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, SelectiveTemplate(template, self), context, *args, **kwargs)

    def fingerprint(self, template, localcontext):
        names = self.template_names.of(template)
        if names is None:
            names = localcontext.keys()
        # Settings (capitals) are the same for the life of the process.
        used = sorted(name for name in names if name in localcontext and not name.isupper())
        return digest((template.name, [(name, self.fingerprints.of(localcontext[name])) for name in used]))

    def render(self, template, localcontext):
        output_file = localcontext["output_file"]
        self.outputs.add(output_file)
        fingerprint = self.fingerprint(template, localcontext)
        unchanged = self.memory.fingerprints.get(output_file) == fingerprint
        if unchanged and os.path.exists(os.path.join(self.output_path, output_file)):
            self.skip_next_open = True
            return ""
        self.new_fingerprints[output_file] = fingerprint
        return template.render(localcontext)

    def _open_w(self, filename, encoding, override=False):
        # Pelican's rule for two outputs at one address: an error, unless one says override.
        if filename in self._overridden_files:
            if override:
                raise RuntimeError(f'Failed to overwrite "{filename}" a second time')
            self.skip_next_open = True
        elif filename in self._written_files and not override:
            raise RuntimeError(f'Failed to overwrite "{filename}": Pelican has already written to it')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        self.outputs.add(os.path.relpath(filename, self.output_path))
        if self.skip_next_open:
            self.skip_next_open = False
            return open(os.devnull, "w", encoding=encoding)
        return HeldFile(self.rendered, filename)

    def commit(self):
        """Write the rendered pages whose bytes changed, each replaced in one step; returns how many."""
        written = 0
        for path, text in self.rendered.items():
            data = text.encode("utf-8")
            try:
                if Path(path).read_bytes() == data:
                    continue
            except OSError:
                pass
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".writing-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
            written += 1
        self.memory.fingerprints.update(self.new_fingerprints)
        return written


class SelectiveTemplate:
    """A template whose render() asks the writer first."""

    def __init__(self, template, writer):
        self.template, self.writer = template, writer
        self.name = template.name

    def render(self, localcontext):
        return self.writer.render(self.template, localcontext)


class HeldFile(io.StringIO):
    """A file opened for writing whose text is kept in `held` on close."""

    def __init__(self, held, path):
        super().__init__()
        self.held, self.path = held, path

    def close(self):
        self.held[self.path] = self.getvalue()
        super().close()


class BuildFailed(Exception):
    pass


class SiteInMemory:
    """Builds the site at `project` into `output`: the first time fully into a fresh folder, then
    only what changed."""

    def __init__(self, project=PROJECT, output="output", settings_file="pelicanconf.py", overrides=None,
                 problems_file=None, pages_file=None):
        self.project = Path(project).resolve()
        self.output = (self.project / output).resolve()
        self.settings_file = settings_file
        self.overrides = dict(overrides or {})
        self.problems_file = Path(problems_file).resolve() if problems_file else None
        self.pages_file = Path(pages_file).resolve() if pages_file else None
        self.memory = Memory()
        self.writer_class = type("SelectiveWriter", (SelectiveWriter,),
                                 {"memory": self.memory, "template_names": TemplateNames()})
        self.generators = []
        self.pelican = None
        # Connected before the plugins, so that the pages are on disk before the plugins that read
        # them (the headers' hashes) run at `finalized`.
        signals.get_writer.connect(self.supply_writer, weak=False)
        signals.all_generators_finalized.connect(self.remember_generators, weak=False)
        signals.finalized.connect(self.commit_pages, weak=False)
        signals.article_generator_init.connect(self.keep_reader_cache, weak=False)
        signals.page_generator_init.connect(self.keep_reader_cache, weak=False)

    def settings(self, output):
        os.chdir(self.project)  # the settings name folders relative to the project
        settings = read_settings(str(self.project / self.settings_file),
                                 override={**self.overrides, "OUTPUT_PATH": str(output)})
        # The index is made by index(), after the pages are served.
        settings["SEARCH"] = {**(settings.get("SEARCH") or {}), "deferred": True}
        if self.problems_file:
            settings["CONTENT_CHECKS"] = {**(settings.get("CONTENT_CHECKS") or {}),
                                          "problems_file": str(self.problems_file)}
        return settings

    # --- signal receivers (only for this site's Pelican) ---------------------------------------
    def supply_writer(self, pelican):
        return self.writer_class if pelican is self.pelican else None

    def remember_generators(self, generators):
        self.generators = generators

    def commit_pages(self, pelican):
        if pelican is self.pelican and self.memory.writer is not None:
            self.written = self.memory.writer.commit()

    def keep_reader_cache(self, generator):
        """Pelican's reader cache (a private part of its Readers), kept here between builds instead
        of loaded from and saved to a file each time. The first build loads and saves it as usual."""
        caches, name, readers = self.memory.reader_caches, type(generator).__name__, generator.readers
        if name in caches:
            readers._cache = caches[name]
            readers.save_cache = lambda: None
        elif readers._cache_data_policy:
            caches[name] = readers._cache

    # --- builds ---------------------------------------------------------------------------------
    def start(self):
        """The first build: fully, into a fresh folder put in place of the output when it worked."""
        started = time.perf_counter()
        staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-building-", dir=self.output.parent))
        try:
            self.run(staging)
            staging.chmod(0o755)
            tools.build.replace(self.output, staging)
        finally:
            tools.build.shutil.rmtree(staging, ignore_errors=True)
        return time.perf_counter() - started

    def build(self, changed=()):
        """Build again after `changed` (paths relative to the project); returns (seconds, pages written)."""
        started = time.perf_counter()
        if any(not str(path).startswith(TEXT_FOLDERS) for path in changed):
            self.memory.epoch += 1
        self.run(self.output)
        return time.perf_counter() - started, self.written

    def run(self, output):
        messages.forget_repeats()
        self.pelican = Pelican(self.settings(output))
        self.memory.writer = None
        self.written = 0
        try:
            self.pelican.run()
        except (Exception, SystemExit) as error:
            raise BuildFailed(messages.located(error, str(error) or type(error).__name__)) from error
        self.remove_stale(output)
        if self.pages_file:
            self.write_pages()

    def write_pages(self):
        """{page file: its source file relative to the content folder} of every post and page."""
        root = Path(self.pelican.settings["PATH"]).resolve()
        pages = {}
        for generator in self.generators:
            for name in ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                         "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations"):
                for content in getattr(generator, name, []):
                    source = Path(content.source_path).resolve()
                    if content.save_as and source.is_relative_to(root):
                        pages[content.save_as] = source.relative_to(root).as_posix()
        self.pages_file.parent.mkdir(parents=True, exist_ok=True)
        staging = self.pages_file.with_name(f".{self.pages_file.name}.{os.getpid()}")
        staging.write_text(json.dumps(pages, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(staging, self.pages_file)

    def remove_stale(self, output):
        """Delete the pages and static files the last build had and this one has not."""
        outputs = self.memory.writer.outputs
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
        search_index = importlib.import_module("search_index.search_index")
        settings = self.pelican.settings
        try:
            search_index.index_site({**settings, "OUTPUT_PATH": str(self.output),
                                     "SEARCH": {**settings["SEARCH"], "deferred": False}})
        except (Exception, SystemExit) as error:
            raise BuildFailed(str(error) or type(error).__name__) from error
        return time.perf_counter() - started


def serve(site, commands, answers):
    """Answer the devserver's lines until stdin closes."""

    def answer(line):
        answers.write(line + "\n")
        answers.flush()

    for line in commands:
        command, _, argument = line.strip().partition(" ")
        try:
            if command == "build":
                seconds, written = site.build(json.loads(argument or "[]"))
                answer(f"built {seconds:.3f} {written}")
            elif command == "index":
                answer(f"indexed {site.index():.3f}")
        except BuildFailed as error:
            log.error("%s", error)
            answer("failed")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", default=str(PROJECT))
    parser.add_argument("--output", default="output")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--content", help="another content folder (the benchmarks' generated posts)")
    parser.add_argument("--cache", help="another cache folder")
    parser.add_argument("--problems", help="write each build's content problems here, as JSON")
    parser.add_argument("--pages", help="write each build's {page file: source file} here, as JSON")
    args = parser.parse_args(argv)
    overrides = {"PATH": str(Path(args.content).resolve())} if args.content else {}
    if args.cache:
        overrides["CACHE_PATH"] = str(Path(args.cache).resolve())
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr  # Pelican's own words go to the terminal; stdout carries the answers
    messages.install()
    site = SiteInMemory(args.project, args.output, args.settings, overrides, args.problems, args.pages)
    try:
        try:
            seconds = site.start()
            answers.write(f"built {seconds:.3f} all\n")
        except BuildFailed as error:
            log.error("%s", error)
            answers.write("failed\n")
        answers.flush()
        serve(site, sys.stdin, answers)
    except KeyboardInterrupt:
        pass  # Ctrl+C in the preview's window reaches this process too: the preview says it stopped


if __name__ == "__main__":
    main()

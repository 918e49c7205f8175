"""The one place where the project relies on private parts of Pelican (written for 4.12): the
preview's builder and the plugins import what they need of it from here.

The builder (tools/site_in_memory.py) otherwise keeps to Pelican's documented ground: its
`get_writer` signal, the Writer's public write_file() and write_feed(), the `content_written`
and `feed_written` signals, the generators' `context`, and its caching settings. Three needs
have no public way, and are met here, and nowhere else:

- how the writer opens a file for a page or a feed: the builder writes each in one step (a
  temporary file renamed over the old one, so the preview never serves half a page) and only
  when its bytes changed;
- a post's text as read, before Pelican resolves its {filename} links (the public `content`
  resolves them, and so depends on the whole site), to know whether it links to other posts;
- Pelican's memory of the warnings it has said (each only once per process): a builder that
  lives for many builds forgets it before each, so that every build lists every problem;
- for the preview's builder, the posts and pages kept from one build to the next: a generator
  asks for a file's content before reading it (the way Pelican's own generator-level cache
  answers), a kept post is given the new build's site to resolve its links in, and Pelican's
  memo of every post's HTML, which would otherwise keep every build's posts, is emptied;
- for the plugins, as pelican-plugins do: a post's HTML read and rewritten before Pelican
  resolves its links (headings lifted, pictures made responsive, words counted, links and
  scripts checked), and the summary Pelican made from it forgotten when the text changes it.

PRIVATE lists each private name with why it is needed; tests/test_pelican_adapter.py checks
them against the Pelican installed and, after an upgrade that changes one, fails with a sentence
naming the attribute and Pelican's version.
"""

import copy
import inspect
import re

import pelican
from pelican import readers
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import LimitFilter
from pelican.plugins import _utils
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

WRITTEN_FOR = "4.12"

# private name -> why it is needed
PRIVATE = {
    "Writer._open_w": "write_file() and write_feed() open every output file through it, in a `with` block "
                      "closed before their signal; Pelican has no public hook to write a file another way",
    "Content._content": "the text as read, before Pelican resolves its {filename} links, read and rewritten "
                        "by the plugins",
    "Content._summary": "the summary Pelican memoises, forgotten when a post's Summary field is emptied",
    "Content._context": "the site a post resolves its {filename} links in: a post kept from the build before "
                        "is given the new build's",
    "Generator.get_cached_data": "generate_context() asks it for each file's content before reading the file, "
                                 "and gives cache_data() each it read: the preview answers with the posts it keeps",
    "memoized.cache.clear": "Pelican's memo of each post's HTML and summary (Content.get_content, get_summary), which "
                            "keeps every post of every build of a long-running builder unless emptied",
    "LimitFilter._raised_messages": "Pelican's memory of the warnings said in this process",
    "LimitFilter._group_count": "Pelican's count of the grouped warnings said in this process",
    "pelican.console": "the rich Console Pelican prints its closing line and spinner through (module-wide, no "
                       "setting replaces it): the writer's messages print them as paragraphs",
    "readers._DISCARD": "the marker Pelican's readers give an empty field (Tags: with nothing after it), which "
                        "Pelican recognises only by identity: a post read in another process must hold this "
                        "process's marker, not a copy",
    "plugins._utils.load_plugins": "the plugins of the settings, imported as Pelican imports them, for a second "
                                   "process that reads posts (parallel_reading) without starting a whole build",
}
OPEN_SIGNATURE = "(self, filename, encoding, override=False)"


class WriterWithOpenHook(Writer):
    """Pelican's Writer (rendering, pagination, feeds, signals all its own), whose output files are
    opened by open_output(path, override), a method of the subclass, instead of by Pelican."""

    def open_output(self, path, override):
        """A text file-like object for the page or feed at `path` (absolute), which Pelican
        writes in a `with` block, ended before it sends content_written or feed_written;
        `override` as write_file(override_output=…)."""
        raise NotImplementedError

    # Writer._open_w (private): where Pelican's writer opens every output file; no public hook exists.
    def _open_w(self, filename, encoding, override=False):
        return self.open_output(filename, override)


def text_as_read(content):
    """A post's or page's text as its reader gave it, its {filename} links not yet resolved."""
    # Content._content (private): the public `content` resolves the links, which is what this avoids.
    return content._content


def replace_text(content, html):
    """Give a post or page new HTML (before Pelican resolves its links and writes it)."""
    # Content._content (private): what Pelican renders; `content` is a read-only property.
    content._content = html


def summarise_again(content):
    """Have Pelican make the summary again from the text (after the Summary field was removed)."""
    # Content._summary (private): Pelican's memo of the summary; no public way to clear it.
    vars(content).pop("_summary", None)


def ask_before_reading(generator, kept, keep):
    """Have `generator` (Pelican's articles or pages generator) call kept(path) for each file
    before reading it (a content returned is used as read), and keep(path, content) for each
    file it read."""
    # Generator.get_cached_data (private): generate_context() asks it first; cache_data() is given what it read.
    generator.get_cached_data = lambda path, default=None: kept(path) or default
    generator.cache_data = keep


def answers_before_reading(generator):
    """True when ask_before_reading() gave `generator` something that answers for the files it reads."""
    # Generator.get_cached_data (private): set on the instance by ask_before_reading, not on the class.
    return "get_cached_data" in vars(generator)


def give_site(content, context):
    """A post kept from the build before resolves its links in the new build's site."""
    # Content._context (private): the site a post's {filename} links resolve in; set only by its constructor.
    content._context = context


def forget_memoized_html():
    """Empty Pelican's memo of the posts' HTML and summaries (keyed by post: each build's posts
    would stay in memory for the life of the builder)."""
    for method in (Content.get_content, Content.get_summary):
        # memoized.cache.clear (private): the memo of a memoized method; no public way to empty it.
        method.cache.clear()


def forget_repeated_warnings():
    """Have Pelican say again, in this build, the warnings it said in the builds before (its
    LOG_FILTER, messages never to print, still holds)."""
    # LimitFilter._raised_messages (private): the warnings said once; no public way to reset it.
    LimitFilter._raised_messages.clear()
    # LimitFilter._group_count (private): the grouped warnings' counts; no public way to reset it.
    LimitFilter._group_count.clear()


def print_pelicans_lines_with(printer):
    """Have Pelican print its own lines (its closing "Done: Processed …", its spinner) through
    `printer`, an object with the print(), status() and print_exception() of rich's Console."""
    # pelican.console (private): the module-wide Console Pelican's functions print through.
    pelican.console = printer


def discard_marker():
    """The marker Pelican's readers give a field left empty, dropped by identity after reading."""
    # readers._DISCARD (private): compared with `is`; no public name for it.
    return readers._DISCARD


def register_plugins(settings):
    """Import and register the plugins of `settings` as Pelican does, without a build (no
    `initialized` signal): for a process that only reads posts."""
    # plugins._utils.load_plugins (private): the only way to load PLUGINS from PLUGIN_PATHS as Pelican does.
    for plugin in _utils.load_plugins(settings):
        plugin.register()


def problems():
    """What differs, in the Pelican installed, from what PRIVATE relies on: one sentence each,
    naming the attribute and the version; empty when nothing does."""
    found = []

    def missing(name, what):
        found.append(f"Pelican {pelican.__version__} changed {name}: {what} (plugins/shared/pelican_adapter.py was "
                     f"written for Pelican {WRITTEN_FOR}, and needs it for {PRIVATE[name]}).")

    if not callable(getattr(Writer, "_open_w", None)):
        missing("Writer._open_w", "pelican.writers.Writer has no method _open_w any more")
    elif str(inspect.signature(Writer._open_w)) != OPEN_SIGNATURE:
        missing("Writer._open_w", f"its signature is {inspect.signature(Writer._open_w)}, "
                                  f"not {OPEN_SIGNATURE}")
    text = "<p>See {filename}other.md</p>"
    try:
        read = text_as_read(Content(text, settings=copy.deepcopy(DEFAULT_CONFIG)))
    except AttributeError:
        missing("Content._content", "pelican.contents.Content has no attribute _content any more")
    else:
        if read != text:
            missing("Content._content", f"it holds {read!r} for a post whose text is {text!r}")
    post = Content(text, metadata={"summary": "<p>Given.</p>"}, settings=copy.deepcopy(DEFAULT_CONFIG))
    if getattr(post, "_summary", None) != "<p>Given.</p>":
        missing("Content._summary", "pelican.contents.Content no longer keeps its summary in _summary")
    if not hasattr(Content("", settings=copy.deepcopy(DEFAULT_CONFIG)), "_context"):
        missing("Content._context", "pelican.contents.Content keeps no _context any more")
    for generator in (ArticlesGenerator, PagesGenerator):
        source = inspect.getsource(generator.generate_context)
        if not re.search(r"self\.get_cached_data\(", source) or not re.search(r"self\.cache_data\(", source):
            missing("Generator.get_cached_data", f"{generator.__name__}.generate_context no longer asks "
                                                 "get_cached_data() and cache_data()")
    for method in ("get_content", "get_summary"):
        if not callable(getattr(getattr(getattr(Content, method, None), "cache", None), "clear", None)):
            missing("memoized.cache.clear", f"pelican.contents.Content.{method} has no memo to empty any more")
    for name in ("LimitFilter._raised_messages", "LimitFilter._group_count"):
        attribute = name.partition(".")[2]
        if not callable(getattr(getattr(LimitFilter, attribute, None), "clear", None)):
            missing(name, f"pelican.log.LimitFilter has no {attribute} to clear any more")
    if not hasattr(pelican, "console"):
        missing("pelican.console", "the pelican module has no console any more")
    marker = getattr(readers, "_DISCARD", None)
    if marker is None or readers._filter_discardable_metadata({"tags": marker}) != {}:
        missing("readers._DISCARD", "pelican.readers no longer drops its _DISCARD marker by identity")
    if not callable(getattr(_utils, "load_plugins", None)):
        missing("plugins._utils.load_plugins", "pelican.plugins._utils has no load_plugins any more")
    return found

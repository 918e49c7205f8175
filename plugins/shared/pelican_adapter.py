"""The one place where the project relies on private parts of Pelican (written for 4.12): the
preview's builder and the plugins import what they need of it from here.

The builder (tools/site_in_memory.py) otherwise keeps to Pelican's documented ground: its
`get_writer` signal, the Writer's public write_file() and write_feed(), the `content_written`
and `feed_written` signals, the generators' `context`, and its caching settings. These needs
have no public way, and are met here, and nowhere else:

- how the writer opens a file for a page or a feed: the builder writes each in one step (a
  temporary file renamed over the old one, so the preview never serves half a page) and only
  when its bytes changed; opening its files itself, it applies Pelican's rules (and words) for
  two outputs at one address;
- one post's page written ahead of the rest of the site (the page the writer is looking at): the
  post read again alone as its generator reads each file, given what the site gave its last
  build's self, and written with the signal and template variables its generator gives it;
- a post's text as read, before Pelican resolves its {filename} links (the public `content`
  resolves them, and so depends on the whole site), to know whether it links to other posts;
- Pelican's memory of the warnings it has said (each only once per process): a builder that
  lives for many builds forgets it before each, so that every build lists every problem;
- for the preview's builder, the posts and pages kept from one build to the next: a generator
  asks for a file's content before reading it (the way Pelican's own generator-level cache
  answers), each build gets a copy of each kept post (made from its attributes, not read again),
  given the new build's site to resolve its links in, and Pelican's memo of every post's HTML,
  which would otherwise keep every build's posts, is emptied;
- for the plugins, as pelican-plugins do: a post's HTML read and rewritten before Pelican
  resolves its links (headings lifted, pictures made responsive, words counted, links and
  scripts checked), and the summary Pelican made from it forgotten when the text changes it.

PRIVATE lists each private name (or each part of Pelican copied here) with why it is needed;
problems() checks them against the Pelican installed and tests/test_pelican_adapter.py fails,
after an upgrade that changes one, with a sentence naming it and Pelican's version.
"""

import ast
import copy
import inspect
import os
import re
import tempfile
import textwrap
from types import SimpleNamespace

import pelican
from pelican import readers, signals
from pelican.contents import Content, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import LimitFilter
from pelican.plugins import _utils
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Tag, URLWrapper
from pelican.writers import FileOverwriteFailedError, Writer

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
    "Writer._open_w's rules": "copied: a writer that opens its files itself (the preview's) refuses, as Pelican "
                              "does and in its words, two outputs at one address, unless one says override, "
                              "which then wins",
    "ArticlesGenerator.generate_articles": "copied, its call for one post: the preview writes a saved post's "
                                          "page ahead of the rest of the site, with the signal and template "
                                          "variables its generator gives it",
    "ArticlesGenerator.generate_drafts": "copied, its call for one draft, for the same reason",
    "PagesGenerator.generate_output": "copied, its call for one page, for the same reason",
    "Readers.read_file": "its keyword arguments, as the generators give them (the signals before and after "
                         "reading, the content class): the preview reads a saved post again alone, as its "
                         "generator reads each file",
    "Content.__dict__": "a post is copied attribute by attribute, without its constructor (which would read "
                        "it again): the preview gives each build a copy of each post kept, and a post read "
                        "again alone what the build's steps gave its last build's self",
    "URLWrapper._slug": "where a tag or category memoises its slug (slugify is slow): made once, then copied "
                        "with every copy of a post",
}
OPEN_SIGNATURE = "(self, filename, encoding, override=False)"
READ_FILE_SIGNATURE = ("(self, base_path, path, content_class=<class 'pelican.contents.Page'>, fmt=None, "
                       "context=None, preread_signal=None, preread_sender=None, context_signal=None, "
                       "context_sender=None)")


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


class OverwriteRules:
    """The outputs a writer that opens its files itself has opened in a build, and Pelican's rules
    for two at one address: an error, unless one of them says override, which then wins."""

    def __init__(self):
        self.opened = set()
        self.overridden = set()

    def may_write(self, path, override):
        """True when the output at `path` is to be written, False when it is to be left out (another
        said override); raises Pelican's FileOverwriteFailedError when neither may win."""
        # Writer._open_w's rules (private): copied with their words (the hook replaces the method holding them).
        skip = False
        if path in self.overridden:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{path}" a second time '
                                               "(was previously overwritten)")
            skip = True
        elif path in self.opened and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{path}" as Pelican has already '
                                           "written to it previously (set `override=True` if intended)")
        if override:
            self.overridden.add(path)
        self.opened.add(path)
        return not skip

    def forget(self, path):
        """Let `path` be written again as if for the first time (its first writing was ahead of its turn)."""
        self.opened.discard(path)
        self.overridden.discard(path)


def own_page_write(generator, content):
    """How `generator` (articles or pages) writes the own page of `content`, one of its posts or
    pages: (the signal it sends first, or None; the keyword arguments of its write_file() call
    beside the file's name, template and context); None for any other generator."""
    settings = generator.settings
    override = hasattr(content, "override_save_as")
    if isinstance(generator, ArticlesGenerator) and content.status == "draft":
        # ArticlesGenerator.generate_drafts (private): copied, its call for one draft (it writes them all).
        return None, {"article": content, "category": content.category, "override_output": override, "blog": True,
                      "all_articles": generator.articles, "url": content.url,
                      "relative_urls": settings["RELATIVE_URLS"]}
    if isinstance(generator, ArticlesGenerator):
        # ArticlesGenerator.generate_articles (private): copied, its call for one post (it writes them all).
        return signals.article_generator_write_article, {
            "article": content, "category": getattr(content, "category", None), "override_output": override,
            "url": content.url, "blog": True, "relative_urls": settings["RELATIVE_URLS"]}
    if isinstance(generator, PagesGenerator):
        # PagesGenerator.generate_output (private): copied, its call for one page (it writes them all).
        return signals.page_generator_write_page, {"page": content, "relative_urls": settings["RELATIVE_URLS"],
                                                   "override_output": override, "url": content.url}
    return None


def write_own_page(writer, generator, content):
    """Write the own page of `content` (a post or a page of `generator`) with `writer`, as its
    generator does, its signal included (nothing for a generator of other things)."""
    found = own_page_write(generator, content)
    if found is None:
        return
    signal, arguments = found
    if signal is not None:
        signal.send(generator, content=content)
    writer.write_file(content.save_as, generator.get_template(content.template), generator.context, **arguments)


def read_again(generator, content):
    """Read the file of `content` (a post or a page of `generator`) again, alone, as its generator
    reads each file: its signals sent, its class, the build's context. Pelican's answer as it is
    (a SkipStub, a content that is not valid); raises what the reader raises."""
    kind = "article" if isinstance(generator, ArticlesGenerator) else "page"
    # Readers.read_file (private): its keyword arguments, as generate_context gives them; no public way to read one file.
    return generator.readers.read_file(
        base_path=generator.path, path=os.path.relpath(content.source_path, generator.path),
        content_class=type(content), context=generator.context,
        preread_signal=getattr(signals, f"{kind}_generator_preread"), preread_sender=generator,
        context_signal=getattr(signals, f"{kind}_generator_context"), context_sender=generator)


def copy_of_content(content, context, settings):
    """A copy of a post or page whose lists, dicts, sets and tags can be changed without changing
    `content` (values shared inside it stay shared in the copy), with `settings`; it resolves its
    links in `context`."""
    copies: dict[int, object] = {}  # id of a value -> its copy

    def copied(value):
        if isinstance(value, (list, dict, set, URLWrapper)):
            if id(value) not in copies:
                if isinstance(value, list):
                    copies[id(value)] = [copied(item) for item in value]
                elif isinstance(value, dict):
                    copies[id(value)] = {key: copied(item) for key, item in value.items()}
                elif isinstance(value, set):
                    copies[id(value)] = {copied(item) for item in value}
                else:
                    copies[id(value)] = copy_of_wrapper = object.__new__(type(value))
                    # URLWrapper._slug (private): the slug's memo, made once (its property) and copied with it.
                    vars(copy_of_wrapper).update(vars(value), _slug=value.slug)
            return copies[id(value)]
        return value

    duplicate = object.__new__(type(content))
    # Content.__dict__ (private): all a post is, so that a copy needs no constructor (which would read it).
    attributes = vars(content)
    # Content._context (private): the site, not copied: the copy is given `context` below.
    kept = [(name, value) for name, value in attributes.items() if name != "_context"]
    vars(duplicate).update({name: value if name == "settings" else copied(value) for name, value in kept})
    duplicate.settings = settings
    give_site(duplicate, context)
    return duplicate


def take_what_the_site_gave(content, before):
    """Give `content`, a post or page read again alone, what the build's steps after reading gave
    `before`, its last build's self: each attribute it lacks, and the site's own tags, category
    and authors (the objects the site's lists hold)."""
    # Content.__dict__ (private): all a post is, the steps' additions included.
    attributes = vars(content)
    for name, value in vars(before).items():
        if name not in attributes or isinstance(value, URLWrapper) or (
                isinstance(value, list) and value and all(isinstance(item, URLWrapper) for item in value)):
            attributes[name] = value


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
    else:
        with tempfile.TemporaryDirectory() as folder:
            writer = Writer(folder, settings=copy.deepcopy(DEFAULT_CONFIG))

            def pelicans(path, override):
                with writer._open_w(path, "utf-8", override) as file:
                    return file.name != os.devnull

            theirs, ours = overwrite_outcomes(pelicans, folder), overwrite_outcomes(OverwriteRules().may_write, folder)
        for (overrides, their), (_, our) in zip(theirs, ours, strict=True):
            if their != our:
                missing("Writer._open_w's rules", f"for outputs at one address saying override {overrides}, it "
                                                  f"answers {their}, the copy {our}")
                break
    for generator, function, status, more in (
            (ArticlesGenerator, ArticlesGenerator.generate_articles, "published", ArticlesGenerator.generate_pages),
            (ArticlesGenerator, ArticlesGenerator.generate_drafts, "draft", ArticlesGenerator.generate_pages),
            (PagesGenerator, PagesGenerator.generate_output, "published", None)):
        stand_in = object.__new__(generator)  # no constructor: only what own_page_write reads
        stand_in.settings, stand_in.articles = copy.deepcopy(DEFAULT_CONFIG), []
        signal, arguments = own_page_write(stand_in, SimpleNamespace(status=status, category=None, url=""))
        their_signal, keywords = written_by(function, ("write", "write_file"))
        if more is not None:  # the articles' `write` is write_file with keywords given beforehand
            keywords |= written_by(more, ("partial",))[1]
        if (their_signal, keywords) != (signal and signal.name, set(arguments)):
            missing(f"{generator.__name__}.{function.__name__}",
                    f"it sends {their_signal} and writes with {sorted(keywords)}, the copy sends "
                    f"{signal and signal.name} and writes with {sorted(arguments)}")
    if str(inspect.signature(Readers.read_file)) != READ_FILE_SIGNATURE:
        missing("Readers.read_file", f"its signature is {inspect.signature(Readers.read_file)}, not "
                                     f"{READ_FILE_SIGNATURE}")
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
    settings = copy.deepcopy(DEFAULT_CONFIG)
    tag = Tag("A tag", settings)
    if vars(tag).get("_slug", "") is not None or tag.slug != vars(tag).get("_slug"):
        missing("URLWrapper._slug", "pelican.urlwrappers.URLWrapper no longer memoises its slug in _slug")
    try:
        page = Page(text, metadata={"title": "Copied", "tags": [tag]}, settings=settings, source_path="copied.md")
        copied = copy_of_content(page, {}, settings)
        same = [(item.title, item.url, item.save_as, text_as_read(item), item.tags[0].slug) for item in (page, copied)]
    except AttributeError:
        same = []
    if len(same) != 2 or same[0] != same[1] or hasattr(Content, "__slots__"):
        missing("Content.__dict__", "a copy of a page made from its attributes is no longer the same page")
    return found


OVERWRITES = ((False, False), (True, True), (True, False), (False, True))  # two outputs at one address


def overwrite_outcomes(may_write, folder):
    """[(overrides, what may_write(path, override) answers to each)] for each of OVERWRITES: written,
    left out, or the error's words."""
    found = []
    for number, overrides in enumerate(OVERWRITES):
        path, answers = os.path.join(folder, f"{number}.html"), []
        for override in overrides:
            try:
                answers.append("written" if may_write(path, override) else "left out")
            except FileOverwriteFailedError as error:
                answers.append(str(error).replace(path, "{path}"))
        found.append((overrides, answers))
    return found


def written_by(function, write):
    """(the signal `function`, a generator's, sends in its loop; the keyword names of its calls to
    a callable named in `write`), read from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    loop = next((node for node in ast.walk(tree) if isinstance(node, ast.For)), tree)
    signal, keywords = None, set()
    for node in ast.walk(loop):
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if called == "send" and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Attribute):
                signal = node.func.value.attr
            elif called in write:
                keywords |= {keyword.arg for keyword in node.keywords}
    return signal, keywords

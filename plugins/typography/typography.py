"""Typogrify inside the Markdown reader, so that Pelican's content cache keeps the result.

Pelican runs typogrify (curly quotes, dashes, ellipses) after its reader cache, on every post at
every build, even when nothing changed: a third of a 1000-post build. With TYPOGRIFY on, this
plugin does the same work inside the reader instead (content, title and summary, with
TYPOGRIFY_IGNORE_TAGS, TYPOGRIFY_OMIT_FILTERS and TYPOGRIFY_DASHES as Pelican reads them) and
turns Pelican's own pass off, so a warm build reads a post's finished HTML from the cache.

Put it after any plugin that replaces the Markdown reader (content_checks): it wraps whatever
reader is registered.
"""

import re

import smartypants
from pelican import signals
from pelican.readers import MarkdownReader
from typogrify.filters import typogrify

DASHES = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}


# An HTML comment, kept as written: typogrify would turn a "--" inside one that spans lines into a
# dash, and "<!--" with it, which shows the rest of the comment on the page.
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
KEPT = "\ue001{}\ue001"


def typogrified(text, settings):
    """`text` as Pelican's reader would typogrify it, HTML comments left as they are."""
    # Pelican sets these module-wide before each post too; &quot; become curly quotes as well.
    smartypants.Attr.default = DASHES.get(settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1) | smartypants.Attr.w
    comments = COMMENT.findall(text) if "<!--" in text else []
    for number, comment in enumerate(comments):
        text = text.replace(comment, KEPT.format(number), 1)
    text = typogrify(text, settings["TYPOGRIFY_IGNORE_TAGS"], **dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False))
    for number, comment in enumerate(comments):
        text = text.replace(KEPT.format(number), comment, 1)
    return text


def typographic(reader_class):
    """A subclass of `reader_class` whose read() typogrifies what it returns."""

    def read(self, source_path):
        content, metadata = reader_class.read(self, source_path)
        if content:
            content = typogrified(content, self.settings)
        for name in ("title", "summary"):
            if isinstance(metadata.get(name), str):
                metadata[name] = typogrified(metadata[name], self.settings)
        return content, metadata

    return type(f"Typographic{reader_class.__name__}", (reader_class,), {"read": read})


def typogrify_in_reader(readers):
    """readers_init receiver: wrap the Markdown readers."""
    if not readers.settings.get("TYPOGRIFY"):
        return
    for extension in MarkdownReader.file_extensions:
        reader_class = readers.reader_classes.get(extension)
        if reader_class and issubclass(reader_class, MarkdownReader):
            readers.reader_classes[extension] = typographic(reader_class)


def skip_pelicans_pass(generator):
    """article_generator_init and page_generator_init receiver: Pelican's own pass, after the
    cache, is turned off for this generator's readers only (a copy of the settings), so the
    site's settings still say TYPOGRIFY for the next build."""
    if generator.readers.settings.get("TYPOGRIFY"):
        generator.readers.settings = {**generator.readers.settings, "TYPOGRIFY": False}


def register():
    signals.readers_init.connect(typogrify_in_reader)
    signals.article_generator_init.connect(skip_pelicans_pass)
    signals.page_generator_init.connect(skip_pelicans_pass)

"""Markdown as bloggers write it, in shapes the theme can style and a phone can show.

A Python-Markdown extension (RichMarkdown), added to the site's MARKDOWN settings when the build
starts, so Pelican's reader runs it and its content cache keeps the result:

- a table is wrapped in <div class="table-scroll" role="region" tabindex="0" aria-label="Table: …">:
  a wide table scrolls inside it (the keyboard too), never the page; its column alignment
  (`---:`) becomes a class (align-right, align-center) instead of an inline style, which the
  site's Content-Security-Policy would block; a column of numbers is aligned right (class num);
- a picture alone in its paragraph with a title, ![alt](src "caption"), becomes a <figure> with
  that title as its <figcaption>;
- a code block (<pre>, highlighted by codehilite with CSS classes) can be reached with the
  keyboard (tabindex="0"), so a reader without a mouse can scroll a long line.

A post without a Summary: is summarised by its first words (SUMMARY_MAX_LENGTH), and Pelican would
cut a table or a code block in two in the lists of posts: its tables and code blocks are left out
of that summary (short_summaries).

Code highlighting itself is Python-Markdown's codehilite with Pygments (pelicanconf.py's
MARKDOWN); the colours are the theme's (theme/static/css/code.css, tokens in tokens.css).
"""

import re

from pelican import signals
from pelican.utils import truncate_html_words

from plugins.shared import one_post_steps, pelican_content

EXTENSION = "rich_markdown.markdown_extension:RichMarkdown"


def add_extension(pelican):
    """initialized receiver: the extension joins the site's Markdown settings. The summaries are
    made after every other plugin's step of all_generators_finalized (responsive_images rewrites
    the posts' HTML there, and reading it memoises it), so this connects them now, once all
    plugins are registered."""
    signals.all_generators_finalized.connect(short_summaries)
    one_post_steps.post_read_alone.connect(short_summary_alone)
    with_extension(pelican.settings)


def with_extension(settings):
    """Add the extension to settings["MARKDOWN"], by name (settings stay plain data: the preview
    fingerprints them), once."""
    markdown = dict(settings.get("MARKDOWN") or {})
    configs = dict(markdown.get("extension_configs") or {})
    configs.setdefault(EXTENSION, {})
    markdown["extension_configs"] = configs
    settings["MARKDOWN"] = markdown


# A wrapped table, or a highlighted code block, whole.
BLOCK = re.compile(r'<div [^>]*class="table-scroll"[^>]*>.*?</table>\s*</div>|<div class="highlight">.*?</pre>\s*</div>',
                   re.DOTALL)


def short_summaries(generators):
    """all_generators_finalized receiver, the last (every post known and rewritten, so links resolve
    and reading the HTML, which Pelican memoises, reads it final): the summary of a post without a
    Summary: field is made from its words without its tables and code blocks."""
    for content in pelican_content.contents(generators):
        short_summary(content)


def short_summary_alone(content, settings):
    """one_post_steps.post_read_alone receiver: the preview read one post again, alone."""
    short_summary(content)


def short_summary(content):
    settings = content.settings
    if "summary" in content.metadata or settings.get("SUMMARY_MAX_LENGTH") is None:
        return
    html = content.content
    if "table-scroll" in html or 'class="highlight"' in html:
        content.metadata["summary"] = truncate_html_words(BLOCK.sub("", html), settings["SUMMARY_MAX_LENGTH"],
                                                          settings.get("SUMMARY_END_SUFFIX", "…"))


def register():
    signals.initialized.connect(add_extension)

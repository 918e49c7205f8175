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

Code highlighting itself is Python-Markdown's codehilite with Pygments (pelicanconf.py's
MARKDOWN); the colours are the theme's (theme/static/css/code.css, tokens in tokens.css).
"""

from pelican import signals

EXTENSION = "rich_markdown.markdown_extension:RichMarkdown"


def add_extension(pelican_or_settings):
    """initialized receiver: the extension joins the site's Markdown settings, by name (settings
    stay plain data: the preview fingerprints them)."""
    settings = getattr(pelican_or_settings, "settings", pelican_or_settings)
    markdown = dict(settings.get("MARKDOWN") or {})
    configs = dict(markdown.get("extension_configs") or {})
    configs.setdefault(EXTENSION, {})
    markdown["extension_configs"] = configs
    settings["MARKDOWN"] = markdown


def register():
    signals.initialized.connect(add_extension)

"""A post's headings start at <h2>, however many #s the writer used for her top level.

The title is the page's only <h1>; "# Section" is already an <h2> (the Markdown toc baselevel).
Many writers use "## Section" for the first level, which would make an <h3> right under the
<h1>: a skipped level for screen-reader users, who move through a page by its headings. This
plugin moves all of a post's headings up by the same amount, so the highest is an <h2> and the
steps between them stay as she wrote them.
"""

import re

from pelican import signals

from plugins.shared.pelican_adapter import replace_text, text_as_read

HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def lift_headings(html, top=2):
    """`html` with every heading moved up so that the highest is <h{top}>."""
    levels = [int(level) for closing, level in HEADING.findall(html) if not closing]
    if not levels or min(levels) <= top:
        return html
    shift = min(levels) - top
    return HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - shift}", html)


def lift_content_headings(content):
    """content_object_init receiver: posts and pages."""
    if text_as_read(content):
        replace_text(content, lift_headings(text_as_read(content)))


def register():
    signals.content_object_init.connect(lift_content_headings)

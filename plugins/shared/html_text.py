"""HTML to the plain text a reader reads: the one way the site does it (descriptions, reading time)."""

import re
from html.parser import HTMLParser

# Tags that part words: "<p>end</p><p>start" is two words. Inline ones (<em>, <a>) do not:
# "<em>sl</em>eep" is one.
BLOCKS = frozenset({"p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div",
                    "figure", "figcaption", "tr", "td", "th"})
# Elements whose text no reader reads.
SKIPPED = frozenset({"script", "style", "template", "noscript"})


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.chunks.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.chunks.append(" ")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.chunks.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def plain_text(fragment):
    """The text of an HTML fragment, one space between words, entities decoded."""
    parser = _TextParser()
    parser.feed(fragment or "")
    parser.close()
    return " ".join(re.split(r"\s+", "".join(parser.chunks).strip())) if parser.chunks else ""

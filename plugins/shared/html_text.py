"""HTML to the plain text a reader reads: the one way the site does it (descriptions, reading time)."""

import html
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


def parsed_text(fragment):
    """plain_text by Python's HTML parser: the reference, and the way for what the patterns below
    leave to it."""
    parser = _TextParser()
    parser.feed(fragment or "")
    parser.close()
    return " ".join(re.split(r"\s+", "".join(parser.chunks).strip())) if parser.chunks else ""


# The same reading by three passes of patterns, ~4 times as fast (reading time reads every post's
# whole text each build). A tag's quoted values may hold ">"; outside quotes a tag ends at "<" too,
# so that a "<a " never closed is given up at the next tag, not at the end of the text (linear).
_ATTRIBUTES = r"(?:[^>\"'<]|\"[^\"]*\"|'[^']*')*"
_NAME_END = r"(?=[\t\n\r\f />\x00]|>)"
# Comments, declarations, and <script>/<style> with their text (not markup: it runs to their end tag).
_UNREAD = re.compile(rf"<!--.*?(?:-->|\Z)|<[!?][^>]*>?|<(?:script|style){_NAME_END}{_ATTRIBUTES}>.*?(?:</(?:script|style)\s*>|\Z)",
                     re.DOTALL | re.IGNORECASE)
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(BLOCKS, key=len, reverse=True))}){_NAME_END}{_ATTRIBUTES}>", re.IGNORECASE)
_INLINE_TAG = re.compile(rf"</?[a-zA-Z][^\t\n\r\f />\x00]*{_ATTRIBUTES}>")
_SPACES = re.compile(r"\s+")
# What the patterns do not follow as the parser does: elements skipped with what they hold, which
# nest (template, noscript); an empty <script/>; a NUL (it marks where inline tags were). Not
# followed either, and not worth a parser: "<script" or "<!--" written inside an attribute's quotes
# (Markdown writes "&lt;" there).
_LEFT_TO_THE_PARSER = re.compile(r"<(?:template|noscript)|<(?:script|style)[^<>]*/>|\x00", re.IGNORECASE)


def plain_text(fragment):
    """The text of an HTML fragment, one space between words, entities decoded."""
    fragment = fragment or ""
    if _LEFT_TO_THE_PARSER.search(fragment):
        return parsed_text(fragment)
    text = _BLOCK_TAG.sub(" ", _UNREAD.sub("", fragment))
    # Entities are decoded between tags, as the parser does: a NUL keeps "&amp<b>;" apart.
    text = html.unescape(_INLINE_TAG.sub("\x00", text)).replace("\x00", "")
    return " ".join(_SPACES.split(text.strip()))

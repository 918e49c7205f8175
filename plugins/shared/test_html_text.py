"""html_text: the fast reading of a page's text says what Python's HTML parser says."""

from pathlib import Path

import markdown
import pytest

from plugins.shared.html_text import parsed_text, plain_text

PROJECT = Path(__file__).resolve().parent.parent.parent
# Real posts (other people's Pelican blogs, the Wix page this site replaces), as Markdown makes them.
POSTS = sorted((PROJECT / "tests" / "real_posts").rglob("*.md")) + sorted((PROJECT / "tests" / "site_content").rglob("*.md"))

TRICKY = [
    "a < b and c > d", "AT&amp;T <b>bold</b>&amp", "&amp<b></b>;", "<p>one</p><p>two", "x<br/>y", "<em>sl</em>eep",
    "<script>var a = '<style>'; if (a < b) {}</script>after", "<STYLE>p { color: red }</Style>shown",
    "<template><p>hidden <template>deeper</template></p></template>shown", "<noscript><p>no</p></noscript>ok",
    "<script/>kept", "<!-- a <p> comment -->text", "<!DOCTYPE html><p>doc", "<?xml version='1.0'?>pi",
    "<img alt='a > b' src=x.png>after", '<a href="x>y" title="a < b">link</a>', "<div\n class=x>d</div>e",
    "&nbsp;&#8217;&#x2019;&hellip;", "<p>a</p >b", "</p>c", "<p", "text <", "", None, "日本語<br>の文", "tab\tand\nnew line",
]


@pytest.mark.parametrize("fragment", TRICKY)
def test_tricky_markup_reads_as_the_parser_reads_it(fragment):
    assert plain_text(fragment) == parsed_text(fragment)


@pytest.mark.parametrize("post", POSTS, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_real_posts_read_as_the_parser_reads_them(post):
    html = markdown.markdown(post.read_text(encoding="utf-8"), extensions=["extra", "toc", "sane_lists"])
    assert plain_text(html) == parsed_text(html)
    assert plain_text(f"<html><head><style>p{{}}</style><script>x<y</script></head><body>{html}</body></html>") \
        == parsed_text(f"<html><head><style>p{{}}</style><script>x<y</script></head><body>{html}</body></html>")

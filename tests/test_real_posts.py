"""Posts as other Pelican blogs write them (tests/real_posts/, whose SOURCES.md names the blog
each folder follows): every post builds or gets its message, never a traceback; the messages
each source gets are the reviewed ones (tests/real_posts/expected_messages.json: a new kind of
message fails); code with a language is highlighted; no page scrolls sideways on a 360 px phone,
and every table cell has a border or padding. Then the bad input of issue 18: a malformed code
fence, an unterminated table, a 10,000-column table, a 5 MB post, a post that is only a
byte-order mark. Each corpus is built once for this file.
"""

import json
import re
import shutil
import subprocess
import time
from collections import Counter, defaultdict

import pytest
from bs4 import BeautifulSoup
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from content_checks.content_checks import FIELDS, read_source
from tests.built_site import PROJECT, SITE_CONTENT
from tests.page_checks import validate
from tools.site_server import serving

CORPUS = PROJECT / "tests" / "real_posts"
EXPECTED = CORPUS / "expected_messages.json"
LEFT_OUT = "It is left out of the site until then."
# Each message's kind, by words it holds (the first that matches); anything else is a new kind.
KINDS = [
    ("is not in the content folder", "missing {filename} or {static} file"),
    ("is not a page or file of this site", "missing page or picture"),
    ("is relative, so it breaks", "relative link"),
    ("has no description", "picture without description"),
    ("is written between quotes", "date in quotes"),
    ("is written in a form the site does not read", "date in another form"),
    ("is a field the site does not use", "another theme's field (preview notice)"),
    ("is not a field the site knows", "misspelled field"),
    ("is written in reStructuredText", "reStructuredText: Markdown only"),
    ("another blog engine's template tag", "template tag"),
    ("math written for TeX", "$$ math"),
    ("is never closed", "unclosed code fence"),
    ("leads to a category page", "{category} link"),
    ("is spelled differently", "tag spelling"),
    ("It has the address", "same address"),
    ('has no "', "missing field"),
    ("has no words of its own", "no words"),
    ("is empty.", "empty file"),
    ("MB of text, far more than a post", "too large"),
]
PROBLEM = re.compile(r"^(?P<file>\S+), line (?P<line>\d+): (?P<what>.*)$")
CODE_LANGUAGE = re.compile(r"^(?:```|~~~)\s*\{?\.?([\w+#-]+)|^    :::([\w+#-]+)", re.M)


def kind_of(what):
    return next((kind for words, kind in KINDS if words in what), f"NEW: {what[:80]}")


def make_html(content, root):
    started = time.monotonic()
    result = subprocess.run(["make", "html", f"CONTENT={content}", f"OUTPUT={root / 'output'}",
                             f"CACHE={root / 'cache'}"], cwd=PROJECT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "COLUMNS": "400"})
    return result, time.monotonic() - started


def problems_in(log, content):
    """[(source folder, file, line, what)] of the content checks' messages."""
    found = []
    for line in log.splitlines():
        match = PROBLEM.match(line.strip())
        if match and match["file"].startswith(str(content)):
            relative = match["file"][len(str(content)) + 1:].split("/")
            found.append((relative[1], "/".join(relative[1:]), int(match["line"]), match["what"]))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The corpus as one site: content/posts/<source>/, content/pages/<source>/, built with make html."""
    root = tmp_path_factory.mktemp("real_posts")
    content = root / "content"
    for source in sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name != "images"):
        for kind in ("posts", "pages"):
            if (source / kind).is_dir():
                shutil.copytree(source / kind, content / kind / source.name)
    shutil.copytree(CORPUS / "images", content / "images")
    shutil.copytree(SITE_CONTENT / "extra", content / "extra")
    result, _ = make_html(content, root)
    log = result.stdout + result.stderr
    return {"root": root, "content": content, "output": root / "output", "result": result, "log": log,
            "problems": problems_in(log, content)}


def corpus_posts():
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".rst") and p.parent.name in ("posts", "pages"))


def test_the_corpus_is_broad():
    sources = {p.parent.parent.name for p in corpus_posts()}
    assert len(corpus_posts()) >= 30 and len(sources) >= 6, (len(corpus_posts()), sources)
    listed = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{source}/`" in listed for source in sources), "each source is named in SOURCES.md"


def test_it_builds_without_a_traceback(corpus):
    assert corpus["result"].returncode == 0, corpus["log"]
    assert "Traceback" not in corpus["log"] and "CRITICAL" not in corpus["log"]


def test_every_post_is_built_or_its_message_says_why(corpus):
    """A post is left out only with a message that says so; every other one has its page."""
    left_out = {(source, file) for source, file, _, what in corpus["problems"] if LEFT_OUT in what}
    titles = set()
    for page in corpus["output"].rglob("index.html"):
        h1 = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").h1
        titles.add(re.sub(r"\W+", "", h1.get_text()) if h1 else None)
    missing = []
    for path in corpus_posts():
        source = path.parent.parent.name
        parsed, _ = read_source(path, "post", FIELDS)
        if (source, f"{source}/{path.name}") in left_out:
            continue
        # Typography changes quotes and dashes, never letters: compare the letters of the title.
        title = re.sub(r"\W+", "", parsed.value("Title").replace("'", "").replace('"', ""))
        if not any(title and found and title in found.replace("\u2019", "") for found in titles):
            missing.append(path.relative_to(CORPUS).as_posix())
    assert missing == []
    assert len(left_out) <= 3, left_out  # the reStructuredText post, the date in quotes


def messages_by_source(problems):
    counts = defaultdict(Counter)
    for source, _, _, what in problems:
        counts[source][kind_of(what)] += 1
    return {source: dict(sorted(kinds.items())) for source, kinds in sorted(counts.items())}


def test_each_source_gets_the_reviewed_messages(corpus):
    """tests/real_posts/expected_messages.json lists, per source, how many messages of each kind
    the site gives; each was read and judged right (a real mistake in the post, or the site's own
    rule, e.g. every post names its Author). A message of a new kind, or more of one, fails here."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert messages_by_source(corpus["problems"]) == expected


def test_every_code_block_with_a_language_is_highlighted(corpus):
    pages = {}
    for page in corpus["output"].rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        if soup.h1:
            pages[re.sub(r"\W+", "", soup.h1.get_text())] = soup
    checked = 0
    for path in corpus_posts():
        text = path.read_text(encoding="utf-8-sig")
        languages = [a or b for a, b in CODE_LANGUAGE.findall(text)]
        known = [name for name in languages if lexer_exists(name)]
        if not known:
            continue
        title = re.sub(r"\W+", "", read_source(path, "post", FIELDS)[0].value("Title"))
        soup = next(soup for found, soup in pages.items() if title in found)
        coloured = [block for block in soup.select("article .highlight")
                    if block.select("span[class]:not(.w)")]
        assert len(coloured) >= len(known), f"{path.name}: {known}"
        assert not soup.select("article [style]"), "no inline styles: the security policy forbids them"
        checked += len(known)
    assert checked >= 8


def lexer_exists(name):
    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


VALIDATED = ["prices-aligned", "a-week-of-sessions-as-a-wide-table", "counting-breaths", "a-change-as-a-diff",
             "footnotes-terms-and-abbreviations", "pictures-with-captions", "super-article", "html-inside-a-post"]


@pytest.mark.linux_services
def test_the_pages_with_code_tables_and_figures_are_valid_html(corpus, tmp_path):
    """The Nu HTML Checker on posts that hold what the site adds (table wrappers and aligned cells,
    figures, highlighted code, footnotes and terms, translations, raw HTML); a few, to keep it quick."""
    for slug in VALIDATED:
        shutil.copy(corpus["output"] / "post" / slug / "index.html", tmp_path / f"{slug}.html")
    checked, problems = validate(tmp_path, ignore=["This document appears to be written in"])
    # The posts' own mistakes, each named by the content checks: an <img> without alt, "--" inside
    # an HTML comment.
    own = ("An “img” element must have an “alt” attribute", "two consecutive hyphens in a comment")
    assert [problem for problem in problems if not any(words in problem for words in own)] == []
    assert len(checked) == len(VALIDATED)


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone_and_every_table_is_ruled(corpus, browser):
    pages = sorted(p.parent.relative_to(corpus["output"]).as_posix() for p in corpus["output"].rglob("index.html")
                   if "/post/" in f"/{p.relative_to(corpus['output']).as_posix()}")
    with serving(corpus["output"]) as url:
        with_tables = []
        for scheme in ("light", "dark"):  # dark: the pages with tables again, for their borders
            context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
            page = context.new_page()
            for path in pages if scheme == "light" else with_tables:
                page.goto(f"{url}/{path}/")
                facts = page.evaluate("""() => ({
                    wide: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    bare: [...document.querySelectorAll('article td, article th')].filter(cell => {
                        const style = getComputedStyle(cell);
                        return parseFloat(style.paddingLeft) === 0 && parseFloat(style.borderLeftWidth) === 0;
                    }).length,
                    cells: document.querySelectorAll('article td').length,
                    unreachable: [...document.querySelectorAll('article pre, article .table-scroll')]
                        .filter(box => box.scrollWidth > box.clientWidth && box.tabIndex < 0).length,
                })""")
                assert facts["wide"] <= 0, f"{path} ({scheme}) scrolls {facts['wide']} px sideways at 360 px"
                assert facts["bare"] == 0, f"{path}: {facts['bare']} table cells without border or padding"
                assert facts["unreachable"] == 0, f"{path}: a box that scrolls cannot be reached by keyboard"
                if facts["cells"] and scheme == "light":
                    with_tables.append(path)
            context.close()
    assert len(pages) >= 25 and len(with_tables) >= 5


# --- Bad input: each builds or gets its own message, quickly, never a traceback ---------------

HEAD = "Title: {title}\nDate: 2024-03-01\nAuthor: Yoko Sakura\nTags: bad input\n\n"


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    shutil.copytree(SITE_CONTENT / "extra", root / "content" / "extra")
    (posts / "malformed-fence.md").write_text(
        HEAD.format(title="Malformed fence") + "Text.\n\n```python\ndef f():\n    return 1\n\nThe text goes on.\n")
    (posts / "unterminated-table.md").write_text(
        HEAD.format(title="Unterminated table") + "Text.\n\n| a | b |\n|---|---|\n| 1 | 2\n| 3 |\nno end\n")
    columns = 10_000
    (posts / "wide-table.md").write_text(
        HEAD.format(title="Ten thousand columns") + "Text.\n\n|" + "|".join(f"c{n}" for n in range(columns)) + "|\n|"
        + "---|" * columns + "\n|" + "x|" * columns + "\n")
    paragraph = "A sentence about the shoulders and the neck, written again and again. " * 12 + "\n\n"
    (posts / "five-megabytes.md").write_text(HEAD.format(title="Five megabytes") + paragraph * (5_000_000 // len(paragraph)))
    (posts / "only-a-bom.md").write_bytes(b"\xef\xbb\xbf")
    result, seconds = make_html(root / "content", root)
    return result, seconds, root


BAD_INPUT = {
    "malformed-fence.md": "line 8: The code block that starts with ``` on this line is never closed",
    "five-megabytes.md": "line 1: is 5.0 MB of text, far more than a post",
    "only-a-bom.md": "line 1: is empty.",
}


def test_bad_input_builds_or_gets_its_own_message_without_a_traceback(bad_input):
    result, seconds, root = bad_input
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in log, log
    for name, words in BAD_INPUT.items():
        assert f"content/posts/{name}, {words}" in log, name
    for slug in ("unterminated-table", "ten-thousand-columns"):
        page = root / "output" / "post" / slug / "index.html"
        assert page.is_file() and "table-scroll" in page.read_text(encoding="utf-8"), slug
    assert not (root / "output" / "post" / "five-megabytes").exists()
    # A generous bound, not a timing: the whole build takes a few seconds (a 5 MB post read
    # and typogrified would take over ten).
    assert seconds < 60, seconds


def test_code_colours_are_readable_in_light_and_dark():
    """Each code token colour has at least 4.5:1 against the code background, in both schemes."""
    css = (PROJECT / "theme" / "static" / "css" / "tokens.css").read_text(encoding="utf-8")
    light, dark = css.split("prefers-color-scheme: dark")
    for scheme in (light, dark):
        tokens = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", scheme))
        codes = {name: value for name, value in tokens.items() if name.startswith("code-")}
        assert len(codes) >= 6
        for name, value in codes.items():
            assert contrast(value, tokens["color-surface"]) >= 4.5, (name, value)


def contrast(first, second):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)



# --- What Pelican's fields mean on this site ----------------------------------------------------

def soup_of(corpus, path):
    return BeautifulSoup((corpus["output"] / path / "index.html").read_text(encoding="utf-8"), "lxml")


def alternates(soup):
    return {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}


def test_translations_have_their_own_address_and_are_linked_both_ways(corpus):
    versions = {"en": "post/super-article", "fr": "fr/post/super-article", "ja": "ja/post/super-article"}
    for lang, path in versions.items():
        soup = soup_of(corpus, path)
        assert soup.html["lang"] == lang
        assert alternates(soup) == {other: f"/{where}/" for other, where in versions.items()}
        shown = {a["hreflang"]: a["href"] for a in soup.select(".translations a")}
        assert shown == {other: f"/{where}/" for other, where in versions.items() if other != lang}
        others = sorted(other for other in versions if other != lang)  # the same order at every build
        assert list(shown) == others and list(alternates(soup)) == [lang, *others]
    assert (corpus["output"] / "drafts/ja/post/draft-with-translation/index.html").is_file()
    # A post in Japanese that translates nothing keeps the address of any post (as Wix's did).
    assert soup_of(corpus, "post/yoru-no-uta").html["lang"] == "ja"
    assert not soup_of(corpus, "post/asa-no-uta").select('link[hreflang], .translations')


def test_a_translated_site_publishes(tmp_path):
    """Pelican's own mechanism with the publish settings: once failed with FileOverwriteFailedError."""
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    for name in ("super-article.md", "super-article-fr.md", "super-article-ja.md"):
        shutil.copy(CORPUS / "pelican_samples" / "posts" / name, content / "posts" / name)
    # Two languages, neither the site's: Pelican makes both originals; one keeps the address.
    for lang in ("de", "fr"):
        (content / "posts" / f"only-{lang}.md").write_text(
            f"Title: Nur {lang}\nDate: 2024-03-01\nAuthor: Yoko Sakura\nTags: a\nSlug: only-abroad\nLang: {lang}\n\nText.\n")
    shutil.copytree(CORPUS / "images", content / "images")
    shutil.copytree(SITE_CONTENT / "extra", content / "extra")
    result = subprocess.run(["make", "publish", f"CONTENT={content}", f"OUTPUT={tmp_path / 'output'}",
                             f"CACHE={tmp_path / 'cache'}"], cwd=PROJECT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "COLUMNS": "400"})
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    for path in ("post/super-article", "fr/post/super-article", "ja/post/super-article", "post/only-abroad"):
        assert (tmp_path / "output" / path / "index.html").is_file()
    assert len(list((tmp_path / "output").glob("*/post/only-abroad/index.html"))) == 1
    assert "There are" not in result.stdout + result.stderr, "Pelican's own words, said by the checks instead"


def test_several_authors_are_named_in_the_byline(corpus):
    byline = soup_of(corpus, "post/super-article").select_one(".byline")
    assert [a.get_text() for a in byline.select("a[rel=author]")] == ["Yoko Sakura, CMT", "Ken Tanaka"]
    assert " and " in byline.get_text()


def test_tags_on_one_tag_page_are_one_tag_in_the_usual_spelling(corpus):
    """"Tables" (one post) and "tables" (two) share /tag/tables/: one tag, shown as "tables", no message."""
    shown = {a.get_text() for page in corpus["output"].glob("post/*/index.html")
             for a in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select("a[rel=tag]")}
    assert "tables" in shown and "Tables" not in shown
    assert "tables" in soup_of(corpus, "tag/tables").h1.get_text()


AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_PAGES = ["a-week-of-sessions-as-a-wide-table", "a-change-as-a-diff", "a-shell-line-that-never-ends"]


@pytest.mark.browser
def test_axe_finds_no_wcag_violation_in_code_tables_and_notes(corpus, browser):
    """axe-core (WCAG A and AA) on posts with scrolling tables and code, in light and dark: the
    colours of code tokens against their background, the wrappers' names and keyboard reach."""
    axe = AXE.read_text(encoding="utf-8")
    with serving(corpus["output"]) as url:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        for slug in AXE_PAGES:
            page.goto(f"{url}/post/{slug}/")
            page.evaluate(axe)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                results = page.evaluate("(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })",
                                        WCAG_TAGS)
                violations = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                              for v in results["violations"]]
                assert violations == [], f"{slug} ({scheme})"
        context.close()

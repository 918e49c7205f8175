"""Attacks through content/ (issue 30), each through a real build of a copy of the test site:
`make html` (the preview: a warning, and the site built without the attack) and `make publish`
(refused, naming the file, the line and the fix). Nothing outside content/ is published, no field
writes markup into the page, a post's HTML is judged as a browser parses it, and only pictures,
PDFs and plain SVG drawings are published from content/images/ and content/extra/."""

import os

import pytest
from bs4 import BeautifulSoup

from tests.built_site import copy_site_content, make_test_site

POST = "Title: {title}\nDate: 2024-03-01\nAuthor: Yoko Sakura\nTags: stress\n{fields}\nSome words of my own.\n{body}"


def write_post(content, name, title, fields="", body=""):
    (content / "posts" / name).write_text(POST.format(title=title, fields=fields, body=body), encoding="utf-8")


def both_builds(folder):
    """(`make html`'s result, `make publish`'s result) of the site in `folder`; the preview's output
    is kept in folder/output, the publish's in folder/published."""
    preview = make_test_site("html", folder)
    published = make_test_site("publish", folder, f"OUTPUT={folder / 'published'}")
    return preview, published


def said(result):
    return result.stdout + result.stderr


# --- Symbolic links: content/ never reaches outside itself ---------------------------------


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory):
    """content/ with links out of it: a picture to /etc/passwd, a folder to one outside, a link
    to the repository's .git, a link to `..`, a post and a page kept outside, a folder in a
    hidden folder of content/."""
    root = tmp_path_factory.mktemp("linked")
    content = copy_site_content(root / "content")
    outside = root / "outside"
    outside.mkdir()
    (outside / "id_rsa").write_text("PRIVATE KEY OUTSIDE", encoding="utf-8")
    (outside / "secret.md").write_text(POST.format(title="Secret post", fields="", body="SECRET POST WORDS"),
                                       encoding="utf-8")
    (outside / "secret-page.md").write_text("Title: Secret page\n\nSECRET PAGE WORDS\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote] GIT CONFIG", encoding="utf-8")
    (content / ".private").mkdir()
    (content / ".private" / "notes.png").write_bytes(b"HIDDEN NOTES")
    os.symlink("/etc/passwd", content / "images" / "photo.jpg")
    os.symlink(outside, content / "images" / "keys")
    os.symlink(root / ".git", content / "extra" / "repository")
    os.symlink("..", content / "images" / "up")
    os.symlink("../.private/notes.png", content / "images" / "notes.png")
    os.symlink(outside / "secret.md", content / "posts" / "secret.md")
    os.symlink(outside / "secret-page.md", content / "pages" / "secret-page.md")
    preview, published = both_builds(root)
    return root, preview, published


LINKS = [("content/images/photo.jpg", '"/etc/passwd", outside the content folder'),
         ("content/images/keys", "outside the content folder"),
         ("content/extra/repository", "outside the content folder"),
         ("content/images/up", '"..", a folder that holds the link itself'),
         ("content/images/notes.png", "in a hidden folder"),
         ("content/posts/secret.md", "outside the content folder"),
         ("content/pages/secret-page.md", "outside the content folder")]


@pytest.mark.parametrize(("link", "words"), LINKS)
def test_a_link_out_of_content_is_named_with_its_target(linked_site, link, words):
    root, preview, published = linked_site
    for result in (preview, published):
        assert f"{root / link}: is a link to " in said(result) and words in said(result), said(result)[-3000:]
        assert "not published. Put the file itself in the content folder (a copy, not a link)" in said(result)


def test_the_preview_publishes_nothing_from_outside_content(linked_site):
    root, preview, _published = linked_site
    assert preview.returncode == 0, said(preview)
    output = root / "output"
    written = b"".join(path.read_bytes() for path in output.rglob("*") if path.is_file() and not path.is_symlink())
    for secret in (b"root:x:0:0", b"PRIVATE KEY OUTSIDE", b"GIT CONFIG", b"HIDDEN NOTES", b"SECRET POST WORDS",
                   b"SECRET PAGE WORDS"):
        assert secret not in written, secret
    for name in ("images/photo.jpg", "images/keys", "extra/repository", "repository", "images/up", "images/notes.png"):
        assert not (output / name).exists(), name
    assert (output / "favicon.svg").is_file(), "the site's own files are published"


def test_a_publish_refuses_a_link_out_of_content(linked_site):
    root, _, published = linked_site
    assert published.returncode != 0
    assert "Nothing was published" in said(published)
    assert not (root / "published").exists()


# --- Fields are data ---------------------------------------------------------------------------

REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'


@pytest.fixture(scope="module")
def fielded_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("fields")
    content = copy_site_content(root / "content")
    write_post(content, "lang.md", "Language field", f'Lang: en">{REFRESH}\n')
    write_post(content, "url.md", "Address field", f'URL: x/">{REFRESH}<a href="\n')
    write_post(content, "template.md", "Template field", "Template: ../../etc/passwd\n")
    write_post(content, "slug.md", "Slug field", "Slug: ../../evil\n")
    write_post(content, "save-as.md", "Save as field", "Save_as: ../../evil.html\n")
    preview, published = both_builds(root)
    return root, preview, published


FIELDS = [("lang.md", 5, ('"Lang: en"><meta http-equiv="refresh" content="0;url=https://evi…" is not a language code. '
                         'Write a language code like "Lang: en"')),
          ("url.md", 5, ('"URL: x/"><meta http-equiv="refresh" content="0;url=https://evi…" is not an address of this '
                        "site: it must be relative (no https://, no / at the start, no ..)")),
          ("template.md", 5, ('"Template: ../../etc/passwd" is not a template of the theme (a file in '
                             'theme/templates/). Remove the line: posts use "article", pages "page".')),
          ("slug.md", 5, '"Slug: ../../evil" is not a usable address'),
          ("save-as.md", 5, '"Save_as: ../../evil.html" is not an address of this site')]


@pytest.mark.parametrize(("name", "line", "words"), FIELDS)
def test_a_field_of_the_wrong_kind_is_named_with_its_line_and_fix(fielded_site, name, line, words):
    root, preview, published = fielded_site
    for result in (preview, published):
        assert f"{root}/content/posts/{name}, line {line}: {words}" in said(result), said(result)[-3000:]
    assert preview.returncode == 0, "the preview still builds"
    assert published.returncode != 0 and not (root / "published").exists()


def test_no_field_writes_markup_into_the_page(fielded_site):
    root = fielded_site[0]
    output = root / "output"
    pages = list(output.rglob("*.html"))
    assert not list(root.glob("evil*")) and not (output.parent / "evil.html").exists()
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        assert not soup.select("meta[http-equiv]"), page
        assert soup.html.get("lang") in ("en", None), page
        for tag in soup.select("link[rel=canonical], meta[property='og:url']"):
            assert '"' not in (tag.get("href") or tag.get("content")), page
    language = BeautifulSoup((output / "post" / "language-field" / "index.html").read_text(encoding="utf-8"),
                             "html5lib")
    assert language.html["lang"] == "en"
    assert (output / "post" / "template-field" / "index.html").is_file(), "built with the usual template"


# --- A post's HTML judged as a browser parses it --------------------------------------------------

TRICKS = [  # (what the post holds, what the message says)
    ('<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>', "It holds <textarea>, a form"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(2)>"></p></noscript>', "It holds <noscript>"),
    ('<a href="java&#x09;script:alert(3)">tab</a>', "It holds a script (javascript:…)"),
    ('<a href="\x01javascript:alert(4)">control</a>', "It holds a script (javascript:…)"),  # the byte 1 itself
    ('<iframe srcdoc="&lt;script&gt;alert(5)&lt;/script&gt;"></iframe>', "It holds <iframe>, an embedded page"),
    ('<svg><a xlink:href="javascript:alert(6)"><text>x</text></a></svg>', "It holds <svg>, a drawing"),
    ('<svg><animate attributeName="href" values="javascript:alert(7)"/></svg>', "It holds <svg>, a drawing"),
    ('<object data="/images/x.swf"></object>', "It holds <object>, an embedded page or plugin"),
    ('<embed src="/images/x.swf">', "It holds <embed>, an embedded page or plugin"),
    (REFRESH, 'It holds <meta>, which would change the whole page: a <meta http-equiv="refresh">'),
    ('<base href="https://evil.example/">', "It holds <base>, which would change the whole page"),
    ('<form action="https://evil.example/"><input name="card"></form>', "It holds <form>, a form"),
    ('<p onmouseover="alert(8)">hover</p>', "It holds a script (onmouseover=…)"),
]


@pytest.fixture(scope="module")
def tricked_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricks")
    content = copy_site_content(root / "content")
    for number, (trick, _) in enumerate(TRICKS):  # one post each: a message cannot come from another trick
        write_post(content, f"trick-{number:02}.md", f"Trick {number}", body=f"\n{trick}\n")
    write_post(content, "summary.md", "Summary trick",
               'Summary: Calm <a href="java&#x09;script:alert(9)">shoulders</a>\n')
    preview, published = both_builds(root)
    return root, preview, published


@pytest.mark.parametrize(("index", "words"), list(enumerate(words for _, words in TRICKS)),
                         ids=[trick[:40] for trick, _ in TRICKS])
def test_html_a_browser_would_run_is_named_on_its_line(tricked_site, index, words):
    root, preview, published = tricked_site
    for result in (preview, published):  # the fields, an empty line, a line of words, an empty line, the trick
        assert f"{root}/content/posts/trick-{index:02}.md, line 8: {words}" in said(result), said(result)[-4000:]
    assert preview.returncode == 0 and published.returncode != 0


def test_markup_in_a_summary_is_judged_too(tricked_site):
    root, _, published = tricked_site
    assert f"{root}/content/posts/summary.md, line 5: It holds a script (javascript:…)" in said(published)


# --- Only the kinds of file the site needs ---------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def filed_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("files")
    content = copy_site_content(root / "content")
    images = content / "images"
    (images / "page.html").write_text('<script src="/images/x.js"></script>', encoding="utf-8")
    (images / "x.js").write_text("document.title = 'pwned'", encoding="utf-8")
    (images / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                                        encoding="utf-8")
    (images / "fake.jpg").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    (images / "leaflet.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (images / "dot.png").write_bytes(PNG)
    (images / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>',
                                      encoding="utf-8")
    preview, published = both_builds(root)
    return root, preview, published


REFUSED_FILES = [("page.html", "is a web page: from its static folders the site publishes only pictures"),
                 ("x.js", "is a script: from its static folders"),
                 ("drawing.svg", "is an SVG drawing that holds <script>"),
                 ("fake.jpg", "is named as a picture (.jpg), but it is no picture.")]


@pytest.mark.parametrize(("name", "words"), REFUSED_FILES)
def test_a_file_of_another_kind_is_named_and_left_out(filed_site, name, words):
    root, preview, published = filed_site
    for result in (preview, published):
        assert f"{root}/content/images/{name}: {words}" in said(result), said(result)[-3000:]
    assert preview.returncode == 0 and published.returncode != 0
    assert not (root / "output" / "images" / name).exists()


def test_pictures_pdfs_and_plain_drawings_are_published(filed_site):
    root, preview, _ = filed_site
    for name in ("leaflet.pdf", "dot.png", "plain.svg"):
        assert (root / "output" / "images" / name).is_file(), name
        assert f"content/images/{name}:" not in said(preview)

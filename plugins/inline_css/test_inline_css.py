import base64
import hashlib

import pytest
from bs4 import BeautifulSoup

from inline_css.inline_css import InlineCssError, read_css


def write_theme(root, files):
    for name, text in files.items():
        path = root / "static" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_files_are_joined_in_the_listed_order_and_minified(tmp_path):
    theme = write_theme(tmp_path, {"css/b.css": "/* why */\n.b {\n  color: red;\n}\n", "css/a.css": ".a { margin: 0 }"})
    css = read_css(theme, {"files": ["css/b.css", "css/a.css"], "static_dir": "static"})
    assert css == ".b{color:red}.a{margin:0}"


def test_a_missing_file_names_itself_and_the_fix(tmp_path):
    theme = write_theme(tmp_path, {"css/a.css": ".a{}"})
    with pytest.raises(InlineCssError, match=r"'css/gone.css'.*does not exist.*INLINE_CSS\['files'\]"):
        read_css(theme, {"files": ["css/a.css", "css/gone.css"], "static_dir": "static"})


def test_every_page_gets_the_css_and_the_headers_allow_it_by_hash_in_a_real_build(pelican_build, tmp_path):
    theme = write_theme(tmp_path / "theme", {"css/a.css": ".a { color: #123 }", "css/b.css": "@media print { .b { x: y } }"})
    (theme / "templates").mkdir()
    (theme / "templates" / "article.html").write_text(
        "<style>{{ INLINE_CSS_TEXT }}</style>"
    )
    output = pelican_build(
        {"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"},
        settings={
            "THEME": str(theme),
            "INLINE_CSS": {"files": ["css/a.css", "css/b.css"]},
            "ARTICLE_SAVE_AS": "post.html",
            "DIRECT_TEMPLATES": [],
            "TAG_SAVE_AS": "",
            "CATEGORY_SAVE_AS": "",
            "AUTHOR_SAVE_AS": "",
        },
        plugins=["inline_css", "http_headers"],  # the policy allows the inlined CSS (plugins/http_headers)
    )
    page = BeautifulSoup((output / "post.html").read_text(), "lxml")
    style = page.style.string
    assert style == ".a{color:#123}@media print{.b{x:y}}"
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = next(line for line in (output / "_headers").read_text().splitlines() if "Content-Security-Policy" in line)
    style_src = next(part for part in policy.split(": ", 1)[1].split("; ") if part.startswith("style-src "))
    assert style_src == f"style-src 'self' 'sha256-{digest}'"

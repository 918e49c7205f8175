import base64
import hashlib

import pytest
from bs4 import BeautifulSoup

from tests.built_site import write_files
from theme_assets.inline_css import InlineCssError, read_css

OPTIONS = {"stylesheet": "static/css/site.css"}


def test_files_are_joined_in_the_themes_order_and_minified(tmp_path):
    theme = write_files(tmp_path, {"static/css/b.css": "/* why */\n.b {\n  color: red;\n}\n",
                                   "static/css/a.css": ".a { margin: 0 }",
                                   "static/css/site.css": '/* @import "a.css"; is a comment */\n'
                                                          '@import "b.css";\n@import url("a.css");\n'})
    assert read_css(theme, OPTIONS) == ".b{color:red}.a{margin:0}"


def test_a_missing_file_names_itself_and_the_fix(tmp_path):
    theme = write_files(tmp_path, {"static/css/a.css": ".a{}", "static/css/site.css": '@import "a.css";\n@import "gone.css";'})
    with pytest.raises(InlineCssError, match=r"imports 'gone.css', but neither the theme .* has it: create it or remove"):
        read_css(theme, OPTIONS)


def test_a_features_stylesheet_comes_in_the_themes_slot_only_when_its_plugin_is_on(tmp_path):
    theme = write_files(tmp_path / "theme", {"static/css/a.css": ".a{x:y}", "static/css/z.css": ".z{x:y}",
                                             "static/css/site.css": '@import "a.css"; @import "f.css"; @import "z.css";'})
    plugins = {"feature": write_files(tmp_path / "plugins" / "feature", {"css/f.css": ".f{x:y}"})}
    assert read_css(theme, OPTIONS, plugins, listed=["feature"]) == ".a{x:y}.f{x:y}.z{x:y}"
    assert read_css(theme, OPTIONS, plugins, listed=[]) == ".a{x:y}.z{x:y}"


def test_every_page_gets_the_css_and_the_headers_allow_it_by_hash_in_a_real_build(pelican_build, tmp_path):
    theme = write_files(tmp_path / "theme", {
        "static/css/a.css": ".a { color: #123 }", "static/css/b.css": "@media print { .b { x: y } }",
        "static/css/site.css": '@import "a.css";\n@import "b.css";\n',
        "templates/article.html": "<style>{{ INLINE_CSS_TEXT }}</style>",
    })
    output = pelican_build(
        {"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"},
        settings={
            "THEME": str(theme),
            "ARTICLE_SAVE_AS": "post.html",
            "DIRECT_TEMPLATES": [],
            "TAG_SAVE_AS": "",
            "CATEGORY_SAVE_AS": "",
            "AUTHOR_SAVE_AS": "",
        },
        # the policy allows the inlined CSS (plugins/security_headers)
        plugins=["theme_assets", "security_headers", "build_order"],
    )
    page = BeautifulSoup((output / "post.html").read_text(), "lxml")
    style = page.style.string
    assert style == ".a{color:#123}@media print{.b{x:y}}"
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = next(line for line in (output / "_headers").read_text().splitlines() if "Content-Security-Policy" in line)
    style_src = next(part for part in policy.split(": ", 1)[1].split("; ") if part.startswith("style-src "))
    assert style_src == f"style-src 'self' 'sha256-{digest}'"

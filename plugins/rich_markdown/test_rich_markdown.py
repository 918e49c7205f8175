"""The Markdown extension on its own (Python-Markdown with the site's extensions), and the summaries in a build."""

import markdown
import pytest
from bs4 import BeautifulSoup

from rich_markdown.rich_markdown import EXTENSION, with_extension


def html_of(text):
    md = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.codehilite", EXTENSION],
                           extension_configs={"markdown.extensions.codehilite": {"css_class": "highlight",
                                                                                  "guess_lang": False}},
                           output_format="html5")
    return BeautifulSoup(md.convert(text), "lxml")


def test_a_table_scrolls_in_a_focusable_labelled_wrapper_with_classes_not_styles():
    soup = html_of("| Treatment | Minutes | Price |\n|:--|--:|:-:|\n| Feet | 45 | 6,000 |\n| Back | 60 | 8,000 |\n")
    wrapper = soup.select_one("div.table-scroll")
    assert wrapper["role"] == "region" and wrapper["tabindex"] == "0"
    assert wrapper["aria-label"] == "Table 1: Treatment, Minutes, Price"
    assert wrapper.table and not soup.select("[style], [align]")
    assert [cell.get("class") for cell in soup.select("tbody tr:first-child td")] == [
        ["align-left"], ["align-right"], ["align-center"]]


def test_a_column_of_numbers_is_aligned_right_and_words_are_not():
    soup = html_of("| Year | Clients | Note |\n|---|---|---|\n| 2018 | 1,200 | calm |\n| 2019 | +30 % | |\n")
    assert [cell.get("class") for cell in soup.select("tbody tr:first-child td")] == [["num"], ["num"], None]


def test_a_picture_with_a_title_becomes_a_figure_with_its_caption():
    soup = html_of('![A hand on a towel](/images/hand.png "Warmed first")\n\n![No title](/images/b.png)\n\n'
                   'Text ![inline](/images/c.png "not alone") here.\n')
    figure = soup.select_one("figure")
    assert figure.img["alt"] == "A hand on a towel" and not figure.img.has_attr("title")
    assert figure.figcaption.get_text() == "Warmed first"
    assert len(soup.select("figure")) == 1, "a picture without a title, or inside a sentence, stays as it is"


@pytest.mark.parametrize("text", ["```python\ndef f():\n    return 1\n```\n", "    :::python\n    def f(): pass\n",
                                  "~~~ {.python}\nx = 1\n~~~\n"])
def test_code_is_highlighted_with_classes_and_reachable_by_keyboard(text):
    soup = html_of(text)
    pre = soup.select_one("div.highlight pre")
    assert pre["tabindex"] == "0" and pre.select("span.k, span.kn, span.n") and not soup.select("[style]")


def test_a_block_without_language_is_not_guessed():
    assert not html_of("```\nSELECT 1;\n```\n").select("div.highlight span[class]:not(.w)")


def test_the_extension_joins_the_settings_by_name_once():
    settings = {"MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}}}}
    with_extension(settings)
    with_extension(settings)
    assert list(settings["MARKDOWN"]["extension_configs"]) == ["markdown.extensions.extra", EXTENSION]


def test_a_summary_leaves_tables_and_code_out(pelican_build):
    output = pelican_build(
        {"post.md": "Title: T\nDate: 2024-03-01\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n"
                    "The words of the post.\n",
         "templates/article.html": "[{{ article.summary }}]"},
        settings={"ARTICLE_SAVE_AS": "post.html", "SUMMARY_MAX_LENGTH": 20}, plugins=["rich_markdown"])
    assert (output / "post.html").read_text().replace("\n", "") == "[<p>The words of the post.</p>]"

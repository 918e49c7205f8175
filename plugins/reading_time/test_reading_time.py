import pytest

from plugins.shared.html_text import plain_text as text_of
from reading_time.reading_time import count_words, estimate_reading_time

ENGLISH_WORD = "relax "
JAPANESE_CHARACTER = "痛"


def minutes(html):
    return estimate_reading_time(html)[0]


@pytest.mark.parametrize(
    ("words", "expected"), [(1, 1), (200, 1), (201, 2), (379, 2), (400, 2), (401, 3), (1000, 5)]
)
def test_english_at_200_words_a_minute_rounded_up(words, expected):
    assert minutes(f"<p>{ENGLISH_WORD * words}</p>") == expected


@pytest.mark.parametrize(("characters", "expected"), [(500, 1), (501, 2), (1000, 2), (1500, 3)])
def test_japanese_by_characters_at_500_a_minute(characters, expected):
    assert minutes(f"<p>{JAPANESE_CHARACTER * characters}</p>") == expected


def test_kana_kanji_and_chinese_all_count_as_characters():
    assert count_words("マッサージと神経科学。按摩疗法") == (0, 14)  # the full stop is not read


def test_mixed_english_and_japanese_add_up():
    # 300 words = 1.5 min, 500 characters = 1 min: 2.5, so 3.
    html = f"<p>{ENGLISH_WORD * 300}</p><p>{JAPANESE_CHARACTER * 500}</p>"
    assert estimate_reading_time(html) == (3, 800)
    assert count_words("massageは痛みを和らげる therapy") == (2, 8)


@pytest.mark.parametrize("html", ["", "   ", "<p></p>", None])
def test_empty_is_one_minute(html):
    assert estimate_reading_time(html) == (1, 0)


def test_markup_is_not_counted():
    html = (
        '<div class="wrapper one two three" data-words="many many many words here">'
        '<img src="a/b/c/d.jpg" alt="">'
        "<p>Four <em>words</em> <a href='https://x.example/a/b/c'>are</a> here.</p>"
        "<script>var not = counted + at + all;</script><style>p { color: red }</style>"
        "<!-- a comment with words --></div>"
    )
    assert text_of(html).split() == ["Four", "words", "are", "here."]
    assert estimate_reading_time(html) == (1, 4)


def test_contractions_hyphens_and_entities():
    assert count_words(text_of("<p>there&#8217;s well-being &amp; don't &mdash; pain</p>")) == (4, 0)


def test_block_boundaries_separate_words():
    assert count_words(text_of("<p>end</p><p>start</p>")) == (2, 0)


def test_settings_change_the_pace():
    assert estimate_reading_time(f"<p>{ENGLISH_WORD * 300}</p>", words_per_minute=100)[0] == 3


# The text is read by patterns (C) where it can be, and by the HTML parser (Python, counted here)
# where a post holds elements that nest (template, noscript). The patterns' growth, and the word
# pattern's on long runs of hyphens and quotes, are timed in bench/growth.py.
@pytest.mark.parametrize(
    ("unit", "size"),
    [
        ("<noscript></noscript><p>Massage therapy, neuroscience &amp; 痛みの緩和 — well-being.</p>\n", 50_000),
        ("<noscript>" + "<" * 30, 20_000),  # the HTML parser reads these one at a time
    ],
    ids=["prose", "open-brackets"],
)
def test_work_grows_linearly_with_the_text(unit, size, operations):
    # `size` against 4 times it: linear gives about 4, quadratic 16. The memo is bypassed
    # (__wrapped__): a second call would only look up the first one's answer.
    small = unit * (size // len(unit))
    large = small * 4
    measure = estimate_reading_time.__wrapped__
    ratio = operations(measure, large) / operations(measure, small)
    assert 3.5 < ratio < 5, f"4x the text took {ratio:.1f}x the work: not linear"


def test_articles_and_pages_get_reading_time_in_a_real_build(pelican_build):
    template = "{{ (article or page).reading_time }} min read, {{ (article or page).word_count }} words"
    output = pelican_build(
        {
            "english.md": f"Title: English\nDate: 2023-02-19\n\n{ENGLISH_WORD * 379}\n",
            "japanese.md": f"Title: 日本語\nDate: 2023-02-20\nSlug: japanese\n\n{JAPANESE_CHARACTER * 1200}\n",
            "pages/about.md": f"Title: About\n\n{ENGLISH_WORD * 650}\n",
            "templates/article.html": template,
            "templates/page.html": template,
        },
        settings={"ARTICLE_SAVE_AS": "{slug}.html", "PAGE_PATHS": ["pages"], "ARTICLE_EXCLUDES": ["pages"]},
        plugins=["reading_time"],
    )
    assert (output / "english.html").read_text() == "2 min read, 379 words"
    assert (output / "japanese.html").read_text() == "3 min read, 1200 words"
    assert (output / "pages/about.html").read_text() == "4 min read, 650 words"

import hashlib
import json
from pathlib import Path

import pytest

from content_checks.content_checks import (
    FIELDS,
    PLACEHOLDER,
    ContentProblemsError,
    date_problem,
    near_picture,
    own_words,
    picture_files,
    read_source,
    tag_problems,
    target_problem,
)


def source(tmp_path, text, kind="post", name="post.md"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return read_source(path, kind, FIELDS)


GOOD = "Title: T\nDate: 2024-03-01\nAuthor: A\nTags: a, b\n\nText.\n"


def test_a_good_post_has_no_problem(tmp_path):
    parsed, problems = source(tmp_path, GOOD)
    assert problems == []
    assert parsed.readable and parsed.body_line == 6 and parsed.value("Tags") == "a, b"


def test_indented_lines_continue_a_field(tmp_path):
    parsed, problems = source(tmp_path, "Title: T\nDate: 2024-03-01\nAuthor: A\nTags: a,\n    b\n\nText.\n")
    assert problems == [] and parsed.value("Tags") == "a, b"


def test_fields_are_matched_whatever_their_case(tmp_path):
    assert source(tmp_path, GOOD.replace("Title:", "title:").replace("Tags:", "TAGS:"))[1] == []


def test_a_page_needs_only_a_title(tmp_path):
    parsed, problems = source(tmp_path, "Title: About\n\nText.\n", kind="page")
    assert problems == [] and parsed.readable


@pytest.mark.parametrize(
    ("line", "words"),
    [("Stauts: draft", '"Stauts" is not a field the site knows. Did you mean "Status"?'),
     ("Sumary: x", 'Did you mean "Summary"?'),
     ("Tag: x", 'Did you mean "Tags"?'), ("Titel: x", 'Did you mean "Title"?')],
)
def test_unknown_fields_get_did_you_mean_when_something_is_close(tmp_path, line, words):
    _, problems = source(tmp_path, GOOD.replace("Author: A\n", f"Author: A\n{line}\n"))
    assert len(problems) == 1 and problems[0].line == 4 and words in str(problems[0])
    assert problems[0].severity == "error"


@pytest.mark.parametrize("line", ["Colour: blue", "authorlink: https://example.org/me", "Link: x", "Image: a.png",
                                  "og_image: a.png", "Subtitle: more"])
def test_other_fields_are_allowed_with_a_notice_and_no_did_you_mean(tmp_path, line):
    _, problems = source(tmp_path, GOOD.replace("Author: A\n", f"Author: A\n{line}\n"))
    assert [(p.line, p.severity) for p in problems] == [(4, "notice")]
    assert "is a field the site does not use: it is kept" in problems[0].what and "Did you mean" not in str(problems[0])


@pytest.mark.parametrize("line", ["Modified: 2024-03-02", "Category: notes", "Lang: ja", "Translation: true",
                                  "Save_as: x.html", "URL: x/", "Template: wide", "Keywords: a", "Authors: A, B"])
def test_pelicans_own_fields_are_known(tmp_path, line):
    assert source(tmp_path, GOOD.replace("Author: A\n", f"Author: A\n{line}\n"))[1] == []


def test_authors_stands_for_author(tmp_path):
    parsed, problems = source(tmp_path, GOOD.replace("Author: A", "Authors: A, B"))
    assert problems == [] and parsed.readable


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbfTitle: T\r\nDate: 2024-03-01\r\nAuthor: A\r\nTags: a, b\r\n\r\nText.\r\n",  # Notepad
    b"Title: T\rDate: 2024-03-01\rAuthor: A\rTags: a, b\r\rText.\r",  # old Mac
    b"\xef\xbb\xbf---\ntitle: T\ndate: 2024-03-01\nauthor: A\ntags: a, b\n---\n\nText.\n",  # YAML style
    b"---\r\nTitle: T\r\nDate: 2024-03-01T09:30:00+09:00\r\nAuthor: A\r\nTags: a, b\r\n...\r\nText.\r\n",
])
def test_byte_order_marks_line_ends_and_dashed_headers_are_read(tmp_path, raw):
    parsed, problems = source(tmp_path, raw)
    assert problems == [] and parsed.readable and parsed.value("Tags") == "a, b" and parsed.body.strip() == "Text."
    assert parsed.lines[parsed.body_line - 1] == "Text."


def test_a_quoted_date_in_a_dashed_header_says_remove_the_quotes(tmp_path):
    parsed, problems = source(tmp_path, '---\ntitle: T\ndate: "2010-10-30"\nauthor: A\ntags: a\n---\n\nText.\n')
    assert not parsed.readable and problems[0].line == 3
    assert problems[0].what == "The date is written between quotes."
    assert problems[0].fix.startswith("Remove the quotes: Date: 2010-10-30.")


@pytest.mark.parametrize(("raw", "words"), [
    (b"\xef\xbb\xbf", "is empty."),
    (b"\xef\xbb\xbf\r\n\r\n", "is empty."),
    (b"Title\n=====\n\n:date: 2024-01-01\n", ("is written in reStructuredText (.rst): the site reads posts written in "
                                             "Markdown only.")),
])
def test_files_the_site_cannot_read_get_one_message(tmp_path, raw, words):
    parsed, problems = source(tmp_path, raw, name="post.rst" if b"=====" in raw else "post.md")
    assert not parsed.readable and [p.what for p in problems] == [words]


def test_a_post_of_megabytes_is_left_out_with_a_message(tmp_path):
    parsed, problems = source(tmp_path, GOOD + "Words and words. " * 300_000)
    assert not parsed.readable and len(problems) == 1
    assert problems[0].what.startswith("is 5.1 MB of text, far more than a post") and "Split it" in problems[0].fix


@pytest.mark.parametrize(("body", "line", "words"), [
    ("Text.\n\n{% img /images/a.png %}\n", 8, 'It holds "{% img /images/a.png %}", another blog engine\'s template tag'),
    ("Text.\n\n$$\nE = mc^2\n$$\n", 8, 'It holds "$$", math written for TeX'),
    ("Text with $$x^2$$ inline.\n", 6, 'It holds "$$x^2$$", math'),
    ("Text.\n\n```python\ncode\n", 8, "The code block that starts with ``` on this line is never closed"),
])
def test_what_the_site_would_show_as_typed_is_named(tmp_path, body, line, words):
    _, problems = source(tmp_path, GOOD.replace("Text.\n", body))
    assert [(p.line, p.what.startswith(words)) for p in problems] == [(line, True)], problems


def test_template_tags_and_math_inside_code_are_left_alone(tmp_path):
    body = "Use `{% raw %}` and `$$`.\n\n```\n{% if x %}\n$$ a $$\n```\n\n    {% indented %}\n"
    assert source(tmp_path, GOOD.replace("Text.\n", body))[1] == []


def test_a_misspelled_status_is_caught_before_it_publishes_a_draft(tmp_path):
    _, problems = source(tmp_path, GOOD.replace("Tags: a, b\n", "Tags: a, b\nStatus: drafft\n"))
    assert len(problems) == 1 and problems[0].line == 5
    assert problems[0].what == '"drafft" is not a status. Did you mean "draft"?'
    assert problems[0].fix == 'Write "Status: draft" to keep it unpublished, or remove the line to publish it.'


def test_a_post_without_a_date_is_left_out(tmp_path):
    post, problems = source(tmp_path, GOOD.replace("Date: 2024-03-01\n", ""))
    assert not post.readable and "left out of the site" in str(problems[0])


def test_the_line_of_a_bad_byte_is_named(tmp_path):
    parsed, problems = source(tmp_path, b"Title: T\nDate: 2024-03-01\n\nfine\n\xff bad\n")
    assert not parsed.readable and problems[0].line == 5


def test_tags_that_would_make_two_tag_pages_point_to_the_usual_spelling(tmp_path):
    """"Chronic pain", "chronic pain" and "chronic-pain" share the page /tag/chronic-pain/: one tag, no
    message. "ChronicPain" and "chronic_pain" would each make a page of their own."""
    sources = [source(tmp_path, GOOD.replace("a, b", tags), name=f"{n}.md")[0]
               for n, tags in enumerate(["Chronic pain", "chronic pain", "chronic pain", "chronic-pain, sleep",
                                         "ChronicPain", "chronic_pain"])]
    problems = tag_problems(sources)
    assert [(Path(p.file).name, p.what.split(" (")[0]) for p in problems] == [
        ("4.md", 'The tag "ChronicPain" is spelled differently from "chronic pain"'),
        ("5.md", 'The tag "chronic_pain" is spelled differently from "chronic pain"'),
    ]


@pytest.mark.parametrize(
    ("target", "fine"),
    [("/images/here.png", True), ("/images/gone.png", False), ("/post/live/", True), ("/post/live", True),
     ("/post/gone/", False), ("https://www.site.test/post/live/", True), ("https://www.site.test/gone/", False),
     ("https://elsewhere.test/x", True), ("images/here.png", False), ("#section", True),
     ("mailto:a@b.test", True), ("{static}/images/here.png", True), ("{static}/images/gone.png", False),
     ("{filename}/posts/post.md", True), ("{filename}post.md", True), ("{filename}/posts/none.md", False),
     ("{tag}sleep", True), ("{tag}nothing", False), ("{author}Yoko Sakura", True), ("{category}blog", False),
     ("{index}", True)],
)
def test_link_and_picture_addresses(tmp_path, target, fine):
    (tmp_path / "images").mkdir()
    (tmp_path / "images/here.png").write_bytes(b"png")
    (tmp_path / "posts").mkdir()
    parsed, _ = source(tmp_path / "posts", GOOD)
    addresses = {"images/here.png", "post/live", "tag/sleep", "author/yoko-sakura"}
    settings = {"TAG_URL": "tag/{slug}/", "AUTHOR_URL": "author/{slug}/",
                "SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"[-\s]+", "-")]}
    reason = target_problem(target, parsed, tmp_path, addresses, "https://www.site.test", settings)
    assert (reason is None) == fine, reason


def test_a_strict_build_stops_with_a_sentence_not_a_traceback():
    error = ContentProblemsError("2 problems")
    assert isinstance(error, SystemExit) and str(error) == "2 problems"


def test_an_empty_summary_is_made_from_the_text_in_a_real_build(pelican_build):
    output = pelican_build(
        {"post.md": "Title: T\nDate: 2024-03-01\nSummary:\n\nThe first words of the post.\n",
         "templates/article.html": "[{{ article.summary }}]"},
        settings={"ARTICLE_SAVE_AS": "post.html"}, plugins=["content_checks"],
    )
    assert (output / "post.html").read_text() == "[<p>The first words of the post.</p>]"


def test_the_problems_can_be_written_as_json_for_the_preview(pelican_build, tmp_path):
    problems_file = tmp_path / "problems.json"
    pelican_build(
        {"posts/a.md": "Title: A\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags: sleep\nColuor: blue\n\nText.\n"},
        settings={"CONTENT_CHECKS": {"problems_file": str(problems_file)}, "ARTICLE_PATHS": ["posts"]},
        plugins=["content_checks"],
    )
    rows = json.loads(problems_file.read_text(encoding="utf-8"))
    assert [(row["source"], row["line"]) for row in rows] == [("posts/a.md", 5)]
    assert rows[0]["file"].endswith("posts/a.md") and '"Coluor" is a field the site does not use' in rows[0]["what"]
    assert rows[0]["fix"]


# --- Dates: year-month-day and nothing else; anything else says what it could mean ------------

@pytest.mark.parametrize("value", ["2026-03-12", "2026-03-12 09:30", "2026-03-12 09:30:15", "2026-03-12 09:30+09:00",
                                   "2026-03-12 09:30-08:00", "2026-03-12 09:30Z", "2024-02-29",
                                   # ISO forms Pelican reads, as other blogs write them: year first, never ambiguous
                                   "2026-3-5", "2026-03-12T09:30", "2016-03-27T12:00:00+00:00",
                                   "2012-10-19 22:20:00.123+0200"])
def test_dates_written_year_month_day_are_read(tmp_path, value):
    parsed, problems = source(tmp_path, GOOD.replace("2024-03-01", value))
    assert problems == [] and parsed.readable
    assert date_problem(value) is None


@pytest.mark.parametrize(
    ("value", "what", "fix"),
    [("12/03/2026", 'The date "12/03/2026" could be 3 December 2026 or 12 March 2026.',
      "Write it as year-month-day: 2026-12-03 or 2026-03-12."),
     ("12/03/2026 09:30", 'The date "12/03/2026 09:30" could be 3 December 2026 or 12 March 2026.',
      "Write it as year-month-day: 2026-12-03 09:30 or 2026-03-12 09:30."),
     ("13/03/2026", 'The date "13/03/2026" is written in a form the site does not read.',
      "If you mean 13 March 2026, write 2026-03-13."),
     ("2026/03/12", 'The date "2026/03/12" is written in a form the site does not read.',
      "If you mean 12 March 2026, write 2026-03-12."),
     ("March 12, 2026 9:30 pm", 'The date "March 12, 2026 9:30 pm" is written in a form the site does not read.',
      "If you mean 12 March 2026, write 2026-03-12 21:30."),
     ("2026-11-31", 'The date "2026-11-31" is not a date: November has 30 days.',
      "Correct the day, as year-month-day: the last day of November 2026 is 2026-11-30."),
     ("2027-02-29", 'The date "2027-02-29" is not a date: 2027 is not a leap year, so February has 28 days.',
      "Correct the day, as year-month-day: the last day of February 2027 is 2027-02-28."),
     ("2026-13-01", ('The date "2026-13-01" is not a date: there are 12 months, and the month comes second '
                     "(year-month-day), so 13 cannot be one."), "If you mean 13 January 2026, write 2026-01-13."),
     ("2026-03-12 25:00", 'The date "2026-03-12 25:00" is not a date: an hour goes from 00 to 23.',
      "Correct the time: write it like 2023-02-19 09:30."),
     ('"2026-03-12"', "The date is written between quotes.", "Remove the quotes: Date: 2026-03-12."),
     ("“2026-03-12”", "The date is written between quotes.", "Remove the quotes: Date: 2026-03-12."),
     ("next tuesday", 'The date "next tuesday" is not a date.',
      "Write it as year-month-day, like 2023-02-19, or with a time: 2023-02-19 09:30.")],
)
def test_any_other_date_is_refused_saying_what_it_could_mean(tmp_path, value, what, fix):
    parsed, problems = source(tmp_path, GOOD.replace("2024-03-01", value))
    assert not parsed.readable, "never guessed: the post is left out until the date is clear"
    assert [(p.line, p.what, p.fix) for p in problems] == [(2, what, f"{fix} It is left out of the site until then.")]


def test_a_modified_date_is_held_to_the_same_rule(tmp_path):
    _, problems = source(tmp_path, GOOD.replace("Author: A\n", "Author: A\nModified: 03/12/2026\n"))
    assert [(p.line, p.what) for p in problems] == [
        (4, 'The "Modified:" date "03/12/2026" could be 12 March 2026 or 3 December 2026.')]


# --- make newpost's placeholder, and posts without words of their own ----------------------

NEWPOST = "Title: T\nDate: 2024-03-01 09:30\nAuthor: A\nTags: a\nSummary:\n{status}\n" + PLACEHOLDER + "\n"


def test_a_draft_may_keep_the_placeholder(tmp_path):
    assert source(tmp_path, NEWPOST.format(status="Status: draft\n"))[1] == []


def test_the_placeholder_in_a_post_to_be_published_is_a_problem_on_its_line(tmp_path):
    _, problems = source(tmp_path, NEWPOST.format(status="").replace("Summary:\n\n", "Summary:\n\nMy words.\n\n"))
    assert [(p.line, p.what.split(",")[0]) for p in problems] == [
        (9, f'still holds the words "{PLACEHOLDER}" that `make newpost` put there')]


@pytest.mark.parametrize(("body", "own"), [("![A room](/images/room.jpg)", False), ("<br>\n\n---", False),
                                           ("[](https://example.org)", False), ("Words.", True),
                                           ("[Book a session](https://example.org)", True), ("肩こり", True)])
def test_words_of_its_own_are_more_than_pictures_and_addresses(body, own):
    assert own_words(body) is own


def test_a_post_with_only_a_picture_and_a_summary_is_a_problem_unless_a_draft(tmp_path):
    text = GOOD.replace("Text.", "![A room](/images/room.jpg)").replace("Tags: a, b\n", "Tags: a, b\nSummary: S\n")
    assert [p.what.split(",")[0] for p in source(tmp_path, text)[1]] == ["has no words of its own below its fields"]
    assert source(tmp_path, text.replace("Summary: S\n", "Summary: S\nStatus: draft\n"))[1] == []


# --- Pictures: did you mean ------------------------------------------------------------------

PICTURES = ("/images/shoulder-tension.jpg", "/images/clinic/room.png", "/images/sleep.png")


@pytest.mark.parametrize(("target", "meant"), [("/images/shoulder-tenson.jpg", "/images/shoulder-tension.jpg"),
                                               ("/images/Shoulder-Tension.jpg", "/images/shoulder-tension.jpg"),
                                               ("/images/room.png", "/images/clinic/room.png"),
                                               ("{static}/images/room.png", "/images/clinic/room.png"),
                                               ("/images/sleep.jpg", "/images/sleep.png"),
                                               ("/images/not-there.jpg", None), ("/images/", None)])
def test_a_missing_picture_points_to_the_one_probably_meant(target, meant):
    assert near_picture(target, PICTURES) == meant


def test_picture_files_lists_the_images_folder_as_addresses(tmp_path):
    (tmp_path / "images/clinic").mkdir(parents=True)
    for name in ("images/a.jpg", "images/clinic/room.png", "images/.DS_Store"):
        (tmp_path / name).write_bytes(b"x")
    assert picture_files(tmp_path) == ("/images/a.jpg", "/images/clinic/room.png")
    assert picture_files(tmp_path / "nowhere") == ()


# --- In a real build: drafts, left-out posts, scheduled posts --------------------------------

def test_severities_in_the_problems_file(pelican_build, tmp_path):
    problems_file = tmp_path / "problems.json"
    pelican_build(
        {"posts/draft.md": "Title: D\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags:\nStatus: draft\n\nText.\n",
         "posts/later.md": "Title: L\nDate: 2999-01-02\nAuthor: Yoko Sakura\nTags: sleep\n\nSoon.\n",
         "posts/bad.md": "Title: B\nDate: 12/03/2026\nAuthor: Yoko Sakura\nTags: sleep\n\nA room: ![A room](/images/r.jpg)\n"},
        settings={"CONTENT_CHECKS": {"problems_file": str(problems_file)}, "ARTICLE_PATHS": ["posts"],
                  "WITH_FUTURE_DATES": False},
        plugins=["content_checks"],
    )
    rows = json.loads(problems_file.read_text(encoding="utf-8"))
    assert [(row["source"], row["line"], row["severity"]) for row in rows] == [
        ("posts/bad.md", 2, "error"), ("posts/bad.md", 6, "error"), ("posts/draft.md", 4, "warning"),
        ("posts/later.md", 2, "notice")]
    assert rows[3]["what"] == "is scheduled for 2 January 2999: its date is in the future, so it is not published yet."


def test_the_posts_file_says_what_each_post_is(pelican_build, tmp_path):
    posts_file = tmp_path / "posts.json"
    pelican_build(
        {"posts/live.md": "Title: Live\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags: sleep\n\nText.\n",
         "posts/draft.md": "Title: Draft\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags: sleep\nStatus: draft\n\nT.\n",
         "posts/later.md": "Title: Later\nDate: 2999-01-02 08:00\nAuthor: Yoko Sakura\nTags: sleep\n\nSoon.\n",
         "posts/bad.md": "Title: Bad\nDate: 2026-11-31\nAuthor: Yoko Sakura\nTags: sleep\n\nText.\n"},
        settings={"CONTENT_CHECKS_POSTS_FILE": str(posts_file), "ARTICLE_PATHS": ["posts"], "WITH_FUTURE_DATES": False,
                  "ARTICLE_URL": "post/{slug}/", "ARTICLE_SAVE_AS": "post/{slug}/index.html"},
        plugins=["content_checks"],
    )
    rows = {row["source"]: row for row in json.loads(posts_file.read_text(encoding="utf-8"))}
    assert {name: row["status"] for name, row in rows.items()} == {
        "posts/live.md": "published", "posts/draft.md": "draft", "posts/later.md": "scheduled",
        "posts/bad.md": "left out"}
    later = rows["posts/later.md"]
    assert (later["title"], later["line"], later["date_words"], later["url"], later["save_as"]) == (
        "Later", 2, "2 January 2999, 08:00", "post/later/", "post/later/index.html")
    assert rows["posts/live.md"]["digest"] == hashlib.sha256((tmp_path / "content/posts/live.md").read_bytes()).hexdigest()


def test_a_picture_too_large_to_resize_is_a_problem_with_its_line(pelican_build, tmp_path, huge_png):
    problems_file = tmp_path / "problems.json"
    post = ("Title: Huge\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags: sleep\nCover: /images/cover.png\n\n"
            "Some words of my own.\n\n![A treatment room](/images/huge.png)\n")
    pelican_build(
        {"posts/huge.md": post},
        binary={"images/huge.png": huge_png, "images/cover.png": huge_png},
        settings={"CONTENT_CHECKS": {"problems_file": str(problems_file)}, "ARTICLE_PATHS": ["posts"],
                  "STATIC_PATHS": ["images"]},
        plugins=["content_checks", "responsive_images"],
    )
    rows = json.loads(problems_file.read_text(encoding="utf-8"))
    found = [(row["line"], row["what"]) for row in rows]
    size = "is 12000 × 12000 pixels (144 megapixels), more than the 50 megapixels the site resizes."
    assert found == [(5, f"The cover picture /images/cover.png {size}"), (9, f"The picture /images/huge.png {size}")]
    assert all("photo editor" in row["fix"] and row["severity"] == "error" for row in rows)


def test_a_date_in_the_file_name_is_the_posts_date_as_pelican_reads_it(tmp_path):
    """Pelican's FILENAME_METADATA (by default a date at the start of the name) stands for Date:."""
    text = GOOD.replace("Date: 2024-03-01\n", "")
    pattern = r"(?P<date>\d{4}-\d{2}-\d{2}).*"
    parsed, problems = source(tmp_path, text, name="2012-11-30_sleep.md")
    assert not parsed.readable and 'has no "Date:" line' in problems[0].what, "without the setting: no date"
    parsed, problems = read_source(tmp_path / "2012-11-30_sleep.md", "post", FIELDS, pattern)
    assert problems == [] and parsed.readable and parsed.value("Date") == "2012-11-30"
    path = tmp_path / "2012-13-30_sleep.md"
    path.write_text(text)
    _, problems = read_source(path, "post", FIELDS, pattern)
    assert problems[0].what.startswith('The date "2012-13-30" is not a date')


def test_a_posts_html_is_read_again_only_when_it_changed_or_the_rules_did(pelican_build, tmp_path, monkeypatch):
    """The HTML checks' answers are kept in the cache folder between builds (a new process each
    time: the memory of the last is emptied here), for the same rules only."""
    from content_checks import allowed_html, content_checks

    read = []
    own_judged = allowed_html.judged
    monkeypatch.setattr(allowed_html, "judged", lambda html: read.append(html) or own_judged(html))
    posts = {f"post-{number}.md": f"Title: Post {number}\nDate: 2024-03-0{number}\nAuthor: A\nTags: a\n\n"
                                  f"Text of post {number}, with <em>a word</em>.\n" for number in (1, 2)}
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "CONTENT_CHECKS": {"strict": False}}

    def build(files):
        content_checks.JUDGED.known = {}
        read.clear()
        pelican_build(files, settings=settings, plugins=["content_checks"])
        return [html for html in read if "Text of post" in html]

    assert len(build(posts)) == 2
    assert build(posts) == [], "nothing changed: nothing read again"
    changed = build({**posts, "post-2.md": posts["post-2.md"].replace("a word", "two words")})
    assert len(changed) == 1 and "two words" in changed[0]
    monkeypatch.setattr(content_checks.JudgedHtml, "RULES", "other rules")
    assert len(build(posts)) == 2, "other rules: every post read again"

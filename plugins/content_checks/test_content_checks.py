import json
from pathlib import Path

import pytest

from content_checks.content_checks import (
    FIELDS,
    ContentProblemsError,
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
     ("Colour: blue", '"Colour" is not a field the site knows. Remove the line')],
)
def test_unknown_fields_get_did_you_mean_when_something_is_close(tmp_path, line, words):
    _, problems = source(tmp_path, GOOD.replace("Author: A\n", f"Author: A\n{line}\n"))
    assert len(problems) == 1 and problems[0].line == 4 and words in str(problems[0])


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


def test_tags_that_differ_only_by_case_spaces_or_dashes_point_to_the_usual_spelling(tmp_path):
    sources = [source(tmp_path, GOOD.replace("a, b", tags), name=f"{n}.md")[0]
               for n, tags in enumerate(["Chronic pain", "chronic pain", "chronic pain", "chronic-pain, sleep"])]
    problems = tag_problems(sources)
    assert [(Path(p.file).name, p.what.split(" (")[0]) for p in problems] == [
        ("0.md", 'The tag "Chronic pain" is spelled differently from "chronic pain"'),
        ("3.md", 'The tag "chronic-pain" is spelled differently from "chronic pain"'),
    ]


@pytest.mark.parametrize(
    ("target", "fine"),
    [("/images/here.png", True), ("/images/gone.png", False), ("/post/live/", True), ("/post/live", True),
     ("/post/gone/", False), ("https://www.site.test/post/live/", True), ("https://www.site.test/gone/", False),
     ("https://elsewhere.test/x", True), ("images/here.png", False), ("#section", True),
     ("mailto:a@b.test", True), ("{static}/images/here.png", True), ("{static}/images/gone.png", False),
     ("{filename}/posts/post.md", True), ("{filename}post.md", True), ("{filename}/posts/none.md", False)],
)
def test_link_and_picture_addresses(tmp_path, target, fine):
    (tmp_path / "images").mkdir()
    (tmp_path / "images/here.png").write_bytes(b"png")
    (tmp_path / "posts").mkdir()
    parsed, _ = source(tmp_path / "posts", GOOD)
    addresses = {"images/here.png", "post/live"}
    reason = target_problem(target, parsed, tmp_path, addresses, "https://www.site.test")
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
        {"posts/a.md": "Title: A\nDate: 2024-01-01\nAuthor: Yoko Sakura\nTags: sleep\nColour: blue\n\nText.\n"},
        settings={"CONTENT_CHECKS": {"problems_file": str(problems_file)}, "ARTICLE_PATHS": ["posts"]},
        plugins=["content_checks"],
    )
    rows = json.loads(problems_file.read_text(encoding="utf-8"))
    assert [(row["source"], row["line"]) for row in rows] == [("posts/a.md", 5)]
    assert rows[0]["file"].endswith("posts/a.md") and '"Colour" is not a field' in rows[0]["what"]
    assert rows[0]["fix"]

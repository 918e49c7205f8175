"""Each mistake in a post comes back as its own sentence: the file, the line, the fix.

tests/broken_posts/ holds one post per mistake. The preview build warns and still builds the
site; the publish build refuses, and the last good output/ stays exactly as it was. A post left
out for its date still gets its other problems listed; a draft's problems never stop a publish.
"""

import re
import shutil
import subprocess
import sys

import pytest

from tests.built_site import PROJECT, checksums, copy_project

BROKEN = PROJECT / "tests" / "broken_posts"
# file under content/ -> (line, words the message must hold)
EXPECTED = {
    "posts/missing-title.md": (1, 'has no "Title:" line. Fill it in at the top, like "Title: Sleep and stress". '
                                  "It is left out of the site until then."),
    "posts/bad-date.md": (2, 'The date "2023-02-30" is not a date: February has 28 days in 2023. Correct the day, '
                             "as year-month-day: the last day of February 2023 is 2023-02-28. "
                             "It is left out of the site until then."),
    "posts/date-day-or-month.md": (2, 'The date "12/03/2026" could be 3 December 2026 or 12 March 2026. Write it as '
                                      "year-month-day: 2026-12-03 or 2026-03-12. It is left out of the site until "
                                      "then."),
    "posts/impossible-date.md": (2, 'The date "2026-11-31" is not a date: November has 30 days. Correct the day, as '
                                    "year-month-day: the last day of November 2026 is 2026-11-30. It is left out of "
                                    "the site until then."),
    "posts/date-in-quotes.md": (2, "The date is written between quotes. Remove the quotes: Date: 2024-03-01. "
                                   "It is left out of the site until then."),
    "posts/placeholder.md": (7, 'still holds the words "Write your post here. Leave an empty line between '
                                'paragraphs." that `make newpost` put there, so it would be published with them. '
                                'Write your post in their place, or keep the line "Status: draft" until it is '
                                "ready."),
    "posts/no-words.md": (7, "has no words of its own below its fields, so its page would be empty of text. Write "
                             "the post below the fields, after one empty line"),
    "posts/draft-without-tags.md": (4, 'has an empty "Tags:" line. Fill it in at the top, like "Tags: sleep, '
                                       'stress".'),
    "posts/cover-in-other-folder.md": (5, "The cover picture /images/room.png is not a page or file of this site. "
                                          "Did you mean /images/clinic/room.png? Write Cover: /images/clinic/room.png, "
                                          "or put the picture in content/images/."),
    # Pelican names the site's AUTHOR: said, but not a mistake that stops a publish.
    "posts/missing-author.md": (1, 'has no "Author:" line, so it is shown as written by the site\'s author (AUTHOR in '
                                   'pelicanconf.py). If someone else wrote it, add a line like "Author: Yoko Sakura".'),
    "posts/no-tags.md": (4, 'has an empty "Tags:" line. Fill it in at the top, like "Tags: sleep, stress".'),
    "posts/no-summary-no-text.md": (6, "has no text, and no summary to show in the list of posts."),
    "posts/duplicate-slug-one.md": (2, 'It has the address "same-address", as content/posts/duplicate-slug-two.md '
                                       "and content/pages/same-address.md do. Give each its own \"Slug:\""),
    "posts/duplicate-slug-two.md": (2, 'It has the address "same-address", as content/posts/duplicate-slug-one.md'),
    "pages/same-address.md": (2, 'It has the address "same-address"'),
    "posts/missing-image.md": (8, "The picture /images/not-there.jpg is not a page or file of this site. "
                                  "Put the picture in content/images/"),
    "posts/missing-cover.md": (5, "The cover picture /images/no-such-cover.jpg is not a page or file of this site. "
                                  "Put the picture in content/images/ and write Cover: /images/<its file name>."),
    "posts/image-without-alt.md": (8, "The picture /images/present.png has no description. Describe it between "
                                      "the square brackets"),
    "posts/broken-link.md": (6, "The link to {filename}/posts/not-written-yet.md is not in the content folder."),
    "posts/typo-in-field.md": (4, '"Tgas" is not a field the site knows. Did you mean "Tags"? Rename it to "Tags:".'),
    "posts/tag-spelled-differently.md": (4, 'The tag "MassageTherapy" is spelled differently from "massage therapy"'
                                            ' (used in 25 posts). Did you mean "massage therapy"?'),
    "posts/not-utf8.md": (6, 'is not saved as UTF-8 text, so it cannot be read. Open it in your text editor and save '
                             'it again with the encoding "UTF-8".'),
    "posts/empty.md": (1, "is empty. Write the post in it, or delete the file."),
    "posts/no-fields.md": (1, "does not start with the post's fields (Title:, Date:, …)."),
    # Posts as other blogs write them (issue 18): what the site would show as typed, or not read.
    "posts/template-tag.md": (8, 'It holds "{% youtube dQw4w9WgXcQ %}", another blog engine\'s template tag (Jekyll, '
                                 "Liquid, a plugin), which the site does not run: readers would see it as typed. Write "
                                 "what it should show in Markdown"),
    "posts/tex-math.md": (8, 'It holds "$$", math written for TeX between $$, which the site does not draw: readers '
                             "would see the formula as typed. Write the formula in words"),
    "posts/unclosed-fence.md": (8, "The code block that starts with ``` on this line is never closed, so the rest of "
                                   "the post would show ``` and its code as text. Add a line with ``` alone where the "
                                   "code ends."),
    "posts/category-link.md": (6, "The link to {category}notes leads to a category page, and this site has none: it is "
                                  "organised by tags. Link to a tag page instead, like /tag/<its tag>/"),
    "posts/html-picture-without-alt.md": (8, "The picture /images/present.png has no description. Add what it shows "
                                             'to its <img> tag, like alt="Hands on a shoulder"'),
    "posts/restructured.rst": (1, "is written in reStructuredText (.rst): the site reads posts written in Markdown "
                                  "only. Save it as a .md file written in Markdown (the README shows a post), or move "
                                  "it out of the content folder. It is left out of the site until then."),
    "posts/custom-field.md": (5, '"authorlink" is a field the site does not use: it is kept, but nothing shows it.'),
}
ALSO = [("posts/broken-link.md", 8, "The link to /post/not-a-post/ is not a page or file of this site."),
        # Left out for its date, the post still gets its other problems listed, pictures included.
        ("posts/date-day-or-month.md", 5, '"Sumary" is not a field the site knows. Did you mean "Summary"?'),
        ("posts/date-day-or-month.md", 9, "The picture /images/shoulder-tenson.png is not a page or file of this site. "
                                          "Did you mean /images/shoulder-tension.png? Write its address as "
                                          "/images/shoulder-tension.png, or put the picture in content/images/.")]
SCHEDULED = ("content/posts/scheduled.md, line 2: is scheduled for 3 December 2999, 09:30: its date is in the future, "
             "so it is not published yet. It goes live with the first publish on or after that day.")


def build(project, settings):
    return subprocess.run(
        [sys.executable, "-m", "tools.build", "--project", str(project), "--settings", settings],
        cwd=PROJECT, capture_output=True, text=True, env={"COLUMNS": "400", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project with the broken posts added beside the real ones, and a good output/ built."""
    project = copy_project(tmp_path_factory.mktemp("broken"))
    assert build(project, "publishconf.py").returncode == 0
    for folder in ("posts", "pages", "images"):
        shutil.copytree(BROKEN / folder, project / "content" / folder, dirs_exist_ok=True)
    return project


@pytest.fixture(scope="module")
def preview(project):
    return build(project, "pelicanconf.py")


@pytest.fixture(scope="module")
def publish(project):
    before = checksums(project / "output")
    result = build(project, "publishconf.py")
    return result, before, checksums(project / "output")


def messages(log):
    """The checks' sentences, one per line, whatever the log's wrapping and level words."""
    return [re.split(r"\b(?:WARNING|ERROR|INFO)\b", line, maxsplit=1)[-1].strip().rsplit("content_checks.py:", 1)[0]
            .strip() for line in log.splitlines() if ", line " in line]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_gets_its_own_message_with_file_line_and_fix(preview, name):
    line, words = EXPECTED[name]
    prefix = f"content/{name}, line {line}: "
    found = [m for m in messages(preview.stdout + preview.stderr) if m.startswith(prefix)]
    assert any(words in m for m in found), f"no message {prefix}{words}\nfound: {found}"


def test_a_broken_link_is_reported_on_its_own_line(preview):
    for name, line, words in ALSO:
        assert any(m.startswith(f"content/{name}, line {line}: {words}") for m in messages(preview.stdout)), name


def test_a_post_left_out_for_its_date_is_not_built_and_its_other_problems_are_listed(project, preview):
    found = [m for m in messages(preview.stdout) if m.startswith("content/posts/date-day-or-month.md")]
    assert [m.split(":", 1)[0].rsplit(", ", 1)[1] for m in found] == ["line 2", "line 5", "line 9"]
    assert not list((project / "output").rglob("day-or-month*")), "neither 3 December nor 12 March: left out"


def test_a_scheduled_post_is_a_notice_with_its_date_not_a_problem(preview, publish):
    for log in (preview.stdout, publish[0].stdout):
        assert any(m.startswith(SCHEDULED) for m in messages(log))
        line = next(line for line in log.splitlines() if "content/posts/scheduled.md" in line)
        assert not re.search(r"\b(?:WARNING|ERROR)\b", line), line


def test_a_drafts_problems_are_warnings_even_when_publishing(publish):
    log = publish[0].stdout + publish[0].stderr
    lines = log.splitlines()
    assert len([line for line in lines if line.startswith("content/posts/draft-without-tags.md, line 4:")]) == 1
    assert len([line for line in lines if line.startswith("content/posts/placeholder.md, line 7:")]) == 1
    assert "1 problem in drafts and hidden posts, listed above: they do not stop `make publish`." in log
    # Every problem listed stops the publish but the draft's and the notices (scheduled, no Author):
    # the placeholder (not a draft) among them.
    listed = [line for line in lines if re.match(r"content/\S+, line \d+: ", line) and "is scheduled for" not in line
              and "so it is shown as written by the site's author" not in line]
    assert f"{len(listed) - 1} problems in posts and pages, listed above. Nothing was published" in log


def test_a_good_post_gets_no_message(preview):
    assert not [m for m in messages(preview.stdout) if m.startswith("content/posts/good.md")]
    assert not [m for m in messages(preview.stdout) if "neuroscience" in m]


def test_the_preview_warns_and_still_builds_the_site(project, preview):
    assert preview.returncode == 0, preview.stderr
    assert "31 problems in posts and pages, listed above. The preview shows what it can" in preview.stdout
    output = project / "output"
    assert (output / "post/a-good-post/index.html").is_file()
    assert (output / "post/missing-author/index.html").is_file(), "a post with a fixable problem is shown"
    assert not (output / "post/not-utf8").exists(), "an unreadable post is left out"
    # Two posts with one address are both shown, the later one at a temporary address.
    assert {p.name for p in (output / "post").glob("same-address*")} == {"same-address", "same-address-2"}


def test_another_themes_field_is_a_notice_of_the_preview_only(preview, publish):
    line = next(line for line in preview.stdout.splitlines() if "content/posts/custom-field.md" in line)
    assert not re.search(r"\b(?:WARNING|ERROR)\b", line), line
    assert "custom-field.md" not in publish[0].stdout + publish[0].stderr


def test_a_restructuredtext_file_is_not_built(project, preview):
    assert not list((project / "output").rglob("*restructured*"))


def test_pelican_adds_no_message_of_its_own_about_what_the_checks_report(preview):
    log = preview.stdout + preview.stderr
    for pelican_words in ("Skipping", "Could not process", "Empty alt attribute", "Unable to find", "Traceback"):
        assert pelican_words not in log


def test_the_publish_build_refuses_and_keeps_the_last_good_site(publish):
    result, before, after = publish
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "31 problems in posts and pages, listed above. Nothing was published" in log
    assert "Traceback" not in log
    assert after == before

"""Each mistake in a post comes back as its own sentence: the file, the line, the fix.

tests/broken_posts/ holds one post per mistake. The preview build warns and still builds the
site; the publish build refuses, and the last good output/ stays exactly as it was.
"""

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
    "posts/bad-date.md": (2, 'The date "2023-02-30" is not a date. Write it as year-month-day, like 2023-02-19'),
    "posts/missing-author.md": (1, 'has no "Author:" line. Fill it in at the top, like "Author: Yoko Sakura".'),
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
    "posts/tag-spelled-differently.md": (4, 'The tag "Massage-Therapy" is spelled differently from "massage therapy"'
                                            ' (used in 10 posts). Did you mean "massage therapy"?'),
    "posts/not-utf8.md": (6, 'is not saved as UTF-8 text, so it cannot be read. Open it in your text editor and save '
                             'it again with the encoding "UTF-8".'),
    "posts/empty.md": (1, "is empty. Write the post in it, or delete the file."),
    "posts/no-fields.md": (1, "does not start with the post's fields (Title:, Date:, …)."),
}
ALSO = [("posts/broken-link.md", 8, "The link to /post/not-a-post/ is not a page or file of this site.")]


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
    return [line.split("WARNING", 1)[-1].split("ERROR", 1)[-1].strip().rsplit("content_checks.py:", 1)[0].strip()
            for line in log.splitlines() if ", line " in line]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_gets_its_own_message_with_file_line_and_fix(preview, name):
    line, words = EXPECTED[name]
    prefix = f"content/{name}, line {line}: "
    found = [m for m in messages(preview.stdout + preview.stderr) if m.startswith(prefix)]
    assert any(words in m for m in found), f"no message {prefix}{words}\nfound: {found}"


def test_a_broken_link_is_reported_on_its_own_line(preview):
    for name, line, words in ALSO:
        assert any(m.startswith(f"content/{name}, line {line}: {words}") for m in messages(preview.stdout))


def test_a_good_post_gets_no_message(preview):
    assert not [m for m in messages(preview.stdout) if m.startswith("content/posts/good.md")]
    assert not [m for m in messages(preview.stdout) if "neuroscience" in m]


def test_the_preview_warns_and_still_builds_the_site(project, preview):
    assert preview.returncode == 0, preview.stderr
    assert "18 problems in posts and pages, listed above. The preview shows what it can" in preview.stdout
    output = project / "output"
    assert (output / "post/a-good-post/index.html").is_file()
    assert (output / "post/missing-author/index.html").is_file(), "a post with a fixable problem is shown"
    assert not (output / "post/not-utf8").exists(), "an unreadable post is left out"
    # Two posts with one address are both shown, the later one at a temporary address.
    assert {p.name for p in (output / "post").glob("same-address*")} == {"same-address", "same-address-2"}


def test_pelican_adds_no_message_of_its_own_about_what_the_checks_report(preview):
    log = preview.stdout + preview.stderr
    for pelican_words in ("Skipping", "Could not process", "Empty alt attribute", "Unable to find", "Traceback"):
        assert pelican_words not in log


def test_the_publish_build_refuses_and_keeps_the_last_good_site(publish):
    result, before, after = publish
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "18 problems in posts and pages, listed above. Nothing was published" in log
    assert "Traceback" not in log
    assert after == before

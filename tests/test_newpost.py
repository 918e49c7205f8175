"""`make newpost`: a new draft with every field, previewed, then published once the draft line goes."""

import re
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from content_checks.content_checks import PLACEHOLDER
from tests.built_site import PROJECT, build_fixture, copy_project, make, settings_value

TITLE = 'Sleep & stress: "why" it matters'
SLUG = "sleep-stress-why-it-matters"


def newpost(project, title=TITLE, tags="sleep, Stress "):
    return subprocess.run(
        [sys.executable, "-m", "tools.newpost", "--project", str(project), "--title", title, "--tags", tags],
        cwd=PROJECT, capture_output=True, text=True,
    )


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def test_newpost_writes_a_draft_with_every_field_and_says_where(project):
    result = newpost(project)
    assert result.returncode == 0, result.stderr
    path = project / "content/posts" / f"{SLUG}.md"
    assert f"New draft: content/posts/{SLUG}.md" in result.stdout
    assert f"http://127.0.0.1:8000/drafts/post/{SLUG}/" in result.stdout
    head = path.read_text(encoding="utf-8").split("\n\n")[0]
    fields = dict(re.findall(r"^(\w+):[ ]?(.*)$", head, re.M))
    assert list(fields) == ["Title", "Date", "Author", "Tags", "Summary", "Status"]
    assert fields["Title"] == TITLE
    assert fields["Author"] == "Yoko Sakura"
    assert fields["Tags"] == "sleep, Stress"
    assert fields["Summary"] == ""
    assert fields["Status"] == "draft"
    zone = ZoneInfo(settings_value("pelicanconf.py", "TIMEZONE"))
    written = datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    assert abs(datetime.now(zone) - written) < timedelta(minutes=2)


def test_the_new_post_is_previewed_as_a_draft_then_published_without_its_draft_line(project, tmp_path):
    assert newpost(project).returncode == 0
    preview = build_fixture(project / "content", "pelicanconf.py", tmp_path / "preview")
    assert preview.page(f"drafts/post/{SLUG}/").select_one(".draft-banner")
    published = build_fixture(project / "content", "publishconf.py", tmp_path / "published-draft")
    assert not (published.output / "post" / SLUG).exists()

    path = project / "content/posts" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    # Without its draft line but still with the placeholder, it is not published: the publish
    # build names the file and the placeholder's line.
    refused = subprocess.run(
        [sys.executable, "-m", "tools.build", "--project", str(project), "--settings", "publishconf.py"],
        cwd=PROJECT, capture_output=True, text=True, env={"COLUMNS": "400", "PATH": "/usr/bin:/bin"},
    )
    assert refused.returncode != 0
    assert (f"content/posts/{SLUG}.md, line 7: still holds the words \"{PLACEHOLDER}\" that `make newpost` put there"
            in refused.stdout)
    assert not (project / "output").exists(), "nothing was published"

    path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER, "Sleep comes easier to a calm body."),
                    encoding="utf-8")
    published = build_fixture(project / "content", "publishconf.py", tmp_path / "published")
    post = published.page(f"post/{SLUG}/")
    assert post.h1.get_text().replace("\xa0", " ") == "Sleep & stress: “why” it matters"
    for listing in ["", "tag/sleep/", "tag/stress/"]:
        titles = [a.get_text() for a in published.page(listing).select("main article h2 a")]
        assert any("Sleep & stress" in title for title in titles), listing
    summary = published.page("").select_one("main article .summary").get_text(strip=True)
    assert summary.startswith("Sleep comes easier"), "an empty Summary: is made from the post"


def test_the_placeholder_is_the_content_checks_own(project):
    """One sentence in one place: what newpost writes is what the checks look for."""
    assert newpost(project).returncode == 0
    body = (project / "content/posts" / f"{SLUG}.md").read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert body.strip() == PLACEHOLDER


def test_newpost_refuses_an_address_in_use_and_changes_nothing(project):
    assert newpost(project).returncode == 0
    path = project / "content/posts" / f"{SLUG}.md"
    path.write_text(path.read_text() + "\nMy words.\n")
    before = path.read_text()
    again = newpost(project, title="Sleep & Stress: why it matters?")
    assert again.returncode != 0
    assert f"content/posts/{SLUG}.md already uses the address /post/{SLUG}/" in again.stderr
    assert path.read_text() == before


def test_newpost_refuses_a_slug_that_a_page_uses(project):
    taken = newpost(project, title="About")
    assert taken.returncode != 0
    assert "content/pages/about.md already uses the address /post/about/" in taken.stderr


def test_make_newpost_without_a_title_explains_and_writes_nothing():
    # Run in the project itself: that it writes nothing there is checked with the writer's other
    # files at the end of the run (conftest.py).
    result = make("newpost", "TITLE=")
    assert result.returncode != 0
    assert 'make newpost TITLE="' in result.stderr


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbfTitle: Another title\r\nSlug: " + SLUG.encode() + b"\r\nDate: 2024-01-01\r\n\r\nText.\r\n",
    b"---\rtitle: Another title\rslug: " + SLUG.encode() + b"\rdate: 2024-01-01\r---\r\rText.\r",
])
def test_newpost_reads_posts_saved_on_windows_or_with_dashed_fields(project, raw):
    """A post saved by Notepad (byte-order mark, CRLF) or with its fields between --- lines still holds
    its address: newpost refuses it rather than write a second post at /post/<slug>/."""
    (project / "content/posts/saved-elsewhere.md").write_bytes(raw)
    result = newpost(project)
    assert result.returncode != 0 and "content/posts/saved-elsewhere.md already uses the address" in result.stderr
    assert not (project / "content/posts" / f"{SLUG}.md").exists()

"""Publish says what it did: `make publish`, `make rsync_upload` and `make github` end with a
summary (posts published, new and changed ones named; posts not published and why; files
uploaded and deleted), drafts never hold a publish back, and an upload stops before a post on the
live site vanishes because its date moved into the future. Run through `make` on copies of the
test site; rsync into a local folder, git into a bare repository."""

import os
import re
import subprocess
import sys

import pytest

from tests.built_site import PROJECT, checksums, copy_project, copy_site_content, make_test_site
from tools.newpost import TEMPLATE

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.test",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.test"}
SEED = "posts/neuroscience-v-s-massage-therapy.md"
SEED_TITLE = "Neuroscience v.s. massage therapy ... ?"
SLEEP = "Title: Sleep and stress\nDate: {date}\nAuthor: Yoko Sakura\nTags: sleep\n\nA calm body sleeps better.\n"
# What `make newpost TITLE="Shoulder tension"` writes, without TAGS=: a draft with no tags.
DRAFT = TEMPLATE.format(title="Shoulder tension", date="2024-05-02 09:30", author="Yoko Sakura", tags="")
# Pelican's log lines at the width of a wide terminal, so that no file name is cut in two.
WIDE = {"COLUMNS": "400"}
LATER = "Title: Winter care\nDate: 2999-12-03\nAuthor: Yoko Sakura\nTags: winter\n\nWarm hands.\n"


def write(content, name, text):
    path = content / name
    path.write_text(text, encoding="utf-8")
    return path


def summary_of(stdout):
    """The summary's lines: from "Summary" to the end."""
    lines = stdout.splitlines()
    start = max(number for number, line in enumerate(lines) if line.startswith("Summary"))
    return [line.rstrip() for line in lines[start:]]


def one_line(log):
    """The log with its wrapping undone, to find a message whatever the terminal's width."""
    return " ".join(log.split())


def test_make_publish_names_new_and_changed_posts_and_why_others_are_not_published(tmp_path):
    content = tmp_path / "content"
    first = make_test_site("publish", tmp_path, env=WIDE)
    assert first.returncode == 0, first.stderr
    assert summary_of(first.stdout) == [
        "Summary:",
        "  1 post published; there is no record of the last publish build to compare with.",
        "  Nothing was uploaded: `make rsync_upload` or `make github` puts the site online.",
    ]

    write(content, "posts/sleep-and-stress.md", SLEEP.format(date="2024-05-01 09:30"))
    draft = write(content, "posts/shoulder-tension.md", DRAFT)
    write(content, "posts/winter-care.md", LATER)
    seed = content / SEED
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more thought.\n", encoding="utf-8")
    second = make_test_site("publish", tmp_path, env=WIDE)
    assert second.returncode == 0, "a draft without tags holds nothing back\n" + second.stdout + second.stderr
    assert summary_of(second.stdout) == [
        "Summary:",
        "  2 posts published. Since the last publish build:",
        f'    new: "Sleep and stress" ({content}/posts/sleep-and-stress.md)',
        f'    changed: "{SEED_TITLE}" ({content}/{SEED})',
        "  2 posts not published:",
        f'    "Shoulder tension" ({draft}): a draft',
        f'    "Winter care" ({content}/posts/winter-care.md): scheduled for 3 December 2999',
        "  Nothing was uploaded: `make rsync_upload` or `make github` puts the site online.",
    ]
    log = one_line(second.stdout + second.stderr)
    assert f'{draft}, line 4: has an empty "Tags:" line.' in log, "the draft's problem is still listed"
    assert "1 problem in drafts and hidden posts, listed above: they do not stop `make publish`." in log
    assert (f"{content}/posts/winter-care.md, line 2: is scheduled for 3 December 2999: its date is in the future, "
            "so it is not published yet.") in log
    assert (tmp_path / "output/post/sleep-and-stress/index.html").is_file()
    assert not (tmp_path / "output/post/shoulder-tension").exists()

    third = make_test_site("publish", tmp_path, env=WIDE)
    assert summary_of(third.stdout)[1] == "  2 posts published, none new or changed since the last publish build."


def test_a_post_still_holding_the_placeholder_is_not_published(tmp_path):
    content = tmp_path / "content"
    assert make_test_site("publish", tmp_path, env=WIDE).returncode == 0
    before = checksums(tmp_path / "output")
    post = write(content, "posts/shoulder-tension.md", DRAFT.replace("Tags: \n", "Tags: shoulders\n")
                 .replace("Status: draft\n", ""))
    result = make_test_site("publish", tmp_path, env=WIDE)
    assert result.returncode != 0
    assert (f'{post}, line 7: still holds the words "Write your post here. Leave an empty line between paragraphs." '
            "that `make newpost` put there, so it would be published with them.") in one_line(result.stdout)
    assert checksums(tmp_path / "output") == before


def make_upload(tmp_path, destination, *words):
    return make_test_site("rsync_upload", tmp_path, f"RSYNC_DEST={destination}", *words, env=WIDE)


def changed_files(before, after):
    """(files new or changed, files deleted) between two checksums() of a folder."""
    return ({name for name, digest in after.items() if before.get(name) != digest},
            {name for name in before if name not in after})


def files_said(line):
    """(files uploaded, where, files deleted, {the deleted pages named}) as the summary's last line says."""
    said = re.fullmatch(r"  Uploaded (\d+) files to (.+) and deleted (\d+)(?:, among them the pages? (.+))?\.", line)
    assert said, line
    return int(said[1]), said[2], int(said[3]), set(said[4].split(", ")) if said[4] else set()


def files_sent(before, after, destination):
    """What the summary must say for a host that went from `before` to `after`: the deleted pages
    are named by their address."""
    uploaded, deleted = changed_files(before, after)
    pages = {"/" + name.removesuffix("index.html") for name in deleted if name.endswith(".html")}
    return len(uploaded), str(destination), len(deleted), pages


@pytest.mark.linux_services
def test_rsync_upload_ends_with_the_posts_and_the_files_it_uploaded_and_deleted(tmp_path):
    destination = tmp_path / "host"
    content = tmp_path / "content"
    first = make_upload(tmp_path, destination)
    assert first.returncode == 0, first.stderr
    assert summary_of(first.stdout)[1] == ("  1 post published; there is no record of the last upload from this "
                                           "computer to compare with.")

    write(content, "posts/shoulder-tension.md", DRAFT)
    write(content, "posts/winter-care.md", LATER)
    write(content, "posts/sleep-and-stress.md", SLEEP.format(date="2024-05-01 09:30"))
    before = checksums(destination)
    second = make_upload(tmp_path, destination)
    assert second.returncode == 0, second.stderr
    assert summary_of(second.stdout)[:-1] == [
        "Summary:",
        "  2 posts published. Since the last upload from this computer:",
        f'    new: "Sleep and stress" ({content}/posts/sleep-and-stress.md)',
        "  2 posts not published:",
        f'    "Shoulder tension" ({content}/posts/shoulder-tension.md): a draft',
        f'    "Winter care" ({content}/posts/winter-care.md): scheduled for 3 December 2999',
    ]
    assert files_said(summary_of(second.stdout)[-1]) == files_sent(before, checksums(destination), destination)
    assert "post/sleep-and-stress/index.html" in changed_files(before, checksums(destination))[0]

    (content / "posts/sleep-and-stress.md").unlink()
    before = checksums(destination)
    dry = make_upload(tmp_path, destination, "DRY_RUN=1")
    assert checksums(destination) == before
    assert summary_of(dry.stdout)[0] == "Summary (a dry run: nothing was uploaded):"
    third = make_upload(tmp_path, destination)
    assert summary_of(third.stdout)[1:3] == [
        "  1 post published. Since the last upload from this computer:",
        f'    taken off the site: "Sleep and stress" ({content}/posts/sleep-and-stress.md), its file was deleted',
    ]
    assert files_said(summary_of(third.stdout)[-1]) == files_sent(before, checksums(destination), destination)
    assert "/post/sleep-and-stress/" in files_said(summary_of(third.stdout)[-1])[3], "the deleted page is named"


@pytest.mark.linux_services
def test_an_upload_stops_when_a_live_post_would_vanish_because_its_date_moved_into_the_future(tmp_path):
    destination = tmp_path / "host"
    content = copy_site_content(tmp_path / "content")
    post = write(content, "posts/sleep-and-stress.md", SLEEP.format(date="2024-05-01 09:30"))
    assert make_upload(tmp_path, destination).returncode == 0
    live = destination / "post/sleep-and-stress/index.html"
    assert live.is_file()
    before = checksums(destination)

    # The trap as it was: "12/03/2026" read silently as 3 December. Now the date is refused.
    post.write_text(SLEEP.format(date="12/03/2099"), encoding="utf-8")
    ambiguous = make_upload(tmp_path, destination)
    assert ambiguous.returncode != 0
    assert (f'{post}, line 2: The date "12/03/2099" could be 3 December 2099 or 12 March 2099. Write it as '
            "year-month-day: 2099-12-03 or 2099-03-12.") in one_line(ambiguous.stdout)
    assert "The build failed, so nothing was uploaded." in ambiguous.stderr
    assert checksums(destination) == before

    # Written clearly, but the wrong one of the two: the upload names the post and its date.
    post.write_text(SLEEP.format(date="2099-12-03"), encoding="utf-8")
    for words in ([], ["DRY_RUN=1"]):
        refused = make_upload(tmp_path, destination, *words)
        assert refused.returncode != 0
        assert (f'{post}, line 2: "Sleep and stress" is on the live site now, at /post/sleep-and-stress/, but its '
                "date, 3 December 2099, is in the future: this upload would take it off the site until then."
                ) in refused.stderr
        assert ("Nothing was uploaded. If you moved its date on purpose, run `make rsync_upload CONFIRM=1`; "
                "otherwise write its date back as it was.") in refused.stderr
        assert checksums(destination) == before

    confirmed = make_upload(tmp_path, destination, "CONFIRM=1")
    assert confirmed.returncode == 0, confirmed.stderr
    assert not live.exists()
    assert (f'    taken off the site: "Sleep and stress" ({post}), now scheduled for 3 December 2099'
            in summary_of(confirmed.stdout))


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_IDENTITY}).stdout


def upload_github(project, *args):
    return subprocess.run(
        [sys.executable, "-m", "tools.upload", "github", "--project", str(project), *args],
        cwd=PROJECT, capture_output=True, text=True, env={**os.environ, **GIT_IDENTITY, **WIDE},
    )


def test_make_github_summarises_its_commit_and_stops_before_a_live_post_vanishes(tmp_path):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote))
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    git("remote", "add", "origin", str(remote), cwd=project)
    post = write(project / "content", "posts/sleep-and-stress.md", SLEEP.format(date="2024-05-01 09:30"))
    first = upload_github(project)
    assert first.returncode == 0, first.stderr
    files = git("--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert summary_of(first.stdout)[-1] == f"  Uploaded {len(files)} files to the gh-pages branch of origin and deleted 0."

    tip = git("--git-dir", str(remote), "rev-parse", "gh-pages")
    post.write_text(SLEEP.format(date="2099-12-03"), encoding="utf-8")
    refused = upload_github(project)
    assert refused.returncode != 0
    assert ('content/posts/sleep-and-stress.md, line 2: "Sleep and stress" is on the live site now, at '
            "/post/sleep-and-stress/, but its date, 3 December 2099, is in the future") in refused.stderr
    assert "run `make github CONFIRM=1`" in refused.stderr
    assert git("--git-dir", str(remote), "rev-parse", "gh-pages") == tip, "nothing was pushed"

    confirmed = upload_github(project, "--confirm")
    assert confirmed.returncode == 0, confirmed.stderr
    changes = git("--git-dir", str(remote), "diff", "--no-renames", "--name-status", "gh-pages~1", "gh-pages")
    changed = [line.split("\t") for line in changes.splitlines()]
    deleted = {name for status, name in changed if status == "D"}
    assert "post/sleep-and-stress/index.html" in deleted
    pages = {"/" + name.removesuffix("index.html") for name in deleted if name.endswith(".html")}
    assert files_said(summary_of(confirmed.stdout)[-1]) == (len(changed) - len(deleted),
                                                            "the gh-pages branch of origin", len(deleted), pages)

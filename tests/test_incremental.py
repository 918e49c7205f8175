"""The preview's builder (tools/site_in_memory) writes what a fresh full build writes.

A blog of generated posts plus the real site's pages is built once by the long-running builder;
then a post is edited, a post with a new tag is added, a post is renamed (file and address), and
a post with pictures is deleted, each time through the builder's incremental path (a change to
the settings, the theme or the plugins starts a fresh builder: tools/devserver.py's RESTART_FOR).
A post whose tag is spelled otherwise (which a later step respells in place) comes, changes
and goes. After each step the output must equal a fresh `pelican` build of the same files, file for file
and byte for byte. The search index is compared
by what it holds (Pagefind writes its files in a different order on every run).

A plugin connected to Pelican's content_written and feed_written signals finds each file on
disk, with its new bytes, in the builder's builds as in any build; a build that fails puts back
what it had written.
"""

import hashlib
import json
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from tests.built_site import assert_same_as_full_build, checksums, copy_project, copy_site_content, write_files
from tools.site_in_memory import BuilderProcess


class Builder:
    """The builder as the devserver drives it (tools/site_in_memory.BuilderProcess), each build
    followed by the search index; a failed answer fails the test with the builder's messages."""

    def __init__(self, content, output, cache, messages):
        self.content, self.messages = content, messages
        self.process = BuilderProcess("--content", content, "--output", output, "--cache", cache,
                                      stderr=messages.open("w", encoding="utf-8"))
        self.first = self.checked(self.process.start())
        self.checked(self.process.index())

    def checked(self, answer):
        assert answer.ok, f"the builder failed:\n{self.messages.read_text(encoding='utf-8')[-5000:]}"
        return answer

    def build(self, *changed):
        built = self.checked(self.process.build(f"content/{path.relative_to(self.content).as_posix()}"
                                                for path in changed))
        self.checked(self.process.index())
        return built

    def close(self):
        self.process.stop(timeout=30)
        self.process.stderr.close()


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    content = root / "content"
    copy_site_content(content)
    write_corpus(24, content)  # posts/post-000NN.md, pictures in posts 0 and 20
    return root, content


def test_edit_add_and_delete_give_the_output_of_a_fresh_build(blog, tmp_path, report):
    root, content = blog
    output = root / "output"
    builder = Builder(content, output, root / "cache", root / "builder-messages.txt")
    try:
        assert_same_as_full_build(content, output, tmp_path, "the first build")

        before = {name: (output / name).stat().st_mtime_ns for name in checksums(output)
                  if name.endswith(".html")}  # the pages: what the selective writer writes
        edited = content / "posts" / "post-00007.md"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nA new closing line about *sleep*.\n", encoding="utf-8")
        written = builder.build(edited).written
        rewritten = sorted(name for name, mtime in before.items() if (output / name).stat().st_mtime_ns != mtime)
        # Only the post's own page changed bytes; the builder wrote exactly the pages that changed.
        assert rewritten == ["post/post-00007/index.html"], rewritten
        assert written == len(rewritten)
        assert "A new closing line" in (output / "post" / "post-00007" / "index.html").read_text()
        assert_same_as_full_build(content, output, tmp_path, "an edit")

        added = content / "posts" / "a-new-post.md"
        added.write_text("Title: A new post\nAuthor: Yoko Sakura\nDate: 2024-05-01 10:00\nTags: sleep, a brand new tag\n"
                         "Summary: Something new.\n\nA new post about rest.\n", encoding="utf-8")
        builder.build(added)
        assert (output / "tag" / "a-brand-new-tag" / "index.html").exists()
        assert_same_as_full_build(content, output, tmp_path, "adding a post")

        # A post renamed, its address too (Slug): the old page goes, the new one comes, its
        # neighbours and lists point to it.
        renamed = content / "posts" / "post-00011.md"
        moved = content / "posts" / "renamed-post.md"
        text = renamed.read_text(encoding="utf-8")
        moved.write_text(text.replace("Slug: post-00011", "Slug: renamed-post"), encoding="utf-8")
        renamed.unlink()
        builder.build(renamed, moved)
        assert not (output / "post" / "post-00011").exists()
        assert (output / "post" / "renamed-post" / "index.html").exists()
        assert_same_as_full_build(content, output, tmp_path, "renaming a post")

        # Later steps change posts in place (a tag's spelling made the usual one, a summary made
        # without the post's tables): the posts kept between builds must not keep those changes.
        posts = content / "posts"
        spelled = posts / "spelled-otherwise.md"
        spelled.write_text("Title: Spelled otherwise\nAuthor: Yoko Sakura\nDate: 2024-06-01 10:00\nTags: Qigong\n\n"
                           "| Hours | Feeling |\n|---:|---|\n| 7 | rested |\n\nA post without a summary.\n",
                           encoding="utf-8")
        usual = [posts / f"usual-spelling-{number}.md" for number in (1, 2)]
        for number, path in enumerate(usual, 1):
            path.write_text(f"Title: Usual spelling {number}\nAuthor: Yoko Sakura\nDate: 2024-06-0{number + 1} 10:00\n"
                            f"Tags: qigong\nSummary: The usual spelling.\n\nA post.\n", encoding="utf-8")
        builder.build(spelled, *usual)
        assert "qigong" in (output / "post" / "spelled-otherwise" / "index.html").read_text(encoding="utf-8")
        assert_same_as_full_build(content, output, tmp_path, "a tag spelled two ways")
        for path in usual:
            path.unlink()
        builder.build(*usual)  # the post spelled otherwise, not read again, now spells its tag alone
        assert "Qigong" in (output / "post" / "spelled-otherwise" / "index.html").read_text(encoding="utf-8")
        assert_same_as_full_build(content, output, tmp_path, "the usual spelling's posts deleted")
        spelled.unlink()
        builder.build(spelled)
        assert_same_as_full_build(content, output, tmp_path, "the post spelled otherwise deleted")

        deleted = content / "posts" / "post-00000.md"  # one of the two with pictures
        deleted.unlink()
        added.unlink()  # and with it the only post of its tag
        builder.build(deleted, added)
        assert not (output / "post" / "post-00000").exists()
        assert not (output / "tag" / "a-brand-new-tag").exists()
        files = assert_same_as_full_build(content, output, tmp_path, "deleting posts")
    finally:
        builder.close()
    report(f"incremental preview == fresh build after an edit, an addition, a rename and a deletion: "
           f"{files} files, "
           f"byte for byte (the edit rewrote {written} page: the post)")


# Records, for every page and feed Pelican says it has written, what the file held at that moment;
# fails the build at `finalized` while the file FAIL exists.
WATCHING_PLUGIN = """
import hashlib
import json
from pathlib import Path

from pelican import signals

RECORD = Path({record!r})
FAIL = Path({fail!r})


def seen(signal, path):
    file = Path(path)
    held = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None
    with RECORD.open("a", encoding="utf-8") as record:
        record.write(json.dumps({{"signal": signal, "path": str(file), "sha256": held}}) + "\\n")


def fail_if_asked(pelican):
    if FAIL.exists():
        raise RuntimeError("failing as the test asked")


def page_written(path, context):
    seen("content_written", path)


def feed_written(path, context, feed):
    seen("feed_written", path)


def register():
    signals.content_written.connect(page_written)
    signals.feed_written.connect(feed_written)
    signals.finalized.connect(fail_if_asked)
"""


def test_plugins_find_each_file_on_disk_when_pelican_says_it_is_written(tmp_path):
    """content_written and feed_written, Pelican's documented signals, come once the file holds the
    new page or feed, in the preview's builds as in any build; a build that fails puts back what
    it had written, so the preview keeps the last good build."""
    project = copy_project(tmp_path / "project")
    record, fail = tmp_path / "written.jsonl", tmp_path / "fail"
    write_files(project / "plugins", {"watch_written/__init__.py": WATCHING_PLUGIN.format(record=str(record),
                                                                                         fail=str(fail))})
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('\nPLUGINS = [*PLUGINS, "watch_written"]\n'
                       'FEED_ALL_ATOM = "feeds/all.atom.xml"\nFEED_DOMAIN = "http://site.test"\n')
    output = tmp_path / "output"
    messages = tmp_path / "builder-messages.txt"
    with messages.open("w", encoding="utf-8") as stderr:
        builder = BuilderProcess("--project", project, "--output", output, "--cache", tmp_path / "cache",
                                 stderr=stderr)
        try:
            assert builder.start().ok, messages.read_text(encoding="utf-8")
            first = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
            assert {entry["signal"] for entry in first} == {"content_written", "feed_written"}
            assert all(entry["sha256"] for entry in first), [e["path"] for e in first if not e["sha256"]]

            post = project / "content" / "posts" / "neuroscience-v-s-massage-therapy.md"
            page = output / "post" / "neuroscience-v-s-massage-therapy" / "index.html"
            good = page.read_bytes()
            post.write_text(post.read_text(encoding="utf-8") + "\nClosing-line-for-the-plugin.\n",
                            encoding="utf-8")
            fail.touch()
            record.unlink()
            changed = ["content/posts/neuroscience-v-s-massage-therapy.md"]
            assert not builder.build(changed).ok, "the plugin failed the build"
            assert page.read_bytes() == good, "a failed build put back the page it had written"
            fail.unlink()
            record.unlink()
            answer = builder.build(changed)
            assert answer.ok, messages.read_text(encoding="utf-8")
        finally:
            builder.stop(timeout=30)
    assert b"Closing-line-for-the-plugin." in page.read_bytes()
    now = {entry["path"]: entry for entry in map(json.loads, record.read_text(encoding="utf-8").splitlines())}
    assert now[str(page)]["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest(), \
        "content_written came before the new page was on disk"
    for entry in now.values():
        assert entry["sha256"] == hashlib.sha256(Path(entry["path"]).read_bytes()).hexdigest(), entry
    assert answer.written >= 1

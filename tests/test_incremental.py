"""The preview's builder (tools/site_in_memory) writes what a fresh full build writes.

A blog of generated posts plus the real site's pages is built once by the long-running builder;
then a post is edited, a post with a new tag is added, and a post with pictures is deleted, each
time through the builder's incremental path. After each step the output must equal a fresh
`pelican` build of the same files, file for file and byte for byte. The search index is compared
by what it holds (Pagefind writes its files in a different order on every run).
"""

import json
import subprocess
import sys

import pytest

from bench.corpus import write_corpus
from tests.built_site import PROJECT, build_fixture, checksums, copy_site_content


class Builder:
    def __init__(self, content, output, cache):
        self.content = content
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.site_in_memory", "--content", str(content), "--output", str(output),
             "--cache", str(cache)],
            cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first = self.answer()
        self.index()

    def answer(self):
        line = self.process.stdout.readline().strip()
        assert line and line != "failed", f"the builder failed:\n{self.process.stderr.read() if not line else ''}"
        return line

    def build(self, *changed):
        self.process.stdin.write("build " + json.dumps([f"content/{p.relative_to(self.content).as_posix()}"
                                                        for p in changed]) + "\n")
        self.process.stdin.flush()
        built = self.answer()
        self.index()
        return built

    def index(self):
        self.process.stdin.write("index\n")
        self.process.stdin.flush()
        self.answer()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def pages_indexed(output):
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    return {language: details["page_count"] for language, details in entry["languages"].items()}


def assert_same_as_full_build(content, incremental, tmp_path, step):
    fresh = tmp_path / f"fresh-{step}"
    build_fixture(content, "pelicanconf.py", fresh)
    ours, theirs = checksums(incremental), checksums(fresh)
    ours = {name: digest for name, digest in ours.items() if not name.startswith("pagefind/")}
    theirs = {name: digest for name, digest in theirs.items() if not name.startswith("pagefind/")}
    assert sorted(ours) == sorted(theirs), f"after {step}: files only in one of the two builds"
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing, f"after {step}: files that differ from a fresh build: {differing}"
    assert pages_indexed(incremental) == pages_indexed(fresh), f"after {step}: the search index"
    return len(ours)


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
    builder = Builder(content, output, root / "cache")
    try:
        assert_same_as_full_build(content, output, tmp_path, "the first build")

        before = {name: (output / name).stat().st_mtime_ns for name in checksums(output)
                  if name.endswith(".html")}  # the pages: what the selective writer writes
        edited = content / "posts" / "post-00007.md"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nA new closing line about *sleep*.\n", encoding="utf-8")
        written = int(builder.build(edited).split()[2])
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

        deleted = content / "posts" / "post-00000.md"  # one of the two with pictures
        deleted.unlink()
        added.unlink()  # and with it the only post of its tag
        builder.build(deleted, added)
        assert not (output / "post" / "post-00000").exists()
        assert not (output / "tag" / "a-brand-new-tag").exists()
        files = assert_same_as_full_build(content, output, tmp_path, "deleting posts")
    finally:
        builder.close()
    report(f"incremental preview == fresh build after an edit, an addition and a deletion: {files} files, "
           f"byte for byte (the edit rewrote {written} page: the post)")

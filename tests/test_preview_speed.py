"""What makes the preview quick, checked without timing anything (the seconds are in `make bench`):

- the builder says `visible` once the edited post's page is written, before the rest of the site,
  and that page then already holds the change: a save of a post's text alone writes its page
  before the build even starts, and the build finds it as it would have made it;
- the search index is made beside the builds: a build asked while an index runs is answered, and
  every index asked is answered too, the last one after the pages of the last build;
- an edit renders only the pages that show the post (a budget in pages, not seconds).
"""

import json
import os
import re
from pathlib import Path

from bench.corpus import write_corpus
from tests.built_site import PROJECT, assert_same_as_full_build, copy_site_content
from tools.site_in_memory import BUILD_ENVIRONMENT, BuilderProcess


def test_visible_before_the_rest_and_the_index_beside_the_builds(tmp_path):
    content = copy_site_content(tmp_path / "content")
    write_corpus(24, content)
    output = tmp_path / "output"
    messages = tmp_path / "builder-messages.txt"
    post = content / "posts" / "post-00020.md"
    page = output / "post" / "post-00020" / "index.html"
    with messages.open("w", encoding="utf-8") as stderr:
        builder = BuilderProcess("--content", content, "--output", output, "--cache", tmp_path / "cache",
                                 stderr=stderr)
        try:
            assert builder.start().ok, messages.read_text(encoding="utf-8")
            assert builder.index().ok, messages.read_text(encoding="utf-8")

            seen = []

            def page_seen():
                seen.append((page.read_text(), page.stat().st_mtime_ns, page.stat().st_ino))

            post.write_text(post.read_text(encoding="utf-8") + "\nClosing-line-one is here today.\n", encoding="utf-8")
            answer = builder.build(["content/posts/post-00020.md"], visible=page_seen)
            assert answer.ok, messages.read_text(encoding="utf-8")
            assert len(seen) == 1 and "Closing-line-one" in seen[0][0], seen
            # Written: the post's page only (its list pages show its summary, unchanged), ahead of
            # the build, which then found it as it would have made it: not written again.
            assert answer.written == 1
            assert (page.stat().st_mtime_ns, page.stat().st_ino) == seen[0][1:], "the build wrote the page again"

            # A draft (how `make newpost` starts every post): the same, at its drafts/ address.
            draft = content / "posts" / "post-00021.md"
            draft_page = output / "drafts" / "post" / "post-00021" / "index.html"
            draft_seen = []
            draft.write_text(draft.read_text(encoding="utf-8").replace("Title: ", "Status: draft\nTitle: ", 1),
                             encoding="utf-8")
            assert builder.build(["content/posts/post-00021.md"]).ok, messages.read_text(encoding="utf-8")
            draft.write_text(draft.read_text(encoding="utf-8") + "\nA-draft-line is here.\n", encoding="utf-8")
            answer = builder.build(["content/posts/post-00021.md"], visible=lambda: draft_seen.append(
                (draft_page.read_text(encoding="utf-8"), draft_page.stat().st_mtime_ns, draft_page.stat().st_ino)))
            assert answer.ok, messages.read_text(encoding="utf-8")
            assert len(draft_seen) == 1 and "A-draft-line" in draft_seen[0][0], draft_seen
            assert (draft_page.stat().st_mtime_ns, draft_page.stat().st_ino) == draft_seen[0][1:], \
                "the build wrote the draft's page again"

            # A field changed (its title): the page is written by the build, first, as before.
            seen.clear()
            post.write_text(post.read_text(encoding="utf-8").replace("Title: ", "Title: Retitled "), encoding="utf-8")
            answer = builder.build(["content/posts/post-00020.md"], visible=page_seen)
            assert answer.ok, messages.read_text(encoding="utf-8")
            assert len(seen) == 1 and "Retitled" in seen[0][0], seen
            assert "Retitled" in (output / "index.html").read_text(encoding="utf-8") or any(
                "Retitled" in listed.read_text(encoding="utf-8") for listed in output.glob("page/*/index.html"))

            # An index asked, and at once a build: the build does not wait for the index.
            assert builder.index_later()
            post.write_text(post.read_text(encoding="utf-8") + "\nClosing-line-two is here today.\n", encoding="utf-8")
            answer = builder.build(["content/posts/post-00020.md"])
            assert answer.ok, messages.read_text(encoding="utf-8")
            assert "Closing-line-two" in page.read_text()
            # A picture changed (not a post): no page holds the change as such, no visible line.
            seen.clear()
            assert builder.build(["content/images/none.png"], visible=lambda: seen.append(1)).ok
            assert seen == []
            index = builder.index()  # answered after the index asked before it, and its own
            assert index.ok, messages.read_text(encoding="utf-8")
            assert builder.indexes == 0
            entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
            assert sum(language["page_count"] for language in entry["languages"].values()) >= 24
        finally:
            builder.stop(timeout=60)
    assert not any(Path(tmp_path).glob("output/**/.writing-*")), "no half-written file left"


def test_a_new_builder_takes_up_the_last_ones_pages_and_renders_only_what_changed(tmp_path):
    """The preview's next start (`--memory`): the pages of the last preview are kept, and only
    those whose inputs changed while it was stopped are written, the saved posts' pages first;
    the output equals a fresh build. A start from another terminal tab (its own variables) takes
    them up too; another value of a variable the settings read (COMMENTS_URL) is a fresh full build."""
    content = copy_site_content(tmp_path / "content")
    write_corpus(24, content)
    output, memory = tmp_path / "output", tmp_path / "fingerprints.pickle"
    messages = tmp_path / "builder-messages.txt"
    options = ("--content", content, "--output", output, "--cache", tmp_path / "cache", "--memory", memory)

    def started(visible=None, **environment):
        with messages.open("w", encoding="utf-8") as stderr:
            builder = BuilderProcess(*options, stderr=stderr)
            saved = {name: os.environ.get(name) for name in environment}
            os.environ.update(environment)
            try:
                answer = builder.start(visible)
                assert answer.ok, messages.read_text(encoding="utf-8")
                assert builder.index().ok, messages.read_text(encoding="utf-8")
            finally:
                builder.stop(timeout=60)
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value
        return answer

    assert started().written is None, "the first start builds everything"
    post = content / "posts" / "post-00020.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nClosing-line-three is here today.\n", encoding="utf-8")
    (content / "posts" / "post-00011.md").unlink()
    page = output / "post" / "post-00020" / "index.html"
    seen = []
    answer = started(visible=lambda: seen.append(page.read_text(encoding="utf-8")))
    assert answer.written is not None, "the second start took up the first one's pages"
    # The post saved while the preview was stopped is written first, and said visible.
    assert len(seen) == 1 and "Closing-line-three" in seen[0]
    assert "Closing-line-three" in page.read_text()
    assert not (output / "post" / "post-00011").exists()
    assert_same_as_full_build(content, output, tmp_path, "a start after edits made while stopped")

    # The posts as read are kept too (contents.pickle, when the builder stops): the next start
    # reads no file whose stamp is the one it was read with. Seen by changing a file behind its
    # stamp (same size, same time, as no editor does), which the start then does not read.
    assert memory.with_name("contents.pickle").exists()
    other = content / "posts" / "post-00007.md"
    status = other.stat()
    with other.open("r+", encoding="utf-8") as file:  # in place: the same file, the same size
        text = file.read()
        file.seek(0)
        file.write(text.replace("Author: Yoko Sakura", "Author: Yoko Sakuro"))
    os.utime(other, ns=(status.st_atime_ns, status.st_mtime_ns))
    for reader_cache in (tmp_path / "cache").glob("*-Readers"):  # not from Pelican's own cache, then
        reader_cache.unlink()
    started()
    assert "Sakuro" not in (output / "post" / "post-00007" / "index.html").read_text(encoding="utf-8")
    other.write_text(other.read_text(encoding="utf-8"), encoding="utf-8")  # saved: a new stamp
    started()
    assert "Sakuro" in (output / "post" / "post-00007" / "index.html").read_text(encoding="utf-8")

    assert started(TERM_SESSION_ID="w0t0p0:tab-2", VSCODE_PID="4242").written is not None, \
        "a terminal's own variables: the last pages taken up"
    assert started(COMMENTS_URL="http://127.0.0.1:1").written is None, "another environment: all again"


def test_the_preview_digest_names_every_environment_variable_the_settings_and_plugins_read():
    """The preview takes up its last pages unless a variable of BUILD_ENVIRONMENT changed: a
    variable read by the settings or a plugin but missing there would leave stale pages."""
    read = set()
    plugins = [path for path in sorted((PROJECT / "plugins").rglob("*.py"))
               if not path.name.startswith("test_") and path.name != "conftest.py"]  # the tests are no part of a build
    for path in [PROJECT / "pelicanconf.py", PROJECT / "publishconf.py", *plugins]:
        source = path.read_text(encoding="utf-8")
        uses = re.findall(r"os\.(?:environ|getenv)\b(\.get\(|\[|\()?\s*(\"[A-Z_]+\")?", source)
        assert all(name for _, name in uses), f"{path}: an environment variable read by a name not written out"
        read |= {name.strip('"') for _, name in uses}
    assert read, "the settings read SITEURL and COMMENTS_URL"
    assert read <= set(BUILD_ENVIRONMENT), read - set(BUILD_ENVIRONMENT)

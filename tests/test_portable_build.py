"""The build on every system: tools/build.py's system-specific parts, each path forced here (the
one-step swap of Linux and the two renames every other system uses, asking whether a process
still runs), and a whole build without os.fork, which Windows does not have."""

import os
import subprocess
import sys

import pytest

from tools import build


def site(folder, text):
    folder.mkdir()
    (folder / "index.html").write_text(text)
    return folder


@pytest.mark.parametrize("in_one_step", [True, False], ids=["renameat2", "two-renames"])
def test_the_new_site_takes_the_place_of_the_old(tmp_path, in_one_step):
    output = site(tmp_path / "output", "old")
    staging = site(tmp_path / ".output-building-1", "new")
    build.replace(output, staging, in_one_step=in_one_step)
    assert (output / "index.html").read_text() == "new"
    if in_one_step and build.RENAMEAT2 is not None:
        assert (staging / "index.html").read_text() == "old", "swapped in one step: the old site is where the new was"
    else:
        assert not staging.exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".output-previous")] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_linux_swaps_in_one_step():
    assert build.RENAMEAT2 is not None


def test_a_running_process_exists_and_an_ended_one_does_not():
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert build.process_exists(child.pid)
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    assert not build.process_exists(child.pid)


def site_pages(output):
    """The pages a build wrote, by address (Pagefind's own files, named anew on every run, aside)."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*.html"))
            if "pagefind" not in path.relative_to(output).parts}


@pytest.mark.timeout(600)
def test_a_build_without_fork_writes_the_same_pages(tmp_path):
    """Windows has no os.fork: a cold build of more posts than a second process reads for
    (parallel_reading), with one post's Tags: left empty as real blogs have, succeeds without it
    and writes the same pages as a build on Linux."""
    from bench.corpus import write_corpus

    content = write_corpus(80, tmp_path / "content", pictures=False)
    first = content / "posts" / "post-00000.md"
    first.write_text(first.read_text().replace("Tags: ", "Tags:\nOld-tags: ", 1))
    no_fork = tmp_path / "no_fork"
    no_fork.mkdir()
    (no_fork / "sitecustomize.py").write_text("import os\ndel os.fork, os.forkpty\n")
    pages = {}
    for name, python_path in (("with fork", ""), ("without fork", str(no_fork))):
        output = tmp_path / name
        result = subprocess.run(
            [sys.executable, "-m", "tools.messages", str(content), "-s", "pelicanconf.py", "-o", str(output), "-D",
             "-e", f'CACHE_PATH="{(tmp_path / f"cache {name}").as_posix()}"', 'SEARCH={"enabled": false}'],
            cwd=build.PROJECT, capture_output=True, text=True, timeout=540,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [python_path, str(build.PROJECT)]))})
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "Reading posts in a second process: it read" in result.stdout, "the second process answered"
        assert "second process failed" not in result.stdout and "without its answer" not in result.stdout
        pages[name] = site_pages(output)
    assert pages["with fork"] == pages["without fork"] and len(pages["with fork"]) > 80

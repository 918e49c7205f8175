"""tools/build.py's system-specific parts, each path forced here: the one-step swap (Linux) and
the two renames every other system uses, and asking whether a process still runs."""

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

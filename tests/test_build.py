"""Nothing lost: output/ is replaced only by a build that succeeded."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.built_site import PROJECT, checksums, copy_project


def build(project, settings, output="output"):
    return subprocess.run(
        [sys.executable, "-m", "tools.build", "--project", str(project), "--settings", settings, "--output", output],
        cwd=PROJECT, capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("built"))
    result = build(project, "publishconf.py")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built_project, tmp_path):
    """A project whose output/ holds a good publish build (a copy: each test may break it)."""
    return shutil.copytree(built_project, tmp_path / "project", symlinks=True)


def test_a_failed_publish_leaves_the_last_good_output_exactly_as_it_was(project):
    before = checksums(project / "output")
    template = project / "theme/templates/article.html"
    template.write_text(template.read_text() + "{% endblock nonsense %}")
    result = build(project, "publishconf.py")
    assert result.returncode != 0
    assert "output/ still holds the last good site" in result.stderr
    assert checksums(project / "output") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output")) == [], "no staging left"


def test_a_good_build_replaces_the_output_whole(project):
    stale = project / "output/post/deleted-post/index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old post")
    result = build(project, "pelicanconf.py")
    assert result.returncode == 0, result.stderr
    assert "The site is ready in output/" in result.stdout
    assert not stale.exists(), "a deleted post's page does not linger"
    assert (project / "output/post/neuroscience-v-s-massage-therapy/index.html").is_file()
    assert (project / "output").stat().st_mode & 0o777 == 0o755, "readable by a web server"


def leftovers(project):
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".output"))


def test_a_build_killed_midway_leaves_the_last_good_site_and_the_next_build_tidies_up(project):
    before = checksums(project / "output")
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.build", "--project", str(project), "--settings", "publishconf.py"],
        cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not leftovers(project) and process.poll() is None:  # its staging folder is being written
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert checksums(project / "output") == before
    assert leftovers(project), "the killed build's staging folder is left behind"
    result = build(project, "publishconf.py")
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == [], "removed by the next build"


def test_a_site_set_aside_by_a_killed_swap_comes_back_even_if_the_next_build_fails(project):
    before = checksums(project / "output")
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead_pid = gone.pid  # a process that no longer runs
    (project / "output").rename(project / f".output-previous-{dead_pid}")  # killed between the renames
    template = project / "theme/templates/article.html"
    template.write_text(template.read_text() + "{% endblock nonsense %}")
    assert build(project, "publishconf.py").returncode != 0
    assert checksums(project / "output") == before
    assert leftovers(project) == []


def in_a_mount(mount_options, mount_point, project, output):
    """tools.build run with a fresh tmpfs (`mount_options`) at `mount_point`, in a mount namespace
    of its own (unshare: no root needed, nothing mounted outside the command)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        ["unshare", "--map-root-user", "--mount", "sh", "-c",
         'mount -t tmpfs -o "$1" tmpfs "$2" && exec "$3" -m tools.build --project "$4" --settings publishconf.py '
         '--output "$5"', "sh", mount_options, str(mount_point), sys.executable, str(project), str(output)],
        cwd=PROJECT, capture_output=True, text=True)


def test_a_read_only_folder_gets_a_sentence_not_a_traceback(project, tmp_path):
    result = in_a_mount("ro", tmp_path / "read-only", project, tmp_path / "read-only" / "output")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"Cannot write in {tmp_path / 'read-only'} (Read-only file system)" in result.stderr
    assert "make the folder writable, or build elsewhere with OUTPUT=" in result.stderr


def test_an_output_that_is_a_mount_point_gets_a_sentence_not_a_traceback(project, tmp_path):
    result = in_a_mount("size=8m", tmp_path / "mounted", project, tmp_path / "mounted")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'mounted'} is a mount point, so it cannot be replaced in one step" in result.stderr


def test_a_full_disk_is_named(project, tmp_path):
    result = in_a_mount("size=64k", tmp_path / "small", project, tmp_path / "small" / "output")
    assert result.returncode != 0
    assert f"The disk holding {tmp_path / 'small'} is full" in result.stderr
    assert "make clean removes the build cache" in result.stderr

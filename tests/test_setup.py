"""What `make test` sets up on a fresh machine, and the guard over the writer's own files."""

import os
import shutil
import subprocess

import pytest

from tests.built_site import PROJECT
from tests.page_checks import writers_files

INSTALLER = PROJECT / "tools" / "install_test_packages.sh"


@pytest.mark.linux_services
def test_the_installer_has_nothing_to_do_on_a_machine_that_ran_it():
    result = subprocess.run(["bash", str(INSTALLER)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr == ""


@pytest.mark.linux_services
def test_without_apt_get_it_lists_what_to_install_in_one_sentence(tmp_path):
    # A machine with a shell and little else: no apt-get, no Chromium, nginx or Java.
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    for tool in ("bash", "id", "test"):
        os.symlink(shutil.which(tool), bin_folder / tool)
    result = subprocess.run([str(bin_folder / "bash"), str(INSTALLER)], capture_output=True, text=True,
                            env={"PATH": str(bin_folder)})
    assert result.returncode == 1
    assert "chromium - the browser tests" in result.stdout and "default-jre-headless - the Nu HTML" in result.stdout
    sentence = result.stderr.strip()
    assert sentence.startswith("This machine has no apt-get: install these with its own package manager")
    assert "\n" not in sentence
    for package in ("chromium", "default-jre-headless", "npm", "rsync"):
        assert package in sentence


def test_the_guard_sees_a_changed_added_or_removed_writers_file(tmp_path):
    (tmp_path / "content" / "posts").mkdir(parents=True)
    post = tmp_path / "content" / "posts" / "a.md"
    post.write_text("Title: A\n")
    before = writers_files(tmp_path)
    assert writers_files(tmp_path) == before
    post.write_text("Title: B\n")
    assert writers_files(tmp_path) != before
    post.unlink()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "x").write_text("")
    assert set(writers_files(tmp_path)) == {"cache/x"}

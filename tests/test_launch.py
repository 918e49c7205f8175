"""tools/launch.py, which `make` and make.bat run: Python 3.11 or newer found first, or one sentence.

The interpreters here are real processes: small scripts that answer the version question as an
older or newer Python would, and, where this machine has one, a real Python 3.10."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.built_site import PROJECT
from tools import launch

def fresh_clone(folder):
    """The launcher and the command line in a folder of their own, with no .venv yet: as in a
    fresh clone; a target that got further than the Python check would fail there."""
    (folder / "tools").mkdir(parents=True)
    for name in ("launch.py", "__main__.py", "__init__.py"):
        shutil.copy(PROJECT / "tools" / name, folder / "tools" / name)
    return folder / "tools" / "launch.py"
posix_only = pytest.mark.skipif(os.name == "nt", reason="the stand-in interpreters are shell scripts")


def fake_python(folder, name, version):
    """An executable `name` in `folder` that answers launch.version_of as Python `version` would."""
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{version.replace('.', ' ')}'\n")
    script.chmod(0o755)
    return script


def real_python(folder, name):
    """An executable `name` in `folder` running the Python that runs the tests (3.11 or newer)."""
    script = folder / name
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    script.chmod(0o755)
    return script


def older_python(version):
    """A real Python `version` (older than 3.11)'s own executable, or None. PYENV_VERSION: where
    python3.x is pyenv's stand-in, it picks that version."""
    found = shutil.which(f"python{version}")
    if not found:
        return None
    result = subprocess.run([found, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True,
                            env={**os.environ, "PYENV_VERSION": version})
    return result.stdout.strip() if result.returncode == 0 else None


@posix_only
def test_an_older_python_first_on_the_path_is_passed_over_for_a_newer_one(tmp_path):
    fake_python(tmp_path, "python3", "3.10")
    fake_python(tmp_path, "python3.13", "3.10")  # a name is not a version: each one is asked
    newer = fake_python(tmp_path, "python3.12", "3.12")
    fake_python(tmp_path, "python3.11", "3.11")
    assert launch.find_python(path=str(tmp_path), running=("/usr/bin/python3", (3, 10))) == [str(newer)]


@posix_only
def test_with_only_older_pythons_none_is_found(tmp_path):
    for name in ("python3", "python3.11"):
        fake_python(tmp_path, name, "3.10")
    (tmp_path / "python3.12").write_text("not a program")  # not executable: passed over
    assert launch.find_python(path=str(tmp_path), running=("/usr/bin/python3", (3, 10))) is None


def test_the_python_running_it_is_taken_when_new_enough():
    assert launch.find_python(path="", running=(sys.executable, (3, 11))) == [sys.executable]


@pytest.mark.parametrize("platform, words", [
    ("darwin", ["brew install python@3.12", "python.org"]),
    ("win32", ["winget install Python.Python.3.12", "python.org"]),
    ("linux", ["python3.11", "package"]),
])
def test_the_sentence_names_311_and_how_to_get_it_on_each_system(platform, words):
    sentence = launch.how_to_get_python(platform)
    assert "Python 3.11 or newer" in sentence and "\n" not in sentence
    assert all(word in sentence for word in words)


# 3.6: the oldest the launcher is written for; 3.10: the newest that is too old for the site.
@pytest.fixture(params=["3.6", "3.10"])
def old_python(request):
    found = older_python(request.param)
    if found is None:
        pytest.skip(f"this machine has no Python {request.param} to run the launcher with (the finding itself is "
                    f"tested above)")
    return found


@posix_only
def test_run_by_an_older_python_with_a_newer_one_on_the_path_it_runs_the_target(tmp_path, old_python):
    os.symlink(old_python, tmp_path / "python3")
    real_python(tmp_path, "python3.12")
    launcher = fresh_clone(tmp_path / "clone")
    result = subprocess.run([str(tmp_path / "python3"), str(launcher), "help"], capture_output=True, text=True,
                            env={"PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "make devserver" in result.stdout


@posix_only
def test_run_by_an_older_python_alone_it_stops_with_one_sentence(tmp_path, old_python):
    os.symlink(old_python, tmp_path / "python3")
    fake_python(tmp_path, "python3.11", "3.10")
    launcher = fresh_clone(tmp_path / "clone")
    result = subprocess.run([str(tmp_path / "python3"), str(launcher), "html"], capture_output=True, text=True,
                            env={"PATH": str(tmp_path)})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == launch.how_to_get_python() + "\n"
    assert "pip" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "clone" / ".venv").exists()


def test_settings_are_name_value_pairs_and_reach_the_target_as_data():
    target, variables = launch.parse(["newpost", 'TITLE=It\'s "quoted"; $(rm -rf x) `y`', "TAGS=a, b"])
    assert target == "newpost"
    assert variables == {"TITLE": 'It\'s "quoted"; $(rm -rf x) `y`', "TAGS": "a, b"}
    with pytest.raises(launch.LaunchError, match=re.escape("'TITLE' is not NAME=value")):
        launch.parse(["newpost", "TITLE"])


def test_the_writers_targets_install_only_the_writers_lock():
    for target in ("devserver", "html", "publish", "newpost", "import-wix", "rsync_upload", "github", "clean"):
        assert launch.LOCKS[launch.kind_of(target)] == ["requirements.lock"]
    for target in ("test", "lint", "audit", "screenshot"):
        assert launch.LOCKS[launch.kind_of(target)] == ["requirements-dev.lock"]


def locked(lock):
    return {line.split("==")[0] for line in (PROJECT / lock).read_text().splitlines() if re.match(r"^[a-z]", line)}


def test_the_writers_lock_holds_no_test_tool_and_nothing_built_with_a_c_compiler():
    assert not locked("requirements.lock") & {"pytest", "playwright", "isso", "misaka", "ruff", "mypy", "pyyaml"}
    assert {"pytest", "pytest-timeout", "playwright", "isso", "ruff", "mypy"} <= locked("requirements-dev.lock")


def test_every_lock_is_hashed_for_every_system():
    for lock in ("requirements.lock", "requirements-dev.lock", "requirements-comments.lock", "bench/requirements.lock"):
        text = (PROJECT / lock).read_text()
        pins = re.findall(r"^[a-z0-9_.-]+==.*$", text, re.M)
        hashed = re.findall(r"^[a-z0-9_.-]+==[^\n]* \\\n\s+--hash=sha256:", text, re.M)
        assert pins and len(hashed) == len(pins), f"{lock}: a pin without hashes"
    # Windows-only dependencies come with their marker, not left out.
    assert re.search(r"^colorama==\S+ ; sys_platform == 'win32'", (PROJECT / "requirements-dev.lock").read_text(), re.M)


def test_a_lock_on_top_of_another_changes_none_of_its_versions():
    def pins(lock):
        return dict(re.findall(r"^([a-z0-9_.-]+)==(\S+)", (PROJECT / lock).read_text(), re.M))

    writer, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev[name] for name in writer} == writer
    bench = pins("bench/requirements.lock")
    assert {name: version for name, version in bench.items() if name in dev} == {
        name: dev[name] for name in bench if name in dev}

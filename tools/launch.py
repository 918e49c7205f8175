"""Run a target of the project on Linux, macOS or Windows: `make TARGET` and `make.bat TARGET`
both come here.

    python3 tools/launch.py TARGET [NAME=value ...]

It finds a Python 3.11 or newer, sets up .venv with it from requirements.lock (and, for the
engineers' targets, requirements-dev.lock) when the lock changed, then runs
`.venv's python -m tools TARGET` with each NAME=value in that command's environment.

This file runs under whatever `python3` the system has, so it is written for Python 3.6: no
newer syntax, no newer library call.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(PROJECT, ".venv")
NEEDED = (3, 11)
# The interpreters looked for on the PATH when the one running this is older, newest first.
NEWER = ["3.13", "3.12", "3.11"]
WINDOWS = sys.platform == "win32"
# What each kind of target installs into .venv: its lock files, in order.
LOCKS = {
    "site": ["requirements.lock"],
    "dev": ["requirements-dev.lock"],
    "bench": ["requirements.lock", os.path.join("bench", "requirements.lock")],
}
DEV_TARGETS = {"test", "lint", "audit", "screenshot", "bench-search"}
BENCH_TARGETS = {"bench"}
# Needs no .venv: runs with the Python found.
PLAIN_TARGETS = {"help"}


class LaunchError(Exception):
    """A problem said in one plain sentence (no traceback)."""


def how_to_get_python(platform=sys.platform):
    """The one sentence when no Python 3.11 or newer is found."""
    if platform == "darwin":
        where = ("install it from https://www.python.org/downloads/ (the macOS installer) or with "
                 "`brew install python@3.12`, then open a new Terminal window")
    elif platform == "win32":
        where = ("install it from https://www.python.org/downloads/ or with `winget install Python.Python.3.12`, "
                 "then open a new window")
    else:
        where = "install your distribution's python3.11 (or newer) package, e.g. `sudo apt install python3.12`"
    return ("The blog's tools need Python 3.11 or newer, and this computer has none on its PATH: "
            + where + ", and run the same command again.")


def version_of(command):
    """(major, minor) of the Python that `command` (a list) runs, or None when it does not run."""
    try:
        result = subprocess.run(command + ["-c", "import sys; print('%d %d' % sys.version_info[:2])"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True, check=False,
                                timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    parts = result.stdout.split()
    if result.returncode != 0 or len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[1])


def find_python(path=None, running=None, windows=WINDOWS):
    """A command (list) running a Python >= 3.11: `running` (this one) when new enough, else the
    newest python3.x on `path`, else (on Windows) the py launcher's. None when there is none."""
    running = running if running is not None else (sys.executable, sys.version_info[:2])
    if running[0] and tuple(running[1]) >= NEEDED:
        return [running[0]]
    candidates = [[found] for found in (shutil.which("python" + version, path=path) for version in NEWER) if found]
    if windows:
        launcher = shutil.which("py", path=path)
        candidates += [[launcher, "-" + version] for version in NEWER] if launcher else []
    for command in candidates:
        version = version_of(command)
        if version is not None and version >= NEEDED:
            return command
    return None


def venv_python(venv=VENV, windows=WINDOWS):
    return os.path.join(venv, "Scripts", "python.exe") if windows else os.path.join(venv, "bin", "python")


def digest(paths):
    sha = hashlib.sha256()
    for path in paths:
        with open(os.path.join(PROJECT, path), "rb") as file:
            sha.update(file.read())
    return sha.hexdigest()


def read(path):
    try:
        with open(path, encoding="utf-8") as file:
            return file.read().strip()
    except OSError:
        return ""


def ensure_venv(kind):
    """.venv made with a Python >= 3.11 and holding what `kind`'s locks pin; its python."""
    python = venv_python()
    version = version_of([python]) if os.path.exists(python) else None
    if version is None or version < NEEDED:
        found = find_python()
        if found is None:
            raise LaunchError(how_to_get_python())
        if os.path.exists(VENV):
            shutil.rmtree(VENV)  # made by an older Python, or broken: made again
        print("Setting up .venv with Python %d.%d (first run only)..." % version_of(found), flush=True)
        if subprocess.run(found + ["-m", "venv", VENV], check=False).returncode != 0:
            raise LaunchError("Python could not make the folder .venv (the message above says why): delete "
                              ".venv if it is there and run the same command again.")
    locks = LOCKS[kind]
    stamp = os.path.join(VENV, ".installed-" + kind)
    if read(stamp) == digest(locks):
        return python
    for lock in locks:
        print("Installing what %s lists into .venv (after each change of it)..." % lock, flush=True)
        result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                 "--require-hashes", "-r", os.path.join(PROJECT, lock)], check=False)
        if result.returncode != 0:
            raise LaunchError("Installing %s into .venv failed (pip's message is above): check the internet "
                              "connection and run the same command again." % lock)
    with open(stamp, "w", encoding="utf-8") as file:
        file.write(digest(locks) + "\n")
    return python


def parse(arguments):
    """(target, {NAME: value}) from `TARGET NAME=value ...`."""
    if not arguments:
        return "help", {}
    target, variables = arguments[0], {}
    for argument in arguments[1:]:
        name, equals, value = argument.partition("=")
        if not equals or not name.replace("_", "").isalnum():
            raise LaunchError("%r is not NAME=value: give settings as e.g. TITLE=\"My title\"." % argument)
        variables[name] = value
    return target, variables


def kind_of(target):
    return "dev" if target in DEV_TARGETS else "bench" if target in BENCH_TARGETS else "site"


def main(arguments):
    try:
        target, variables = parse(arguments)
        if target in PLAIN_TARGETS:
            python = find_python()
            if python is None:
                raise LaunchError(how_to_get_python())
        else:
            python = [ensure_venv(kind_of(target))]
    except LaunchError as error:
        print(str(error), file=sys.stderr)
        return 1
    environment = dict(os.environ)
    environment.update(variables)
    command = python + ["-m", "tools", target]
    os.chdir(PROJECT)
    sys.stdout.flush()
    if not WINDOWS:  # the tool takes this process's place: Ctrl+C and kill reach it alone
        os.execve(command[0], command, environment)
    tool = subprocess.Popen(command, env=environment)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the tool too, which stops by itself
    return tool.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

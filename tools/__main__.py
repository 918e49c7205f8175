"""The project's commands: `python -m tools TARGET`, with settings as environment variables
(TITLE="My title", PORT=8001, DRY_RUN=1, ...). `make TARGET NAME=value` on Linux and macOS and
`make.bat TARGET NAME=value` on Windows run it through tools/launch.py, which sets up .venv.
Each target runs the same tool module, with the same arguments, on every system.
"""

import importlib
import os
import platform
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# The settings a target reads, with their values when not given.
DEFAULTS = {
    "HOST": "127.0.0.1", "PORT": "8000", "PUBLISH_PORT": "8001", "N": "1000", "REPEAT": "5",
    "OUTPUT": "output", "CONTENT": "content", "CACHE": "cache", "SCREENSHOTS": "docs/screenshots",
    # The preview's own folder (the site it serves, its cache): never output/, which publish builds.
    "PREVIEW": ".preview",
}
UV = "uv==0.13.9"  # makes the locks (make lock)
# Each lock file from its .in file; the constraint keeps the versions the writer's lock pins.
LOCKS = [
    ("requirements.lock", "requirements.in", None),
    ("requirements-comments.lock", "requirements-comments.in", "requirements.lock"),
    ("requirements-dev.lock", "requirements-dev.in", "requirements-comments.lock"),
    ("bench/requirements.lock", "bench/requirements.in", "requirements-dev.lock"),
]
# What `make test` leaves out where it cannot run: the tests that need Debian's Chromium, nginx,
# the Nu HTML Checker (Java), Isso or rsync.
PORTABLE_TESTS = "not linux_services"


def setting(name):
    return os.environ.get(name) or DEFAULTS.get(name, "")


def on(name):
    from tools.make_options import option_on

    return option_on(name)


def run_module(module, *argv):
    """Run `module`'s main() with `argv`, as `python -m module argv` would."""
    importlib.import_module(module).main(list(argv))


def run(*command, cwd=PROJECT):
    """Run a program; True when it succeeded."""
    return subprocess.run([str(part) for part in command], check=False, cwd=cwd).returncode == 0


def build_folders():
    return ["--content", setting("CONTENT"), "--cache", setting("CACHE")]


# --- The writer's targets ---------------------------------------------------------------------

def devserver():
    run_module("tools.devserver", "--host", setting("HOST"), "--port", setting("PORT"), "--preview", setting("PREVIEW"))


def html():
    run_module("tools.build", *build_folders(), "--settings", "pelicanconf.py", "--output", setting("OUTPUT"))


def publish():
    run_module("tools.build", *build_folders(), "--settings", "publishconf.py", "--output", setting("OUTPUT"),
               "--summary")


def serve_publish():
    run_module("tools.serve_publish", "--output", setting("OUTPUT"), *build_folders(), "--port", setting("PUBLISH_PORT"))


def newpost():
    run_module("tools.newpost")  # reads TITLE and TAGS


def import_wix():
    run_module("tools.import_wix.command", "--site", setting("SITE"), "--feed", setting("FEED"),
               "--content", setting("CONTENT"))


def rsync_upload():
    run_module("tools.upload", "rsync", "--output", setting("OUTPUT"), *build_folders())


def github():
    run_module("tools.upload", "github", "--output", setting("OUTPUT"), *build_folders())


def serve():
    run_module("pelican", "--listen", "-s", "pelicanconf.py", "-o", setting("OUTPUT"), "-b", setting("HOST"),
               "-p", setting("PORT"))


def clean():
    removed = []
    for name in ("OUTPUT", "PREVIEW", "CACHE"):
        folder = PROJECT / setting(name)
        if folder.exists():
            shutil.rmtree(folder)
            removed.append(setting(name))
    print(f"Deleted {', '.join(removed)}." if removed else "Nothing to delete.")


def comments_server():
    """Isso, pinned, for the preview's comments: built from source (its misaka needs a C compiler)."""
    lock = PROJECT / "requirements-comments.lock"
    if not run(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes",
               "-r", lock):
        sys.exit(f"Installing the comment server failed (pip's message is above): it needs a C compiler"
                 f"{' (run xcode-select --install first)' if sys.platform == 'darwin' else ''}.")
    print("The comment server is installed: make devserver now shows comments.")


# --- The engineers' targets -------------------------------------------------------------------

def install_checkers():
    """On Linux, the Debian packages the suite uses, and the page checkers of package-lock.json
    into node_modules/ when that lock changed (--ignore-scripts: vnu-jar's would fetch a Java)."""
    if not run("bash", PROJECT / "tools" / "install_test_packages.sh"):
        sys.exit(1)
    stamp = PROJECT / "node_modules" / ".installed"
    lock = (PROJECT / "package-lock.json").read_bytes()
    if stamp.is_file() and stamp.read_bytes() == lock:
        return
    print("Installing the page checkers into node_modules/ from package-lock.json (after each change of it)...",
          flush=True)
    if not run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"):
        sys.exit("npm ci failed (its message is above).")
    stamp.write_bytes(lock)


def lint_commands():
    """ruff, then mypy with pyproject.toml's settings (over plugins/ and tools/ when it has none)."""
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
    return [[sys.executable, "-m", "ruff", "check", "plugins", "tools"],
            [sys.executable, "-m", "mypy"] + ([] if "mypy" in config else ["plugins", "tools"])]


def lint():
    failed = [command[2] for command in lint_commands() if not run(*command)]
    if failed:
        sys.exit(f"make lint: {' and '.join(failed)} found problems (listed above).")


def full_suite():
    """The whole suite runs on Linux unless PORTABLE=1; elsewhere the part that needs no Debian service."""
    return platform.system() == "Linux" and not on("PORTABLE")


def test():
    failed = [command[2] for command in lint_commands() if not run(*command)]
    pytest = [sys.executable, "-m", "pytest", "--numprocesses=auto", "--maxprocesses=4", "--dist=loadfile"]
    if full_suite():
        install_checkers()
    else:
        print(f"Running the tests that need no Linux service (-m '{PORTABLE_TESTS}').", flush=True)
        pytest += ["-m", PORTABLE_TESTS]
    if not run(*pytest):
        failed.append("pytest")
    if failed:
        sys.exit(f"make test failed: {', '.join(failed)} (see above).")


def audit():
    install_checkers()
    run_module("tools.audit", "--out", "audit")


def screenshot():
    run_module("tools.screenshot", "--content", setting("CONTENT"), "--out-dir", setting("SCREENSHOTS"))


def bench():
    run_module("bench.build_speed", "--posts", *setting("N").split(), "--repeat", setting("REPEAT"))


def bench_machinery():
    run_module("bench.machinery", "--posts", *(os.environ.get("N") or "30 1000").split(), "--repeat", setting("REPEAT"))


def profile():
    run_module("bench.profile", "--posts", setting("N"))


def bench_growth():
    run_module("bench.growth", "--repeat", setting("REPEAT"))


def bench_search():
    run_module("bench.search", "--posts", setting("N"))


def lock():
    """Each lock from its .in file, for every system (markers), with hashes, from PyPI, by a pinned uv."""
    import tempfile
    import venv

    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        scripts = Path(folder) / ("Scripts" if sys.platform == "win32" else "bin")
        if not run(scripts / "python", "-m", "pip", "install", "--quiet", UV):
            sys.exit(f"Installing {UV} failed (pip's message is above).")
        for output, source, constraint in LOCKS:
            if not run(scripts / "uv", "pip", "compile", "--quiet", "--universal", "--generate-hashes",
                       "--python-version", "3.11", "--index-url", "https://pypi.org/simple",
                       "--custom-compile-command", "make lock", "--output-file", output, source,
                       *(["--constraint", constraint] if constraint else [])):
                sys.exit(f"uv could not lock {source} (its message is above).")


def show_help():
    print("HERB CLINIQUE blog. Targets (the same words in Windows' cmd; in PowerShell: .\\make TARGET):")
    for name, (_, description) in TARGETS.items():
        print(f"  make {name:<16} {description}")


TARGETS = {
    "help": (show_help, "List the targets"),
    "devserver": (devserver, "Preview at http://127.0.0.1:8000, rebuilt and reloaded on every change (in .preview/)"),
    "html": (html, "Build the site into output/ with pelicanconf.py (output/ changes only if it works)"),
    "publish": (publish, "Build the production site into output/ with publishconf.py, and say what it published"),
    "serve-publish": (serve_publish, ("Build for production and serve exactly that at http://127.0.0.1:8001, "
                                      "to look before uploading")),
    "newpost": (newpost, 'Start a draft post: make newpost TITLE="My title" TAGS="sleep, stress"'),
    "import-wix": (import_wix, ("Bring the Wix blog home: make import-wix SITE=https://www.herbclinique.com "
                                "(or a saved folder; DRY_RUN=1: only list)")),
    "rsync_upload": (rsync_upload, ("Build for production and upload to RSYNC_DEST (DRY_RUN=1: only show what "
                                    "would change)")),
    "github": (github, "Build for production and publish to the gh-pages branch (GitHub Pages)"),
    "serve": (serve, "Serve what output/ holds at http://127.0.0.1:8000"),
    "clean": (clean, "Delete output/, the preview's folder and the build cache"),
    "comments-server": (comments_server, ("Install the comment server (Isso) so the preview shows comments "
                                          "(needs a C compiler)")),
    "test": (test, ("Run ruff, mypy and the whole test suite (installs what it needs first; PORTABLE=1: "
                    "only what needs no Linux service)")),
    "lint": (lint, "Run ruff and mypy over plugins/ and tools/"),
    "audit": (audit, "Lighthouse scores of the publish build's main pages (reports in audit/)"),
    "screenshot": (screenshot, ("Photograph home, post, tag, search and About (phone, desktop; light, dark) "
                                "into docs/screenshots/")),
    "bench": (bench, 'Build speed against bare Pelican and Hugo: make bench N="100 1000 3000" REPEAT=5'),
    "bench-machinery": (bench_machinery, ('What each piece of speed machinery gains: cold builds with it on and off, '
                                          'make bench-machinery N="30 1000"')),
    "profile": (profile, "Where a build of N generated posts (default 1000) spends its time (cProfile)"),
    "bench-growth": (bench_growth, "How the per-post work's time grows with its input (ratios; linear is 4)"),
    "bench-search": (bench_search, ("Measure site search at N generated posts (default 1000): build time, "
                                    "bytes per query")),
    "lock": (lock, "Re-pin the requirements*.lock files (exact versions, hashes, every system) from their .in files"),
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    target = argv[0] if argv else "help"
    if target not in TARGETS:
        sys.exit(f"There is no target {target!r}: `make help` lists them.")
    os.chdir(PROJECT)
    TARGETS[target][0]()


if __name__ == "__main__":
    main()

"""Checks and facts shared by the site-level tests and the plugins' (tests import this module,
never each other): the writer's files, a missing system package, the HTML checker, colour
contrast in the browser, the page templates a reader can land on."""

import json
import shutil
import subprocess

import pytest

from tests.built_site import PROJECT, SEED_POST, checksums

# The folders of the writer's own work: no test reads or writes them (conftest.py checks).
WRITERS_FILES = ["content", "output", "cache", ".isso", ".preview"]


def writers_files(project=PROJECT):
    """{folder/relative path: sha256} of every file in the writer's working folders."""
    return {f"{name}/{path}": digest for name in WRITERS_FILES if (project / name).is_dir()
            for path, digest in checksums(project / name).items()}


def missing_system_tool(error, what):
    """A system package the tests need is absent: a failure of the set-up, not a reason to skip."""
    pytest.fail(f"{what}: {error} `make test` installs it (tools/install_test_packages.sh).")


VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def validate(folder, ignore=()):
    """(files checked, problems) for every .html, .css and .svg file under `folder`; messages
    that start with a text in `ignore` are left out."""
    java = shutil.which("java")
    if not java:
        missing_system_tool("java is not installed (apt-get install default-jre-headless)", "the HTML checker")
    assert VNU.is_file(), f"{VNU} is missing: `make test` installs it (npm ci)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--verbose", "--skip-non-html", "--also-check-css",
         "--also-check-svg", str(folder)],
        capture_output=True, text=True,
    )
    messages = json.loads(result.stderr)["messages"]
    checked = [line for line in result.stdout.splitlines() if line.strip()]
    problems = [f"{m['url'].rpartition(str(folder))[2]}:{m.get('lastLine', '?')}: {m['message']}"
                for m in messages if (m["type"] != "info" or m.get("subType") == "warning")
                and not m["message"].startswith("File was not checked")  # pictures, scripts: not its job
                and not m["message"].startswith(tuple(ignore))]
    return checked, problems


# Every page template, as (name, path): the pages a reader can land on.
TEMPLATES = [
    ("home", ""),
    ("post", SEED_POST),
    ("page", "about/"),
    ("tag", "tag/chronic-pain/"),
    ("tags index", "tags/"),
    ("author", "author/yoko-sakura/"),
    ("archives", "archives/"),
    ("search", "search/?q=massage"),
    ("404", "no-such-page/"),
]

# WCAG 2 contrast ratio of two CSS rgb() colours, computed in the page.
CONTRAST_JS = """([selector, property]) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const element = document.querySelector(selector);
  const fore = luminance(getComputedStyle(element)[property]);
  const back = luminance(getComputedStyle(document.body).backgroundColor);
  return (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
}"""



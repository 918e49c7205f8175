"""Every generated page is valid HTML by the Nu HTML Checker (vnu.jar, npm package vnu-jar,
run with Java), its inline CSS and the theme's stylesheet valid CSS, its SVG valid SVG: the dev
build, the publish build, and the publish build with comments on."""

import json
import shutil
import subprocess

from tests.built_site import PROJECT

VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def validate(folder, ignore=()):
    """(files checked, problems) for every .html, .css and .svg file under `folder`; messages
    that start with a text in `ignore` are left out."""
    java = shutil.which("java")
    if not java:
        from tests.conftest import missing_system_tool
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
                for m in messages if m["type"] != "info" or m.get("subType") == "warning"
                and not m["message"].startswith("File was not checked")  # pictures, scripts: not its job
                and not m["message"].startswith(tuple(ignore))]
    return checked, problems


def test_every_page_stylesheet_and_picture_is_valid(every_build, report):
    name, site = every_build
    checked, problems = validate(site.output)
    expected = [*site.output.rglob("*.html"), *site.output.rglob("*.css"), *site.output.rglob("*.svg")]
    assert len(checked) == len(expected) > 10
    assert problems == []
    report(f"Nu HTML Checker, {name} build: {len(checked)} files (HTML, CSS, SVG), 0 errors, 0 warnings")


def test_the_checker_reports_what_is_wrong(tmp_path):
    (tmp_path / "page.html").write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div>x</p>')
    (tmp_path / "style.css").write_text("p { colour: red; }")
    checked, problems = validate(tmp_path)
    assert len(checked) == 2
    assert any("page.html" in p for p in problems) and any("style.css" in p and "colour" in p for p in problems)

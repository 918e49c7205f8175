"""Every generated page is valid HTML by the Nu HTML Checker (vnu.jar, npm package vnu-jar,
run with Java), its inline CSS and the theme's stylesheet valid CSS, its SVG valid SVG: the dev
build, the publish build, and the publish build with comments on."""

from tests.page_checks import validate


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

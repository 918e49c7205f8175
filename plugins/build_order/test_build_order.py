"""build_order: the order of dependent steps is its own, whatever the order of PLUGINS."""

from pathlib import Path

import pytest

from build_order.build_order import AFTER_RENDER, check_order

POST = {"post.md": "Title: A post\nDate: 2023-02-19\nTags: sleep\n\n" + "Sleep well after a massage. " * 40 + "\n",
        "templates/partials/tag_index.html": ""}


def test_readers_listed_the_wrong_way_round_are_named_with_the_fix():
    problems = check_order({"PLUGINS": ["build_order", "typography", "content_checks"]})
    assert problems == [("PLUGINS lists typography and content_checks in that order; list them as content_checks, "
                         "typography: each wraps the Markdown reader of the one before.")]
    assert check_order({"PLUGINS": ["content_checks", "typography"]}) == []


def test_the_wrong_order_stops_the_build_at_its_start(pelican_build):
    with pytest.raises(SystemExit, match="list them as content_checks, typography"):
        pelican_build(POST, plugins=["build_order", "typography", "content_checks"])


def test_a_plugin_with_its_own_templates_needs_theme_assets():
    settings = {"PLUGINS": ["build_order", "search"], "PLUGIN_PATHS": [str(Path(__file__).resolve().parent.parent)]}
    assert any("add 'theme_assets' to PLUGINS" in problem for problem in check_order(settings))


@pytest.mark.parametrize("plugin", [plugin for plugin, _, _ in AFTER_RENDER])
def test_each_step_plugin_refuses_to_run_without_build_order(pelican_build, plugin):
    with pytest.raises(SystemExit, match=f'"{plugin}" needs "build_order" in PLUGINS'):
        pelican_build(POST, plugins=[plugin])


def test_the_steps_run_in_their_order_even_when_plugins_lists_them_backwards(pelican_build, tmp_path):
    """precompress (last) finds the fingerprinted names (theme_assets, first), the search index
    (search) and the pages the headers step read: each has its .gz copy, no old name has one."""
    theme_js = tmp_path / "theme-static" / "a.js"
    theme_js.parent.mkdir()
    theme_js.write_text("console.log('a long enough script to be worth compressing');\n" * 10)
    output = pelican_build(
        POST,
        settings={"THEME_STATIC_PATHS": [str(theme_js.parent)], "PRECOMPRESS": {"enabled": True, "min_bytes": 0},
                  "SEARCH": {"enabled": True}, "CACHE_PATH": str(tmp_path / "cache")},
        plugins=["precompress", "security_headers", "search", "theme_assets", "build_order"],
    )
    copies = {p.relative_to(output).as_posix() for p in output.rglob("*.gz")}
    assert any(name.startswith("theme/a.") and name != "theme/a.js.gz" for name in copies), copies
    assert "theme/a.js.gz" not in copies and not (output / "theme" / "a.js").exists()
    assert "pagefind/pagefind-entry.json.gz" in copies
    assert (output / "_headers").is_file()

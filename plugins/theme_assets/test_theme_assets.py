import re
from pathlib import Path

import pytest

from tests.built_site import write_files
from theme_assets.theme_assets import ThemeAssetsError, fingerprinted, theme_files

PLUGINS = Path(__file__).resolve().parent.parent


def test_the_name_changes_with_the_content_and_only_then():
    one = fingerprinted("search.js", b"let a = 1;")
    assert re.fullmatch(r"search\.[0-9a-f]{10}\.js", one)
    assert fingerprinted("search.js", b"let a = 1;") == one
    assert fingerprinted("search.js", b"let a = 2;") != one


def test_a_missing_static_path_names_itself(tmp_path):
    with pytest.raises(ThemeAssetsError, match=r"'static/gone.css'.*does not exist"):
        theme_files(tmp_path, ["static/gone.css"])


def test_a_real_build_links_the_renamed_copies_and_leaves_no_old_name(pelican_build, tmp_path):
    theme = write_files(tmp_path / "theme", {
        "static/js/a.js": "console.log(1);\n",
        "static/js/.a.js.swp": "an editor's backup",
        "static/css/extra.css": "p{color:red}",
        "static/css/site.css": "",
        "templates/article.html": '<script src="/{{ THEME_ASSETS["a.js"] }}"></script>'
                                  '<link rel="stylesheet" href="/{{ THEME_ASSETS["extra.css"] }}">',
    })
    output = pelican_build(
        {"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"},
        settings={"THEME": str(theme), "THEME_STATIC_PATHS": ["static/js", "static/css/extra.css"],
                  "IGNORE_FILES": [".*"]},
        plugins=["theme_assets", "build_order"],
    )
    page = (output / "a-post.html").read_text()
    script, stylesheet = re.findall(r'(?:src|href)="/([^"]+)"', page)
    assert re.fullmatch(r"theme/a\.[0-9a-f]{10}\.js", script) and (output / script).read_text() == "console.log(1);\n"
    assert re.fullmatch(r"theme/extra\.[0-9a-f]{10}\.css", stylesheet) and (output / stylesheet).is_file()
    assert sorted(p.name for p in (output / "theme").iterdir()) == sorted([script[6:], stylesheet[6:]])


def test_a_listed_plugins_templates_and_scripts_join_the_theme_and_an_unlisted_ones_do_not(pelican_build, tmp_path):
    plugins = tmp_path / "plugins"
    for name in ("on", "off"):
        write_files(plugins / name, {
            "__init__.py": "def register():\n    pass\n",
            f"templates/{name}/slot.html": f'<p>{name}</p><script src="/{{{{ THEME_ASSETS["{name}.js"] }}}}"></script>',
            f"static/{name}.js": f"console.log('{name}');\n",
        })
    theme = write_files(tmp_path / "theme", {
        "static/css/site.css": "",
        "templates/article.html": '{% include "on/slot.html" ignore missing %}{% include "off/slot.html" ignore missing %}',
    })
    output = pelican_build(
        {"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"},
        settings={"THEME": str(theme), "THEME_STATIC_PATHS": [], "PLUGIN_PATHS": [str(plugins), str(PLUGINS)]},
        plugins=["on", "theme_assets", "build_order"],
    )
    page = (output / "a-post.html").read_text()
    assert page.startswith("<p>on</p>") and "off" not in page
    script = re.search(r'src="/([^"]+)"', page).group(1)
    assert re.fullmatch(r"theme/on\.[0-9a-f]{10}\.js", script) and (output / script).is_file()
    assert [p.name for p in (output / "theme").iterdir()] == [script[6:]]

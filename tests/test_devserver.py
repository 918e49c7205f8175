"""`make devserver`: the preview rebuilds and reloads the open page when the writer saves a file.

Runs the real preview on a copy of the project (so the real content is never touched),
on a free port of 127.0.0.1, with headless Chromium as the writer's browser. The preview builds
in its own folder (.preview/), so a publish build meanwhile changes nothing of it; a file saved
while a build runs is built next. Its problems: tests/test_preview_problems.py.
"""

import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.built_site import PROJECT, SEED_POST, copy_project, settings_value, write_files
from tests.preview import Preview, edit
from tools.devserver import COMMENTS_NOT_INSTALLED

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    preview = Preview(copy_project(tmp_path_factory.mktemp("preview")))
    yield preview
    preview.stop()


def test_the_preview_serves_the_built_site(preview):
    with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
        assert "Neuroscience v.s. massage therapy" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{preview.url}/no-such-page/")
    assert missing.value.code == 404
    assert "Page not found" in missing.value.read().decode()


def test_saving_a_post_rebuilds_and_reloads_the_open_page(preview, browser):
    page = browser.new_page()
    page.goto(f"{preview.url}/{SEED_POST}")
    page.wait_for_function("document.querySelector('h1').textContent.includes('Neuroscience')")
    page.evaluate("window.notReloaded = true")
    edit(preview.project / "content/posts/neuroscience-v-s-massage-therapy.md",
         "Title: Neuroscience v.s.", "Title: Brain science v.s.")
    assert "content/posts/neuroscience-v-s-massage-therapy.md" in preview.wait_for("Changed:")
    preview.wait_for("Built in")
    page.wait_for_function("document.querySelector('h1').textContent.includes('Brain science')", timeout=15_000)
    assert page.evaluate("window.notReloaded === undefined"), "the page was reloaded, not patched"
    page.close()


def test_the_header_search_finds_what_was_just_saved(preview, browser):
    edit(preview.project / "content/posts/neuroscience-v-s-massage-therapy.md",
         "At first glance,", "At first glance (like a quokka),")
    preview.wait_for("Built in")
    page = browser.new_page()
    page.goto(f"{preview.url}/about/")
    page.fill("#header-search-q", "quokka")
    page.locator(".search-header [role=status]").filter(has_text="1 post found").wait_for(timeout=15_000)
    assert page.locator(".search-header .search-results a").first.get_attribute("href") == f"/{SEED_POST}"
    page.close()


def test_saving_a_template_rebuilds_every_page(preview, browser):
    page = browser.new_page()
    page.goto(f"{preview.url}/about/")
    edit(preview.project / "theme/templates/partials/site_footer.html", "© {{ COPYRIGHT_YEAR }} by", "© {{ COPYRIGHT_YEAR }} — by")
    preview.wait_for("Built in")
    page.wait_for_function("document.querySelector('.copyright').textContent.includes('—')", timeout=15_000)
    page.close()


def test_a_broken_build_says_so_and_keeps_the_last_good_site(preview):
    template = preview.project / "theme/templates/page.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "{% if %}", encoding="utf-8")
    preview.wait_for("The build failed")
    with urllib.request.urlopen(f"{preview.url}/about/") as response:
        assert "About HERB" in response.read().decode()
    template.write_text(good, encoding="utf-8")
    preview.wait_for("Built in")


def test_the_preview_adds_its_reload_script_as_a_file_not_inline(preview):
    with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
        html = response.read().decode()
    for script in ("reload.js", "problems.js"):
        assert f'<script src="/__devserver/{script}" defer></script>' in html
        assert html.count(f'src="/__devserver/{script}"') == 1
        with urllib.request.urlopen(f"{preview.url}/__devserver/{script}") as response:
            assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "EventSource" not in html and "fetch(" not in html, "the preview's code is not inline"


def addresses_in(html):
    page = BeautifulSoup(html, "lxml")
    return [element.get(name) for name in ("href", "src") for element in page.find_all(attrs={name: True})]


def test_the_preview_has_its_own_folder_and_a_publish_meanwhile_changes_nothing_of_it(preview):
    project = preview.project
    site = project / ".preview" / "site"
    assert (site / SEED_POST / "index.html").is_file(), "the preview builds into .preview/site/"
    assert not (project / "output").exists(), "the preview never writes output/"
    production = settings_value("publishconf.py", "SITEURL")
    mark = len(preview.printed)
    # The publish build of the same project, as `make publish` runs it; a post saved meanwhile.
    publish = subprocess.Popen([sys.executable, "-m", "tools.build", "--project", str(project), "--settings",
                                "publishconf.py", "--output", "output"],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seed = project / "content/posts/neuroscience-v-s-massage-therapy.md"
    edit(seed, "Title: ", "Title: Saved during a publish: ")
    preview.wait_for("Built in")
    log, _ = publish.communicate(timeout=120)
    assert publish.returncode == 0, log
    with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
        html = response.read().decode()
    assert "Saved during a publish" in html
    assert not [href for href in addresses_in(html) if href.startswith(production)], "in the preview"
    published = (project / "output" / SEED_POST / "index.html").read_text(encoding="utf-8")
    assert any(a.startswith(production) for a in addresses_in(published))
    files = [file for file in (project / "output").rglob("*") if file.is_file()]
    assert not [file for file in files if b"__devserver" in file.read_bytes()]
    # The preview goes on: another save, another build; nothing went wrong in its window.
    edit(seed, "Saved during a publish: ", "")
    preview.wait_for("Built in")
    printed = preview.printed_since(mark)
    assert "Traceback" not in printed and "The build failed" not in printed, printed


# Holds the preview's first build once it has read the posts, until the test lets it go.
HOLD_PLUGIN = """
import time
from pathlib import Path

from pelican import signals

FOLDER = Path({folder!r})


def hold(generators):
    if (FOLDER / "release").exists():
        return
    (FOLDER / "holding").touch()
    while not (FOLDER / "release").exists():
        time.sleep(0.02)


def register():
    signals.all_generators_finalized.connect(hold)
"""


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)


def test_a_file_saved_while_the_first_build_runs_is_built_next_without_another_save(tmp_path):
    project = copy_project(tmp_path / "project")
    hold = tmp_path / "hold"
    hold.mkdir()
    write_files(project / "plugins", {"hold_first_build/__init__.py": HOLD_PLUGIN.format(folder=str(hold))})
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('\nPLUGINS = [*PLUGINS, "hold_first_build"]\n')
    preview = Preview(project, wait=False)
    try:
        wait_until(lambda: (hold / "holding").exists() or preview.process.poll() is not None)
        assert preview.process.poll() is None, "".join(preview.printed)
        # The first build has read the posts and is held: the writer saves one now.
        edit(project / "content/posts/neuroscience-v-s-massage-therapy.md", "Title: Neuroscience v.s.",
             "Title: Saved while building v.s.")
        (hold / "release").touch()
        preview.wait_until_serving()
        assert "content/posts/neuroscience-v-s-massage-therapy.md" in preview.wait_for("Changed:")
        preview.wait_for("Built in")
        with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
            assert "Saved while building v.s." in response.read().decode()
    finally:
        preview.stop()


def test_a_comment_posted_in_the_preview_survives_restarting_it(tmp_path, browser):
    project = copy_project(tmp_path)
    preview = Preview(project)
    try:
        comments_line = next(line for line in preview.printed if line.startswith("Comments:"))
        assert ".isso/comments.db" in comments_line
        page = browser.new_page(viewport={"width": 1280, "height": 4000})
        page.goto(f"{preview.url}/{SEED_POST}")
        page.focus(".comments-show")
        page.keyboard.press("Enter")
        page.fill(".isso-postbox textarea", "Tried the breathing exercise, it works.")
        page.click(".isso-postbox input[type=submit]")
        page.locator("#isso-root .isso-comment").first.wait_for()
        page.close()
    finally:
        preview.stop()
    assert (project / ".isso/comments.db").is_file()
    preview = Preview(project)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 4000})
        page.goto(f"{preview.url}/{SEED_POST}")
        page.focus(".comments-show")
        page.keyboard.press("Enter")
        page.locator("#isso-root .isso-comment").first.wait_for()
        assert page.locator("#isso-root .isso-text").all_inner_texts() == ["Tried the breathing exercise, it works."]
        page.close()
        isso_url = re.search(r"Isso at (http://\S+),", "".join(preview.printed)).group(1)
    finally:
        preview.stop()
    with pytest.raises(urllib.error.URLError):  # stopping the preview stopped its comment server
        urllib.request.urlopen(f"{isso_url}/config", timeout=5)


def test_without_the_comment_server_the_preview_says_how_to_get_it_and_shows_the_site(tmp_path):
    """The writer's .venv has no Isso (it needs a C compiler): a Python with this run's packages
    but no `isso` command beside it, as there."""
    python_folder = tmp_path / "python"
    venv.create(python_folder, symlinks=os.name != "nt")
    site_packages = Path(subprocess.run(
        [python_folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    (site_packages / "this_run.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    python = python_folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    preview = Preview(copy_project(tmp_path / "project"), wait=False, python=python)
    try:
        preview.wait_until_serving()
        assert COMMENTS_NOT_INSTALLED + "\n" in preview.printed
        with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
            page = BeautifulSoup(response.read().decode(), "lxml")
        assert page.h1 is not None and "Neuroscience" in page.h1.get_text()
        assert not page.select("[data-isso], script[src*='isso'], .comments-show"), "no comments without Isso"
    finally:
        preview.stop()
    assert not (tmp_path / "project" / ".isso").exists()


def test_a_file_saved_as_a_restarted_preview_starts_is_shown(tmp_path):
    """A second start takes up the first one's pages; a post saved while its builder is still
    starting is built and shown."""
    project = copy_project(tmp_path / "project")
    Preview(project).stop()
    preview = Preview(project, wait=False)
    try:
        preview.wait_for("Building the site...")
        edit(project / "content/posts/neuroscience-v-s-massage-therapy.md", "Title: Neuroscience v.s.",
             "Title: Saved as it starts v.s.")
        preview.wait_until_serving()

        def shown():
            with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
                return "Saved as it starts v.s." in response.read().decode()

        wait_until(shown)
        assert "The build failed" not in "".join(preview.printed)
    finally:
        preview.stop()


# Makes each build of the preview, once the posts are read, outlast the half second between two
# saves of an editor that saves as she types, as a build of 1000 posts does.
SLOW_BUILD_PLUGIN = """
import time

from pelican import signals


def slow(generators):
    time.sleep(0.7)


def register():
    signals.all_generators_finalized.connect(slow)
"""
AUTOSAVE = 0.5  # seconds between two saves
MOST_SAVES = 20  # 10 s of typing
TRAILING = 4  # saves: a build of a post's title, slower than two saves, shows one a few saves old


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_page(url):
    """The page at `url` as a parsed document; an empty one while the server answers with an error
    (no page built yet); None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return BeautifulSoup(response.read().decode(), "lxml")
    except urllib.error.HTTPError:
        return BeautifulSoup("", "lxml")
    except OSError:
        return None


@pytest.mark.parametrize("where", ["text", "title"])
def test_an_editor_saving_every_half_second_from_the_start_has_her_words_shown_as_she_types(tmp_path, where):
    """Her editor saves the post every half second from the moment a restarted preview first
    answers (a page of the last preview's), each save while a build runs. The page follows her
    while she types: a save of her text shows as made (the page catches up with her), a save of
    her title, which a whole build shows, a few saves behind; and her last save is shown, none
    lost. (When each save stopped the build under way, a title never showed until she stopped.)"""
    project = copy_project(tmp_path / "project")
    write_files(project / "plugins", {"slow_build/__init__.py": SLOW_BUILD_PLUGIN})
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('\nPLUGINS = [*PLUGINS, "slow_build"]\n')
    Preview(project).stop()  # the last preview, whose pages the next one serves as it starts
    post = project / "content/posts/neuroscience-v-s-massage-therapy.md"
    text = post.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{SEED_POST}"
    preview = Preview(project, wait=False, port=port)

    def save_shown():
        """The number of the save the served page shows (0: none of hers)."""
        page = served_page(url)
        shown = page and (page.find("h1") if where == "title" else page.find("article"))
        found = re.search(r"Typed-words-(\d+)", shown.get_text()) if shown else None
        return int(found.group(1)) if found else 0

    try:
        wait_until(lambda: served_page(url) is not None or preview.process.poll() is not None)
        assert preview.process.poll() is None, "".join(preview.printed)
        for save in range(1, MOST_SAVES + 1):
            words = f"Typed-words-{save}"
            post.write_text(text.replace("Title: ", f"Title: {words} ", 1) if where == "title"
                            else f"{text}\n{words} here.\n", encoding="utf-8")
            next_save = time.monotonic() + AUTOSAVE
            while time.monotonic() < next_save and save_shown() != save:
                time.sleep(0.02)
            if save_shown() == save:
                break
        shown_while_typing = save_shown()
        wait_until(lambda: save_shown() == save)  # she stopped typing: her last save is shown, not lost
        if where == "text":
            assert shown_while_typing == save, f"her words never caught up while she typed ({save} saves)"
        else:
            assert shown_while_typing >= save - TRAILING, \
                f"while she typed {save} saves, the page showed save {shown_while_typing}"
    finally:
        preview.stop()

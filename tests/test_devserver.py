"""`make devserver`: the preview rebuilds and reloads the open page when the writer saves a file.

Runs the real preview on a copy of the project (so the real content is never touched),
on a free port of 127.0.0.1, with headless Chromium as the writer's browser.
"""

import queue
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from tests.built_site import PROJECT, SEED_POST, copy_project

pytestmark = pytest.mark.browser

class Preview:
    """A running `python -m tools.devserver`, and what it has printed."""

    def __init__(self, project):
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.devserver", "--project", str(project), "--port", "0",
             "--comments-port", "0"],
            cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self.lines = queue.Queue()
        self.printed = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = re.search(r"Preview: (http://127\.0\.0\.1:\d+)/", self.wait_for("Preview: ")).group(1)

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text, timeout=30):
        """The next printed line that contains `text`."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"the preview never printed {text!r}; it printed:\n{''.join(self.printed)}") from None
            self.printed.append(line)
            if text in line:
                return line

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    preview = Preview(copy_project(tmp_path_factory.mktemp("preview")))
    yield preview
    preview.stop()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


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
    assert '<script src="/__devserver/reload.js" defer></script>' in html
    assert html.count('src="/__devserver/reload.js"') == 1
    assert "EventSource" not in html, "the reload code is not inline"


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

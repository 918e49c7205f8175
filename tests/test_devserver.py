"""`make devserver`: the preview rebuilds and reloads the open page when the writer saves a file.

Runs the real preview on a copy of the project (so the real content is never touched),
on a free port of 127.0.0.1, with headless Chromium as the writer's browser. The preview builds
in its own folder (.preview/), so a publish build meanwhile changes nothing of it.
"""

import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests.built_site import PROJECT, SEED_POST, copy_project, settings_value
from tests.preview import Preview, edit

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
    assert '<script src="/__devserver/reload.js" defer></script>' in html
    assert html.count('src="/__devserver/reload.js"') == 1
    assert "EventSource" not in html, "the reload code is not inline"


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
    edit(project / "content/posts/neuroscience-v-s-massage-therapy.md", "Title: ", "Title: Saved during a publish: ")
    preview.wait_for("Built in")
    log, _ = publish.communicate(timeout=120)
    assert publish.returncode == 0, log
    with urllib.request.urlopen(f"{preview.url}/{SEED_POST}") as response:
        html = response.read().decode()
    assert "Saved during a publish" in html
    assert not [a for a in addresses_in(html) if a.startswith(production)], "no production address in the preview"
    published = (project / "output" / SEED_POST / "index.html").read_text(encoding="utf-8")
    assert any(a.startswith(production) for a in addresses_in(published))
    assert not [f for f in (project / "output").rglob("*") if f.is_file() and b"__devserver" in f.read_bytes()]
    # The preview goes on: another save, another build; nothing went wrong in its window.
    edit(project / "content/posts/neuroscience-v-s-massage-therapy.md", "Saved during a publish: ", "")
    preview.wait_for("Built in")
    printed = preview.printed_since(mark)
    assert "Traceback" not in printed and "The build failed" not in printed, printed

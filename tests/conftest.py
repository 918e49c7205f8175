"""Fixtures shared by the site-level tests.

The real site is built once per test run with each settings file, through the Makefile's own
targets (`make html`, `make publish`) into a temporary folder; pages are parsed with a real
HTML parser. Browser tests share one headless Chromium (Debian's) and one server per site.
"""

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tools import chromium
from tools.site_server import serving

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT.parent / "shared" / "seed" / "000_a8456368bb627a95.txt"
SEED_POST = "post/neuroscience-v-s-massage-therapy/"
# Stands in for the site's address where links are root-relative (the preview build).
LOCAL_BASE = "http://site.test"


@dataclass
class BuiltSite:
    """One build of the site: its folder, the address its links use, and what Pelican printed."""

    name: str
    output: Path
    siteurl: str
    log: str
    _soups: dict = field(default_factory=dict, repr=False)

    @property
    def base(self):
        return self.siteurl or LOCAL_BASE

    def html_files(self):
        return sorted(self.output.rglob("*.html"))

    def url_of(self, file):
        """The address a file is served at: post/x/index.html -> <base>/post/x/."""
        relative = re.sub(r"(^|/)index\.html$", r"\1", file.relative_to(self.output).as_posix())
        return f"{self.base}/{relative}"

    def file_of(self, url):
        """The file behind an address of this site, or None for an address elsewhere."""
        if not url.startswith(self.base + "/"):
            return None
        path = unquote(urlsplit(url).path)
        file = self.output / path.lstrip("/")
        return file / "index.html" if path.endswith("/") else file

    def target(self, from_file, href):
        """The file that a link on the page `from_file` leads to; None for another site."""
        return self.file_of(urljoin(self.url_of(from_file), href))

    def page_file(self, path):
        return self.file_of(f"{self.base}/{path}")

    def page(self, path):
        """A page of the site, parsed: `page("post/x/")` or `page("404.html")`."""
        file = self.page_file(path)
        assert file.is_file(), f"{path} was not built"
        return self.soup(file)

    def soup(self, file):
        if file not in self._soups:
            self._soups[file] = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
        return self._soups[file]

    def links(self, file):
        """(attribute, absolute address) of every link and resource a page refers to."""
        page_url = self.url_of(file)
        for element in self.soup(file).find_all(href=True):
            yield "href", urljoin(page_url, element["href"])
        for element in self.soup(file).find_all(src=True):
            yield "src", urljoin(page_url, element["src"])


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=PROJECT, capture_output=True, text=True)


def settings_value(settings_file, name):
    from pelican.settings import read_settings

    return read_settings(str(PROJECT / settings_file))[name]


def build(target, output):
    """Build the site with `make <target>` into `output`."""
    result = make(target, f"OUTPUT={output}")
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"make {target} failed:\n{log}"
    settings_file = "publishconf.py" if target == "publish" else "pelicanconf.py"
    return BuiltSite(target, output, settings_value(settings_file, "SITEURL"), log)


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    """The site as `make html` builds it: links relative to the site root."""
    return build("html", tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory):
    """The site as `make publish` builds it: absolute links to SITEURL, feeds."""
    return build("publish", tmp_path_factory.mktemp("publish") / "output")


@pytest.fixture(scope="session", params=["dev_site", "publish_site"], ids=["dev", "publish"])
def site(request):
    """Each build in turn: what holds for the site holds for both."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def seed():
    """The Wix page's title and body text, as shared/seed has them."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().endswith("min read")) + 1
    end = next(i for i, line in enumerate(lines) if line.strip() == "Comments")
    return {"title": lines[3].strip(), "body": " ".join(line.strip() for line in lines[start:end]).strip()}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's package, driven by Playwright)."""
    try:
        chromium.executable()
    except chromium.ChromiumMissing as error:
        if os.environ.get("CI"):
            pytest.fail(f"{error} (.ci/run installs it)")
        pytest.skip(f"browser tests need Chromium: {error}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def dev_server(dev_site):
    """The dev build served on 127.0.0.1 as a static host serves it."""
    with serving(dev_site.output) as url:
        yield url

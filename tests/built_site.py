"""What the site tests share: the project's paths, the built site, and `make`."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT.parent / "shared" / "seed" / "000_a8456368bb627a95.txt"
SEED_POST = "post/neuroscience-v-s-massage-therapy/"
# The site the tests build: the seed post, the pages and the icons, as content/ had them when the
# project started (tests/site_content/README.md). Never content/ itself: that is the writer's.
SITE_CONTENT = PROJECT / "tests" / "site_content"
# What a build reads besides its content: a copy of these is a project to edit freely in a test.
PROJECT_SOURCES = ["theme", "plugins", "pelicanconf.py", "publishconf.py"]
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


def theme_asset(url, name):
    """True when `url` is the theme file `name` (share.js) by its fingerprinted address, theme/share.<hash>.js."""
    stem, _, extension = name.rpartition(".")
    return re.search(rf"/theme/{re.escape(stem)}\.[0-9a-f]{{10}}\.{re.escape(extension)}$", urlsplit(url).path) is not None


def make(*args, env=None):
    """`make *args` (on Windows: make.bat's launcher, which takes the same words but no make option)."""
    command = (["make", "--no-print-directory"] if os.name != "nt"
               else [sys.executable, str(PROJECT / "tools" / "launch.py")])
    return subprocess.run([*command, *args], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, **env} if env else None)


def settings_value(settings_file, name):
    from pelican.settings import read_settings

    return read_settings(str(PROJECT / settings_file))[name]


def copy_site_content(destination):
    """A fresh copy of the test site's content/ in `destination`; returns it."""
    shutil.copytree(SITE_CONTENT, destination, ignore=shutil.ignore_patterns("README.md"))
    (destination / "images").mkdir(exist_ok=True)
    return destination


def make_test_site(target, folder, *args, env=None):
    """`make <target>` on a copy of the test site in `folder` (content/, cache/, output/ there)."""
    content = folder / "content"
    if not content.exists():
        copy_site_content(content)
    return make(target, f"OUTPUT={folder / 'output'}", f"CONTENT={content}", f"CACHE={folder / 'cache'}", *args,
                env=env)


def build(target, output, env=None):
    """Build the test site with `make <target>` into `output` (a folder named output), its content
    and cache beside it; `env`: variables the settings read (SITEURL, COMMENTS_URL)."""
    assert Path(output).name == "output"
    result = make_test_site(target, Path(output).parent, env=env)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"make {target} failed:\n{log}"
    settings_file = "publishconf.py" if target == "publish" else "pelicanconf.py"
    siteurl = (env or {}).get("SITEURL") or settings_value(settings_file, "SITEURL")
    return BuiltSite(target, output, siteurl, log)


def build_fixture(content, settings_file, output, *, must_succeed=True, settings=None):
    """Build the folder `content` with the project's settings and theme (not through make).
    `settings` overrides some, e.g. {"CACHE_PATH": "/tmp/x"}."""
    settings = {"CACHE_PATH": str(Path(output).parent / f"{Path(output).name}-cache"), **(settings or {})}
    overrides = [f"{name}={json.dumps(value)}" for name, value in settings.items()]
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", settings_file, "-o", str(output), "--fatal", "warnings",
         *(["-e", *overrides] if overrides else [])],
        cwd=PROJECT, capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0 or not must_succeed, log
    return BuiltSite(f"fixture:{settings_file}", output, settings_value(settings_file, "SITEURL"), log)


def write_files(root, files):
    """Write {relative path: text} under `root`; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_project(destination):
    """A copy of the project's sources with the test site's content in `destination`, to break
    and edit in a test."""
    for name in PROJECT_SOURCES:
        source = PROJECT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, destination / name)
    copy_site_content(destination / "content")
    return destination


def post_comment(isso_url, site_url, thread, text, author=""):
    """A comment posted to Isso as a browser on the site would post it (Isso checks the Origin)."""
    request = urllib.request.Request(
        f"{isso_url}/new?uri={thread}", data=json.dumps({"text": text, "author": author, "title": "x"}).encode(),
        headers={"Content-Type": "application/json", "Origin": site_url},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def show_comments(page):
    """Ask for the comments as a keyboard reader does ("Show comments", Enter) and wait for Isso's
    form. Focusing scrolls, and scrolling near the comments may load them and remove the button
    first: either way the form comes (a pointer click would wait for the removed button)."""
    page.focus(".comments-show")
    page.keyboard.press("Enter")
    page.locator(".isso-postbox textarea").wait_for()


def checksums(folder):
    """{relative path: sha256} of every file under `folder`."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def pages_indexed(output):
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    return {language: details["page_count"] for language, details in entry["languages"].items()}


def assert_same_as_full_build(content, incremental, tmp_path, step):
    """The preview's output (`incremental`) equals a fresh `pelican` build of `content`, file for
    file and byte for byte; the search index by what it holds (Pagefind orders its files anew
    on every run). Returns how many files were compared."""
    fresh = tmp_path / f"fresh-{step}"
    build_fixture(content, "pelicanconf.py", fresh)
    ours, theirs = checksums(incremental), checksums(fresh)
    ours = {name: digest for name, digest in ours.items() if not name.startswith("pagefind/")}
    theirs = {name: digest for name, digest in theirs.items() if not name.startswith("pagefind/")}
    assert sorted(ours) == sorted(theirs), f"after {step}: files only in one of the two builds"
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing, f"after {step}: files that differ from a fresh build: {differing}"
    assert pages_indexed(incremental) == pages_indexed(fresh), f"after {step}: the search index"
    return len(ours)

"""What the site tests share: the project's paths, the built site, and `make`."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT.parent / "shared" / "seed" / "000_a8456368bb627a95.txt"
SEED_POST = "post/neuroscience-v-s-massage-therapy/"
# What a build reads: a copy of these is a project to edit freely in a test.
PROJECT_SOURCES = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py"]
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
    return subprocess.run(["make", "--no-print-directory", *args], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, **env} if env else None)


def settings_value(settings_file, name):
    from pelican.settings import read_settings

    return read_settings(str(PROJECT / settings_file))[name]


def build(target, output, env=None):
    """Build the site with `make <target>` into `output`; `env`: variables the settings read
    (SITEURL, COMMENTS_URL)."""
    result = make(target, f"OUTPUT={output}", env=env)
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
    """A copy of the project's sources in `destination`, to break and edit in a test."""
    for name in PROJECT_SOURCES:
        source = PROJECT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, destination / name)
    return destination


def checksums(folder):
    """{relative path: sha256} of every file under `folder`."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }

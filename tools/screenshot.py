"""make screenshot: photograph the site's main pages for docs/design.md and the README.

Builds the content (content/, or CONTENT=…) with pelicanconf.py into a temporary folder (never
output/), with the example clinic settings of docs/screenshots/example-settings.json on top, so
the booking button and the clinic's footer show even before the writer has filled them in (the
example's addresses are example.com and a 555 number, never the clinic's). Then, in headless
Chromium: home, the newest post, its first tag, a search and About, at phone (375 px) and
desktop (1280 px) width, light and dark, as <page>-<phone|desktop>-<light|dark>.png, reduced to
a 256-colour palette so the folder stays small.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image
from playwright.sync_api import sync_playwright

from tools import chromium
from tools.site_server import serving

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE_SETTINGS = PROJECT / "docs" / "screenshots" / "example-settings.json"
VIEWS = {"phone": (375, 812), "desktop": (1280, 900)}
SCHEMES = ("light", "dark")


def build(content, output, settings_file=EXAMPLE_SETTINGS):
    """The site of `content` with pelicanconf.py and the example settings, into `output`."""
    overrides = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file else {}
    overrides = {name: value for name, value in overrides.items() if not name.startswith("_")}
    overrides["CACHE_PATH"] = str(Path(output).parent / "cache")
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py", "-o", str(output), "-q",
         "-e", *[f"{name}={json.dumps(value)}" for name, value in overrides.items()]],
        cwd=PROJECT, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"The site did not build:\n{result.stdout}{result.stderr}")


def pages_of(site):
    """{name: path} of the pages photographed: home, the newest post, its first tag, search, About."""
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    post = home.select_one(".post-summary h2 a")
    if post is None:
        raise SystemExit("The site has no post to photograph.")
    post_path = str(post["href"]).lstrip("/")
    tag = BeautifulSoup((site / post_path / "index.html").read_text(encoding="utf-8"), "lxml").select_one(
        ".post-footer .tag-list a")
    pages = {"home": "", "post": post_path}
    if tag is not None:
        pages["tag"] = str(tag["href"]).lstrip("/")
    if (site / "search" / "index.html").is_file():
        pages["search"] = "search/?q=massage"
    if (site / "about" / "index.html").is_file():
        pages["about"] = "about/"
    return pages


def small_png(path):
    """The PNG again as a 256-colour palette image, optimised: a third of the bytes or less."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def photograph(site, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(site) as url, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            for name, path in pages_of(Path(site)).items():
                for view, (width, height) in VIEWS.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    response = page.goto(f"{url}/{path}")
                    if response is None or response.status != 200:
                        raise SystemExit(f"/{path} did not load ({response.status if response else 'no answer'})")
                    if name == "search":  # the results, not the wait for them
                        page.locator(".search-page .search-results li").first.wait_for()
                    for scheme in SCHEMES:
                        page.emulate_media(color_scheme=scheme)
                        out = out_dir / f"{name}-{view}-{scheme}.png"
                        page.screenshot(path=str(out))
                        small_png(out)
                        written.append(out)
                    page.close()
        finally:
            browser.close()
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", default="content", help="the content folder (default: content)")
    parser.add_argument("--out-dir", default="docs/screenshots", help="where to write the PNGs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="screenshot-") as folder:
        site = Path(folder) / "output"
        build(Path(args.content).resolve(), site)
        try:
            written = photograph(site, args.out_dir)
        except chromium.ChromiumMissing as error:
            sys.exit(str(error))
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots written to {args.out_dir}/ ({total // 1024} KB)")


if __name__ == "__main__":
    main()

"""make screenshot: photograph one page of the built site in headless Chromium, for the README."""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools import chromium
from tools.site_server import serving


def take_screenshot(site, page_path, out, width=1024, height=1200, color_scheme="light"):
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with serving(site) as url, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=color_scheme)
            response = page.goto(f"{url}/{page_path.lstrip('/')}")
            if response is None or response.status != 200:
                status = response.status if response else "no answer"
                raise SystemExit(f"{page_path} did not load ({status}): is the site built? Try `make html`.")
            page.screenshot(path=str(out))
        finally:
            browser.close()
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", default="output", help="the built site (default: output)")
    parser.add_argument("--page", required=True, help="the page's address in the site, e.g. post/x/")
    parser.add_argument("--out", required=True, help="where to write the PNG")
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=1200)
    args = parser.parse_args(argv)
    try:
        out = take_screenshot(args.site, args.page, args.out, args.width, args.height)
    except chromium.ChromiumMissing as error:
        sys.exit(str(error))
    print(f"Screenshot of /{args.page.lstrip('/')} written to {out}")


if __name__ == "__main__":
    main()

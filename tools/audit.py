"""Lighthouse scores of the publish build's main pages, as production serves them.

Builds `make publish` into audit/site with SITEURL set to a local nginx (the site's own config,
tools/nginx_server.py) and comments to a local Isso, then runs Lighthouse (npm package, pinned in
package-lock.json) with Debian's Chromium, mobile profile, on each page. Reports go to
audit/<page>.report.html and .json; a table of the four scores is printed. The target is 100.

    python -m tools.audit --out audit
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from plugins.comments.isso_server import running_isso
from tools import chromium
from tools.build import build
from tools.nginx_server import NginxFailed, NginxMissing, running_nginx
from tools.server_process import free_port

PROJECT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = PROJECT / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "post": "post/neuroscience-v-s-massage-therapy/",
    "tag": "tag/chronic-pain/",
    "about": "about/",
    "search": "search/?q=massage",
    "404": "404.html",  # the page itself: Lighthouse does not audit a response with status 404
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse now and then fails to record Chromium's trace (NO_NAVSTART) and asks to be run again.
RUNS_ON_TRACE_ERROR = 3


def lighthouse(url, report_base):
    """Run Lighthouse on `url`; returns {category: score 0-100}. Reports: <report_base>.report.html/json."""
    flags = " ".join(["--headless=new", *chromium.FLAGS])
    for _attempt in range(RUNS_ON_TRACE_ERROR):
        result = subprocess.run(
            [str(LIGHTHOUSE), url, "--output=json", "--output=html", f"--output-path={report_base}", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
            env={**os.environ, "CHROME_PATH": chromium.executable()}, check=False, capture_output=True, text=True,
        )
        if result.returncode == 0 or "Please run Lighthouse again" not in result.stderr:
            break
    if result.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(Path(f"{report_base}.report.json").read_text(encoding="utf-8"))
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def table(scores):
    header = f"{'page':<8}" + "".join(f"{name:>16}" for name in CATEGORIES)
    rows = [f"{page:<8}" + "".join(f"{score[name]:>16}" for name in CATEGORIES) for page, score in scores.items()]
    return "\n".join([header, *rows])


def audit(out):
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    site_url, comments_url = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    os.environ.update(SITEURL=site_url, COMMENTS_URL=comments_url)
    print(f"Building the publish build for {site_url}...")
    if not build("publishconf.py", out / "site"):
        sys.exit("The build failed: the message above names the problem.")
    with running_isso(out / "comments.db", site_url, port=int(comments_url.rpartition(":")[2])), \
            running_nginx(out / "site", int(site_url.rpartition(":")[2])):
        scores = {}
        for name, path in PAGES.items():
            print(f"Lighthouse: {name} (/{path})...", flush=True)
            scores[name] = lighthouse(f"{site_url}/{path}", out / name)
    print()
    print(table(scores))
    below = [f"{page} {name} {score[name]}" for page, score in scores.items() for name in CATEGORIES if score[name] < 100]
    print(f"\nReports: {out}/<page>.report.html. " + ("Below 100: " + ", ".join(below) if below else "All 100."))
    return scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="audit", help="where the reports go (git-ignored)")
    args = parser.parse_args(argv)
    try:
        audit(args.out)
    except (chromium.ChromiumMissing, NginxMissing, NginxFailed, RuntimeError) as error:
        sys.exit(f"make audit stopped: {error}")


if __name__ == "__main__":
    main()

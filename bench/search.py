"""What site search costs, at N generated posts (make bench-search N=1000):

- build time with and without the Pagefind index, measured side by side, alternating;
- the bytes a reader's browser downloads for a first query and for a second one, in
  headless Chromium against the built site on 127.0.0.1, as stored and as a host that
  compresses text (gzip) would send them (Pagefind's index pieces are already compressed).
"""

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = ["shoulders", "breathing"]
COMPRESSIBLE = (".js", ".json", ".pagefind", ".html", ".css")


def build(content, output, cache, search):
    settings = {"SEARCH": {"enabled": search, "language": "ja", "reuse": False}, "CACHE_PATH": str(cache)}
    command = [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py", "-o", str(output),
               "-e", *(f"{k}={json.dumps(v)}" for k, v in settings.items())]
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    return time.perf_counter() - started


def sent_bytes(output, url_path):
    data = (output / url_path.lstrip("/")).read_bytes()
    compressed = len(gzip.compress(data, 9)) if url_path.endswith(COMPRESSIBLE) else len(data)
    return len(data), compressed


def query_costs(output):
    from playwright.sync_api import sync_playwright

    from tools import chromium
    from tools.site_server import serving

    costs = []
    with serving(output) as base, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        page = browser.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url.removeprefix(base).split("?")[0]))
        page.goto(f"{base}/")
        page.wait_for_load_state("networkidle")
        loaded_before = len(requests)
        assert not [r for r in requests if "pagefind" in r or "search.js" in r], "search loaded before use"
        seen = loaded_before
        for query in QUERIES:
            page.fill("#header-search-q", query)
            page.locator(".search-header [role=status]").filter(has_text=query).wait_for()
            page.wait_for_load_state("networkidle")
            fetched = requests[seen:]
            seen = len(requests)
            sizes = [sent_bytes(output, path) for path in fetched if path != "/favicon.svg"]
            costs.append((query, len(sizes), sum(s[0] for s in sizes), sum(s[1] for s in sizes)))
        browser.close()
    return costs


def pagefind_peak_memory(output):
    """Pagefind indexing `output` again, as the site's settings run it: its peak resident memory."""
    from pelican.settings import read_settings

    from plugins.search import search

    options = search.options_of(read_settings(str(PROJECT / "pelicanconf.py")))
    index = Path(tempfile.mkdtemp(prefix="pagefind-memory-"))
    shutil.copytree(output, index / "site")
    process = subprocess.Popen(search.pagefind_command(index / "site", options), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    shutil.rmtree(index, ignore_errors=True)
    return usage.ru_maxrss * 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description="Site search: build time and bytes per query")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        folder = Path(folder)
        content = write_corpus(args.posts, folder / "content")
        times = {True: [], False: []}
        build(content, folder / "warm", folder / "cache", False)  # pictures resized once, for both
        for _ in range(args.repeat):
            for search in (False, True):  # alternating, so both see the same machine
                times[search].append(build(content, folder / f"out-{search}", folder / "cache", search))
        without, with_search = statistics.median(times[False]), statistics.median(times[True])
        bundle = folder / "out-True" / "pagefind"
        files = [p for p in bundle.rglob("*") if p.is_file()]
        print(f"Site search at {args.posts} posts (medians of {args.repeat}, alternating builds):")
        print(f"  build without search  {without:6.2f} s  (min {min(times[False]):.2f}, max {max(times[False]):.2f})")
        print(f"  build with search     {with_search:6.2f} s  (min {min(times[True]):.2f}, max {max(times[True]):.2f})")
        print(f"  Pagefind adds         {with_search - without:6.2f} s  ({with_search / without:.2f} x the build)")
        print(f"  index on disk         {sum(p.stat().st_size for p in files) / 1024:,.0f} KB in {len(files)} files")
        print(f"  Pagefind's peak memory {pagefind_peak_memory(folder / 'out-True') / 2**20:,.0f} MB "
              "(the preview's builder runs it after a build, beside the next)")
        print("  bytes the browser downloads (as stored / gzip-compressed by the host):")
        for query, count, raw, compressed in query_costs(folder / "out-True"):
            print(f"    query {query!r:12} {count:3} requests  {raw / 1024:7.1f} KB / {compressed / 1024:7.1f} KB")


if __name__ == "__main__":
    main()

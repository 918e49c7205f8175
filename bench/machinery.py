"""What each piece of the build's speed machinery gains (make bench-machinery): cold builds with
the piece on and off, side by side in one run.

For each number of posts (bench/corpus.py's generated blog), every variant is built cold (no
cache) in turn, round after round, so that all see the same machine; each variant turns one
piece off through its setting (Pelican's `-e NAME=JSON`). A piece's gain is 1 - (all on) / (the
piece off), from the medians: 10 % means the build takes 10 % less time with it. Bare Pelican
with typogrify on the same posts is built in each round too, for the ratio the issue's targets
use. Prints one table per size; nothing is written.

    python -m bench.machinery --posts 30 1000 --repeat 5
    python -m bench.machinery --posts 1000 --variant 'no reading copy=PARALLEL_READING={"enabled": false}'
"""

import argparse
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
BARE_SETTINGS = """PATH = {content!r}
ARTICLE_PATHS = ["posts"]
STATIC_PATHS = ["images"]
TIMEZONE = "UTC"
SITENAME = "Bench"
TYPOGRIFY = True
"""


def search_as_written_off(settings_file):
    """The settings file's SEARCH with "as_written" off (Pelican's -e replaces a whole setting)."""
    from pelican.settings import read_settings

    search = {**(read_settings(str(PROJECT / settings_file)).get("SEARCH") or {}), "as_written": False}
    return [f"SEARCH={json.dumps(search)}"]


# The pieces kept today, each turned off by its own setting (name, Pelican's -e arguments, or a
# function of the settings file that makes them).
PIECES = [
    ("parallel_reading off", ['PARALLEL_READING={"enabled": false}']),
    ("search as written off", search_as_written_off),
]


def timed(command, env=None):
    started = time.perf_counter()
    result = subprocess.run(command, check=False, cwd=PROJECT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stderr.decode()[-3000:]}")
    return seconds


def site_build(folder, content, settings_file, extra):
    """A cold build (`make html`'s or `make publish`'s settings), no cache, into a fresh folder."""
    output, cache = folder / "out-site", folder / "cache-site"
    for path in (output, cache):
        shutil.rmtree(path, ignore_errors=True)
    return timed([sys.executable, "-m", "pelican", str(content), "-s", settings_file, "-o", str(output), "-q",
                  "-e", f"CACHE_PATH={json.dumps(str(cache))}", *extra],
                 env={"SITEURL": "https://bench.example"})


def bare_build(folder, content):
    settings = folder / "bare.py"
    settings.write_text(BARE_SETTINGS.format(content=str(content)))
    output = folder / "out-bare"
    shutil.rmtree(output, ignore_errors=True)
    return timed([sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "-q"])


def measure(posts, repeat, folder, settings_file, pieces):
    content = write_corpus(posts, folder / "content")
    variants = {"bare pelican+typogrify": lambda: bare_build(folder, content),
                "all on": lambda: site_build(folder, content, settings_file, [])}
    for name, extra in pieces:
        extra = extra(settings_file) if callable(extra) else extra
        variants[name] = lambda extra=extra: site_build(folder, content, settings_file, extra)
    for run in variants.values():  # one build of each first, not counted (files cached by the system)
        run()
    times = {name: [] for name in variants}
    for round_number in range(repeat):
        for name, run in variants.items():
            times[name].append(run())
        print(f"  {posts} posts, round {round_number + 1}/{repeat}: "
              + ", ".join(f"{name} {values[-1]:.2f}" for name, values in times.items()), flush=True)
    return {name: statistics.median(values) for name, values in times.items()}, times


def table(posts, medians, times):
    on = medians["all on"]
    lines = [f"\n{posts} posts (medians; gain = 1 - all on / piece off)",
             "| variant | median s | min–max s | ÷ bare | gain of the piece |", "|---|---|---|---|---|"]
    for name, median in medians.items():
        gain = "" if name in ("all on", "bare pelican+typogrify") else f"{1 - on / median:+.0%}"
        lines.append(f"| {name} | {median:.2f} | {min(times[name]):.2f}–{max(times[name]):.2f} | "
                     f"{median / medians['bare pelican+typogrify']:.2f} × | {gain} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[30, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--settings", default="pelicanconf.py", help="pelicanconf.py (make html) or publishconf.py")
    parser.add_argument("--variant", action="append", default=[],
                        help='another piece turned off: "name=SETTING=JSON" (instead of the kept pieces)')
    args = parser.parse_args(argv)
    pieces = [tuple(variant.split("=", 1)) for variant in args.variant] or PIECES
    pieces = [(name, [extra] if isinstance(extra, str) else extra) for name, extra in pieces]
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix="bench-machinery-") as folder:
            medians, times = measure(posts, args.repeat, Path(folder), args.settings, pieces)
        print(table(posts, medians, times), flush=True)


if __name__ == "__main__":
    main()

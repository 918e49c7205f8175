"""Where a build spends its time (make profile N=1000): cProfile over builds of N generated posts.

Profiles a cold publish build (no cache), then a warm one (the cache of the first), and prints
for each the functions that take the most time, with the plugins' and Pelican's steps first.
The profile files are kept in bench/profiles/ for a closer look (python -m pstats FILE).

    python -m bench.profile --posts 1000
"""

import argparse
import io
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import write_corpus

PROJECT = Path(__file__).resolve().parent.parent
PROFILES = Path(__file__).resolve().parent / "profiles"
# The steps worth naming: Pelican's generators and writer, the plugins, typogrify, Markdown, Jinja.
STEPS = r"plugins/|pelican/generators|pelican/writers|pelican/readers|typogrify|markdown/core|jinja2/environment"


def profile_build(content, output, cache, name):
    """cProfile of one publish build in a fresh process; returns the profile file."""
    PROFILES.mkdir(exist_ok=True)
    profile = PROFILES / f"{name}.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "pelican", str(content),
               "-s", "publishconf.py", "-o", str(output), "-q", "-e", f'CACHE_PATH="{cache}"']
    subprocess.run(command, cwd=PROJECT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SITEURL": "https://bench.example"})
    return profile


def report(profile, title, lines=25):
    out = io.StringIO()
    stats = pstats.Stats(str(profile), stream=out)
    total = stats.total_tt
    stats.sort_stats("cumulative").print_stats(STEPS, lines)
    print(f"\n== {title}: {total:.2f} s of Python time (under the profiler, slower than a plain build) ==")
    for line in out.getvalue().splitlines():
        if line.strip() and (line.lstrip()[0].isdigit() or "ncalls" in line):
            print(line.replace(str(PROJECT) + "/", "").replace(sys.prefix + "/lib/", ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-") as folder:
        folder = Path(folder)
        content = write_corpus(args.posts, folder / "content")
        cold = profile_build(content, folder / "out-cold", folder / "cache", f"cold-{args.posts}")
        warm = profile_build(content, folder / "out-warm", folder / "cache", f"warm-{args.posts}")
    report(cold, f"cold publish build, {args.posts} posts")
    report(warm, f"warm publish build, {args.posts} posts (cache of the cold one)")
    print(f"\nProfiles: {cold}, {warm}")


if __name__ == "__main__":
    main()

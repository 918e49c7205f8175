"""Write a gzip (.gz) and a Brotli (.br) copy beside each text file of the built site.

Hosts that serve pre-compressed files (nginx's gzip_static and brotli_static, plugins/http_headers)
then send the smaller copy without compressing on every request, at the best level. Copies are
byte-for-byte the same from one build to the next (no time stamps), so an upload of an unchanged
site sends nothing. Runs last: after the search index and the headers files are written.

    PRECOMPRESS = {"enabled": True}   # publishconf.py; the preview does without
"""

import gzip
from pathlib import Path

import brotli
from pelican import signals

DEFAULTS = {
    "enabled": False,
    # Text files only: pictures and Pagefind's index pieces and WebAssembly are compressed already.
    "extensions": [".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".webmanifest", ".ico"],
    # Below this a compressed copy saves less than a packet's header costs.
    "min_bytes": 256,
}


def options(settings):
    return {**DEFAULTS, **settings.get("PRECOMPRESS", {})}


def compressed_copies(data):
    """{suffix: bytes} of the copies worth keeping: those smaller than the file itself."""
    copies = {
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        ".br": brotli.compress(data, quality=11),
    }
    return {suffix: copy for suffix, copy in copies.items() if len(copy) < len(data)}


def precompress(output, extensions, min_bytes):
    """Write the copies for every matching file under `output`; returns how many were written."""
    written = 0
    for path in sorted(Path(output).rglob("*")):
        if not path.is_file() or path.suffix not in extensions:
            continue
        data = path.read_bytes()
        for suffix in (".gz", ".br"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)  # never a stale copy
        if len(data) < min_bytes:
            continue
        for suffix, copy in compressed_copies(data).items():
            path.with_name(path.name + suffix).write_bytes(copy)
            written += 1
    return written


def precompress_site(pelican):
    """finalized receiver."""
    settings = options(pelican.settings)
    if settings["enabled"]:
        precompress(pelican.output_path, set(settings["extensions"]), settings["min_bytes"])


def register():
    signals.finalized.connect(precompress_site)

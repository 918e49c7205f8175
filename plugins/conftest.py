"""Shared by the plugins' tests: a real Pelican build of a few files into a temporary folder."""

import logging
import struct
import sys
import weakref
import zlib
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.settings import read_settings

PLUGINS = Path(__file__).resolve().parent
SIGNALS = [value for value in vars(signals).values() if isinstance(value, signals.Signal)]


@pytest.fixture
def pelican_build(tmp_path):
    """build(files={relative path: text}, settings={...}, binary={relative path: bytes}) -> the
    output folder.

    Content goes under content/, templates given as "templates/x.html" override Pelican's
    built-in `simple` theme, so a plugin is tested apart from the site's own theme.
    """

    def build(files, settings=None, plugins=(), binary=None):
        for name, data in {**files, **(binary or {})}.items():
            path = tmp_path / ("" if name.startswith("templates/") else "content") / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        output = tmp_path / "output"
        overrides = {
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(output),
            "THEME": "simple",
            "THEME_TEMPLATES_OVERRIDES": [str(tmp_path / "templates")],
            "PLUGIN_PATHS": [str(PLUGINS)],
            "PLUGINS": list(plugins),
            "CACHE_CONTENT": False,
            "CACHE_PATH": str(tmp_path / "cache"),  # never the project's own cache/
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "TIMEZONE": "UTC",
            "SITEURL": "",
            **(settings or {}),
        }
        before = {signal: set(signal.receivers) for signal in SIGNALS}
        try:
            Pelican(read_settings(override=overrides)).run()
        finally:
            # Signals are global: disconnect what this build's plugins connected, so that the
            # next test's build runs only its own plugins.
            for signal in SIGNALS:
                for receiver_id in set(signal.receivers) - before[signal]:
                    receiver = signal.receivers[receiver_id]
                    signal.disconnect(receiver() if isinstance(receiver, weakref.ref) else receiver)
        return output

    yield build
    logging.getLogger("pelican").handlers.clear()


def count_operations(function, *arguments):
    """How many lines of Python `function(*arguments)` runs, in every function it calls: a count
    that is the same on every run and machine, whatever the load (for the linear-growth checks;
    their timings are in bench/growth.py). Work done inside C (a regular expression) is not counted."""
    count = 0

    def trace(frame, event, argument):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        function(*arguments)
    finally:
        sys.settrace(None)
    return count


@pytest.fixture
def operations():
    """operations(function, *arguments): lines of Python the call runs (count_operations)."""
    return count_operations


@pytest.fixture(scope="session")
def huge_png():
    """A real, valid 12000 × 12000 grey PNG of about 140 KB, made without holding its pixels: each
    row compressed as it is made (like the 144-megapixel picture of 560 KB a phone app saved)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width = height = 12_000
    compressor, row, data = zlib.compressobj(9), b"\0" * (width + 1), []
    for _ in range(height):
        data.append(compressor.compress(row))
    data.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(data)) + chunk(b"IEND", b"")

"""Shared by the plugins' tests: a real Pelican build of a few files into a temporary folder."""

import logging
import time
import weakref
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.settings import read_settings

PLUGINS = Path(__file__).resolve().parent
SIGNALS = [value for value in vars(signals).values() if isinstance(value, signals.Signal)]


@pytest.fixture
def pelican_build(tmp_path):
    """build(files={relative path: text}, settings={...}) -> the output folder.

    Content goes under content/, templates given as "templates/x.html" override Pelican's
    built-in `simple` theme, so a plugin is tested apart from the site's own theme.
    """

    def build(files, settings=None, plugins=()):
        for name, text in files.items():
            path = tmp_path / ("" if name.startswith("templates/") else "content") / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        output = tmp_path / "output"
        overrides = {
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(output),
            "THEME": "simple",
            "THEME_TEMPLATES_OVERRIDES": [str(tmp_path / "templates")],
            "PLUGIN_PATHS": [str(PLUGINS)],
            "PLUGINS": list(plugins),
            "CACHE_CONTENT": False,
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


@pytest.fixture
def best_time():
    """best_time(function, argument, runs=3): the fastest of a few runs, in seconds (for the
    linear-growth checks, which compare two sizes measured the same way)."""

    def measure(function, argument, runs=3):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            function(argument)
            times.append(time.perf_counter() - started)
        return min(times)

    return measure

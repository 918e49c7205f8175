"""The order of the build's steps that depend on each other, written in one place.

Pelican calls the receivers of a signal in the order the plugins were registered, so an order
kept only by the place of each name in PLUGINS is easy to break without a word. This plugin holds
the order and checks it when the build starts:

- READERS: plugins that wrap the Markdown reader, innermost first. content_checks reads the text
  as the writer wrote it (pictures, links, line numbers); typography then wraps that reader.
  Listed the other way round, typography's reader would be replaced and the posts would go
  unchecked, so PLUGINS must list them in this order.
- plugins with their own templates/, static/ or css/ folder need theme_assets, which joins those
  files to the theme.
- AFTER_RENDER: what runs once every page is written, in this order. This plugin alone connects
  Pelican's `finalized` signal and calls each step of the plugins that are on:
    1. theme_assets renames the theme's copied files to their fingerprinted names (the pages
       already link those names): the index and headers below see the final files;
    2. search finishes the index Pagefind made as the pages were written (or, if it cannot vouch
       for it, has Pagefind index the finished pages), in its own process, while the steps below
       run (they leave its folder alone);
    3. security_headers reads the pages' inline code and writes the host's headers files
       (_headers, _nginx/site.conf) and .well-known/security.txt;
    4. precompress goes last, so that every text file written above gets its .gz and .br copy:
       first every file outside the search index's folder, then, once Pagefind is done, the
       index's own.
  A step that goes on in its own process returns what build_order waits for (an object with
  `folder`, `wait()` and `stop()`); the build ends only when it is done, and a step that fails
  meanwhile stops it.

Readers in the wrong order stop the build at its start with a sentence saying what to change in
PLUGINS. A plugin of AFTER_RENDER listed without build_order stops the build too: each checks
that build_order is listed when the build starts (it cannot ask this plugin, which is not loaded).
"""

import importlib
from pathlib import Path

from pelican import signals

from plugins.shared.plugin_list import plugin_names

READERS = ("content_checks", "typography")
# (plugin, its module, the function called with the Pelican object)
AFTER_RENDER = (
    ("theme_assets", "theme_assets.theme_assets", "rename_copies"),
    ("search", "search.search", "start_index"),
    ("security_headers", "security_headers.security_headers", "write_headers_files"),
    ("precompress", "precompress.precompress", "precompress_site"),
)
NAME = "build_order"


class BuildOrderError(SystemExit):
    """Stops the build at its start. A SystemExit, so Pelican prints this sentence, not a traceback."""


def check_order(settings):
    """The problems of PLUGINS' order, as sentences ([] when none)."""
    names = plugin_names(settings)
    problems = []
    listed = [name for name in READERS if name in names]
    if listed != sorted(listed, key=names.index):
        problems.append(f"PLUGINS lists {' and '.join(reversed(listed))} in that order; list them as "
                        f"{', '.join(listed)}: each wraps the Markdown reader of the one before.")
    joined = [name for name in names if name != "theme_assets" and feature_files(settings, name)]
    if joined and "theme_assets" not in names:
        problems.append(f"{', '.join(joined)} keep templates, scripts or styles in their folders, which "
                        "theme_assets joins to the theme: add 'theme_assets' to PLUGINS.")
    return problems


def feature_files(settings, name):
    """True when the plugin has its own templates/, static/ or css/ folder."""
    return any((Path(root) / name / folder).is_dir()
               for root in settings.get("PLUGIN_PATHS") or [] for folder in ("templates", "static", "css"))


def check_plugins(pelican):
    """initialized receiver."""
    problems = check_order(pelican.settings)
    if problems:
        raise BuildOrderError("The list of plugins in the settings is not usable: " + " ".join(problems))


def after_render(pelican):
    """finalized receiver: the steps of the plugins that are on, in AFTER_RENDER's order."""
    names = plugin_names(pelican.settings)
    running = []  # the steps still at work in their own process
    try:
        for plugin, module, function in AFTER_RENDER:
            if plugin not in names:
                continue
            step = getattr(importlib.import_module(module), function)
            if plugin == "precompress":  # it compresses what they write once they are done
                step(pelican, running)
            else:
                started = step(pelican)
                if started is not None:
                    running.append(started)
        for started in running:
            started.wait()
    except BaseException:
        for started in running:
            started.stop()
        raise


def register():
    signals.initialized.connect(check_plugins)
    signals.finalized.connect(after_render)

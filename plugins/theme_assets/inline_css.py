"""Inline the theme's stylesheet into every page.

The theme keeps its CSS as small files; its css/site.css says their order, one
`@import "name.css";` a line (the theme owns the cascade, not the settings). Each name is the
theme's own file (theme/static/css/), or a feature plugin's (plugins/<feature>/css/), used only
when that plugin is listed in PLUGINS. The files are joined in that order, minified with rcssmin,
and given to templates as INLINE_CSS_TEXT. Inline CSS costs no request, so the first round trip
paints the page; plugins/security_headers allows it in the Content-Security-Policy by its hash.
"""

import re
from pathlib import Path

import rcssmin

DEFAULTS = {"stylesheet": "static/css/site.css"}
IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']([^"\']+)["\']\s*\)?\s*;')


class InlineCssError(SystemExit):
    """Stops the build. A SystemExit, so Pelican prints this sentence, not a traceback."""


def stylesheet_order(order_file):
    """The names imported by the theme's order file, in order (none for a theme without one)."""
    if not order_file.is_file():
        return []
    text = order_file.read_text(encoding="utf-8")
    return IMPORT.findall(re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL))


def read_css(theme, options, plugin_folders=None, listed=()):
    """The stylesheets named by the theme's order file, joined in order and minified.

    plugin_folders: {plugin name: folder} of every plugin; listed: the names in PLUGINS."""
    order_file = Path(theme) / options["stylesheet"]
    sources = []
    for name in stylesheet_order(order_file):
        path = order_file.parent / name
        owners = [plugin for plugin, folder in (plugin_folders or {}).items() if (folder / "css" / name).is_file()]
        if not path.is_file() and owners:
            if owners[0] not in listed:
                continue  # the feature is off: no style of it
            path = plugin_folders[owners[0]] / "css" / name
        try:
            sources.append(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InlineCssError(
                f"{order_file} imports {name!r}, but neither the theme ({path}) nor a plugin's css/ "
                "folder has it: create it or remove that line."
            ) from None
    return rcssmin.cssmin("\n".join(sources))


def add_inline_css(settings, plugin_folders, listed):
    """Called when the build starts (theme_assets): settings become the templates' context."""
    options = {**DEFAULTS, **settings.get("INLINE_CSS", {})}
    settings["INLINE_CSS_TEXT"] = read_css(settings["THEME"], options, plugin_folders, listed)

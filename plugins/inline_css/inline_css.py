"""Inline the theme's stylesheets into every page.

The theme keeps its CSS as small files in theme/static/css/. This plugin joins the files
listed in INLINE_CSS["files"] (in that order), minifies them with rcssmin, and gives the
result to templates as INLINE_CSS_TEXT. Inline CSS costs no request, so the first round trip
paints the page; plugins/http_headers allows it in the Content-Security-Policy by its hash.
"""

from pathlib import Path

import rcssmin
from pelican import signals

DEFAULTS = {"files": [], "static_dir": "static"}


class InlineCssError(Exception):
    pass


def read_css(theme, options):
    """The listed stylesheets of the theme, joined in order and minified."""
    static_dir = Path(theme) / options["static_dir"]
    sources = []
    for name in options["files"]:
        path = static_dir / name
        try:
            sources.append(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InlineCssError(
                f"INLINE_CSS lists {name!r}, but {path} does not exist: "
                "create it or remove it from INLINE_CSS['files'] in pelicanconf.py."
            ) from None
    return rcssmin.cssmin("\n".join(sources))


def add_inline_css(pelican):
    """initialized receiver: settings become the templates' context, so the CSS goes there."""
    options = {**DEFAULTS, **pelican.settings.get("INLINE_CSS", {})}
    css = read_css(pelican.settings["THEME"], options)
    pelican.settings["INLINE_CSS_TEXT"] = css


def register():
    signals.initialized.connect(add_inline_css)

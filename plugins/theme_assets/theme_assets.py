"""The theme's files, and each feature plugin's, joined and given names that change with their content.

A feature plugin keeps its own files in its folder, by convention:

    plugins/<feature>/templates/  added to the theme's template search path (Pelican's
                                  THEME_TEMPLATES_OVERRIDES); the theme includes them in named
                                  slots, e.g. {% include "comments/section.html" ignore missing %}
    plugins/<feature>/static/     copied into output/theme/ beside the theme's own (THEME_STATIC_PATHS)
    plugins/<feature>/css/        stylesheets the theme's css/site.css imports by name (inline_css.py)

Only plugins listed in PLUGINS are joined: a plugin turned off leaves no template, script or style.

Pelican copies the files of THEME_STATIC_PATHS into output/theme/ under their own names. This
plugin renames each copy to <name>.<hash>.<ext> (theme/search.3a4f9c01d2.js), where the hash is
of the file's content, and gives templates THEME_ASSETS, {"search.js": "theme/search.3a4f9c01d2.js"},
to link them: `{{ SITEURL }}/{{ THEME_ASSETS["search.js"] }}`. An address then always means the
same bytes, so hosts let browsers keep these files for a year (plugins/security_headers) and a
changed script reaches every reader on their next page.
"""

import hashlib
import re
from pathlib import Path

from pelican import signals

from plugins.shared import plugin_list

from .inline_css import add_inline_css

HASH_LENGTH = 10
# The design tokens (custom properties) of the theme's first :root block: the light colours.
TOKENS_FILE = "static/css/tokens.css"
TOKEN = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")
FEATURE_FOLDERS = {"templates": "THEME_TEMPLATES_OVERRIDES", "static": "THEME_STATIC_PATHS"}


class ThemeAssetsError(Exception):
    pass


def plugin_folders(settings, listed_only=True):
    """{plugin name: its folder} of the plugins in PLUGIN_PATHS (those in PLUGINS, by default)."""
    names = plugin_list.plugin_names(settings)
    found = {}
    for root in settings.get("PLUGIN_PATHS") or []:
        for folder in sorted(Path(root).iterdir()) if Path(root).is_dir() else []:
            if folder.is_dir() and (folder / "__init__.py").is_file() and (not listed_only or folder.name in names):
                found.setdefault(folder.name, folder)
    return dict(sorted(found.items(), key=lambda item: names.index(item[0]) if item[0] in names else len(names)))


def join_feature_files(settings):
    """Add each listed plugin's templates/ and static/ folders to the theme's (in PLUGINS' order)."""
    for folder in plugin_folders(settings).values():
        for subfolder, setting in FEATURE_FOLDERS.items():
            if (folder / subfolder).is_dir() and str(folder / subfolder) not in settings[setting]:
                settings[setting] = [*settings[setting], str(folder / subfolder)]


def theme_files(theme, static_paths):
    """{name in output/theme/: source file} for THEME_STATIC_PATHS, as Pelican copies them."""
    files = {}
    for entry in static_paths:
        source = Path(theme) / entry
        if source.is_dir():
            files.update({f.relative_to(source).as_posix(): f
                          for f in sorted(source.rglob("*")) if f.is_file() and not f.name.startswith(".")})
        elif source.is_file():
            files[source.name] = source
        else:
            raise ThemeAssetsError(f"THEME_STATIC_PATHS lists {entry!r}, but {source} does not exist.")
    return files


def fingerprinted(name, content):
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{digest}.{extension}" if dot else f"{name}.{digest}"


def add_asset_names(settings):
    """The fingerprinted names, for the templates (settings are their context)."""
    files = theme_files(settings["THEME"], settings["THEME_STATIC_PATHS"])
    directory = settings["THEME_STATIC_DIR"].strip("/")
    settings["THEME_ASSETS"] = {
        name: f"{directory}/{fingerprinted(name, source.read_bytes())}" for name, source in files.items()
    }


def design_tokens(theme):
    """{"color-accent": "#2f6b4f", ...} from the theme's tokens.css: templates that need a colour
    outside CSS (the manifest, <meta name="theme-color">) take it from there, never a copy."""
    path = Path(theme) / TOKENS_FILE
    if not path.is_file():
        return {}
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    root = re.search(r":root\s*\{([^}]*)\}", text)
    return {name: value.strip() for name, value in TOKEN.findall(root.group(1))} if root else {}


def prepare_theme(pelican):
    """initialized receiver: the features' files joined, the scripts named, the styles inlined."""
    pelican.settings["THEME_TOKENS"] = design_tokens(pelican.settings["THEME"])
    join_feature_files(pelican.settings)
    add_asset_names(pelican.settings)
    add_inline_css(pelican.settings, plugin_folders(pelican.settings, listed_only=False),
                   plugin_list.plugin_names(pelican.settings))


def rename_copies(pelican):
    """The first step after rendering (plugins/build_order): output/theme/search.js becomes
    output/theme/search.<hash>.js."""
    output = Path(pelican.output_path)
    directory = pelican.settings["THEME_STATIC_DIR"].strip("/")
    for name, address in pelican.settings.get("THEME_ASSETS", {}).items():
        copy = output / directory / name
        if copy.is_file():
            copy.replace(output / address)


def needs_build_order(pelican):
    """initialized receiver: rename_copies is run by plugins/build_order once the pages are written."""
    plugin_list.needs_build_order("theme_assets", pelican.settings)


def register():
    signals.initialized.connect(needs_build_order)
    signals.initialized.connect(prepare_theme)

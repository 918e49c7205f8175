"""Give the theme's scripts and stylesheets names that change with their content.

Pelican copies the files of THEME_STATIC_PATHS into output/theme/ under their own names. This
plugin renames each copy to <name>.<hash>.<ext> (theme/search.3a4f9c01d2.js), where the hash is
of the file's content, and gives templates THEME_ASSETS, {"search.js": "theme/search.3a4f9c01d2.js"},
to link them: `{{ SITEURL }}/{{ THEME_ASSETS["search.js"] }}`. An address then always means the
same bytes, so hosts let browsers keep these files for a year (plugins/http_headers) and a
changed script reaches every reader on their next page.
"""

import hashlib
from pathlib import Path

from pelican import signals

HASH_LENGTH = 10


class ThemeAssetsError(Exception):
    pass


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


def add_asset_names(pelican):
    """initialized receiver: the fingerprinted names, for the templates (settings are their context)."""
    settings = pelican.settings
    files = theme_files(settings["THEME"], settings["THEME_STATIC_PATHS"])
    directory = settings["THEME_STATIC_DIR"].strip("/")
    settings["THEME_ASSETS"] = {
        name: f"{directory}/{fingerprinted(name, source.read_bytes())}" for name, source in files.items()
    }


def rename_copies(pelican):
    """finalized receiver: output/theme/search.js becomes output/theme/search.<hash>.js."""
    output = Path(pelican.output_path)
    directory = pelican.settings["THEME_STATIC_DIR"].strip("/")
    for name, address in pelican.settings.get("THEME_ASSETS", {}).items():
        copy = output / directory / name
        if copy.is_file():
            copy.replace(output / address)


def register():
    signals.initialized.connect(add_asset_names)
    signals.finalized.connect(rename_copies)

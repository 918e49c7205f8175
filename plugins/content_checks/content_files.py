"""What the site may publish from content/: nothing outside it, and only the kinds of file it needs.

Pelican follows every symbolic link it meets and copies whatever STATIC_PATHS reach. A link whose
target is outside content/, inside a hidden folder (.git), or a folder that holds the link itself
(a link to `..`, which Pelican would follow 40 folders deep) is not followed: its folder is added
to the generators' excludes before they look, a post or page behind it is skipped by the reader,
and a file behind it is taken out of the static files. The checks name the link and its target.

From the static folders (content/images/, content/extra/) only these are published: pictures
Pillow can open (JPEG, PNG, GIF, WebP, AVIF, ICO), PDFs, and SVG drawings without scripts or
outside references. A web page, a script or any other file there would be served from the site's
own address, where the site's security policy trusts it: it is left out and named.
"""

import functools
import os
import re
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError

# Pictures: file extension -> the formats Pillow must find in the file.
PICTURES = {".jpg": {"JPEG", "MPO"}, ".jpeg": {"JPEG", "MPO"}, ".png": {"PNG"}, ".gif": {"GIF"}, ".webp": {"WEBP"},
            ".avif": {"AVIF"}, ".ico": {"ICO"}}
KINDS_SHOWN = "pictures (JPEG, PNG, GIF, WebP, AVIF, ICO), PDFs and SVG drawings without scripts"
# The SVG a drawing needs: shapes, text, gradients and masks; no script, no foreignObject, no
# animation (<animate>, <set> can set a link to javascript:), no link outside the drawing.
SVG_ELEMENTS = frozenset({
    "svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "text", "tspan", "title",
    "desc", "defs", "lineargradient", "radialgradient", "stop", "clippath", "mask", "symbol", "use", "pattern",
    "metadata", "filter", "fegaussianblur", "feoffset", "feblend", "fecolormatrix", "femerge", "femergenode",
    "feflood", "fecomposite",
})
ACTIVE = {".html": "a web page", ".htm": "a web page", ".xhtml": "a web page", ".shtml": "a web page",
          ".js": "a script", ".mjs": "a script", ".css": "a style sheet", ".php": "a program", ".py": "a program",
          ".sh": "a program", ".wasm": "a program", ".swf": "a Flash program", ".xml": "an XML document",
          ".md": "a post's text"}


def hidden(relative):
    return any(part.startswith(".") for part in Path(relative).parts)


def inside(path, content_root):
    """True when `path`, its links followed, is in content/ and in no hidden folder of it."""
    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(content_root))
    return real.is_relative_to(root) and not hidden(real.relative_to(root))


def refused_link(link, content_root):
    """Why the symbolic link `link` is not followed (a sentence), or None when it may be."""
    target = Path(os.path.realpath(link))
    if not inside(link, content_root):
        return "outside the content folder" if not target.is_relative_to(os.path.realpath(content_root)) \
            else "in a hidden folder"
    if target.is_dir() and Path(os.path.realpath(link.parent)).is_relative_to(target):
        return "a folder that holds the link itself (it would repeat without end)"
    return None


def refused_links(content_root):
    """[(link, its target as written, why)] of every symbolic link under content/ that is not
    followed; hidden folders are not looked into (Pelican ignores them)."""
    found = []
    for folder, folders, files in os.walk(content_root):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders + files:
            path = Path(folder) / name
            if not name.startswith(".") and path.is_symlink():
                why = refused_link(path, content_root)
                if why:
                    found.append((path, os.readlink(path), why))
    return sorted(found)


def excluded_folders(content_root):
    """The folders (relative to content/) behind links that are not followed, for the generators'
    excludes: Pelican then never walks into them."""
    return [path.relative_to(content_root).as_posix() for path, _, _ in refused_links(content_root)
            if path.is_dir()]


def file_kind_problem(path):
    """(what it is, what to do) when a file in a static folder is not of a kind the site publishes, else None."""
    return file_kind_problem_at(Path(path), os.stat(path).st_mtime_ns, os.stat(path).st_size)


@functools.lru_cache(maxsize=16384)
def file_kind_problem_at(path, _mtime, _size):
    """file_kind_problem for the file as it is (each file is opened once while it does not change)."""
    suffix = path.suffix.lower()
    if suffix in PICTURES:
        try:
            with Image.open(path) as picture:
                found = picture.format
        except (UnidentifiedImageError, OSError, ValueError):
            found = None
        if found in PICTURES[suffix]:
            return None
        return (f"is named as a picture ({suffix}), but it is {'a ' + found + ' picture' if found else 'no picture'}.",
                "Open it in a photo editor and save it again as a JPEG or PNG, or delete it.")
    if suffix == ".pdf":
        with path.open("rb") as file:
            if file.read(5) == b"%PDF-":
                return None
        return "is named as a PDF, but it is not one.", "Save it again as a PDF, or delete it."
    if suffix == ".svg":
        why = svg_problem(path)
        return None if why is None else (
            f"is an SVG drawing that {why}, which would run or load on the site's own address.",
            "Save the drawing as a PNG instead, or export it again as a plain SVG (shapes and text only).")
    kind = ACTIVE.get(suffix, f"a {suffix or 'nameless'} file")
    return ((f"is {kind}: from its static folders the site publishes only {KINDS_SHOWN}, since any other file "
            "would be served from the site's own address."),
            "Move it out of the content folder" + (", and write a page as a Markdown file in content/pages/."
                                                   if kind == "a web page" else "."))


_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def svg_problem(path):
    """What in an SVG file could run or load (a few words), or None for a plain drawing."""
    data = path.read_bytes()
    if _DECLARATION.search(data):
        return "declares entities (<!DOCTYPE or <!ENTITY)"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return "cannot be read as SVG"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if name not in SVG_ELEMENTS:
            return f"holds <{name}>"
        for attribute, value in element.attrib.items():
            attribute = attribute.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on"):
                return f"holds a script ({attribute}=)"
            if attribute == "href" and not value.strip().startswith("#"):
                return "links outside itself (href)"
            if "url(" in value.replace(" ", "") and not re.search(r"url\(\s*#", value):
                return "loads something from outside itself (url(…))"
    return None

"""What read from Wix may become: a slug that is one safe path segment, fields on one line that
cannot add a metadata line or end an HTML comment, file names every system can hold."""

import html
import re
import unicodedata
from urllib.parse import quote, unquote

MAX_SLUG_BYTES = 200
# Names Windows keeps for devices, with or without an extension: a file so named cannot be made there.
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}
NOT_IN_FILE_NAMES = set('<>:"|?*')
ZWJ_ZWNJ = "\u200c\u200d"  # invisible but part of words (Persian, emoji sequences): kept in tags


class Refused(Exception):
    """Something read from Wix that is not taken, said in plain words (what, why, what to do)."""


def slug_problem(slug):
    """Why `slug` (already percent-decoded) cannot be a post's address and file name; None if it can."""
    if not slug:
        return "it is empty"
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c == "\x85" for c in slug):
        return "it holds a line break or another invisible control character"
    if any(unicodedata.category(c) == "Cf" for c in slug):
        return (
            "it holds an invisible character (a right-to-left mark or a zero-width space), so two "
            "different addresses would look the same"
        )
    if "/" in slug or "\\" in slug:
        return "it holds a slash, so it would be a folder, not one address"
    if slug.startswith("."):
        return "it starts with a dot (a hidden file, or a step up to another folder with '..')"
    if ".." in slug:
        return "it holds '..', a step up to another folder"
    if any(c.isspace() for c in slug):
        return "it holds a space"
    if NOT_IN_FILE_NAMES & set(slug):
        return 'it holds one of the characters < > : " | ? * that file names cannot hold'
    if slug.endswith("."):
        return "it ends with a dot, which some systems drop from file names"
    if len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        return f"it is longer than {MAX_SLUG_BYTES} bytes"
    return None


def slug_from_path(path):
    """The post's slug from its address path (/post/<slug>, or /<blog>/post/<slug> on a
    wixsite.com address), percent-decoded and in NFC (café typed on a Mac and on Windows is one
    slug); None if not a post's."""
    match = re.search(r"/(?:post|single-post)/(.+)$", path)
    if not match:
        return None
    raw = match.group(1)
    raw = raw.removesuffix("/")
    return unicodedata.normalize("NFC", unquote(raw, errors="strict")) if raw else ""


def is_windows_reserved(name):
    """True for CON, nul.txt, Com1 and the like."""
    return name.split(".")[0].strip().lower() in WINDOWS_RESERVED


def clean_field(text, limit=None):
    """A field as it may be written after `Name: `: entities decoded, on one line, without control
    characters, without the `<!--` and `-->` of HTML comments (`-->` becomes an arrow)."""
    text = html.unescape(html.unescape(text or ""))  # feeds double-encode: &amp;#38; -> &#38; -> &
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c == "\x85" else c for c in text)
    text = text.replace("<!--", " ").replace("-->", "→")
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text


def summary_field(text):
    """The Summary: Pelican reads it as Markdown, so nothing in it may start markup or a link."""
    return markdown_words(clean_field(text, limit=300))


def markdown_words(text):
    """Words that stay words in Markdown: `<` cannot open a tag, `[` `]` cannot make a link or a
    picture, a backslash cannot undo those."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def readable_path(text):
    """An address path for a post's Markdown: letters of any script kept as they are, so the
    writer reads /post/肩こりとマッサージ/; anything that could end a Markdown link (spaces,
    brackets, quotes, invisible characters) percent-encoded."""
    return "".join(
        c
        if c.isascii() and (c.isalnum() or c in "/-._~!$&*+,;=:@%")
        or not c.isascii() and unicodedata.category(c)[0] in "LMN"
        else quote(c)
        for c in unicodedata.normalize("NFC", text)
    )


def tag_names(names):
    """Categories as tags: cleaned, commas (the tags' separator) made spaces, each once."""
    tags = []
    for name in names:
        name = "".join(c for c in clean_field(name) if unicodedata.category(c) != "Cf" or c in ZWJ_ZWNJ)
        name = " ".join(name.replace(",", " ").split())
        if name and name.lower() not in (t.lower() for t in tags):
            tags.append(name)
    return tags


def safe_file_stem(name):
    """A file name's stem from Wix's media name: letters, digits, _ and -, never a reserved name."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_")[:100] or "picture"
    return f"{stem}-picture" if is_windows_reserved(stem) else stem


def unique_name(stem, extension, taken_lower):
    """stem.ext, or stem-2.ext, … : never a name that differs only by case from one taken."""
    candidate, n = f"{stem}.{extension}", 2
    while candidate.lower() in taken_lower:
        candidate, n = f"{stem}-{n}.{extension}", n + 1
    taken_lower.add(candidate.lower())
    return candidate

"""Check every post and page as the site is built, and say what is wrong in plain words.

Each problem names the file and the line and says how to fix it. By default (`make html`,
`make devserver`) problems are warnings and the site is still built; with
CONTENT_CHECKS = {"strict": True} (publishconf.py) any problem stops the build, so nothing
broken reaches readers. A file that cannot be read at all (not UTF-8, empty, no fields, no
title, a date that is no date) is left out of the site until it is fixed.

Checks: required fields (posts: Title, Date, Author, Tags; pages: Title), a readable Date, a
known Status, a summary or text to make one from, fields the site does not know ("did you
mean"), tags spelled differently from an existing tag, one address (slug) per post and page,
pictures that exist and have a description (alt text), internal links that lead somewhere.
An empty `Summary:` means "make one from the text".
"""

import difflib
import functools
import json
import logging
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import MarkdownReader
from pelican.utils import get_date

logger = logging.getLogger(__name__)

# problems_file: where the list of the last build's problems is written as JSON (the preview
# shows it on its pages); None: nowhere.
DEFAULTS = {"strict": False, "extra_fields": [], "problems_file": None}
FIELDS = ["Title", "Date", "Modified", "Author", "Authors", "Tags", "Category", "Summary", "Slug", "Status",
          "Lang", "Translation", "Template", "Save_as", "Url", "Cover", "Comments"]
REQUIRED = {"post": ["Title", "Date", "Author", "Tags"], "page": ["Title"]}
EXAMPLES = {"Title": "Title: Sleep and stress", "Date": "Date: 2024-03-01",
            "Author": "Author: Yoko Sakura", "Tags": "Tags: sleep, stress"}
STATUSES = ["published", "draft", "hidden"]
LEFT_OUT = "It is left out of the site until then."

# Python-Markdown's meta extension: "Key: value" lines at the top, indented lines continue one.
_FIELD = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(\S.*)$")
_LINK_PREFIX = re.compile(r"^[{|](filename|static|attach)[}|](.*)$")


class ContentProblemsError(SystemExit):
    """Stops a strict build. A SystemExit, so Pelican prints this sentence, not a traceback."""


@dataclass(frozen=True)
class Problem:
    file: str  # as the writer knows it: content/posts/x.md
    line: int
    what: str  # what is wrong
    fix: str  # what to do about it

    def __str__(self):
        return f"{self.file}, line {self.line}: {self.what} {self.fix}"


@dataclass
class Source:
    """One post or page file, as written."""

    path: Path
    file: str
    kind: str  # "post" or "page"
    fields: dict = field(default_factory=dict)  # lower-case name -> (name as written, value, line)
    body: str = ""
    body_line: int = 1
    lines: list = field(default_factory=list)
    readable: bool = True  # False: Pelican would refuse it, so the reader tells Pelican to skip it

    def line_of(self, needle):
        """The first line that holds `needle`, else the first line of the text."""
        for number, line in enumerate(self.lines, 1):
            if needle in line:
                return number
        return self.body_line

    def value(self, name):
        return self.fields.get(name.lower(), (name, "", 0))[1].strip()


def shown_path(path):
    """The path relative to the working folder where possible (content/posts/x.md)."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_source(path, kind, known_fields):
    """Parse one file's fields; returns (Source, problems). Never raises for bad content."""
    source = Source(Path(path), shown_path(Path(path)), kind)
    problems = []

    def problem(line, what, fix):
        problems.append(Problem(source.file, line, what, fix))

    raw = source.path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        source.readable = False
        problem(raw[: error.start].count(b"\n") + 1, "is not saved as UTF-8 text, so it cannot be read.",
                f'Open it in your text editor and save it again with the encoding "UTF-8". {LEFT_OUT}')
        return source, problems
    if not text.strip():
        source.readable = False
        problem(1, "is empty.", f"Write the post in it, or delete the file. {LEFT_OUT}")
        return source, problems

    source.lines = text.splitlines()
    last = None
    for number, line in enumerate(source.lines, 1):
        match = _FIELD.match(line)
        continued = _CONTINUATION.match(line) if last else None
        if match:
            name, value = match.groups()
            last = name.lower()
            source.fields[last] = (name, value, number)
        elif continued:
            name, value, first = source.fields[last]
            source.fields[last] = (name, f"{value} {continued.group(1)}", first)
        else:
            break
        source.body_line = number + 1
    if source.body_line <= len(source.lines) and not source.lines[source.body_line - 1].strip():
        source.body_line += 1  # the empty line between the fields and the text
    source.body = "\n".join(source.lines[source.body_line - 1:])

    if not source.fields:
        source.readable = False
        problem(1, "does not start with the post's fields (Title:, Date:, …).",
                f"Add them at the top, one per line, and an empty line before the text; the README "
                f"shows an example. {LEFT_OUT}")
        return source, problems

    known = {name.lower(): name for name in known_fields}
    misspelled = set()  # fields written under another name: "Tgas" is not also "no Tags"
    for lower, (name, _value, line) in source.fields.items():
        if lower not in known:
            guess = difflib.get_close_matches(lower, known, n=1, cutoff=0.6)
            misspelled.update(guess)
            if guess:
                problem(line, f'"{name}" is not a field the site knows. Did you mean "{known[guess[0]]}"?',
                        f'Rename it to "{known[guess[0]]}:".')
            else:
                problem(line, f'"{name}" is not a field the site knows.',
                        "Remove the line, or see the README for the fields a post can have.")

    for name in REQUIRED[kind]:
        entry = source.fields.get(name.lower())
        if entry is None and name.lower() in misspelled:
            continue
        missing = "has no" if entry is None else "has an empty"
        if entry is None or not entry[1].strip():
            fatal = name == "Title" or (name == "Date" and kind == "post")  # Pelican needs these
            source.readable = source.readable and not fatal
            problem(entry[2] if entry else 1, f'{missing} "{name}:" line.',
                    f'Fill it in at the top, like "{EXAMPLES[name]}".' + (f" {LEFT_OUT}" if fatal else ""))

    if source.value("Date"):
        try:
            get_date(source.value("Date"))
        except ValueError:
            source.readable = False
            problem(source.fields["date"][2], f'The date "{source.value("Date")}" is not a date.',
                    f"Write it as year-month-day, like 2023-02-19, or with a time: 2023-02-19 09:30. {LEFT_OUT}")

    status = source.value("Status").lower()
    if status and status not in STATUSES:
        guess = difflib.get_close_matches(status, STATUSES, n=1, cutoff=0.5)
        problem(source.fields["status"][2], f'"{source.value("Status")}" is not a status.'
                + (f' Did you mean "{guess[0]}"?' if guess else ""),
                'Write "Status: draft" to keep it unpublished, or remove the line to publish it.')

    if not source.value("Summary") and not source.body.strip():
        problem(min(source.body_line, len(source.lines)), "has no text, and no summary to show in the list of posts.",
                "Write the post below the fields, after one empty line.")
    return source, problems


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []  # (src, alt or None)
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append((attrs.get("src") or "", attrs.get("alt")))
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def normalise(site_path):
    """/post/x/, /post/x, /post/x/index.html and post/x/ are one address."""
    path = unquote(site_path).strip("/")
    return re.sub(r"(^|/)index\.html$", "", path).strip("/")


def site_addresses(generators, settings):
    """Every address the build writes, normalised."""
    addresses = set()
    for template in settings["DIRECT_TEMPLATES"]:  # index, tags, archives, 404
        name = template.upper()
        addresses.add(normalise(settings.get(f"{name}_URL") or settings.get(f"{name}_SAVE_AS") or f"{template}.html"))
    for generator in generators:
        for name in ("articles", "translations", "pages", "hidden_pages", "hidden_articles", "staticfiles"):
            addresses.update(normalise(item.url) for item in getattr(generator, name, []))
        if settings.get("DRAFT_SAVE_AS"):
            for name in ("drafts", "drafts_translations", "draft_pages"):
                addresses.update(normalise(item.url) for item in getattr(generator, name, []))
        for name in ("tags", "authors"):  # a dict, or a list of (name, posts)
            for item in getattr(generator, name, []):
                addresses.add(normalise((item[0] if isinstance(item, tuple) else item).url))
    for feed in ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS"):
        if settings.get(feed):
            addresses.add(normalise(settings[feed]))
    return addresses


def target_problem(target, source, content_root, addresses, siteurl):
    """Why a link or picture address leads nowhere, or None when it is fine."""
    prefixed = _LINK_PREFIX.match(target)
    if prefixed:
        path = prefixed.group(2).split("#")[0].split("?")[0]
        base = content_root if path.startswith("/") else source.path.parent
        return None if (base / unquote(path.lstrip("/"))).is_file() else "is not in the content folder"
    parts = urlsplit(target)
    if parts.scheme in ("mailto", "tel", "data") or target.startswith("#"):
        return None
    if parts.scheme or parts.netloc:
        if not (siteurl and target.startswith(siteurl + "/")):
            return None  # another site: not ours to check
        parts = urlsplit(target[len(siteurl):])
    if not parts.path.startswith("/"):
        return "is relative, so it breaks on the post's own address"
    return None if normalise(parts.path) in addresses else "is not a page or file of this site"


# Memoised (pure functions of their arguments): the preview builds again and again in one process,
# and most posts have not changed since the last build.
@functools.lru_cache(maxsize=16384)
def pictures_and_links(html):
    """((src, alt), ...) of the pictures and (href, ...) of the links in an HTML fragment."""
    collector = _LinkCollector()
    collector.feed(html or "")
    return tuple(collector.images), tuple(collector.links)


@functools.lru_cache(maxsize=16384)
def read_source_of(path, stamp, kind, fields):
    """read_source for the file as it is at `stamp` (modification time and size)."""
    return read_source(path, kind, list(fields))


def stamp_of(path):
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def check_pictures_and_links(source, content, content_root, addresses, siteurl):
    images, links = pictures_and_links(content._content or "")
    problems = []
    cover = source.value("Cover")
    reason = target_problem(cover, source, content_root, addresses, siteurl) if cover else None
    if reason:
        problems.append(Problem(source.file, source.fields["cover"][2], f"The cover picture {cover} {reason}.",
                                "Put the picture in content/images/ and write Cover: /images/<its file name>."))
    for src, alt in images:
        if alt is None or not alt.strip():
            problems.append(Problem(source.file, source.line_of(src), f"The picture {src} has no description.",
                                    f"Describe it between the square brackets, like ![Hands on a shoulder]({src}), "
                                    "for readers who cannot see it."))
        reason = target_problem(src, source, content_root, addresses, siteurl)
        if reason:
            problems.append(Problem(source.file, source.line_of(src), f"The picture {src} {reason}.",
                                    "Put the picture in content/images/ and write its address as "
                                    "/images/<its file name>."))
    for href in links:
        reason = target_problem(href, source, content_root, addresses, siteurl)
        if reason:
            problems.append(Problem(source.file, source.line_of(href), f"The link to {href} {reason}.",
                                    "Check the address: a post is /post/<its slug>/, a page /<its slug>/, "
                                    "or link a file as {filename}/posts/<file>.md."))
    return problems


def tag_problems(sources):
    """Tags that differ from another only by case, spaces or dashes."""
    spellings = {}  # key -> {spelling: [sources]}
    for source in sources:
        for tag in (t.strip() for t in source.value("Tags").split(",")):
            if tag:
                key = re.sub(r"[\s_-]+", "", tag.casefold())
                spellings.setdefault(key, {}).setdefault(tag, []).append(source)
    problems = []
    for variants in spellings.values():
        if len(variants) < 2:
            continue
        usual = max(sorted(variants), key=lambda spelling: len(variants[spelling]))
        count = len(variants[usual])
        for spelling, users in sorted(variants.items()):
            if spelling == usual:
                continue
            for source in users:
                problems.append(Problem(
                    source.file, source.fields["tags"][2],
                    f'The tag "{spelling}" is spelled differently from "{usual}" '
                    f'(used in {count} {"post" if count == 1 else "posts"}). Did you mean "{usual}"?',
                    "Use one spelling, so that the posts share one tag page."))
    return problems


def slug_problems(sources_by_path, contents):
    """Posts or pages that would share one address. Returns (problems, [(content, its preview slug)])."""
    by_slug = {}
    for content in contents:
        by_slug.setdefault(content.slug, []).append(content)
    problems, duplicates = [], []
    for slug, group in by_slug.items():
        if len(group) < 2:
            continue
        files = [sources_by_path[c.source_path].file for c in group if c.source_path in sources_by_path]
        for content in group:
            source = sources_by_path.get(content.source_path)
            if source is None:
                continue
            others = [f for f in files if f != source.file]
            problems.append(Problem(source.file, source.fields.get("slug", source.fields["title"])[2],
                                    f'It has the address "{slug}", as {" and ".join(others)} '
                                    f'{"does" if len(others) == 1 else "do"}.',
                                    'Give each its own "Slug:" (or its own title), so each has its own page.'))
        kinds = {}
        for content in group:
            kinds.setdefault(type(content), []).append(content)
        for same in kinds.values():  # a post and a page do not collide: /post/x/ and /x/
            duplicates.extend((c, f"{slug}-{number}") for number, c in enumerate(same[1:], 2))
    return problems, duplicates


def content_sources(settings):
    """Every Markdown post and page file: [(path, "post" or "page")]."""
    root = Path(settings["PATH"])
    found = []
    for folder in settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix.lstrip(".") in MarkdownReader.file_extensions and path.is_file():
                if not any(part.startswith(".") for part in path.relative_to(root).parts):
                    found.append((path, kind_of(path, settings)))
    return found


def kind_of(path, settings):
    """ "page" for a file under PAGE_PATHS, else "post"."""
    relative = Path(path).resolve().relative_to(Path(settings["PATH"]).resolve()).as_posix()
    return "page" if any(relative.startswith(folder.rstrip("/") + "/") for folder in settings["PAGE_PATHS"]) else "post"


def options_of(settings):
    return {**DEFAULTS, **settings.get("CONTENT_CHECKS", {})}


def known_fields(settings):
    return FIELDS + list(options_of(settings)["extra_fields"])


def check_site(generators):
    """all_generators_finalized receiver: check everything, report, and stop a strict build."""
    settings = generators[0].settings
    options = options_of(settings)
    content_root = Path(settings["PATH"])
    sources, problems = {}, []
    for path, kind in content_sources(settings):
        source, found = read_source_of(path, stamp_of(path), kind, tuple(known_fields(settings)))
        sources[str(path)] = source
        problems.extend(found)

    contents = [c for g in generators for name in ("articles", "translations", "drafts", "drafts_translations",
                                                    "hidden_articles", "pages", "hidden_pages", "draft_pages")
                for c in getattr(g, name, [])]
    addresses = site_addresses(generators, settings)
    for content in contents:
        if content.source_path in sources:
            problems.extend(check_pictures_and_links(sources[content.source_path], content, content_root,
                                                     addresses, settings.get("SITEURL", "")))
    problems.extend(tag_problems([s for s in sources.values() if s.readable and s.kind == "post"]))
    duplicate_problems, duplicates = slug_problems(sources, contents)
    problems.extend(duplicate_problems)

    problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.what))
    if options["problems_file"]:
        write_problems_file(Path(options["problems_file"]), problems, content_root)
    report(problems, options["strict"])
    if not options["strict"]:
        for content, preview_slug in duplicates:
            content.slug = preview_slug  # the preview shows both; the later at a temporary address


def write_problems_file(path, problems, content_root):
    """The problems as JSON, replaced in one step: [{"file", "source", "line", "what", "fix"}], where
    "file" is as the writer knows it (content/posts/x.md) and "source" is the path relative to
    the content folder (posts/x.md), as Pelican's `source_path` ends."""
    root = content_root.resolve()
    rows = []
    for problem in problems:
        absolute = Path(problem.file).resolve()
        source = absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else problem.file
        rows.append({"file": problem.file, "source": source, "line": problem.line, "what": problem.what,
                     "fix": problem.fix})
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(staging, path)


def report(problems, strict):
    if not problems:
        return
    for problem in problems:
        (logger.error if strict else logger.warning)("%s", problem)
    count = f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'} in posts and pages, listed above."
    if strict:
        raise ContentProblemsError(f"{count} Nothing was published: fix them and run `make publish` again.")
    logger.warning("%s The preview shows what it can; `make publish` refuses until they are fixed.", count)


def derive_blank_summary(content):
    """content_object_init receiver: an empty `Summary:` means "make one from the text"."""
    if isinstance(content, (Article, Page)) and "summary" in content.metadata:
        if not re.sub(r"<[^>]*>", "", content.metadata["summary"] or "").strip():
            del content.metadata["summary"]
            if hasattr(content, "_summary"):
                del content._summary


class CheckedMarkdownReader(MarkdownReader):
    """Hands Pelican the status "skip" for a file it would refuse, so that it leaves the file out
    quietly and check_site alone says what is wrong, with the line and the fix."""

    def read(self, source_path):
        source, _ = read_source(source_path, kind_of(source_path, self.settings), known_fields(self.settings))
        return super().read(source_path) if source.readable else ("", {"status": "skip"})


def use_checked_reader(readers):
    """readers_init receiver."""
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = CheckedMarkdownReader


def register():
    signals.readers_init.connect(use_checked_reader)
    signals.content_object_init.connect(derive_blank_summary)
    signals.all_generators_finalized.connect(check_site)

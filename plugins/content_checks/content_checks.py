"""Check every post and page as the site is built, and say what is wrong in plain words.

Each problem names the file and the line and says how to fix it. By default (`make html`,
`make devserver`) problems are warnings and the site is still built; with
CONTENT_CHECKS = {"strict": True} (publishconf.py) any problem stops the build, so nothing
broken reaches readers; but a draft's or a hidden post's problems stay warnings even then, since
drafts are not published. A file that cannot be read at all (not UTF-8, empty, no fields, no
title, a date that is no date) is left out of the site until it is fixed, and every check that
can run on its text still runs (fields, tags, pictures and links).

Checks: required fields (posts: Title, Date, Author, Tags; pages: Title), a Date written
year-month-day (nothing else: "12/03/2026" could be two days), a known Status, a summary or text
to make one from, `make newpost`'s placeholder left in a post about to be published, fields the
site does not know ("did you mean"), tags spelled differently from an existing tag, one address
(slug) per post and page, pictures that exist ("did you mean" a picture with a near name) and
have a description (alt text), internal links that lead somewhere. A post dated in the future is
reported as scheduled (a notice). An empty `Summary:` means "make one from the text".

CONTENT_CHECKS_POSTS_FILE (a setting tools/publish_summary.py gives on the command line): where to
write every post and page with its status (published, hidden, draft, scheduled, left out), date and
address, as JSON, for the publish summary.
"""

import calendar
import dataclasses
import difflib
import functools
import hashlib
import json
import logging
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import MarkdownReader
from pelican.utils import slugify

from plugins.shared import pelican_content
from plugins.shared.pelican_adapter import summarise_again, text_as_read

from . import allowed_html, content_files

logger = logging.getLogger(__name__)
# Notices (a post is scheduled) are logged at INFO, below WARNING so that they never stop a build
# run with --fatal warnings; Pelican's default level hides INFO, so this logger lets it through.
logger.setLevel(logging.INFO)

# problems_file: where the list of the last build's problems is written as JSON (the preview
# shows it on its pages); None: nowhere.
DEFAULTS = {"strict": False, "extra_fields": [], "problems_file": None}
# Pelican's own fields, and the site's (Cover, Comments).
FIELDS = ["Title", "Date", "Modified", "Author", "Authors", "Tags", "Keywords", "Category", "Summary", "Slug",
          "Status", "Lang", "Translation", "Template", "Save_as", "Url", "Cover", "Comments"]
REQUIRED = {"post": ["Title", "Date", "Author", "Tags"], "page": ["Title"]}
# A required field that another field stands in for: "Authors: A, B" is the author.
SAME_AS = {"Author": "Authors"}
# Fields of other themes and plugins, kept and not shown here: never "did you mean" one of ours.
OWN_MEANING = {"subtitle", "image", "thumbnail", "header_cover", "og_image", "twitter_image", "description",
               "series", "series_index", "authorlink", "author_link", "link", "featured_image", "email"}
# Files Pelican could read as posts, but the site does not: it is written in Markdown only.
MAX_BYTES = 1_000_000  # a post's file: twenty times a long post; a 5 MB one would take seconds a build
CUSTOM_FIELD = "is a field the site does not use"  # a notice of the preview only
OTHER_FORMATS = {".rst": "reStructuredText", ".html": "HTML", ".htm": "HTML"}
EXAMPLES = {"Title": "Title: Sleep and stress", "Date": "Date: 2024-03-01",
            "Author": "Author: Yoko Sakura", "Tags": "Tags: sleep, stress"}
STATUSES = ["published", "draft", "hidden"]
NOT_PUBLISHED = ("draft", "hidden")  # their problems are warnings, even in a publish build
LEFT_OUT = "It is left out of the site until then."
# What `make newpost` writes below the fields (tools/newpost.py imports it): a post that still
# holds it is not published.
PLACEHOLDER = "Write your post here. Leave an empty line between paragraphs."
POSTS_SETTING = "CONTENT_CHECKS_POSTS_FILE"

# The only dates the site reads: 2026-03-12, 2026-03-12 09:30, 2026-03-12 09:30:15, each time
# with an optional zone, 2026-03-12 09:30+09:00 or 2026-03-12 09:30Z.
# Pelican reads the ISO forms too (2026-03-12T09:30:15+0900, 2026-3-5): year first, never ambiguous.
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                   r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")
MONTHS = list(calendar.month_name)[1:]
EXAMPLE_DATES = "Write it as year-month-day, like 2023-02-19, or with a time: 2023-02-19 09:30."

# Python-Markdown's meta extension: "Key: value" lines at the top, indented lines continue one.
_FIELD = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(\S.*)$")
# Fields may sit between "---" lines (YAML style), which the meta extension reads too; the closing
# line may also be "...".
_META_BEGIN = re.compile(r"^-{3}(\s.*)?$")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
# Line ends as Windows (CRLF), old Macs (CR) and everyone else (LF) write them.
_LINE_END = re.compile(r"\r\n|\r|\n")
TEXT_FIELDS = ("title", "author", "authors")  # tags are escaped where the theme shows them
# In a field (title, tags…): markup that would run, or `<!--`, which hides the rest of the page.
_FIELD_MARKUP = re.compile(r"<\s*script|\bon[a-z]+\s*=|javascript:|<!--", re.IGNORECASE)
_LINK_PREFIX = re.compile(r"^[{|](filename|static|attach)[}|](.*)$")
# Pelican's links to its lists: {tag}sleep, {author}yoko-sakura, {index}, {category}x (none here).
_LIST_LINK = re.compile(r"^[{|](tag|author|category|index)[}|](.*)$")


# Dates written some other way, read only to say what they could mean: year first (2026/3/12,
# 2026-03-12T09:30), day and month first (12/03/2026, 12.03.26), the month in words (12 March 2026,
# March 12, 2026). The rest, after a space, a comma or a T, is the time.
_REST = r"(?:(?:\s*,\s*|\s+|T)(?P<rest>.+))?$"
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})" + _REST)
_YEAR_LAST = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})" + _REST)
_DAY_NAME = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<m>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})" + _REST)
_NAME_DAY = re.compile(r"^(?P<m>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _REST)
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?"
                   r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d\u2018\u2019"


# Fields that reach an attribute, the page's head or a file's path: each must be of its kind.
# A language tag (BCP 47): en, ja, pt-BR, zh-Hant-TW.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# One part of an address: letters (of any script), digits, and . _ ~ -; never starting with a dot
# (no "..", no hidden file such as .htaccess).
_ADDRESS_PART = re.compile(r"^(?!\.)[\w.~-]+$")
_TEMPLATE_NAME = re.compile(r"^[\w-]+$")
KIND_FIELDS = ("lang", "slug", "url", "save_as", "template")


def template_names(settings):
    """The templates a post or page may name (Template: page): the theme's own pages."""
    folders = [Path(settings.get("THEME", "")) / "templates", *map(Path, settings.get("THEME_TEMPLATES_OVERRIDES", []))]
    return sorted({path.stem for folder in folders if folder.is_dir() for path in folder.glob("*.html")})


def address_ok(value, file_name_last):
    """True for a relative address of safe parts (post/x/, or post/x/index.html when
    `file_name_last`): no scheme, no leading /, no "..", no empty part but a trailing one."""
    parts = value.split("/")
    if not file_name_last and parts[-1] == "":
        parts = parts[:-1]
    return bool(parts) and all(_ADDRESS_PART.match(part) for part in parts)


def field_kind_problem(name, value, settings):
    """(what is wrong, what to do) when the field `name` (lower case) holds `value` of the wrong
    kind for where it goes (an attribute, the head, a path), else None."""
    shown = value if len(value) <= 60 else value[:57] + "…"
    shown = shown.encode("unicode_escape").decode("ascii") if not shown.isprintable() else shown
    if name == "lang" and not _LANGUAGE_TAG.match(value):
        return (f'"Lang: {shown}" is not a language code.',
                ('Write a language code like "Lang: en", "Lang: ja" or "Lang: pt-BR", or remove the line for the '
                "site's language."))
    if name == "slug" and not _ADDRESS_PART.match(value):
        return (f'"Slug: {shown}" is not a usable address: it may hold letters, digits and dashes only.',
                ('Write it as words joined by dashes, like "Slug: sleep-and-stress", or remove the line to make it '
                "from the title."))
    if name in ("url", "save_as") and not address_ok(value, name == "save_as"):
        written = "URL" if name == "url" else "Save_as"
        example = "about-the-clinic/" if name == "url" else "about-the-clinic/index.html"
        return ((f'"{written}: {shown}" is not an address of this site: it must be relative (no https://, no / '
                "at the start, no ..) and hold letters, digits, dashes, dots and / only."),
                f'Write it like "{written}: {example}", or remove the line for the usual address.')
    if name == "template":
        names = template_names(settings)
        if not (_TEMPLATE_NAME.match(value) and value in names):
            return (f'"Template: {shown}" is not a template of the theme (a file in theme/templates/).',
                    'Remove the line: posts use "article", pages "page".')
    return None


def field_kind_problems(source, settings):
    """Lang:, Slug:, URL:, Save_as: and Template: each of its kind (field_kind_problem)."""
    problems = []
    for name in KIND_FIELDS:
        _, value, line = source.fields.get(name, (name, "", 0))
        found = field_kind_problem(name, value.strip(), settings) if value.strip() else None
        if found:
            problems.append(Problem(source.file, line, *found))
    return problems


def usual_value_for_bad_fields(content):
    """content_object_init receiver: a field of the wrong kind (field_kind_problem) is replaced
    by the usual value, so that the preview still builds (and the checks name the field); a
    publish stops on it."""
    settings = content.settings
    for name in KIND_FIELDS:
        value = content.metadata.get(name)
        if not isinstance(value, str) or not field_kind_problem(name, value.strip(), settings):
            continue
        if name == "lang":
            content.lang, content.in_default_lang = settings["DEFAULT_LANG"], True
        elif name == "slug":
            content.slug = slugify(content.title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                                   preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))
        elif name in ("url", "save_as"):
            vars(content).pop(f"override_{name}", None)
        else:
            content.template = content.default_template


def days_in(year, month):
    return calendar.monthrange(year, month)[1]


def impossible(year, month, day):
    """Why year-month-day is no day of the calendar (a sentence), or None when it is one."""
    if not 1 <= month <= 12:
        return f"there are 12 months, and the month comes second (year-month-day), so {month} cannot be one."
    if day < 1:
        return "days start at 1."
    if day > days_in(year, month):
        if month == 2 and day == 29:
            return f"{year} is not a leap year, so February has 28 days."
        if month == 2:
            return f"February has {days_in(year, 2)} days in {year}."
        return f"{MONTHS[month - 1]} has {days_in(year, month)} days."
    return None


def impossible_time(hour, minute, second, zone):
    if hour > 23:
        return "an hour goes from 00 to 23."
    if minute > 59 or second > 59:
        return "minutes and seconds go from 00 to 59."
    if zone and zone != "Z" and (int(zone[1:3]) > 14 or int(zone[-2:]) > 59):
        return "a time zone goes from -12:00 to +14:00."
    return None


def in_words(year, month, day):
    """3 December 2026."""
    return f"{day} {MONTHS[month - 1]} {year}"


def time_as_written(rest):
    """The time part of a date written another way, as the site reads it (" 09:30+09:00"), "" for
    none; None when it is no time."""
    if rest is None:
        return ""
    match = _TIME.match(rest.strip())
    if not match:
        return None
    hour, minute, second = int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)
    half = (match["half"] or "").replace(".", "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    zone = match["zone"] or ""
    if zone and zone != "Z":
        zone = f"{zone[:3]}:{zone[-2:]}"
    if impossible_time(hour, minute, second, zone):
        return None
    return f" {hour:02}:{minute:02}" + (f":{second:02}" if match["s"] else "") + zone


def month_number(name):
    matches = [number for number, month in enumerate(MONTHS, 1) if month.lower().startswith(name.lower()[:3])]
    return matches[0] if len(name) >= 3 and len(matches) == 1 else None


def readings(value):
    """The days a date written another way could mean: [(year, month, day)], and its time as the
    site reads it; ([], None) when it is no date at all."""
    for pattern in (_YEAR_FIRST, _YEAR_LAST, _DAY_NAME, _NAME_DAY):
        match = pattern.match(value)
        if not match:
            continue
        year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
        if pattern is _YEAR_FIRST:
            candidates = [(int(match["a"]), int(match["b"]))]
        elif pattern is _YEAR_LAST:  # 12/03/2026: December 3 as in the US, or 12 March
            candidates = [(int(match["a"]), int(match["b"])), (int(match["b"]), int(match["a"]))]
        else:
            month = month_number(match["m"])
            if month is None:
                return [], None
            candidates = [(month, int(match["d"]))]
        days = []
        for month, day in candidates:
            if (year, month, day) not in days and not impossible(year, month, day):
                days.append((year, month, day))
        return days, time_as_written(match["rest"])
    return [], None


def date_problem(value, name="Date"):
    """None when `value` is a date as the site reads it, else (what is wrong, what to do)."""
    shown = f'The date "{value}"' if name == "Date" else f'The "{name}:" date "{value}"'
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] in _QUOTES:
        inner = value[1:-1].strip()
        if date_problem(inner) is None:
            field_name = "The date" if name == "Date" else f'The "{name}:" date'
            return f"{field_name} is written between quotes.", f"Remove the quotes: {name}: {inner}."
        what, fix = date_problem(inner, name)
        return what, f"Remove the quotes. {fix}"
    match = _DATE.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups()[:3])
        hour, minute, second = (int(part or 0) for part in match.groups()[3:6])
        reason = impossible(year, month, day) or impossible_time(hour, minute, second, match[7])
        if reason is None:
            return None
        if not 1 <= month <= 12 and not impossible(year, day, month):  # 2026-13-01: the day and month swapped
            return (f"{shown} is not a date: {reason}",
                    (f"If you mean {in_words(year, day, month)}, write {year}-{day:02}-{month:02}"
                     f"{value[match.end(3):]}."))
        if not impossible(year, month, day):
            return f"{shown} is not a date: {reason}", "Correct the time: write it like 2023-02-19 09:30."
        if 1 <= month <= 12 and day > days_in(year, month):
            last = days_in(year, month)
            return (f"{shown} is not a date: {reason}",
                    (f"Correct the day, as year-month-day: the last day of {MONTHS[month - 1]} {year} is "
                     f"{year}-{month:02}-{last:02}."))
        return f"{shown} is not a date: {reason}", EXAMPLE_DATES
    days, time = readings(value.strip())
    if time is None or not days:
        return f"{shown} is not a date.", EXAMPLE_DATES
    written = [f"{year}-{month:02}-{day:02}{time}" for year, month, day in days]
    if len(days) == 2:
        return (f"{shown} could be {in_words(*days[0])} or {in_words(*days[1])}.",
                f"Write it as year-month-day: {written[0]} or {written[1]}.")
    return (f"{shown} is written in a form the site does not read.",
            f"If you mean {in_words(*days[0])}, write {written[0]}.")


def date_in_words(moment, with_time):
    """3 December 2026, or 3 December 2026, 09:30."""
    return in_words(moment.year, moment.month, moment.day) + (f", {moment:%H:%M}" if with_time else "")


class ContentProblemsError(SystemExit):
    """Stops a strict build. A SystemExit, so Pelican prints this sentence, not a traceback."""


@dataclass(frozen=True)
class Problem:
    file: str  # as the writer knows it: content/posts/x.md
    line: int
    what: str  # what is wrong
    fix: str  # what to do about it
    # "error": stops a publish build (a warning in the preview); "warning": never stops one (a
    # draft's or a hidden post's problem); "notice": nothing wrong, worth knowing (scheduled).
    severity: str = "error"

    def __str__(self):  # line 0: a file that is not a post (a picture, a link)
        return f"{self.file}{f', line {self.line}' if self.line else ''}: {self.what} {self.fix}"


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

    def line_of_any(self, needles, occurrence=0):
        """The line of the text (below the fields) that holds the `occurrence`-th (from 0) of the
        first of `needles` found, whatever the case (the last one found when there are fewer);
        else the first line of the text."""
        lowered = [line.lower() for line in self.lines]
        for needle in needles:
            found = [number for number in range(self.body_line, len(lowered) + 1)
                     if needle.lower() in lowered[number - 1]]
            if found:
                return found[min(occurrence, len(found) - 1)]
        return self.body_line

    def value(self, name):
        return self.fields.get(name.lower(), (name, "", 0))[1].strip()


def shown_path(path):
    """The path relative to the working folder where possible (content/posts/x.md)."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_source(path, kind, known_fields, filename_metadata=None):
    """Parse one file's fields; returns (Source, problems). Never raises for bad content.
    filename_metadata: Pelican's FILENAME_METADATA, the fields it reads from the file's name
    (by default a date: 2012-11-30-sleep.md is dated 30 November 2012 without a Date: line)."""
    source = Source(Path(path), shown_path(Path(path)), kind)
    problems = []

    def problem(line, what, fix):
        problems.append(Problem(source.file, line, what, fix))

    raw = source.path.read_bytes()
    if len(raw) > MAX_BYTES:
        source.readable = False
        problem(1, f"is {len(raw) / 1_000_000:.1f} MB of text, far more than a post (a long one is 0.05 MB), so the "
                   "site leaves it out rather than slow every build.",
                f"Split it into several posts, or remove what was pasted into it by mistake. {LEFT_OUT}")
        return source, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        source.readable = False
        problem(raw[: error.start].count(b"\n") + 1, "is not saved as UTF-8 text, so it cannot be read.",
                f'Open it in your text editor and save it again with the encoding "UTF-8". {LEFT_OUT}')
        return source, problems
    text = text.removeprefix("\ufeff")  # the byte-order mark Windows Notepad writes; Pelican skips it too
    if not text.strip():
        source.readable = False
        problem(1, "is empty.", f"Write the post in it, or delete the file. {LEFT_OUT}")
        return source, problems

    source.lines = _LINE_END.split(text.removesuffix("\n").removesuffix("\r"))
    if suffix_format(source.path):
        source.readable = False
        problem(1, f"is written in {suffix_format(source.path)} ({source.path.suffix}): the site reads posts written "
                   "in Markdown only.",
                "Save it as a .md file written in Markdown (the README shows a post), or move it out of the content "
                f"folder. {LEFT_OUT}")
        return source, problems
    last = None
    fenced = bool(source.lines) and _META_BEGIN.match(source.lines[0])
    for number, line in enumerate(source.lines, 1):
        if fenced and number == 1:
            source.body_line = 2
            continue
        if fenced and _META_END.match(line):
            source.body_line = number + 1
            break
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

    named = re.match(filename_metadata, source.path.stem) if filename_metadata else None
    for name, value in (named.groupdict() if named else {}).items():
        if value and name.lower() not in source.fields:
            source.fields[name.lower()] = (name.capitalize(), value, 1)  # as Pelican reads it

    for name, value, line in source.fields.values():
        found = _FIELD_MARKUP.search(value)
        if found:
            problem(line, f'"{name}" holds {found.group(0).strip()}, which would run as script or hide the rest of '
                          "the page where it is shown.", f'Write "{name}:" in plain words.')

    known = {name.lower(): name for name in known_fields}
    misspelled = set()  # fields written under another name: "Tgas" is not also "no Tags"
    for lower, (name, _value, line) in source.fields.items():
        if lower not in known:
            guess = near_field(lower, known)
            if guess:
                misspelled.add(guess)
                problem(line, f'"{name}" is not a field the site knows. Did you mean "{known[guess]}"?',
                        f'Rename it to "{known[guess]}:".')
            else:  # another theme's or plugin's field: kept, harmless; said in the preview only
                problems.append(Problem(source.file, line, f'"{name}" {CUSTOM_FIELD}: it is kept, but nothing shows it.',
                                        "Nothing to do if that is what you want; the README lists the fields a post "
                                        "can have.", "notice"))

    for name in REQUIRED[kind]:
        entry = source.fields.get(name.lower()) or source.fields.get(SAME_AS.get(name, name).lower())
        if entry is None and name.lower() in misspelled:
            continue
        missing = "has no" if entry is None else "has an empty"
        if entry is None and name == "Author":  # Pelican names the site's AUTHOR: a notice, not a mistake
            problems.append(Problem(source.file, 1, 'has no "Author:" line, so it is shown as written by the site\'s '
                                    "author (AUTHOR in pelicanconf.py).",
                                    f'If someone else wrote it, add a line like "{EXAMPLES[name]}".', "notice"))
            continue
        if entry is None or not entry[1].strip():
            fatal = name == "Title" or (name == "Date" and kind == "post")  # Pelican needs these
            source.readable = source.readable and not fatal
            problem(entry[2] if entry else 1, f'{missing} "{name}:" line.',
                    f'Fill it in at the top, like "{EXAMPLES[name]}".' + (f" {LEFT_OUT}" if fatal else ""))

    for name in ("Date", "Modified"):
        found = date_problem(source.value(name), name) if source.value(name) else None
        if found:
            source.readable = False  # Pelican would read 12/03/2026 as 3 December: never guess
            problem(source.fields[name.lower()][2], found[0], f"{found[1]} {LEFT_OUT}")

    status = source.value("Status").lower()
    if status and status not in STATUSES:
        guess = difflib.get_close_matches(status, STATUSES, n=1, cutoff=0.5)
        problem(source.fields["status"][2], f'"{source.value("Status")}" is not a status.'
                + (f' Did you mean "{guess[0]}"?' if guess else ""),
                'Write "Status: draft" to keep it unpublished, or remove the line to publish it.')

    last_line = min(source.body_line, len(source.lines))
    body_lines = enumerate(source.lines[source.body_line - 1:], source.body_line)
    placeholder = next((number for number, line in body_lines if PLACEHOLDER.split(".")[0] in line), None)
    if not source.value("Summary") and not source.body.strip():
        problem(last_line, "has no text, and no summary to show in the list of posts.",
                "Write the post below the fields, after one empty line.")
    elif status == "draft":
        pass  # a draft may keep the placeholder, and be empty: it is not published
    elif placeholder:
        problem(placeholder,
                f'still holds the words "{PLACEHOLDER}" that `make newpost` put there, so it would be published '
                "with them.",
                'Write your post in their place, or keep the line "Status: draft" until it is ready.')
    elif kind == "post" and not own_words(source.body):
        problem(last_line, "has no words of its own below its fields, so its page would be empty of text.",
                'Write the post below the fields, after one empty line, or keep the line "Status: draft" '
                "until it is ready.")
    problems.extend(unrendered_problems(source))
    return source, problems


# What other blog engines' posts hold that this site shows as typed: template tags and TeX math.
# A fence as Python-Markdown reads one: at the start of the line, alone (a language may follow
# the opening one); "```x``` is code" on one line is inline code, no fence.
_FENCE = re.compile(r"^(`{3,}|~{3,})[ ]*([^`\s]*[^`]*)$")
_CODE_SPAN = re.compile(r"(`+).+?\1")
UNRENDERED = (
    (re.compile(r"\{%-?\s*\w+.*?%\}"), "template tag",
     ("another blog engine's template tag (Jekyll, Liquid, a plugin), which the site does not run: readers would "
      "see it as typed"),
     ("Write what it should show in Markdown: a picture as ![what it shows](/images/…), a video, a gist or a tweet "
      "as a link to it.")),
    (re.compile(r"\$\$.+?\$\$|^\s*\$\$\s*$"), "math",
     "math written for TeX between $$, which the site does not draw: readers would see the formula as typed",
     ("Write the formula in words, show it as a picture with a description, or put it between ``` lines to "
      "show it as code.")),
)


def unrendered_problems(source):
    """Template tags ({% … %}) and $$ math in the text, outside code: each kind once, at its first line."""
    found = {}
    fence = None
    for number, line in enumerate(source.lines[source.body_line - 1:], source.body_line):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1) == fence and not opening.group(2).strip():
                fence = None
            continue
        if opening:
            fence, fence_line = opening.group(1), number
            continue
        if line.startswith(("    ", "\t")) or "{" not in line and "$" not in line:
            continue
        text = _CODE_SPAN.sub("", line)
        for pattern, kind, what, fix in UNRENDERED:
            if kind not in found and (match := pattern.search(text)):
                shown = match.group(0).strip()
                shown = shown if len(shown) <= 40 else shown[:37] + "…"
                found[kind] = Problem(source.file, number, f'It holds "{shown}", {what}.', fix)
    if fence:
        found["fence"] = Problem(source.file, fence_line, f"The code block that starts with {fence} on this line is "
                                 f"never closed, so the rest of the post would show {fence} and its code as text.",
                                 f"Add a line with {fence} alone where the code ends.")
    return list(found.values())


def suffix_format(path):
    """ "reStructuredText" for a .rst file (another format Pelican reads), None for Markdown."""
    return OTHER_FORMATS.get(Path(path).suffix.lower())


def edits(a, b):
    """The number of letters to add, remove, change or swap to turn `a` into `b`."""
    previous, current = [], list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


def near_field(name, known):
    """The known field `name` is a typo of (two letters off at most, one for short names), or None
    for a field with a meaning of its own (another theme's or plugin's)."""
    if name in OWN_MEANING:
        return None
    allowed = 1 if len(name) <= 4 else 2
    close = sorted((edits(name, field_name), field_name) for field_name in known)
    return close[0][1] if close and close[0][0] <= allowed else None


def own_words(markdown):
    """True when the text holds words of the writer's own: not only pictures, addresses and markup."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown)  # pictures
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's address (its words stay)
    text = re.sub(r"<[^>]*>|https?://\S+", " ", text)
    return re.search(r"\w", text) is not None


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
        for name in (*pelican_content.PUBLISHED, *pelican_content.HIDDEN, "staticfiles"):
            addresses.update(normalise(item.url) for item in getattr(generator, name, []))
        if settings.get("DRAFT_SAVE_AS"):
            addresses.update(normalise(item.url) for item in pelican_content.contents([generator], pelican_content.DRAFTS))
        for name in ("tags", "authors"):  # a dict, or a list of (name, posts)
            for item in getattr(generator, name, []):
                addresses.add(normalise((item[0] if isinstance(item, tuple) else item).url))
    for feed in ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS"):
        if settings.get(feed):
            addresses.add(normalise(settings[feed]))
    return addresses


RELATIVE = "is relative, so it breaks on the post's own address"
CATEGORY = "leads to a category page, and this site has none: it is organised by tags"


def list_link_problem(kind, name, addresses, settings):
    """Why a {tag}, {author}, {category} or {index} link leads nowhere, or None."""
    if kind == "category":
        return CATEGORY
    if kind == "index":
        return None
    slug = tag_slug(name, settings) if kind == "tag" else slugify(name, regex_subs=settings.get(
        "SLUG_REGEX_SUBSTITUTIONS", []), preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False))
    url = settings.get(f"{kind.upper()}_URL", f"{kind}/{{slug}}/").format(slug=slug)
    return None if normalise(url) in addresses else f"is not a page of this site (no {kind} is called {name})"


def target_problem(target, source, content_root, addresses, siteurl, settings=None):
    """Why a link or picture address leads nowhere, or None when it is fine."""
    listed = _LIST_LINK.match(target)
    if listed:
        return list_link_problem(listed.group(1), unquote(listed.group(2).split("#")[0]), addresses, settings or {})
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
        return RELATIVE
    return None if normalise(parts.path) in addresses else "is not a page or file of this site"


class JudgedHtml:
    """collected()'s answers by the HTML's digest, kept between builds in the cache folder: reading
    a post's HTML as a browser does (html5lib) costs ~0.8 ms a post, and most posts have not changed
    since the last build (the preview's start, a warm build). The file holds only this build's
    posts, and is used only by the same rules (allowed_html's code, html5lib's version)."""

    RULES = hashlib.sha256(Path(allowed_html.__file__).read_bytes()
                           + allowed_html.html5lib.__version__.encode()).hexdigest()

    def __init__(self):
        self.known = {}  # digest -> (pictures, links, findings)
        self.used = set()
        self.added = False

    def of(self, html):
        key = hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        self.used.add(key)
        found = self.known.get(key)
        if found is None:
            pictures, links, findings = allowed_html.judged(html)
            found = self.known[key] = (tuple(pictures), tuple(links), tuple(findings))
            self.added = True
        return found

    def load(self, path):
        """The last build's answers, unless this process has its own (the preview builds again and again)."""
        if self.known or path is None:
            return
        try:
            rules, known = pickle.loads(path.read_bytes())
            if rules == self.RULES:
                self.known = {key: (pictures, links, tuple(allowed_html.Finding(*found) for found in findings))
                              for key, (pictures, links, findings) in known.items()}
        except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
            self.known = {}  # made again by this build

    def keep(self, path):
        """Keep this build's answers (in memory and in the file), and forget the others."""
        self.known = {key: self.known[key] for key in self.used if key in self.known}
        if path is not None and self.added:
            known = {key: (pictures, links, [dataclasses.astuple(found) for found in findings])
                     for key, (pictures, links, findings) in self.known.items()}
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}")
            partial.write_bytes(pickle.dumps((self.RULES, known), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(partial, path)
        self.used, self.added = set(), False


JUDGED = JudgedHtml()


def judged_file(settings):
    return Path(settings["CACHE_PATH"]) / "content_checks" / "judged_html.pickle" if settings.get("CACHE_PATH") else None


def collected(html):
    """(pictures, links, findings) of an HTML fragment, as a browser parses it (allowed_html). One
    reading of the HTML serves every check."""
    return JUDGED.of(html or "")


# What a post may not hold, by element: (what it is, what to do instead).
REFUSED = {
    **dict.fromkeys(("meta", "base", "link", "title", "head", "html", "body"), (
        ("which would change the whole page: a <meta http-equiv=\"refresh\"> sends readers to another site, a "
         "<base> changes where every link leads"),
        "Remove it: the site writes each page's head itself.")),
    **dict.fromkeys(("form", "input", "button", "textarea", "select", "option", "optgroup", "label", "fieldset",
                     "legend", "datalist", "output", "keygen", "isindex"), (
        "a form, which would send what readers type somewhere else",
        "Remove it. To take bookings or questions, link to the booking page or write the clinic's e-mail address.")),
    **dict.fromkeys(("iframe", "frame", "frameset", "object", "embed", "applet", "portal", "noembed", "noframes"), (
        "an embedded page or plugin, which the site's security policy blocks",
        "Remove it. To show a video, a form or a map, link to it instead.")),
    **dict.fromkeys(("svg", "math"), (
        "a drawing or formula written as SVG or MathML code, which can hold scripts",
        "Save the drawing as a PNG or JPEG in content/images/ and show it with ![what it shows](/images/its-name.png).")),
    "style": ("a style sheet, which the site's security policy blocks", "Remove it: the theme styles every post."),
}
OTHER_REFUSED = ("an element a post may not hold (the README lists the HTML a post can use)",
                 "Remove it, or write what it shows in Markdown.")


def html_problems(source, html, line=None):
    """What in a post's HTML a post may not hold: scripts (the site's policy lets only the theme
    run scripts), and any element, attribute or address outside allowed_html's lists. `line`: the
    line of everything found (a field's), else the first line that holds it."""
    problems, seen = [], {}
    for found in collected(html or "")[2]:
        seen[found] = seen.get(found, -1) + 1  # the second of two alike is on the second line holding it
        at = line or source.line_of_any(found.needles, seen[found])
        if found.kind == "script":
            problems.append(Problem(source.file, at, f"It holds a script ({found.shown}…): the site's security policy "
                                    "lets only the theme run scripts, so it would not run for readers.",
                                    "Remove it. To show a video, a form or a map, link to it instead."))
        elif found.kind == "element":
            what, fix = REFUSED.get(found.element, OTHER_REFUSED)
            problems.append(Problem(source.file, at, f"It holds {found.shown}>, {what}.", fix))
        elif found.kind == "attribute":
            problems.append(Problem(source.file, at, f"It holds {found.shown}\"…\" on <{found.element}>, an attribute "
                                    "a post may not use.", "Remove the attribute."))
        else:
            problems.append(Problem(source.file, at, f"It holds an address starting with {found.shown} in "
                                    f"<{found.element}>, which a post may not link to.",
                                    "Write an address starting with https://, http://, mailto:, tel: or /."))
    return problems


def summary_problems(source, content, settings):
    """html_problems of the Summary: field, as Pelican shows it (Markdown made HTML of it)."""
    entry = source.fields.get("summary")
    if entry is None or not entry[1].strip():
        return []
    summary = (content.metadata.get("summary") if content is not None else None) or entry[1]
    html = summary if content is not None else render_markdown_text(entry[1], settings)
    return html_problems(source, html, entry[2])


def pictures_and_links(html):
    """((src, alt), ...) of the pictures and (href, ...) of the links in an HTML fragment."""
    return collected(html or "")[:2]


@functools.lru_cache(maxsize=16384)
def read_source_of(path, stamp, kind, fields, filename_metadata=None):
    """read_source for the file as it is at `stamp` (modification time and size)."""
    return read_source(path, kind, list(fields), filename_metadata)


def stamp_of(path):
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def picture_files(content_root):
    """The address of every file under content/images/ (/images/clinic/room.jpg), for "did you mean"."""
    folder = content_root / "images"
    if not folder.is_dir():
        return ()
    return tuple(sorted("/" + path.relative_to(content_root).as_posix() for path in folder.rglob("*")
                        if path.is_file() and not path.name.startswith(".")))


def near_picture(target, pictures):
    """The picture the writer probably meant by a `target` that is missing: one with the same file
    name in another folder of content/images/, else one with a near name; None when none is."""
    prefixed = _LINK_PREFIX.match(target)
    path = unquote(prefixed.group(2) if prefixed else urlsplit(target).path)
    name = path.rsplit("/", 1)[-1].lower()
    if not name:
        return None
    by_name = {}
    for picture in pictures:
        by_name.setdefault(picture.rsplit("/", 1)[-1].lower(), picture)
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, by_name, n=1, cutoff=0.8)
    return by_name[close[0]] if close else None


UNUSABLE_PICTURE_FIX = ("Open it in a photo editor and save it again as a JPEG or PNG at most 3000 pixels wide: "
                        "until then it is not resized for phones.")


def unusable_pictures(settings):
    """src -> why the picture cannot be resized (plugins/responsive_images, with the site's limit),
    or None; None instead of the function when that plugin is not in use."""
    if "responsive_images" not in settings.get("PLUGINS", []):
        return None
    from responsive_images.responsive_images import options_of, source_file

    limit, root = options_of(settings)["max_megapixels"], Path(settings["PATH"])

    def why(src):
        path = source_file(src, root)
        return unusable_picture_at(path, stamp_of(path), limit) if path else None

    return why


@functools.lru_cache(maxsize=16384)
def unusable_picture_at(path, stamp, limit):
    """unusable_picture for the file as it is at `stamp`: each picture's header is read once."""
    from responsive_images.responsive_images import unusable_picture

    return unusable_picture(path, limit)


def check_pictures_and_links(source, html, content_root, addresses, siteurl, pictures=(), unusable=None,
                             settings=None):
    """The problems of the pictures and links in `html`, the post's text as Markdown made it;
    `unusable`: src -> why a picture that exists cannot be resized (unusable_pictures)."""
    images, links = pictures_and_links(html or "")
    problems = []
    cover = source.value("Cover")
    reason = target_problem(cover, source, content_root, addresses, siteurl) if cover else None
    unusable_reason = unusable(cover) if cover and not reason and unusable else None
    if unusable_reason:
        problems.append(Problem(source.file, source.fields["cover"][2], f"The cover picture {cover} {unusable_reason}.",
                                UNUSABLE_PICTURE_FIX))
    if reason:
        near = near_picture(cover, pictures) if reason != RELATIVE else None
        problems.append(Problem(
            source.file, source.fields["cover"][2],
            f"The cover picture {cover} {reason}." + (f" Did you mean {near}?" if near else ""),
            f"Write Cover: {near}, or put the picture in content/images/." if near else
            "Put the picture in content/images/ and write Cover: /images/<its file name>."))
    for src, alt in images:
        if alt is None or not alt.strip():
            written_in_html = [number for number, text in enumerate(source.lines, 1)
                               if src in text and "<img" in text.lower()]
            line = written_in_html[0] if written_in_html and alt is None else source.line_of(src)
            as_html = line <= len(source.lines) and "<img" in source.lines[line - 1].lower()
            problems.append(Problem(source.file, line, f"The picture {src} has no description.",
                                    'Add what it shows to its <img> tag, like alt="Hands on a shoulder", for readers '
                                    "who cannot see it." if as_html else
                                    f"Describe it between the square brackets, like ![Hands on a shoulder]({src}), "
                                    "for readers who cannot see it."))
        reason = target_problem(src, source, content_root, addresses, siteurl)
        if reason:
            near = near_picture(src, pictures) if reason != RELATIVE else None
            problems.append(Problem(
                source.file, source.line_of(src),
                f"The picture {src} {reason}." + (f" Did you mean {near}?" if near else ""),
                f"Write its address as {near}, or put the picture in content/images/." if near else
                "Put the picture in content/images/ and write its address as /images/<its file name>."))
        elif unusable and (unusable_reason := unusable(src)):
            problems.append(Problem(source.file, source.line_of(src), f"The picture {src} {unusable_reason}.",
                                    UNUSABLE_PICTURE_FIX))
    for href in links:
        reason = target_problem(href, source, content_root, addresses, siteurl, settings)
        if reason == CATEGORY:
            problems.append(Problem(source.file, source.line_of(href), f"The link to {href} {reason}.",
                                    "Link to a tag page instead, like /tag/<its tag>/ (the tags of a post are "
                                    "under it)."))
        elif reason:
            problems.append(Problem(source.file, source.line_of(href), f"The link to {href} {reason}.",
                                    "Check the address: a post is /post/<its slug>/, a page /<its slug>/, "
                                    "or link a file as {filename}/posts/<file>.md."))
    return problems


def render_markdown(source, settings):
    """The HTML of a file the site leaves out (a bad date, no title), made by Markdown with
    Pelican's settings, so that its pictures and links are checked all the same."""
    return render_markdown_text(source.body, settings)


def render_markdown_text(text, settings):
    """HTML of Markdown `text`, as Pelican's reader makes it with the site's settings."""
    reader = MarkdownReader(settings)  # completes settings["MARKDOWN"] as Pelican's reader does
    return Markdown(**reader.settings["MARKDOWN"]).convert(text)


def tag_slug(name, settings):
    """The address part of a tag's page, as Pelican makes it ("Massage Therapy" -> massage-therapy)."""
    return slugify(name, regex_subs=settings.get("TAG_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", [])),
                   preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))


def usual_spelling(variants):
    """The spelling most posts use ({spelling: [posts]}); the first in sorted order on a tie."""
    return max(sorted(variants), key=lambda spelling: len(variants[spelling]))


def tag_problems(sources, settings=None):
    """Tags that differ from another only by case, spaces or dashes and would make two tag pages.
    Spellings that land on one tag page ("Python", "python") are one tag: shown with the usual
    spelling (one_spelling_per_tag), no message."""
    settings = settings or {"SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""),
                                                         (r"[-\s]+", "-")]}
    spellings = {}  # key -> {spelling: [sources]}
    for source in sources:
        for tag in (t.strip() for t in source.value("Tags").split(",")):
            if tag:
                key = re.sub(r"[\s_-]+", "", tag.casefold())
                spellings.setdefault(key, {}).setdefault(tag, []).append(source)
    problems = []
    for variants in spellings.values():
        pages = {}  # the tag pages these spellings make: slug -> {spelling: [sources]}
        for spelling, users in variants.items():
            pages.setdefault(tag_slug(spelling, settings), {})[spelling] = users
        if len(pages) < 2:
            continue
        usual = usual_spelling(variants)
        usual_page = tag_slug(usual, settings)
        count = len(variants[usual])
        for spelling, users in sorted(variants.items()):
            if tag_slug(spelling, settings) == usual_page:
                continue
            for source in users:
                problems.append(Problem(
                    source.file, source.fields["tags"][2],
                    f'The tag "{spelling}" is spelled differently from "{usual}" '
                    f'(used in {count} {"post" if count == 1 else "posts"}). Did you mean "{usual}"?',
                    "Use one spelling, so that the posts share one tag page."))
    return problems


def one_spelling_per_tag(generator):
    """article_generator_finalized receiver: tags that land on one tag page ("Python", "python")
    are one tag, shown everywhere with the spelling most posts use."""
    tags = [tag for content in pelican_content.contents([generator]) for tag in getattr(content, "tags", None) or []]
    spellings = {}  # slug -> {spelling: [tags]}
    for tag in tags:
        spellings.setdefault(tag.slug, {}).setdefault(tag.name, []).append(tag)
    for variants in spellings.values():
        if len(variants) > 1:
            usual = usual_spelling(variants)
            for tag in tags:
                if tag.name in variants and tag.name != usual:
                    tag.name = usual  # the slug is made from the name again: the same


def slug_problems(sources_by_path, contents):
    """Posts or pages that would share one address. Returns (problems, [(content, its preview slug)])."""
    by_slug = {}
    for content in contents:
        by_slug.setdefault(content.slug, []).append(content)
    problems, duplicates = [], []
    for slug, group in by_slug.items():
        # Posts in other languages (Lang:) with the same slug are translations of each other
        # (Pelican's mechanism; plugins/translations gives each its address): only two in one
        # language (posts or pages) share an address.
        langs = {}
        for content in group:
            langs.setdefault(content.lang, []).append(content)
        group = [content for same in langs.values() if len(same) > 1 for content in same]
        if len(group) < 2:
            continue
        files = [sources_by_path[c.source_path].file for c in group if c.source_path in sources_by_path]
        for content in group:
            source = sources_by_path.get(content.source_path)
            if source is None:
                continue
            others = [f for f in files if f != source.file]
            # Sharing an address only with drafts holds back no publish: the drafts are not written.
            published_others = [other for other in group
                                if other is not content and not_published(other, sources_by_path) is None]
            problems.append(Problem(source.file, source.fields.get("slug", source.fields["title"])[2],
                                    f'It has the address "{slug}", as {" and ".join(others)} '
                                    f'{"does" if len(others) == 1 else "do"}.',
                                    'Give each its own "Slug:" (or its own title), so each has its own page.',
                                    "error" if published_others else "warning"))
        kinds = {}
        for content in group:
            kinds.setdefault(type(content), []).append(content)
        for same in kinds.values():  # a post and a page do not collide: /post/x/ and /x/
            duplicates.extend((c, f"{slug}-{number}") for number, c in enumerate(same[1:], 2))
    return problems, duplicates


def content_sources(settings):
    """Every post and page file: [(path, "post" or "page")]: Markdown, and the other formats Pelican
    reads (OTHER_FORMATS), which get a message."""
    root = Path(settings["PATH"])
    page_folders = page_folders_of(settings)
    found = []
    for folder in settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]:
        for path in sorted((root / folder).rglob("*")):
            markdown = path.suffix.lstrip(".") in MarkdownReader.file_extensions
            if (markdown or suffix_format(path)) and path.is_file():
                parts = path.relative_to(root).parts
                if not any(part.startswith(".") for part in parts) and content_files.inside(path, root):
                    found.append((path, "page" if "/".join(parts).startswith(page_folders) else "post"))
    return found


def page_folders_of(settings):
    return tuple(folder.rstrip("/") + "/" for folder in settings["PAGE_PATHS"])


def kind_of(path, settings):
    """ "page" for a file under PAGE_PATHS, else "post"."""
    relative = Path(path).resolve().relative_to(Path(settings["PATH"]).resolve()).as_posix()
    return "page" if relative.startswith(page_folders_of(settings)) else "post"


def options_of(settings):
    return {**DEFAULTS, **settings.get("CONTENT_CHECKS", {})}


def known_fields(settings):
    return FIELDS + list(options_of(settings)["extra_fields"])


def not_published(content, sources_by_path):
    """Why a post or page is not on the published site: "draft", "hidden" (written, not listed) or
    "scheduled" (dated in the future); None when it is published."""
    source = sources_by_path.get(content.source_path)
    written = source.value("Status").lower() if source else ""
    if content.status == "draft" and isinstance(content, Article) and written != "draft":
        return "scheduled"  # Pelican makes a post dated in the future a draft
    if written in NOT_PUBLISHED:
        return written
    return content.status if content.status in NOT_PUBLISHED else None


def published_address(content, settings):
    """(url, save_as) of a post or page as the published site has, or will have, it."""
    kind = "ARTICLE" if isinstance(content, Article) else "PAGE"
    lang = "" if content.in_default_lang else "LANG_"
    url = settings[f"{kind}_{lang}URL"].format(**content.url_format)
    save_as = settings[f"{kind}_{lang}SAVE_AS"].format(**content.url_format)
    if getattr(content, "translation_moved", False):  # plugins/translations: under its language
        from translations.translations import under_language

        url, save_as = under_language(url, content.lang), under_language(save_as, content.lang)
    return url, save_as


def site_posts(sources, contents, settings, for_publish=False):
    """Every post and page file with its status and date, in file order; `for_publish`: with its
    published address and the SHA-256 of the file, to tell which changed since the last publish
    (Pelican makes each address anew when asked: at a thousand posts, a third of these checks)."""
    content_root = Path(settings["PATH"]).resolve()
    by_path = {content.source_path: content for content in contents}
    rows = []
    for path, source in sources.items():
        content = by_path.get(path)
        date_field = source.fields.get("date")
        row = {"file": source.file, "source": relative_source(source.file, content_root), "kind": source.kind,
               "title": source.value("Title") or source.path.stem, "status": "left out", "date": None,
               "date_words": None, "line": date_field[2] if date_field else 1, "url": None, "save_as": None}
        if for_publish:
            row["digest"] = hashlib.sha256(source.path.read_bytes()).hexdigest()
        if content is None and source.value("Status").lower() == "draft":
            row["status"] = "draft"  # left out, but a draft: it would not be published anyway
        if content is not None:
            row["status"] = not_published(content, sources) or "published"
            if getattr(content, "date", None) and date_field:
                row["date"] = content.date.isoformat()
                if for_publish or row["status"] == "scheduled":  # the only rows that say it
                    row["date_words"] = date_in_words(content.date, ":" in source.value("Date"))
            if for_publish:
                row["url"], row["save_as"] = published_address(content, settings)
        rows.append(row)
    return rows


def scheduled_notices(posts):
    return [Problem(post["file"], post["line"],
                    f"is scheduled for {post['date_words']}: its date is in the future, so it is not published yet.",
                    "It goes live with the first publish on or after that day. If you meant it to go live now, "
                    "correct the date.", "notice")
            for post in posts if post["status"] == "scheduled"]


def graded(problems, sources):
    """A draft's or a hidden post's problems are warnings: they never hold back a publish."""
    status = {source.file: source.value("Status").lower() for source in sources.values()}
    return [dataclasses.replace(problem, severity="warning")
            if problem.severity == "error" and status.get(problem.file) in NOT_PUBLISHED else problem
            for problem in problems]


def check_every_source(generators):
    """all_generators_finalized receiver: check everything, report, and stop a strict build."""
    settings = generators[0].settings
    options = options_of(settings)
    content_root = Path(settings["PATH"])
    JUDGED.load(judged_file(settings))
    sources, problems = {}, []
    for path, kind in content_sources(settings):
        source, found = read_source_of(path, stamp_of(path), kind, tuple(known_fields(settings)),
                                       settings.get("FILENAME_METADATA"))
        sources[str(path)] = source
        problems.extend(found)

    problems.extend(leave_out_what_content_may_not_publish(generators, content_root))
    contents = pelican_content.contents(generators)
    addresses = site_addresses(generators, settings)
    pictures = picture_files(content_root)
    siteurl = settings.get("SITEURL", "")
    unusable = unusable_pictures(settings)
    checked = set()
    for content in contents:
        if content.source_path in sources:
            checked.add(content.source_path)
            problems.extend(check_pictures_and_links(sources[content.source_path], text_as_read(content),
                                                     content_root, addresses, siteurl, pictures, unusable, settings))
            problems.extend(html_problems(sources[content.source_path], text_as_read(content)))
            problems.extend(summary_problems(sources[content.source_path], content, settings))
    for path, source in sources.items():
        if path not in checked and source.fields:  # left out of the site: its text is checked all the same
            html = render_markdown(source, settings)
            problems.extend(check_pictures_and_links(source, html, content_root, addresses, siteurl, pictures,
                                                     unusable, settings))
            problems.extend(html_problems(source, html))
            problems.extend(summary_problems(source, None, settings))
    for source in sources.values():
        problems.extend(field_kind_problems(source, settings))
    problems.extend(tag_problems([s for s in sources.values() if s.fields and s.kind == "post"], settings))
    duplicate_problems, duplicates = slug_problems(sources, contents)
    problems.extend(duplicate_problems)
    posts = site_posts(sources, contents, settings, for_publish=bool(settings.get(POSTS_SETTING)))
    problems = graded(problems, sources) + scheduled_notices(posts)

    if options["strict"]:  # another theme's field is the preview's notice only
        problems = [problem for problem in problems if CUSTOM_FIELD not in problem.what]
    problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.what))
    if options["problems_file"]:
        write_problems_file(Path(options["problems_file"]), problems, content_root)
    if settings.get(POSTS_SETTING):
        write_json(Path(settings[POSTS_SETTING]), posts)
    JUDGED.keep(judged_file(settings))
    report(problems, options["strict"])
    if not options["strict"]:
        for content, preview_slug in duplicates:
            content.slug = preview_slug  # the preview shows both; the later at a temporary address


def leave_out_what_content_may_not_publish(generators, content_root):
    """Take out of the static files any behind a link that is not followed, or of a kind the site
    does not publish (content_files); their problems, and those of the links not followed."""
    problems = [Problem(shown_path(link), 0, f'is a link to "{target}", {why}, so it is not published.',
                        "Put the file itself in the content folder (a copy, not a link), or delete the link.")
                for link, target, why in content_files.refused_links(content_root)]
    for generator in generators:
        statics = getattr(generator, "staticfiles", None)
        if statics is None:
            continue
        kept = []
        for static in statics:
            path = Path(static.source_path)
            found = None if not path.is_file() or not content_files.inside(path, content_root) \
                else content_files.file_kind_problem(path)
            if found:
                problems.append(Problem(shown_path(path), 0, f"{found[0]} It is left out of the site.", found[1]))
            if path.is_file() and content_files.inside(path, content_root) and not found:
                kept.append(static)
        statics[:] = kept  # the generator's list is its context's: nothing left out is copied
    return problems


def leave_out_links(generator):
    """generator_init receiver: the folders behind links that are not followed are excluded
    before a generator walks content/ (a link to `..` would be walked 40 folders deep)."""
    folders = content_files.excluded_folders(Path(generator.settings["PATH"]))
    if folders:
        generator.settings = {**generator.settings, **{
            name: [*generator.settings.get(name, []), *folders]
            for name in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES")}}


def relative_source(file, content_root):
    """posts/x.md for content/posts/x.md: the path relative to the content folder, as Pelican's
    `source_path` ends."""
    folder = os.path.abspath(content_root) + os.sep
    if os.path.abspath(file).startswith(folder):  # no symbolic link to follow: no file system call
        return Path(os.path.abspath(file)[len(folder):]).as_posix()
    absolute = Path(file).resolve()
    return absolute.relative_to(content_root).as_posix() if absolute.is_relative_to(content_root) else file


def write_problems_file(path, problems, content_root):
    """The problems as JSON, replaced in one step: [{"file", "source", "line", "what", "fix",
    "severity"}], where "file" is as the writer knows it (content/posts/x.md), "source" is the path
    relative to the content folder (posts/x.md), as Pelican's `source_path` ends, and "severity" is
    "error" (stops `make publish`; a warning in the preview), "warning" (stops nothing: a draft's or
    a hidden post's) or "notice" (nothing wrong: the post is scheduled)."""
    root = content_root.resolve()
    write_json(path, [{"file": problem.file, "source": relative_source(problem.file, root),
                       "line": problem.line, "what": problem.what, "fix": problem.fix, "severity": problem.severity}
                      for problem in problems])


def write_json(path, rows):
    """Write `rows` as JSON to `path`, replaced in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(staging, path)


def plural(count, word):
    return f"{count} {word}" + ("" if count == 1 else "s")


def report(problems, strict):
    """Log every problem; stop a strict build when any is an error."""
    for problem in problems:
        if problem.severity == "notice":
            logger.info("%s", problem)
        elif problem.severity == "error" and strict:
            logger.error("%s", problem)
        else:
            logger.warning("%s", problem)
    warnings = sum(problem.severity == "warning" for problem in problems)
    errors = sum(problem.severity == "error" for problem in problems)
    if warnings:
        logger.warning("%s in drafts and hidden posts, listed above: they do not stop `make publish`. "
                       "Fix them before you publish those posts.", plural(warnings, "problem"))
    if not errors:
        return
    count = f"{plural(errors, 'problem')} in posts and pages, listed above."
    if strict:
        raise ContentProblemsError(f"{count} Nothing was published: fix them and run `make publish` again.")
    logger.warning("%s The preview shows what it can; `make publish` refuses until they are fixed.", count)


def derive_blank_summary(content):
    """content_object_init receiver: an empty `Summary:` means "make one from the text"."""
    if (isinstance(content, (Article, Page)) and "summary" in content.metadata
            and not re.sub(r"<[^>]*>", "", content.metadata["summary"] or "").strip()):
        del content.metadata["summary"]
        summarise_again(content)


class CheckedMarkdownReader(MarkdownReader):
    """Hands Pelican the status "skip" for a file it would refuse, so that it leaves the file out
    quietly and check_every_source alone says what is wrong, with the line and the fix."""

    def read(self, source_path):
        if not content_files.inside(source_path, self.settings["PATH"]):  # named by check_every_source
            return "", {"status": "skip"}
        # Memoised as check_every_source reads it: each file's fields are read once per build.
        source, _ = read_source_of(Path(source_path), stamp_of(source_path), kind_of(source_path, self.settings),
                                   tuple(known_fields(self.settings)), self.settings.get("FILENAME_METADATA"))
        return super().read(source_path) if source.readable else ("", {"status": "skip"})

    def process_metadata(self, name, value):
        """Fields shown as text (title, author) keep any markup as text: a `<script>`
        or `<!--` in them is shown, never run, and cannot hide the rest of the page (the checks
        also say so)."""
        if name in TEXT_FIELDS and isinstance(value, str):
            value = value.replace("<", "&lt;").replace(">", "&gt;")
        return super().process_metadata(name, value)


def use_checked_reader(readers):
    """readers_init receiver."""
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = CheckedMarkdownReader


def register():
    signals.readers_init.connect(use_checked_reader)
    signals.generator_init.connect(leave_out_links)
    signals.content_object_init.connect(derive_blank_summary)
    signals.content_object_init.connect(usual_value_for_bad_fields)
    signals.article_generator_finalized.connect(one_spelling_per_tag)
    signals.all_generators_finalized.connect(check_every_source)

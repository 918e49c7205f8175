"""The writer's messages: one paragraph each, in plain words, wrapped to fit the window.

Every build the writer runs prints through this module: `make devserver` (tools/devserver and
its builder tools/site_in_memory), `make html`, `make publish` and the uploads (tools/build runs
Pelican as `python -m tools.messages <pelican's arguments>`). Each message is a paragraph that
starts with what it is about (a problem starts with the file and the line: "content/posts/x.md,
line 8: ..."), wrapped at word boundaries, its later lines indented; no time, no level column, no
source-code location, and a file name is never cut in two. Pelican's own log messages and its
closing "Done: Processed ..." line go the same way; its tracebacks only with Pelican's -D.

Width: the terminal's (COLUMNS when set, as shells and Python's shutil read it). When the output is
not a terminal (a file, a pipe, the tests' captured output) messages are not wrapped: one line
each, whatever COLUMNS says (GNU readline, which pytest loads, exports COLUMNS to every child).
"""

import contextlib
import logging
import os
import re
import sys
import textwrap
import traceback

INDENT = "    "  # the later lines of a paragraph
# "content/posts/x.md, line 8:" is kept on one line: a character textwrap does not break at
# (it breaks only at ASCII white space) stands in for its spaces while wrapping.
_HEAD = re.compile(r"^(\S+), line (\d+):")
_KEEP = "\ue000"
# What a terminal acts on instead of showing: control characters (an escape sequence clears the
# screen or moves the cursor, a carriage return goes back over a line, a line break starts one),
# the other line breaks of str.splitlines, and the controls that reorder a line right to left.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def width_of(stream):
    """The columns to wrap at on `stream`: None (no wrapping) when it is not a terminal; else
    COLUMNS when set, else the terminal's width."""
    try:
        if not stream.isatty():
            return None
        columns = os.environ.get("COLUMNS", "").strip()
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


def printable(text, keep=""):
    """`text` with each control character but those in `keep` written as its escape (\\x1b, \\n):
    a file name or a title read from a file, shown as it is, never acting on the terminal."""
    return _CONTROL.sub(lambda match: match[0] if match[0] in keep else repr(match[0])[1:-1], str(text))


def shown(args):
    """A log record's arguments, those from files (names, titles, anything but a number or an
    error) with every control character escaped: a name holding a line break cannot fake a line.
    An error's own lines stay lines."""
    if not isinstance(args, tuple):
        return args
    return tuple(arg if isinstance(arg, (int, float, BaseException)) else printable(arg) for arg in args)


def paragraph(text, width=None):
    """`text` as a paragraph `width` columns wide (None: as it is), its later lines indented.
    Words are never cut, so a word longer than the width (a long address) overflows its line."""
    lines = []
    for number, line in enumerate(text.rstrip("\n").splitlines() or [""]):
        first = INDENT if number else ""
        if not width:
            lines.append(first + line)
            continue
        line = _HEAD.sub(lambda match: match.group(0).replace(" ", _KEEP), line)
        wrapped = textwrap.wrap(line, width=width, initial_indent=first, subsequent_indent=INDENT,
                                break_long_words=False, break_on_hyphens=False) or [first]
        lines.extend(part.replace(_KEEP, " ") for part in wrapped)
    return "\n".join(lines)


def located(error, text=None):
    """`text` (else the error's own words) preceded by the file and line the error names, as a
    template error does: "theme/templates/page.html, line 37: TemplateSyntaxError: ..."."""
    text = text if text is not None else f"{type(error).__name__}: {error}"
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        file = getattr(error, "filename", None) or getattr(error, "name", None)
        line = getattr(error, "lineno", None)
        if isinstance(file, str) and isinstance(line, int):
            relative = os.path.relpath(file)
            return f"{file if relative.startswith('..') else relative}, line {line}: {text}"
        error = error.__cause__ or error.__context__
    return text


def say(text, stream=None):
    """Print `text` as a paragraph on `stream` (the standard output as it is at the time), its
    control characters escaped but its own line breaks and tabs."""
    stream = stream or sys.stdout
    stream.write(paragraph(printable(text, keep="\n\t"), width_of(stream)) + "\n")
    stream.flush()


# Pelican's messages the writer may meet that need other words: the start of its message -> ours,
# given the same arguments.
IN_PLAIN_WORDS = {
    # A cache written with other settings (gzipped, before GZIP_CACHE = False): Pelican reads it again.
    "Cannot unpickle cache": "The build cache %s was made by an older version of the site: this build "
                             "makes it again, and takes longer this once.",
}


class WritersHandler(logging.Handler):
    """Log records as paragraphs (say), on the standard output as it is when each is printed."""

    def __init__(self, tracebacks=False):
        super().__init__()
        self.tracebacks = tracebacks

    def format(self, record):
        plain = next((words for start, words in IN_PLAIN_WORDS.items() if str(record.msg).startswith(start)), None)
        args = shown(record.args)
        text = plain % args[:plain.count("%s")] if plain else str(record.msg) % args if args else str(record.msg)
        if record.exc_info:
            text = located(record.exc_info[1], text)
        if record.exc_info and self.tracebacks:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return text

    def emit(self, record):
        try:
            say(self.format(record))
        except Exception:  # noqa: BLE001 (logging's own rule: a failing handler never stops the program)
            self.handleError(record)


def install(tracebacks=False):
    """Print every log record through WritersHandler, in place of any handler of the root logger,
    and Pelican's console lines (its "Done: Processed ..." and spinner) as paragraphs too."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(WritersHandler(tracebacks))
    if tracebacks:  # Pelican's -D sets its own logger's level only: the plugins' debug lines too
        root.setLevel(logging.DEBUG)
    from plugins.shared.pelican_adapter import print_pelicans_lines_with

    print_pelicans_lines_with(PlainConsole(tracebacks))


class PlainConsole:
    """What Pelican asks of its rich Console, as paragraphs: no spinner, no columns."""

    def __init__(self, tracebacks=False):
        self.tracebacks = tracebacks

    def print(self, *objects, **_options):
        say(" ".join(str(item) for item in objects))

    def status(self, *_args, **_options):
        return contextlib.nullcontext()

    def print_exception(self, *_args, **_options):
        if self.tracebacks:
            traceback.print_exc()


def run_pelican(argv):
    """Pelican's command line (`pelican <argv>`), its messages printed as paragraphs. A build that
    content_checks stops (SystemExit with its sentence) prints that sentence the same way."""
    tracebacks = any(arg in ("-D", "--debug") for arg in argv)
    install(tracebacks)
    import pelican

    try:
        pelican.main(["--log-handler", "plain", *argv])
    except SystemExit as stop:
        if isinstance(stop.code, str):
            say(stop.code, sys.stderr)
            sys.exit(1)
        raise


if __name__ == "__main__":
    run_pelican(sys.argv[1:])

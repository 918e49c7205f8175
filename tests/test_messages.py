"""The messages the writer reads (tools/messages): one paragraph per problem, starting with the
file and the line, wrapped at the window's width at word boundaries with the later lines
indented; no time, no level column, no source-code location, no file name cut in two; the same
words in `make html` and `make publish` (the preview: tests/test_preview_problems.py).

Run as the writer runs them: through `make`, in a real terminal (a pseudo-terminal) 80 columns
wide, or wider with COLUMNS=80; and with the output going to a pipe, where nothing is wrapped,
one line per message, whatever COLUMNS says."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from tests.built_site import PROJECT, copy_project, copy_site_content, write_files
from tests.problem_messages import (BROKEN, FILE, POST, assert_readable, expected, joined, paragraphs,
                                   problem_paragraphs)
from tools.messages import INDENT, paragraph

def messages_of(text):
    return [joined(lines) for lines in problem_paragraphs(text)]


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    """The test site with a post holding three mistakes: content/, cache/ and output/ in one folder."""
    folder = tmp_path_factory.mktemp("messages")
    write_files(copy_site_content(folder / "content"), BROKEN)
    return folder


@pytest.fixture(scope="module")
def file(broken_site):
    """The post's file as the checks name it (outside the project: its whole path)."""
    return str(broken_site / "content" / "posts" / POST)


def writer_env(**more):
    """The environment of a terminal where COLUMNS is not exported (as in bash), plus `more`."""
    env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    return {**env, **more}


def make_command(target, folder):
    return ["make", "--no-print-directory", target, f"OUTPUT={folder / 'output'}",
            f"CONTENT={folder / 'content'}", f"CACHE={folder / 'cache'}"]


def in_terminal(command, columns, env):
    """Run `command` in a pseudo-terminal `columns` wide, as in the writer's terminal window;
    (exit status, what it showed there)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdin=terminal, stdout=terminal,
                               stderr=terminal)
    os.close(terminal)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end is closed: the command has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout=120), shown.decode().replace("\r\n", "\n")


def test_a_paragraph_is_cut_between_words_with_its_later_lines_indented():
    text = expected()[1]
    lines = paragraph(text, 80).splitlines()
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    assert lines[0].startswith(f"{FILE}, line 8: ")
    assert all(line.startswith(INDENT) and not line[len(INDENT)].isspace() for line in lines[1:])
    assert joined(lines) == text, "no word cut, none lost"
    assert paragraph(text, None) == text, "not wrapped without a width"


def test_the_file_and_line_stay_whole_and_a_long_word_overflows_rather_than_break():
    lines = paragraph(f"{FILE}, line 12: see https://example.org/{'x' * 90} now", 40).splitlines()
    assert lines[0] == f"{FILE}, line 12:"
    assert lines[1] == INDENT + "see"
    assert lines[2] == f"{INDENT}https://example.org/{'x' * 90}"


def test_make_html_at_80_columns(broken_site, file):
    status, text = in_terminal(make_command("html", broken_site), 200, writer_env(COLUMNS="80"))
    assert status == 0, text
    assert_readable(text, 80, file)
    assert messages_of(text) == expected(file)
    assert any(len(lines) > 1 for lines in problem_paragraphs(text)), "long messages are wrapped"
    # Pelican's own line goes the same way.
    done = next(lines for lines in paragraphs(text) if lines[0].startswith("Done: Processed"))
    assert len(done) == 2 and joined(done).endswith("seconds.")


def test_make_html_in_a_terminal_80_columns_wide(broken_site, file):
    status, shown = in_terminal(make_command("html", broken_site), 80, writer_env())
    assert status == 0, shown
    assert_readable(shown, 80, file)
    assert messages_of(shown) == expected(file)
    assert any(len(lines) > 1 for lines in problem_paragraphs(shown))


def test_not_a_terminal_one_line_per_message(broken_site, file):
    result = subprocess.run(make_command("html", broken_site), cwd=PROJECT, capture_output=True, text=True,
                            env=writer_env(COLUMNS="80"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith(file)] == expected(file)
    assert not [line for line in lines if line.startswith(INDENT)], "nothing wrapped"


def test_make_publish_refuses_in_the_same_words(broken_site, file):
    status, text = in_terminal(make_command("publish", broken_site), 80, writer_env())
    assert status != 0
    assert_readable(text, 80, file)
    assert messages_of(text) == expected(file)
    said = [joined(lines) for lines in paragraphs(text)]
    assert "3 problems in posts and pages, listed above. Nothing was published: fix them and run " \
           "`make publish` again." in said
    assert any(line.startswith("The build failed: the message above names the problem.") for line in said)


def test_a_template_mistake_names_the_template_and_its_line(tmp_path):
    project = copy_project(tmp_path)
    template = project / "theme/templates/page.html"
    template.write_text(template.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    line = template.read_text(encoding="utf-8").count("\n")
    command = [sys.executable, "-m", "tools.build", "--project", str(project)]
    status, text = in_terminal(command, 80, writer_env())
    assert status != 0
    assert_readable(text, 80, "theme/templates/page.html")
    said = [joined(lines) for lines in paragraphs(text)]
    assert f"theme/templates/page.html, line {line}: TemplateSyntaxError: Expected an expression, got " \
           "'end of statement block'" in said, said


def test_a_cache_from_an_older_version_is_made_again_in_plain_words(tmp_path):
    """A build cache gzipped by an earlier version (GZIP_CACHE was Pelican's default): the build
    says so in words, once, and the next build is quiet."""
    import gzip

    content = write_files(tmp_path / "content", {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nText.\n"})
    command = [sys.executable, "-m", "tools.build", "--settings", "pelicanconf.py", "--output",
               str(tmp_path / "output"), "--content", str(content), "--cache", str(tmp_path / "cache")]
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    cache = tmp_path / "cache" / "ArticlesGenerator-Readers"
    cache.write_bytes(gzip.compress(cache.read_bytes()))
    said = subprocess.run(command, cwd=PROJECT, check=True, capture_output=True, text=True)
    assert f"The build cache {cache} was made by an older version of the site" in said.stdout + said.stderr
    assert "unpickle" not in said.stdout + said.stderr
    again = subprocess.run(command, cwd=PROJECT, check=True, capture_output=True, text=True)
    assert "build cache" not in again.stdout + again.stderr

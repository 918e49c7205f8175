"""A post with three mistakes and what the writer must read about it, in `make html`, `make publish`
(tests/test_messages.py) and the preview (tests/test_preview_problems.py) alike."""

import re

from tools.messages import INDENT

POST = "why-your-shoulders-hold-stress.md"  # a long name, that the old columns cut in two
BROKEN = {f"posts/{POST}": """Title: Why your shoulders hold stress
Date: 2024-01-10
Author: Yoko Sakura
Tgas: stress, shoulders

Some words about shoulders and the way they carry a long week.

![](/images/shoulder-tension.jpg)
"""}
FILE = f"content/posts/{POST}"  # as the checks name it in the project's own content/


def expected(file=FILE):
    """What the content checks say about the post, each a paragraph of its own."""
    return [
        f'{file}, line 4: "Tgas" is not a field the site knows. Did you mean "Tags"? Rename it to "Tags:".',
        f"{file}, line 8: The picture /images/shoulder-tension.jpg has no description. Describe it between "
        "the square brackets, like ![Hands on a shoulder](/images/shoulder-tension.jpg), for readers who "
        "cannot see it.",
        f"{file}, line 8: The picture /images/shoulder-tension.jpg is not a page or file of this site. Put "
        "the picture in content/images/ and write its address as /images/<its file name>.",
    ]


def paragraphs(text):
    """The paragraphs of printed text: a line that does not start indented starts one."""
    found = []
    for line in text.splitlines():
        if line.startswith(INDENT) and found:
            found[-1].append(line)
        elif line.strip():
            found.append([line])
    return found


def joined(lines):
    return " ".join(line.strip() for line in lines)


HEAD = re.compile(r"^\S+, line \d+:")


def problem_paragraphs(text):
    return [lines for lines in paragraphs(text) if HEAD.match(lines[0])]


def assert_readable(text, width, file=FILE):
    """Every paragraph fits `width` (a word, or the file and line, longer than that alone on its
    line), starts at the left and indents its later lines; no time, level or source-code location."""
    assert not re.search(r"\[\d\d:\d\d:\d\d\]|\bWARNING\b|\bERROR\b|\.py:\d+|Traceback", text), text
    for lines in paragraphs(text):
        for line in lines:
            unbreakable = " " not in HEAD.sub("head", line.strip())
            assert len(line) <= width or unbreakable, f"wider than {width}: {line!r}"
        assert all(line.startswith(INDENT) for line in lines[1:])
    for lines in problem_paragraphs(text):
        assert lines[0].startswith(f"{file}, line "), "the file and its line start the paragraph, whole"

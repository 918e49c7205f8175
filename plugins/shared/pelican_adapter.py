"""The one place where the project relies on private parts of Pelican (written for 4.12): the
preview's builder and the plugins import what they need of it from here.

The builder (tools/site_in_memory.py) otherwise keeps to Pelican's documented ground: its
`get_writer` signal, the Writer's public write_file() and write_feed(), the `content_written`
and `feed_written` signals, the generators' `context`, and its caching settings. Three needs
have no public way, and are met here, and nowhere else:

- how the writer opens a file for a page or a feed: the builder writes each in one step (a
  temporary file renamed over the old one, so the preview never serves half a page) and only
  when its bytes changed;
- a post's text as read, before Pelican resolves its {filename} links (the public `content`
  resolves them, and so depends on the whole site), to know whether it links to other posts;
- Pelican's memory of the warnings it has said (each only once per process): a builder that
  lives for many builds forgets it before each, so that every build lists every problem;
- for the plugins, as pelican-plugins do: a post's HTML read and rewritten before Pelican
  resolves its links (headings lifted, pictures made responsive, words counted, links and
  scripts checked), and the summary Pelican made from it forgotten when the text changes it.

PRIVATE lists each private name with why it is needed; tests/test_pelican_adapter.py checks
them against the Pelican installed and, after an upgrade that changes one, fails with a sentence
naming the attribute and Pelican's version.
"""

import copy
import inspect

import pelican
from pelican.contents import Content
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

WRITTEN_FOR = "4.12"

# private name -> why it is needed
PRIVATE = {
    "Writer._open_w": "write_file() and write_feed() open every output file through it, in a `with` block "
                      "closed before their signal; Pelican has no public hook to write a file another way",
    "Content._content": "the text as read, before Pelican resolves its {filename} links, read and rewritten "
                        "by the plugins",
    "Content._summary": "the summary Pelican memoises, forgotten when a post's Summary field is emptied",
    "LimitFilter._raised_messages": "Pelican's memory of the warnings said in this process",
    "LimitFilter._group_count": "Pelican's count of the grouped warnings said in this process",
}
OPEN_SIGNATURE = "(self, filename, encoding, override=False)"


class WriterWithOpenHook(Writer):
    """Pelican's Writer (rendering, pagination, feeds, signals all its own), whose output files are
    opened by open_output(path, override), a method of the subclass, instead of by Pelican."""

    def open_output(self, path, override):
        """A text file-like object for the page or feed at `path` (absolute), which Pelican
        writes in a `with` block, ended before it sends content_written or feed_written;
        `override` as write_file(override_output=…)."""
        raise NotImplementedError

    # Writer._open_w (private): where Pelican's writer opens every output file; no public hook exists.
    def _open_w(self, filename, encoding, override=False):
        return self.open_output(filename, override)


def text_as_read(content):
    """A post's or page's text as its reader gave it, its {filename} links not yet resolved."""
    # Content._content (private): the public `content` resolves the links, which is what this avoids.
    return content._content


def replace_text(content, html):
    """Give a post or page new HTML (before Pelican resolves its links and writes it)."""
    # Content._content (private): what Pelican renders; `content` is a read-only property.
    content._content = html


def summarise_again(content):
    """Have Pelican make the summary again from the text (after the Summary field was removed)."""
    # Content._summary (private): Pelican's memo of the summary; no public way to clear it.
    vars(content).pop("_summary", None)


def forget_repeated_warnings():
    """Have Pelican say again, in this build, the warnings it said in the builds before (its
    LOG_FILTER, messages never to print, still holds)."""
    # LimitFilter._raised_messages (private): the warnings said once; no public way to reset it.
    LimitFilter._raised_messages.clear()
    # LimitFilter._group_count (private): the grouped warnings' counts; no public way to reset it.
    LimitFilter._group_count.clear()


def problems():
    """What differs, in the Pelican installed, from what PRIVATE relies on: one sentence each,
    naming the attribute and the version; empty when nothing does."""
    found = []

    def missing(name, what):
        found.append(f"Pelican {pelican.__version__} changed {name}: {what} (plugins/shared/pelican_adapter.py was "
                     f"written for Pelican {WRITTEN_FOR}, and needs it for {PRIVATE[name]}).")

    if not callable(getattr(Writer, "_open_w", None)):
        missing("Writer._open_w", "pelican.writers.Writer has no method _open_w any more")
    elif str(inspect.signature(Writer._open_w)) != OPEN_SIGNATURE:
        missing("Writer._open_w", f"its signature is {inspect.signature(Writer._open_w)}, "
                                  f"not {OPEN_SIGNATURE}")
    text = "<p>See {filename}other.md</p>"
    try:
        read = text_as_read(Content(text, settings=copy.deepcopy(DEFAULT_CONFIG)))
    except AttributeError:
        missing("Content._content", "pelican.contents.Content has no attribute _content any more")
    else:
        if read != text:
            missing("Content._content", f"it holds {read!r} for a post whose text is {text!r}")
    post = Content(text, metadata={"summary": "<p>Given.</p>"}, settings=copy.deepcopy(DEFAULT_CONFIG))
    if getattr(post, "_summary", None) != "<p>Given.</p>":
        missing("Content._summary", "pelican.contents.Content no longer keeps its summary in _summary")
    for name in ("LimitFilter._raised_messages", "LimitFilter._group_count"):
        attribute = name.partition(".")[2]
        if not callable(getattr(getattr(LimitFilter, attribute, None), "clear", None)):
            missing(name, f"pelican.log.LimitFilter has no {attribute} to clear any more")
    return found

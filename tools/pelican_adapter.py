"""The one place where this project relies on a private part of Pelican (written for Pelican 4.12).

The preview's builder (tools/site_in_memory.py) otherwise keeps to Pelican's documented ground:
its `get_writer` signal, the Writer's public write_file() and write_feed(), the
`content_written` and `feed_written` signals, and its caching settings. One thing has no public
hook: how the writer opens a file to write a page or a feed into. The builder writes each file
in one step (a temporary file renamed over the old one, so the preview never serves half a page)
and only when its bytes changed, so that open is replaced here, and nowhere else.

Each private name is listed in PRIVATE with why it is needed and the signature it had when this
was written; tests/test_pelican_adapter.py checks them against the Pelican installed and, after
an upgrade that changes one, fails with a sentence naming the attribute and the version.
"""

import inspect

import pelican
from pelican.writers import Writer

WRITTEN_FOR = "4.12"

# private name -> (where it is defined, the signature relied on, why)
PRIVATE = {
    "Writer._open_w": (Writer, "(self, filename, encoding, override=False)",
                       "write_file() and write_feed() open every output file through it; Pelican has no "
                       "public hook to write a file another way (in one step, only when its bytes changed)"),
}


class WriterWithOpenHook(Writer):
    """Pelican's Writer (rendering, pagination, feeds, signals all its own), whose output files are
    opened by open_output(path, override), a method of the subclass, instead of by Pelican."""

    def open_output(self, path, override):
        """A file-like object, open for writing text, for the page or feed at `path` (absolute);
        `override` as Pelican's write_file(override_output=…)."""
        raise NotImplementedError

    # Writer._open_w (private): where Pelican's writer opens every output file; no public hook exists.
    def _open_w(self, filename, encoding, override=False):
        return self.open_output(filename, override)


def problems():
    """What differs, in the Pelican installed, from the private names PRIVATE relies on: one
    sentence each, naming the attribute and the version; empty when nothing does."""
    found = []
    for name, (owner, expected, why) in PRIVATE.items():
        attribute = name.rpartition(".")[2]
        where = f"{owner.__module__}.{owner.__qualname__}.{attribute}"
        if not hasattr(owner, attribute):
            found.append(f"Pelican {pelican.__version__} has no {where} any more (tools/pelican_adapter.py "
                         f"was written for Pelican {WRITTEN_FOR}, and needs it because {why}).")
            continue
        signature = str(inspect.signature(getattr(owner, attribute)))
        if signature != expected:
            found.append(f"Pelican {pelican.__version__} changed {where}: its signature is {signature}, "
                         f"tools/pelican_adapter.py expects {expected} (written for Pelican {WRITTEN_FOR}; "
                         f"needed because {why}).")
    return found

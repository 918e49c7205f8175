"""All or nothing: everything is written into a staging folder beside content/ first; once the
whole import is ready, each post's pictures, then the post, are linked into content/ (a link
fails rather than replace a file), in a short step Ctrl+C does not cut."""

import os
import shutil
import signal
import tempfile
from pathlib import Path

from tools.build import process_exists


def new_staging(folder):
    """A fresh staging folder in `folder` (beside content/, on the same disk), old ones cleared."""
    clear_old_staging(folder)
    return Path(tempfile.mkdtemp(prefix=f".import-wix-{os.getpid()}-", dir=folder))


def move_into_place(posts):
    """Every post's staged files into place, pictures first; returns the posts skipped because one
    of their files appeared meanwhile (a post file, or a different picture of the same name)."""
    skipped = []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a short step: finished once begun
    try:
        for post in posts:
            if any(
                final.exists() and (final.suffix == ".md" or final.read_bytes() != staged.read_bytes())
                for staged, final in post.staged
            ):
                skipped.append(post)
                continue
            for staged, final in post.staged:
                final.parent.mkdir(parents=True, exist_ok=True)
                place(staged, final)
    finally:
        signal.signal(signal.SIGINT, previous)
    return skipped


def place(staged, final):
    """Move a file into place without ever replacing one: a link fails if the name is taken."""
    try:
        os.link(staged, final)
    except FileExistsError:
        pass  # the same picture, checked just before
    except OSError:  # a file system without links
        try:
            with open(final, "xb") as out:
                out.write(staged.read_bytes())
        except FileExistsError:
            pass


def clear_old_staging(folder):
    """Staging folders left by an import that was killed (not stopped: Ctrl+C removes its own)."""
    for old in Path(folder).glob(".import-wix-*-*"):
        pid = old.name.split("-")[2]
        if pid.isdigit() and not process_exists(int(pid)):
            shutil.rmtree(old, ignore_errors=True)

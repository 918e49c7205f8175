"""Work on each file as Pelican writes it, in a second process, on the core the rendering leaves idle.

Pelican renders on one core. A step that reads the written files (precompress's copies, search's
index) can take each file as it is written instead of all of them at the end, in a process of its
own: a fork of the build made when the build starts (small then), fed the written paths through a
queue, so the build pays one put() per file. A thread of the build would share Python's lock with
the rendering, and slowed it two to three times.

A subclass says which files it wants (`wants`) and what it does with each (`take`), and returns its
result from `end()`, in the copy; the build gets that result from `finish()`. The build can also
tell the copy something between two files (`tell`; the copy's `told` gets it). Each file is taken
with its stamp (mtime, size, inode) as it was *before* it was read: `unchanged_since` then tells
whether a file is still the one taken, so that a file written again since is dealt with again.
"""

import multiprocessing
import os
import queue
import threading
from pathlib import Path


def absolute(path):
    """`path` made absolute the way Pelican makes its output path (no symbolic link followed: a
    resolve() per page written cost ~30 000 lstat calls at 1000 posts): one spelling per file."""
    return Path(os.path.abspath(path))


def stamp_of(status):
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def unchanged_since(path, taken):
    """True when `path` was taken (`taken`: path -> its stamp then) and is the same file still."""
    if path not in taken:
        return False
    try:
        return taken[path] == stamp_of(path.stat())
    except FileNotFoundError:
        return False


class AtOnce:
    """A message for the copy's told() that does not wait its turn behind the files."""

    def __init__(self, message):
        self.message = message


class WrittenFilesWorker:
    """The files of one build under `output`, taken as written by a fork of the build.

    In the copy, begin() runs first, then take(path, stamp) for each wanted file in the order
    written, then end(), whose value finish() returns in the build (None if the copy died).
    The copy touches nothing the build's other threads use: it logs to no console, writes only
    to its pipe (and what its own step writes), and ends with os._exit."""

    name = "written files"

    def __init__(self, output):
        self.output = absolute(output)
        context = multiprocessing.get_context("fork")
        self.queue = context.SimpleQueue()
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self.work, args=(sender,), daemon=True, name=self.name)
        self.process.start()
        sender.close()
        self.ended = False
        self.finished = None  # (end()'s value,) once received

    def wants(self, path):
        return path.is_relative_to(self.output)

    def written(self, path):
        """content_written (and feed_written) receiver's part: send the path to the copy."""
        path = absolute(path)
        if not self.ended and self.wants(path):
            self.queue.put(str(path))

    def tell(self, message, at_once=False):
        """Send the copy something (not a path: any picklable object), in order with the files,
        or `at_once`: before the files not yet worked through."""
        if not self.ended:
            self.queue.put(AtOnce(message) if at_once else message)

    def begin(self):
        """In the copy, before the first file."""

    def told(self, message):
        """In the copy: what the build sent with tell() (from another thread, if sent at once)."""

    def take(self, path, stamp):
        """In the copy: the file at `path`, whose stamp was `stamp` before this call."""
        raise NotImplementedError

    def end(self):
        """In the copy, after the last file: what finish() returns."""
        return None

    def work(self, sender):
        """In the copy: take in what the build sends at once (so that the build never waits on a
        full pipe when the work is slower than the writing), and work through it in a thread."""
        try:
            self.begin()
            backlog = queue.SimpleQueue()
            worker = threading.Thread(target=self.work_through, args=(backlog,))
            worker.start()
            while (item := self.queue.get()) is not None:
                if isinstance(item, AtOnce):
                    self.told(item.message)
                else:
                    backlog.put(item)
            backlog.put(None)
            worker.join()
            sender.send(self.end())
        finally:
            os._exit(0)

    def work_through(self, backlog):
        while (item := backlog.get()) is not None:
            if not isinstance(item, str):
                self.told(item)
                continue
            path = Path(item)
            try:
                stamp = stamp_of(path.stat())
            except OSError:  # gone meanwhile: the build's last step sees it is not there
                continue
            self.take(path, stamp)

    def stop_taking(self):
        """No more files: the copy goes on to end() while the build does something else."""
        if not self.ended:
            self.ended = True
            self.queue.put(None)

    def finish(self):
        """Wait for the copy's end(); its value, or None if the copy died."""
        if self.finished is None:
            self.stop_taking()
            try:
                self.finished = (self.receiver.recv(),)
            except (EOFError, OSError):
                self.finished = (None,)
            self.process.join()
        return self.finished[0]

    def stop(self):
        self.ended = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

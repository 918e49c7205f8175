"""Posts read on two cores at once: a cold build reads half of them in a second process.

Reading a post (Markdown, typogrify, the content checks' reading of its fields) is 40 % of a cold
build, and Pelican does it on one core. When a build has many posts to read (none in the cache:
a first build, `make clean`, new Markdown settings), this plugin starts, as the
articles generator begins, a copy of the build's process (fork): it reads the posts from the end
of the list while the build reads them from the start, each taking a post only if the other has
not; where they meet, the build takes the copy's posts as read, and goes on as if it had read
them itself (Pelican's cache, the plugins' steps on each post, all the same). At 1000 posts on
2 cores, reading went from 11 s to 6 s (the copy reads a little over half: the build also makes
each post's object and runs the plugins' steps on it).

Only the reader's own work is shared: the text and fields each reader returns, the same for a
post read by either process. A post whose reading said anything (a warning, an error) or failed
in the copy is read again by the build itself, so every message is said once, by the build, as
without this plugin. Nothing is shared when there are few posts to read (a warm build, an
edit), on one core, or when something else answers for the posts already read (the preview's
builder, which keeps them: it reads alone).

The copy is a fork of the build: it has its settings, plugins and readers as they are, without
starting Python again. Pelican's command line runs one other thread meanwhile (rich's "Generating"
status); the copy touches nothing that thread uses: it logs to no console, writes only to its
pipe, and ends with os._exit.

    PARALLEL_READING = {"enabled": True, "min_posts": 64}
"""

import io
import logging
import multiprocessing
import os
import pickle

from pelican import signals

log = logging.getLogger(__name__)

DEFAULTS = {"enabled": True, "min_posts": 64}
FREE, BUILD, COPY = 0, 1, 2  # who reads a post


def options_of(settings):
    return {**DEFAULTS, **(settings.get("PARALLEL_READING") or {})}


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _Pickler(pickle.Pickler):
    """Objects both processes share from before the fork (the settings, the site's context) are
    sent by name, so the build's posts point to the build's own settings, not to copies."""

    def __init__(self, file, shared):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = {id(value): name for name, value in shared.items()}

    def persistent_id(self, obj):
        return self.shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared):
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, name):
        return self.shared[name]


class _Said(logging.Handler):
    """In the copy: notes that something was said while reading a post."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.said = False

    def emit(self, record):
        if record.levelno >= logging.WARNING:
            self.said = True


class SharedReading:
    """The posts of one generator, read by the build from the start and by a copy from the end."""

    def __init__(self, generator, paths, reader_of):
        self.paths = paths  # absolute, in the order the generator reads them
        self.index = {path: number for number, path in enumerate(paths)}
        self.reader_of = reader_of  # path -> the reader instance, its own read() as Pelican set it
        self.shared = {"settings": generator.settings, "context": generator.context,
                       "readers_settings": generator.readers.settings}
        for number, reader in enumerate({id(r): r for r in map(reader_of, paths)}.values()):
            self.shared[f"reader_settings_{number}"] = reader.settings
        context = multiprocessing.get_context("fork")
        self.claims = context.RawArray("b", len(paths))
        self.lock = context.Lock()
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self.copy_reads, args=(sender,), daemon=True,
                                       name="parallel_reading")
        self.results = None  # {path: (content, metadata)} once received
        self.process.start()
        sender.close()

    def claim(self, number, who):
        with self.lock:
            if self.claims[number] != FREE:
                return False
            self.claims[number] = who
            return True

    def copy_reads(self, sender):
        """The copy: read from the end until a post the build took, send what was read, and end
        at once (os._exit: no buffered output flushed, no exit handler run, nothing written but
        the pipe, so no lock another thread of the build held at the fork is ever waited for)."""
        try:
            self.read_from_the_end(sender)
        finally:
            os._exit(0)

    def read_from_the_end(self, sender):
        said = _Said()
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(said)
        results = {}
        for number in range(len(self.paths) - 1, -1, -1):
            if not self.claim(number, COPY):
                break  # the build has come this far: the rest is its own
            path = self.paths[number]
            said.said = False
            try:
                result = self.reader_of(path).read(path)
            except Exception:  # the build reads it again, and says what is wrong
                continue
            if not said.said:
                results[path] = result
        buffer = io.BytesIO()
        _Pickler(buffer, self.shared).dump(results)
        sender.send_bytes(buffer.getbuffer())
        sender.close()

    def read(self, path, own_read):
        """What the reader gives for `path`: read here, or by the copy."""
        number = self.index.get(path)
        if number is None or self.claim(number, BUILD):
            return own_read(path)
        result = self.received().get(path)
        return own_read(path) if result is None else result

    def received(self):
        if self.results is None:
            with self.lock:  # no post is taken by the copy from now on
                for number, who in enumerate(self.claims):
                    if who == FREE:
                        self.claims[number] = BUILD
            try:
                self.results = _Unpickler(io.BytesIO(self.receiver.recv_bytes()), self.shared).load()
            except (EOFError, OSError, pickle.UnpicklingError):  # the copy died: the build reads alone
                self.results = {}
            self.close()
            LAST_BUILD["read_by_the_copy"] += len(self.results)
        return self.results

    def close(self):
        self.receiver.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


_READINGS = []
LAST_BUILD = {"read_by_the_copy": 0}  # how many posts the copy read in the last build (for the tests)


def share_reading(generator):
    """article_generator_init receiver: start the copy when there are many posts to read."""
    LAST_BUILD["read_by_the_copy"] = 0
    options = options_of(generator.settings)
    if not options["enabled"] or cores() < 2:
        return
    if "get_cached_data" in vars(generator):  # the preview's builder answers with the posts it keeps
        return
    readers = generator.readers
    to_read = []
    # In the order the generator will read them (the same set, made the same way, in this process).
    for name in generator.get_files(generator.settings["ARTICLE_PATHS"],
                                    exclude=generator.settings["ARTICLE_EXCLUDES"]):
        path = os.path.abspath(os.path.join(generator.path, name))
        fmt = os.path.splitext(path)[1].lstrip(".")
        if fmt not in readers.readers or generator.get_cached_data(name, None) is not None:
            continue
        if readers.get_cached_data(path, (None, None))[0] is not None:
            continue
        to_read.append(path)
    if len(to_read) < options["min_posts"]:
        return

    def reader_of(path):
        return readers.readers[os.path.splitext(path)[1].lstrip(".")]

    sharing = SharedReading(generator, to_read, reader_of)
    _READINGS.append(sharing)
    for reader in {id(r): r for r in map(reader_of, to_read)}.values():
        own_read = reader.read

        def read(path, own_read=own_read):
            return sharing.read(path, own_read)

        reader.read = read  # this reader instance only, for this build


def stop_sharing(generator):
    """article_generator_finalized receiver: the copy is done (or stopped) once the posts are read."""
    while _READINGS:
        sharing = _READINGS.pop()
        sharing.received()


def register():
    signals.article_generator_init.connect(share_reading)
    signals.article_generator_finalized.connect(stop_sharing)

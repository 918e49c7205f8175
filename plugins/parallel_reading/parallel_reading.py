"""Posts read on two cores at once: a cold build reads some of them in a second Python process.

Reading a post (Markdown, typogrify, the content checks' reading of its fields) is most of a
cold build, and Pelican does it on one core. When a build has many posts to read (none in the
cache: a first build, `make clean`, new Markdown settings), this plugin starts, as the articles
generator begins, a second Python process (the `spawn` start method, the same on Linux, macOS
and Windows) with the build's settings and plugins: it reads the posts from the end of the list
while the build reads them from the start, each taking a post only if the other has not; where
they meet, the build takes the second process's posts as read, and goes on as if it had read
them itself (Pelican's cache, the plugins' steps on each post, all the same).

Only the reader's own work is shared: the text and fields each reader returns, the same for a
post read by either process. They come back pickled; the objects both processes know by name
(the settings, Pelican's marker for an empty field, compared by identity) are sent by name, so
that the build's posts hold the build's own, never copies. A post whose reading said anything
(a warning, an error) or failed in the second process is read again by the build itself, so
every message is said once, by the build. Nothing is shared when there are few posts to read (a
warm build, an edit), on one core, or when something else answers for the posts already read
(the preview's builder, which keeps them: it reads alone).

The second process never fails silently: if it cannot start, read or answer in time, the build
says so in a WARNING with the reason (its traceback when it has one) and reads those posts itself.

    PARALLEL_READING = {"enabled": True, "min_posts": 64, "timeout": 120}
"""

import importlib
import io
import logging
import multiprocessing
import os
import pickle
import sys
import traceback

from pelican import signals
from pelican.readers import Readers

from plugins.shared import pelican_adapter

log = logging.getLogger(__name__)

DEFAULTS = {"enabled": True, "min_posts": 64, "timeout": 120}
FREE, BUILD, COPY = 0, 1, 2  # who reads a post


def options_of(settings):
    return {**DEFAULTS, **(settings.get("PARALLEL_READING") or {})}


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def shared_objects(settings):
    """What both processes know by name: pickled as the name, taken back as the receiver's own."""
    return {"settings": settings, "discard": pelican_adapter.discard_marker()}


class _Pickler(pickle.Pickler):
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


def dumps(value, shared):
    buffer = io.BytesIO()
    _Pickler(buffer, shared).dump(value)
    return buffer.getvalue()


def loads(data, shared):
    return _Unpickler(io.BytesIO(data), shared).load()


class _Said(logging.Handler):
    """In the second process: notes that something was said while reading a post."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.said = False

    def emit(self, record):
        if record.levelno >= logging.WARNING:
            self.said = True


def claim(claims, lock, number, who):
    with lock:
        if claims[number] != FREE:
            return False
        claims[number] = who
        return True


def read_from_the_end(plugin_paths, settings_data, paths, claims, lock, sender):
    """The second process: read from the end until a post the build took, send back
    ("read", {path: (content, metadata)}) or ("failed", its traceback), and end."""
    try:
        sys.path[:0] = plugin_paths  # the plugins' modules, by the names the settings' values were pickled under
        said = _Said()
        logging.getLogger().addHandler(said)
        settings = pickle.loads(settings_data)
        pelican_adapter.register_plugins(settings)  # the readers_init receivers wrap the Markdown reader
        readers = Readers(settings)
        results = {}
        for number in range(len(paths) - 1, -1, -1):
            if not claim(claims, lock, number, COPY):
                break  # the build has come this far: the rest is its own
            path = paths[number]
            said.said = False
            try:
                result = readers.readers[os.path.splitext(path)[1].lstrip(".")].read(path)
            except Exception:  # noqa: BLE001, S112 (the build reads it again, and says what is wrong)
                continue
            if not said.said:
                results[path] = result
        sender.send_bytes(dumps(("read", results), shared_objects(settings)))
    except BaseException:  # noqa: BLE001 (whatever ended it, the build is told why)
        sender.send_bytes(pickle.dumps(("failed", traceback.format_exc())))
    finally:
        sender.close()


def second_process_target():
    """read_from_the_end under the name a fresh Python finds it by: Pelican imports this plugin by
    its folder's name (parallel_reading), which only a process that loaded the plugins knows."""
    return importlib.import_module("plugins.parallel_reading.parallel_reading").read_from_the_end


def plugin_paths(settings):
    return [os.path.abspath(path) for path in settings.get("PLUGIN_PATHS") or []]


def settings_to_send(settings):
    """The build's settings as the second process needs them: no cache of its own to load or save."""
    return pickle.dumps({**settings, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False},
                        protocol=pickle.HIGHEST_PROTOCOL)


class SharedReading:
    """The posts of one generator, read by the build from the start and by a second process from the end."""

    def __init__(self, generator, paths, reader_of, settings_data, timeout):
        self.paths = paths  # absolute, in the order the generator reads them
        self.index = {path: number for number, path in enumerate(paths)}
        self.reader_of = reader_of
        self.shared = shared_objects(reader_of(paths[0]).settings)
        self.timeout = timeout
        context = multiprocessing.get_context("spawn")
        self.claims = context.RawArray("b", len(paths))
        self.lock = context.Lock()
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=second_process_target(), daemon=True, name="parallel_reading",
                                       args=(plugin_paths(generator.settings), settings_data, paths, self.claims,
                                             self.lock, sender))
        self.results = None  # {path: (content, metadata)} once received
        self.process.start()
        sender.close()

    def read(self, path, own_read):
        """What the reader gives for `path`: read here, or by the second process."""
        number = self.index.get(path)
        if number is None or claim(self.claims, self.lock, number, BUILD):
            return own_read(path)
        result = self.received().get(path)
        return own_read(path) if result is None else result

    def received(self):
        if self.results is None:
            with self.lock:  # no post is taken by the second process from now on
                for number, who in enumerate(self.claims):
                    if who == FREE:
                        self.claims[number] = BUILD
            self.results = {}
            try:
                self.results = self.answer()
            finally:
                self.close()
            LAST_BUILD["read_by_the_copy"] += len(self.results)
            log.debug("Reading posts in a second process: it read %d of %d posts", len(self.results), len(self.paths))
        return self.results

    def answer(self):
        """The second process's posts, or {} with a WARNING saying why there are none."""
        if not self.receiver.poll(self.timeout):
            log.warning("Reading posts in a second process: no answer within %s s (exit code %s), so this "
                        "build reads those posts itself.", self.timeout, self.process.exitcode)
            return {}
        try:
            kind, value = loads(self.receiver.recv_bytes(), self.shared)
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            self.process.join(timeout=5)
            log.warning("Reading posts in a second process: it ended without its answer (%s; exit code %s), so "
                        "this build reads those posts itself.", error or type(error).__name__, self.process.exitcode)
            return {}
        if kind == "failed":
            log.warning("Reading posts in a second process failed, so this build reads those posts itself:\n%s",
                        value.rstrip())
            return {}
        return value

    def close(self):
        self.receiver.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


_READINGS = []
LAST_BUILD = {"read_by_the_copy": 0}  # how many posts the second process read in the last build (for the tests)


def share_reading(generator):
    """article_generator_init receiver: start the second process when there are many posts to read."""
    LAST_BUILD["read_by_the_copy"] = 0
    options = options_of(generator.settings)
    if not options["enabled"] or cores() < 2:
        return
    if pelican_adapter.answers_before_reading(generator):  # the preview's builder answers with the posts it keeps
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

    try:
        # The readers' own settings: the generator's copy (readers.settings) may differ (plugins/typography).
        settings_data = settings_to_send(reader_of(to_read[0]).settings)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        log.warning("Reading posts in a second process is off for this build: the settings cannot be sent "
                    "to another process (%s). Every post is read here, on one core.", error)
        return
    sharing = SharedReading(generator, to_read, reader_of, settings_data, options["timeout"])
    _READINGS.append(sharing)
    for reader in {id(r): r for r in map(reader_of, to_read)}.values():
        own_read = reader.read

        def read(path, own_read=own_read):
            return sharing.read(path, own_read)

        reader.read = read  # this reader instance only, for this build


def stop_sharing(generator):
    """article_generator_finalized receiver: the second process is done (or stopped) once the posts are read."""
    while _READINGS:
        _READINGS.pop().received()


def register():
    signals.article_generator_init.connect(share_reading)
    signals.article_generator_finalized.connect(stop_sharing)

"""Pagefind's service mode (`pagefind --service`): pages handed over one by one, the index asked for.

The protocol is the one of Pagefind's own Python and Node packages: each message is JSON, base64
encoded and ended by a comma, on the program's stdin; each answer comes the same way on its
stdout, with the id of the message it answers. The pip package's client (pagefind.index) is not
used: it looks for an answer every 0.1 s, one answer at a time, so 1000 pages took 100 s.

The index is asked for as files in the answer (GetFiles), and written by the caller: Pagefind
1.5's service answers WriteFiles before its writes are flushed, and it ends as soon as its input
closes, so a file could be left empty (seen: pagefind-entry.json, 1 build in 30 on a busy machine).

Pagefind applies the same rules as its command line: a page of a site where some page has
`data-pagefind-body` is indexed only if it has it too, and the URL comes from the page's path
relative to the folder the service runs in, whose files it never reads (it is an empty folder of
its own: the output folder may not exist yet when the build starts).

Pagefind runs below the build's priority (a process group of its own lowered with setpriority,
which reaches all its threads, or Windows' BELOW_NORMAL_PRIORITY_CLASS): the rendering comes first.
"""

import base64
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading

log = logging.getLogger(__name__)

LOWER_PRIORITY_BY = 10  # niceness added to the build's own (POSIX)


class ServiceError(Exception):
    """Pagefind answered with an error, ended, or did not answer in time: what it said."""


def started_below_the_build(command, **popen):
    """subprocess.Popen(command, **popen), at a lower priority than the build where the system allows."""
    if sys.platform == "win32":
        return subprocess.Popen(command, creationflags=subprocess.BELOW_NORMAL_PRIORITY_CLASS, **popen)
    process = subprocess.Popen(command, process_group=0, **popen)
    try:  # its group: every thread Pagefind has started by now, and those they start
        os.setpriority(os.PRIO_PGRP, process.pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + LOWER_PRIORITY_BY))
    except OSError as error:  # it ended already (its end is seen by the reader), or the system refuses
        log.debug("Search: Pagefind's priority was left as the build's (%s)", error)
    return process


class PagefindService:
    """One index made by `pagefind --service`. Started at once; ready() waits for its index.
    `warm_up`: a page handed to an index of its own then, so that Pagefind loads what that page's
    language needs (a dictionary) before the pages come."""

    def __init__(self, executable, config, warm_up=None):
        self.said = tempfile.TemporaryFile()  # noqa: SIM115 (its stderr; read and closed by close())
        self.folder = tempfile.TemporaryDirectory(prefix="pagefind-service-")
        self.answers = {}  # message id -> payload
        self.failure = None  # the first error's words
        self.changed = threading.Condition()
        self.last_id = 0
        self.index_id = None
        try:
            self.process = started_below_the_build([str(executable), "--service"], cwd=self.folder.name,
                                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.said)
        except OSError:
            self.said.close()
            self.folder.cleanup()
            raise
        threading.Thread(target=self.read_answers, name="Pagefind's answers", daemon=True).start()
        self.new_index = self.send({"type": "NewIndex", "config": config})
        self.warm_up = warm_up
        if warm_up:
            self.warm_up_index = self.send({"type": "NewIndex", "config": config})

    def ready(self, timeout):
        """Wait for the index asked for when Pagefind started (ServiceError if none came); the
        warm-up page is handed over (its answer is not waited for)."""
        self.index_id = self.wait(self.new_index, timeout)["index_id"]
        if self.warm_up:
            self.send({"type": "AddFile", "index_id": self.wait(self.warm_up_index, timeout)["index_id"],
                       "file_path": "warm-up.html", "url": None, "file_contents": self.warm_up})

    def send(self, payload):
        self.last_id += 1
        message = {"message_id": self.last_id, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):  # it ended, or it was stopped (stdin closed)
            raise ServiceError("Pagefind ended before the index was written.") from None
        return self.last_id

    def add_page(self, relative_path, html):
        """Hand over one page (its text; its path inside the site gives its URL). Not answered yet."""
        self.send({"type": "AddFile", "index_id": self.index_id, "file_path": relative_path, "url": None,
                   "file_contents": html})

    def ask_for_files(self):
        """Ask for the index's files, made from every page handed over so far; the message's id,
        for files()."""
        return self.send({"type": "GetFiles", "index_id": self.index_id})

    def files(self, message_id, timeout):
        """{relative path: bytes} of the index asked for by ask_for_files()."""
        return {file["path"]: base64.b64decode(file["content"])
                for file in self.wait(message_id, timeout)["files"]}

    def read_answers(self):
        """A thread: file each answer under its message's id until Pagefind ends."""
        pending = bytearray()  # an answer with the index's files is megabytes long
        try:
            while chunk := self.process.stdout.read1(1 << 16):
                pending += chunk
                if b"," not in chunk:  # base64 has no comma: the answer goes on
                    continue
                *messages, rest = bytes(pending).split(b",")
                pending = bytearray(rest)
                with self.changed:
                    for message in messages:
                        answer = json.loads(base64.b64decode(message))
                        payload = answer["payload"]
                        if payload.get("type") == "Error" and self.failure is None:
                            self.failure = payload.get("message") or "an error without words"
                        self.answers[answer.get("message_id")] = payload
                    self.changed.notify_all()
            ending = "Pagefind ended before the index was written."
        except (OSError, ValueError, KeyError) as error:  # an answer that is not the protocol's
            ending = f"Pagefind's answer could not be read ({type(error).__name__}: {error})."
        with self.changed:
            if self.failure is None:
                self.failure = ending
            self.changed.notify_all()

    def wait(self, message_id, timeout):
        with self.changed:
            if not self.changed.wait_for(lambda: message_id in self.answers or self.failure, timeout):
                raise ServiceError(f"Pagefind did not answer within {timeout:.0f} s.")
            if self.failure:
                raise ServiceError(self.failure)
            return self.answers[message_id]

    def end_at_once(self):
        """Stop Pagefind where it is (its index is not wanted, or it is stuck)."""
        self.process.kill()

    def close(self):
        """Let Pagefind end (it ends when its input closes; stopped if it does not within 5 s): what
        it said on its stderr (a panic's words), read once it has ended."""
        try:
            self.process.stdin.close()
        except OSError:  # the last bytes could not be written: it is stopped below if still there
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.said.seek(0)
        said = self.said.read().decode("utf-8", "replace").strip()
        self.said.close()
        self.folder.cleanup()
        return said

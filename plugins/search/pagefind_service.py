"""Pagefind's service mode (`pagefind --service`): pages handed over one by one, the index written at the end.

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
"""

import base64
import json
import subprocess
import tempfile
import threading


class ServiceError(Exception):
    """Pagefind answered with an error, or ended: what it said."""


class PagefindService:
    """One index made by `pagefind --service`."""

    def __init__(self, executable, config):
        self.said = tempfile.TemporaryFile()  # its stderr: a panic's words
        self.folder = tempfile.TemporaryDirectory(prefix="pagefind-service-")
        self.process = subprocess.Popen([str(executable), "--service"], cwd=self.folder.name, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.said)
        self.answers = {}  # message id -> payload
        self.failure = None  # the first error's words
        self.changed = threading.Condition()
        self.last_id = 0
        threading.Thread(target=self.read_answers, daemon=True).start()
        self.index_id = self.wait(self.send({"type": "NewIndex", "config": config}))["index_id"]

    def send(self, payload):
        self.last_id += 1
        message = {"message_id": self.last_id, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
        except (BrokenPipeError, ValueError):
            self.fail("Pagefind ended before the index was written.")
        return self.last_id

    def add_page(self, relative_path, html):
        """Hand over one page (its text; its path inside the site gives its URL). Not answered yet."""
        self.send({"type": "AddFile", "index_id": self.index_id, "file_path": relative_path, "url": None,
                   "file_contents": html})

    def ask_for_files(self):
        """Ask for the index's files, made from every page handed over so far; the message's id,
        for files()."""
        message_id = self.send({"type": "GetFiles", "index_id": self.index_id})
        self.process.stdin.flush()
        return message_id

    def files(self, message_id, timeout):
        """{relative path: bytes} of the index asked for by ask_for_files()."""
        return {file["path"]: base64.b64decode(file["content"])
                for file in self.wait(message_id, timeout)["files"]}

    def read_answers(self):
        """A thread: file each answer under its message's id until Pagefind ends."""
        pending = bytearray()  # an answer with the index's files is megabytes long
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
        with self.changed:
            if self.failure is None:
                self.failure = "Pagefind ended before the index was written."
            self.changed.notify_all()

    def wait(self, message_id, timeout=60):
        self.process.stdin.flush()
        with self.changed:
            if not self.changed.wait_for(lambda: message_id in self.answers or self.failure, timeout):
                self.fail(f"Pagefind did not answer within {timeout} s.")
            if self.failure:
                self.fail(self.failure)
            return self.answers[message_id]

    def fail(self, words):
        self.said.seek(0)
        details = self.said.read().decode("utf-8", "replace").strip()
        raise ServiceError(words + (f"\n{details}" if details else ""))

    def end_at_once(self):
        """Stop Pagefind where it is (its index is not wanted)."""
        self.process.kill()

    def close(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.said.close()
        self.folder.cleanup()

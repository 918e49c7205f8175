"""The real preview (`python -m tools.devserver`) running on a copy of the project, as the tests
start it: on a free port of 127.0.0.1, with what it prints collected line by line."""

import os
import queue
import re
import struct
import subprocess
import sys
import threading

from tests.built_site import PROJECT


class Preview:
    """A running `python -m tools.devserver`, and what it has printed. `columns`: run it in a
    terminal (a pseudo-terminal) that many columns wide, as in the writer's window; None: its
    output goes to a pipe, where messages are not wrapped. `wait`: return once it serves (else
    call wait_until_serving()). `python`: the Python that runs it (this one by default). `port`:
    its port, 0 for any free one (known once it serves)."""

    def __init__(self, project, columns=None, wait=True, python=sys.executable, port=0):
        self.project = project
        command = [str(python), "-m", "tools.devserver", "--project", str(project), "--port", str(port),
                   "--comments-port", "0"]
        env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
        if columns:
            import fcntl  # a terminal: Linux and macOS only
            import pty
            import termios

            controller, terminal = pty.openpty()
            fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            self.process = subprocess.Popen(command, cwd=PROJECT, stdin=subprocess.DEVNULL, stdout=terminal,
                                            stderr=terminal, env=env)
            os.close(terminal)
            self.output = open(controller, encoding="utf-8")  # universal newlines: the terminal's \r\n is \n
        else:
            self.process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
            self.output = self.process.stdout
        self.lines = queue.Queue()
        self.printed = []
        self.url = None
        threading.Thread(target=self._read, daemon=True).start()
        if wait:
            self.wait_until_serving()

    def _read(self):
        try:
            for line in self.output:
                self.lines.put(line)
        except OSError:
            pass  # the terminal's other end closed: the preview has stopped
        finally:
            self.output.close()

    def wait_until_serving(self, timeout=60):
        line = self.wait_for("Preview: ", timeout)
        self.url = re.search(r"Preview: (http://127\.0\.0\.1:\d+)/", line).group(1)
        return self.url

    def wait_for(self, text, timeout=30):
        """The next printed line that contains `text`."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                printed = "".join(self.printed)
                raise AssertionError(f"the preview never printed {text!r}; it printed:\n{printed}") from None
            self.printed.append(line)
            if text in line:
                return line

    def printed_since(self, mark):
        """What it printed after the first `mark` lines, as one text."""
        return "".join(self.printed[mark:])

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")

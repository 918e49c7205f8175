"""What the local servers the preview and tests start (Isso, nginx) share: a free port, waiting
until a started server answers, and stopping it."""

import socket
import subprocess
import time
import urllib.error
import urllib.request


class ServerExited(RuntimeError):
    """The server's process ended while it was awaited."""


def free_port(host="127.0.0.1"):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_until_answering(process, url, timeout):
    """True once `url` answers, False after `timeout` s; ServerExited if `process` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerExited(url)
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    return False


def wait_until_listening(process, port, timeout, host="127.0.0.1"):
    """True once `port` accepts a connection (a server whose answers are not plain http, e.g. TLS
    or redirects), False after `timeout` s; ServerExited if `process` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerExited(f"{host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop(process):
    """Terminate `process` (a Popen, or None), killing it if it does not end within 10 s."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

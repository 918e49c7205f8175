"""The Makefile's targets, as a newcomer runs them (`make html` and `make publish` are the
builds every site test reads; `make devserver` has tests of its own)."""

import os
import signal
import socket
import struct
import subprocess
import time
import urllib.request

import pytest

from tests.built_site import PROJECT, SEED_POST, make, make_test_site


def test_make_alone_lists_the_targets():
    result = make()
    assert result.returncode == 0
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("make ")}
    assert {"devserver", "test", "newpost", "html", "clean", "serve", "publish", "rsync_upload", "github",
            "screenshot"} <= listed


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_serve_serves_what_is_built(dev_site):
    port = free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"OUTPUT={dev_site.output}", f"PORT={port}"],
        cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{SEED_POST}") as response:
                    assert "Neuroscience v.s. massage therapy" in response.read().decode()
                    break
            except OSError:
                assert time.monotonic() < deadline, "make serve never answered"
                time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.browser
def test_make_screenshot_photographs_the_article(browser, tmp_path):
    shot = tmp_path / "article.png"
    result = make_test_site("screenshot", tmp_path, f"SCREENSHOT={shot}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"written to {shot}" in result.stdout
    assert png_size(shot) == (1024, 1200)
    assert shot.stat().st_size > 30_000, "a real page, not a blank image"


def test_make_clean_removes_the_output_and_the_cache(tmp_path):
    (tmp_path / "output" / "post").mkdir(parents=True)
    (tmp_path / "cache" / "search_index").mkdir(parents=True)
    assert make("clean", f"OUTPUT={tmp_path / 'output'}", f"CACHE={tmp_path / 'cache'}").returncode == 0
    assert not (tmp_path / "output").exists() and not (tmp_path / "cache").exists()

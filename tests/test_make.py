"""The Makefile's targets, as a newcomer runs them (`make html` and `make publish` are the
builds every site test reads; `make devserver` has tests of its own)."""

import os
import queue
import re
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.request

import pytest

from tests.built_site import PROJECT, SEED_POST, copy_site_content, make, make_test_site, settings_value


def test_make_alone_lists_the_targets():
    result = make()
    assert result.returncode == 0
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("make ")}
    assert {"devserver", "test", "newpost", "html", "clean", "serve", "serve-publish", "publish",
            "rsync_upload", "github", "screenshot"} <= listed


def test_every_target_of_the_makefile_is_a_command_of_the_command_line_and_back():
    from tools.__main__ import TARGETS

    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert set(re.findall(r"^([a-z_-]+): ; \$\(LAUNCH\)$", makefile, re.M)) == set(TARGETS)


@pytest.mark.skipif(os.name == "nt", reason='Windows forbids " in a folder name')
def test_settings_reach_the_tools_as_data_never_through_a_shell(tmp_path):
    odd = tmp_path / "it's a \"folder\"; touch pwned & touch pwned2 `touch pwned3`"
    (odd / "post").mkdir(parents=True)
    result = make("clean", f"OUTPUT={odd}", f"CACHE={tmp_path / 'cache'}", f"PREVIEW={tmp_path / 'preview'}")
    assert result.returncode == 0, result.stderr
    assert not odd.exists()
    assert not [name for name in ("pwned", "pwned2", "pwned3") if (PROJECT / name).exists() or (tmp_path / name).exists()]


def test_an_unknown_target_is_named_with_where_the_list_is():
    result = make("no-such-target")
    assert result.returncode != 0
    assert "No rule to make target" in result.stderr or "There is no target 'no-such-target'" in result.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(os.name == "nt", reason="stops the server's process group, which Windows has not")
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


@pytest.mark.linux_services
def test_make_serve_publish_serves_what_would_be_uploaded_with_the_production_headers(tmp_path):
    from tests.page_checks import missing_system_tool
    from tools import nginx_server

    try:
        nginx_server.executable()
    except nginx_server.NginxMissing as error:
        missing_system_tool(error, "make serve-publish serves with nginx")
    copy_site_content(tmp_path / "content")
    port = free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve-publish", f"OUTPUT={tmp_path / 'output'}",
         f"CONTENT={tmp_path / 'content'}", f"CACHE={tmp_path / 'cache'}", f"PUBLISH_PORT={port}"],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={name: value for name, value in os.environ.items() if name != "COLUMNS"},  # one line per message
    )
    lines = []
    try:
        # It builds the site first, then says where it serves: wait for that line, not for time.
        printing = queue.Queue()
        threading.Thread(target=lambda: [printing.put(line) for line in server.stdout] + [printing.put("")],
                         daemon=True).start()
        deadline = time.monotonic() + 120
        while not lines or lines[-1] != "Ctrl+C stops it.\n":
            try:
                line = printing.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("make serve-publish never answered:\n" + "".join(lines)) from None
            assert line, "make serve-publish stopped:\n" + "".join(lines)
            lines.append(line)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{SEED_POST}") as response:
            body, headers = response.read(), response.headers
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    while (line := printing.get(timeout=20)) != "":  # the rest, until the pipe closes
        lines.append(line)
    printed = "".join(lines)
    # Exactly the publish build's page, with the production headers nginx sends.
    assert body == (tmp_path / "output" / SEED_POST / "index.html").read_bytes()
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"]
    assert f'href="{settings_value("publishconf.py", "SITEURL")}/' in body.decode()
    assert (tmp_path / "output" / "sitemap.xml").is_file(), "a publish build (make html has no sitemap)"
    assert b"__devserver" not in body
    assert f"http://127.0.0.1:{port}/" in printed and "production headers (nginx)" in printed
    with pytest.raises(OSError):  # stopping it stopped nginx
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.browser
def test_make_screenshot_photographs_the_main_pages_at_both_widths_in_both_schemes(browser, tmp_path):
    shots = tmp_path / "shots"
    result = make_test_site("screenshot", tmp_path, f"SCREENSHOTS={shots}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"20 screenshots written to {shots}/" in result.stdout
    for name in ("home", "post", "tag", "search", "about"):
        for view, size in (("phone", (375, 812)), ("desktop", (1280, 900))):
            for scheme in ("light", "dark"):
                shot = shots / f"{name}-{view}-{scheme}.png"
                assert png_size(shot) == size
                assert 8_000 < shot.stat().st_size < 200_000, f"{shot.name}: a real page, kept small"
    assert not (tmp_path / "output").exists()  # built in a folder of its own


def test_make_clean_removes_the_output_the_preview_and_the_cache(tmp_path):
    (tmp_path / "output" / "post").mkdir(parents=True)
    (tmp_path / "cache" / "search_index").mkdir(parents=True)
    (tmp_path / ".preview" / "site").mkdir(parents=True)
    assert make("clean", f"OUTPUT={tmp_path / 'output'}", f"CACHE={tmp_path / 'cache'}",
                f"PREVIEW={tmp_path / '.preview'}").returncode == 0
    assert not [name for name in ("output", "cache", ".preview") if (tmp_path / name).exists()]

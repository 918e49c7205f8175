"""Attacks on the commands and on serving the published site, on 127.0.0.1 only.

- Make variables are data: every setting of the command line reaches the tools exactly as typed
  (`$5`, `$(shell …)`, backticks, `;`, quotes), through real `make` on a copy of the project; no
  shell and no make function ever runs from one. GITHUB_REMOTE is a remote or an address, never
  an option.
- nginx (the site's own _nginx/site.conf, as `make serve-publish` and the host use it) names no
  version, sends the security headers on every answer (400, 404, 405, 414, 505, TRACE's), and a
  folder without a page is not found (404, not 403).
- Names and titles read from files are printed with their control characters escaped: a file
  named with an escape sequence or a line break cannot clear the screen or fake a line.
"""

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.built_site import PROJECT, copy_project, copy_site_content, make_test_site, write_files

# Every setting the README and docs/ name, given to make on its command line.
SETTINGS = ["SITE", "FEED", "TITLE", "TAGS", "RSYNC_DEST", "GITHUB_REMOTE", "SITEURL", "COMMENTS_URL", "DRY_RUN",
            "FORCE", "CONFIRM", "HOST", "PORT", "PUBLISH_PORT", "OUTPUT", "CONTENT", "CACHE", "PREVIEW",
            "SCREENSHOTS", "N", "REPEAT", "PORTABLE", "CHROMIUM"]
# What the launcher needs beside the sources a build reads (tests/built_site.PROJECT_SOURCES).
COMMAND_SOURCES = ["Makefile", "tools", "requirements.lock", "requirements-dev.lock", "bench/requirements.lock"]


def hostile(folder):
    """A value holding what a shell or make would run or expand: each would create a file in `folder`."""
    return (f"Costs $5; touch {folder}/semicolon `touch {folder}/backtick` $(touch {folder}/dollar) "
            f"$(shell touch {folder}/make) ${{HOME}} $$5 \"double\" 'single' | touch {folder}/pipe # \\end")


def ran_anything(folder):
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def project(tmp_path):
    """A copy of the project that `make` runs in: sources, test content, the Makefile and tools/,
    and a .venv whose python is this one, behind a script that keeps the environment each tool
    starts with (.venv/tool-environment.json). Its lock stamp is written, so the launcher installs nothing."""
    from tools.launch import LOCKS, digest

    project = copy_project(tmp_path / "project")
    for name in COMMAND_SOURCES:
        source, copy = PROJECT / name, project / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy)
    python = project / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    keep = "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w', encoding='utf-8'))"
    python.write_text(f'#!/bin/sh\nif [ "$1 $2" = "-m tools" ]; then "{sys.executable}" -c "{keep}" "{project}/.venv/'
                      f'tool-environment.json"; fi\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    (project / ".venv" / ".installed-site").write_text(digest(LOCKS["site"]) + "\n")
    (tmp_path / "ran").mkdir()
    return project


def make_in(project, *words):
    return subprocess.run(["make", "--no-print-directory", *words], check=False, cwd=project, capture_output=True,
                          text=True)


def tool_environment(project):
    return json.loads((project / ".venv" / "tool-environment.json").read_text(encoding="utf-8"))


# --- Make variables are data ----------------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="make.bat passes each word to the launcher as it is: no make there")
def test_every_setting_reaches_the_tools_exactly_as_typed_and_runs_nothing(project, tmp_path):
    ran = tmp_path / "ran"
    value = hostile(ran)
    result = make_in(project, "clean", *[f"{name}={value}" for name in SETTINGS])
    assert result.returncode == 0, result.stderr
    seen = tool_environment(project)
    assert {name: seen.get(name) for name in SETTINGS} == dict.fromkeys(SETTINGS, value)
    assert ran_anything(ran) == []


@pytest.mark.skipif(os.name == "nt", reason="make.bat passes each word to the launcher as it is: no make there")
def test_a_title_keeps_its_dollars_and_quotes(project, tmp_path):
    title = "Costs $5 a week; or $$10 \"with\" `the` $(shell oil)"
    result = make_in(project, "newpost", f"TITLE={title}", f"TAGS=prices, $(shell touch {tmp_path}/ran/tags)")
    assert result.returncode == 0, result.stderr
    draft = next((project / "content" / "posts").glob("costs-5*.md")).read_text(encoding="utf-8")
    assert f"Title: {title}\n" in draft
    assert f"Tags: prices, $(shell touch {tmp_path}/ran/tags)\n" in draft
    assert ran_anything(tmp_path / "ran") == []


@pytest.mark.linux_services
@pytest.mark.skipif(os.name == "nt", reason="rsync")
def test_rsync_dest_goes_exactly_where_it_says_and_runs_nothing(project, tmp_path):
    destination = tmp_path / "host $(shell touch pwned) `touch pwned`; touch pwned"
    result = make_in(project, "rsync_upload", f"RSYNC_DEST={destination}/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (destination / "index.html").is_file()
    assert not list(tmp_path.rglob("pwned"))


@pytest.mark.skipif(os.name == "nt", reason="the Makefile's test; make.bat has no make")
@pytest.mark.parametrize("remote", ["-oProxyCommand@x:y", "-oProxyCommand=touch pwned@x:y", "--receive-pack=touch pwned",
                                    "upstream", "ext::sh -c touch% pwned", "ssh://-oProxyCommand=touch%20pwned/x"])
def test_github_remote_is_a_remote_of_the_repository_or_an_address(project, remote):
    subprocess.run(["git", "init", "--quiet"], cwd=project, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(project.parent / "remote.git")], cwd=project, check=True)
    result = make_in(project, "github", f"GITHUB_REMOTE={remote}")
    assert result.returncode != 0
    assert (f'GITHUB_REMOTE "{remote}" is not a git remote of this repository (its remotes: origin) nor an address'
            in result.stderr)
    assert "Building" not in result.stdout and not (project / "output").exists(), "refused before building"
    assert not list(project.parent.rglob("pwned"))


def test_the_remotes_and_addresses_a_writer_gives_are_accepted(tmp_path):
    from tools.upload import check_github

    subprocess.run(["git", "init", "--quiet"], cwd=tmp_path, check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:you/blog.git"], cwd=tmp_path, check=True)
    for remote in ["origin", "https://github.com/you/blog.git", "git@github.com:you/blog.git",
                   "ssh://git@github.com:22/you/blog.git", "file:///srv/blog.git", str(tmp_path / "remote.git")]:
        check_github(tmp_path, remote)


# --- nginx: the site's own configuration ----------------------------------------------------

@pytest.fixture(scope="module")
def nginx(publish_site):
    """The publish build served by a real nginx with its _nginx/site.conf."""
    from tests.page_checks import missing_system_tool
    from tools import nginx_server

    try:
        nginx_server.executable()
    except nginx_server.NginxMissing as error:
        missing_system_tool(error, "the nginx tests need nginx")
    with nginx_server.running_nginx(publish_site.output) as server:
        server.site = publish_site
        yield server


def answer(server, request):
    """(status, {header: value}, body) of nginx's answer to the raw `request` (bytes)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return int(status_line.split()[1]), headers, body


def request(method, path, *headers):
    return "\r\n".join([f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "Connection: close", "", ""]).encode(
        "latin-1")


def policy_headers(site):
    """The security headers the build wrote for every answer (output/_headers' rule for /*)."""
    rule = (site.output / "_headers").read_text(encoding="utf-8").split("\n/*\n", 1)[1].split("\n/", 1)[0]
    return dict(line.strip().split(": ", 1) for line in rule.splitlines())


ANSWERS = {
    "trace": (request("TRACE", "/"), (405, 501)),
    "a second Host": (request("GET", "/", "Host: evil.example"), (400,)),
    "a control character": (b"GET /\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", (400,)),
    "no such version of HTTP": (b"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", (505,)),
    "a long address": (request("GET", "/" + "a" * 10_000), (414,)),
    "post": (request("POST", "/", "Content-Length: 0"), (405,)),
    "a missing page": (request("GET", "/no-such-page/"), (404,)),
    "a folder without a page": (request("GET", "/theme/"), (404,)),
    "the host's files": (request("GET", "/_nginx/site.conf"), (404,)),
    "a page": (request("GET", "/"), (200,)),
}


@pytest.mark.linux_services
@pytest.mark.parametrize("what", list(ANSWERS))
def test_every_answer_of_nginx_carries_the_security_headers_and_no_version(nginx, what):
    raw, statuses = ANSWERS[what]
    status, headers, body = answer(nginx, raw)
    assert status in statuses
    for name, value in policy_headers(nginx.site).items():
        assert headers.get(name.lower()) == value, f"{what}: {name}"
    assert headers["server"] == "nginx" and b"nginx/" not in body


@pytest.mark.linux_services
@pytest.mark.parametrize("folder", ["/theme/", "/post/", "/pagefind/", "/pagefind/fragment/"])
def test_a_folder_without_a_page_is_not_found(nginx, folder):
    assert (nginx.site.output / folder.strip("/")).is_dir() and not (nginx.site.output / folder.strip("/") /
                                                                      "index.html").exists()
    status, _, body = answer(nginx, request("GET", folder))
    assert status == 404
    not_found = BeautifulSoup((nginx.site.output / "404.html").read_bytes(), "lxml").title.string
    assert BeautifulSoup(body, "lxml").title.string == not_found, "the site's own 404 page"


# --- Names in the terminal ------------------------------------------------------------------

EVIL_NAME = "posts/clear\x1b[2J\x1b]0;owned\x07\rover\nThe site is ready in output.md"
EVIL_TITLE = "Red \x1b[31malert\x1b[0m \x1b]0;owned\x07 \u202eright-to-left"


def escaped(text):
    return text.encode("unicode_escape").decode("ascii")


def assert_acts_on_nothing(printed):
    assert not [character for character in printed if character in "\x1b\x07\r\u202e"]
    faked = ("The site is ready in output.md", "over")
    assert not [line for line in printed.splitlines() if line.lstrip().startswith(faked)]


def test_names_and_titles_from_files_cannot_act_on_the_terminal(tmp_path):
    # A post whose file name and title hold escape sequences (clear the screen, colour, the
    # window's title), a carriage return, a line break and a right-to-left override: as a draft,
    # the publish summary names it; published with newpost's placeholder, the content checks do.
    from tools.newpost import TEMPLATE

    content = copy_site_content(tmp_path / "content")
    post = TEMPLATE.format(title=EVIL_TITLE, date="2024-05-01 09:30", author="Yoko", tags="sleep")
    write_files(content, {EVIL_NAME: post})
    published = make_test_site("publish", tmp_path)
    assert published.returncode == 0, published.stdout + published.stderr
    assert_acts_on_nothing(published.stdout + published.stderr)
    assert f'"{escaped(EVIL_TITLE)}" ({content}/{escaped(EVIL_NAME)}): a draft' in published.stdout

    write_files(content, {EVIL_NAME: post.replace("Status: draft\n", "")})
    previewed = make_test_site("html", tmp_path)
    assert previewed.returncode == 0, previewed.stdout + previewed.stderr
    assert_acts_on_nothing(previewed.stdout + previewed.stderr)
    assert f"{content}/{escaped(EVIL_NAME)}, line 7: still holds the words" in previewed.stdout

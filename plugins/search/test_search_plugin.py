"""search: real Pelican builds into a temporary folder, indexed by the real Pagefind."""

import gzip
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugins.shared.pelican_adapter import forget_repeated_warnings
from search.search import SearchIndexError

PLUGINS = Path(__file__).resolve().parent.parent

# Pelican's `simple` theme, with the post body marked the way the site's theme marks it.
ARTICLE = """<html lang="en"><head><title>{{ article.title }}</title></head><body>
<header>Site header words</header>
<article data-pagefind-body><h1>{{ article.title }}</h1>
<p data-pagefind-ignore>By Yoko · <span data-pagefind-meta="reading_time">2 min read</span></p>
{{ article.content }}
{% for tag in article.tags %}<a data-pagefind-filter="tag">{{ tag }}</a>{% endfor %}</article>
</body></html>"""

POSTS = {
    "templates/article.html": ARTICLE,
    "first.md": "Title: Piriformis\nDate: 2024-01-01\nTags: sciatica\n\nThe piriformis sits deep in the hip.\n",
    "second.md": "Title: Sleep\nDate: 2024-01-02\nTags: sleep\n\nMelatonin rises in the evening.\n",
}


def indexed(output, bundle="pagefind"):
    records = {}
    for fragment in (output / bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        records[record["url"]] = record
    return records


def bundle_bytes(output):
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in (output / "pagefind").rglob("*") if p.is_file()}


@pytest.fixture
def build(pelican_build, tmp_path):
    def build_with(files=POSTS, **search):
        settings = {"SEARCH": search, "CACHE_PATH": str(tmp_path / "cache"), "THEME_STATIC_PATHS": []}
        # The /search/ page shows the theme's list of tags: an empty one stands in for it here.
        files = {**files, "templates/partials/tag_index.html": ""}
        forget_repeated_warnings()  # Pelican says a line once per process: each build's are read here
        return pelican_build(files, settings=settings, plugins=["search", "theme_assets", "build_order"])
    return build_with


def test_only_marked_bodies_are_indexed_with_metadata_and_filters(build):
    records = indexed(build())
    assert set(records) == {"/piriformis.html", "/sleep.html"}  # not the index, tags or archives pages
    first = records["/piriformis.html"]
    assert "piriformis sits deep" in first["content"] and "Site header words" not in first["content"]
    assert "By" not in first["content"].split()  # ignored text, but its metadata is kept
    assert first["meta"]["reading_time"] == "2 min read" and first["meta"]["title"] == "Piriformis"
    assert first["filters"] == {"tag": ["sciatica"]}


def test_the_ready_made_interfaces_are_not_kept(build):
    names = {p.name for p in (build() / "pagefind").iterdir()}
    assert "pagefind.js" in names and not [n for n in names if "-ui." in n]


def test_an_unchanged_site_gets_the_very_same_index(build):
    first = bundle_bytes(build())
    assert bundle_bytes(build()) == first  # Pagefind alone reorders its filter files each run


def test_a_changed_post_gets_a_new_index(build):
    build()
    changed = {**POSTS, "second.md": POSTS["second.md"].replace("Melatonin", "Serotonin")}
    content = indexed(build(changed))["/sleep.html"]["content"]
    assert "Serotonin" in content and "Melatonin" not in content


def test_without_reuse_pagefind_runs_every_time(build):
    output = build(reuse=False)
    assert indexed(output) and not (output.parent / "cache" / "search_index").exists()


def test_search_turned_off_writes_no_index(build):
    assert not (build(enabled=False) / "pagefind").exists()


def test_a_failing_pagefind_stops_the_build_with_its_reason(build, caplog):
    """Its service, fed as the pages are written, fails first: said, and the command line is run."""
    with pytest.raises(SearchIndexError, match=r"(?s)Pagefind failed \(exit \d+\).*MissingAttributeName"):
        build(exclude_selectors=["[[["], reuse=False)
    (warning,) = search_warnings(caplog)
    assert re.fullmatch(r"(?s)Search: the index made as pages were written could not be used \(.*"
                        r"MissingAttributeName.*\): the finished pages are indexed instead\.", warning)


def test_a_missing_pagefind_package_says_how_to_install_it(build, monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # import fails as if not installed
    with pytest.raises(SearchIndexError, match=r"(?s)not installed.*make html"):
        build(reuse=False)


def test_a_bundle_folder_outside_the_output_is_refused(build):
    with pytest.raises(SearchIndexError, match="must name a folder inside the output"):
        build(bundle_dir="../elsewhere")


@pytest.fixture
def pagefind_runs(monkeypatch):
    """The Pagefinds the test's builds start (its command line, IndexRun, and its service): the
    real classes, each instance kept for the test."""
    import search.pagefind_service as service_module
    import search.search as search_module

    runs = []
    for cls in (search_module.IndexRun, service_module.PagefindService):
        def init(run, *arguments, own_init=cls.__init__):
            own_init(run, *arguments)
            runs.append(run)

        monkeypatch.setattr(cls, "__init__", init)
    return runs


def ended(runs):
    return runs and all(run.process.poll() is not None for run in runs)


def test_a_pagefind_that_takes_too_long_is_stopped_and_said(build, pagefind_runs):
    """IndexRun.wait's time-out ends Pagefind (stop()) and says so, naming the setting's seconds."""
    with pytest.raises(SearchIndexError, match=r"did not finish within 0 s and was stopped"):
        build(timeout=0, reuse=False)
    assert ended(pagefind_runs), "Pagefind left running"


@pytest.mark.parametrize("as_written", [True, False], ids=["as-written", "command-line"])
def test_a_later_step_that_fails_stops_pagefind_and_its_own_error_is_said(pelican_build, tmp_path, pagefind_runs,
                                                                          as_written):
    """build_order stops the steps still running when a later one fails (here security_headers,
    whose _headers file is a folder a post took): the error said is that step's, not a stop()'s."""
    files = {**POSTS, "templates/partials/tag_index.html": "",
             "clash.md": "Title: Clash\nDate: 2024-01-03\nSave_as: _headers/index.html\n\nIn the way.\n"}
    settings = {"SEARCH": {"reuse": False, "as_written": as_written}, "CACHE_PATH": str(tmp_path / "cache"),
                "THEME_STATIC_PATHS": []}
    with pytest.raises(IsADirectoryError, match="_headers"):
        pelican_build(files, settings=settings, plugins=["search", "theme_assets", "build_order", "security_headers"])
    assert ended(pagefind_runs), "Pagefind left running"


def made_as_written(caplog):
    return "the index was made as the pages were written" in caplog.text


def search_warnings(caplog):
    return [record.getMessage() for record in caplog.records
            if record.name.startswith("search") and record.levelno >= logging.WARNING]


@pytest.mark.parametrize("language", [None, "ja"])
def test_the_index_made_as_pages_are_written_is_the_one_of_the_finished_folder(build, caplog, tmp_path, language):
    """The pages go to Pagefind's service as Pelican writes them; the pieces of text it keeps (named
    by their content) are those its command line makes from the finished folder. With Japanese,
    the page that has Pagefind load its dictionary early is not in the index."""
    from search.search import DEFAULTS, run_pagefind

    with caplog.at_level(logging.DEBUG, logger="search.search"):
        output = build(reuse=False, language=language)
    assert made_as_written(caplog) and not search_warnings(caplog)
    finished = tmp_path / "finished"
    shutil.copytree(output, finished, ignore=shutil.ignore_patterns("pagefind"))
    run_pagefind(finished, {**DEFAULTS, "language": language})
    assert sorted(p.name for p in (output / "pagefind" / "fragment").iterdir()) == \
        sorted(p.name for p in (finished / "pagefind" / "fragment").iterdir())
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    assert [language["page_count"] for language in entry["languages"].values()] == [2]


@pytest.fixture
def on_written(monkeypatch):
    """on_written(receiver): receiver(path) runs for each page Pelican writes during the test's
    build, after the search plugin's own receiver (it is connected when the build starts)."""
    from pelican import signals

    receivers = []

    def connect(receiver):
        def after_the_plugins(pelican):
            signals.content_written.connect(receiver)
        receivers.append((receiver, after_the_plugins))
        signals.initialized.connect(after_the_plugins)
    yield connect
    for receiver, after_the_plugins in receivers:
        signals.content_written.disconnect(receiver)
        signals.initialized.disconnect(after_the_plugins)


def pagefind_service():
    """The Pagefind fed by the build under way."""
    from search.search import _AS_WRITTEN

    (as_written,) = _AS_WRITTEN.values()
    return as_written.service.process


def test_a_page_written_again_after_it_was_handed_over_is_indexed_from_the_finished_folder(build, caplog,
                                                                                           on_written):
    """Pagefind cannot take a page back: a page written twice (as a plugin rewriting a post through
    Pelican's writer does) has the command line index the finished folder. Expected: no warning."""
    from pelican import signals

    def rewrite(path, context=None):
        if path.endswith("sleep.html") and not rewrite.done:
            rewrite.done = True
            Path(path).write_text(Path(path).read_text().replace("Melatonin", "Serotonin"))
            signals.content_written.send(path, context=context)
    rewrite.done = False
    on_written(rewrite)
    with caplog.at_level(logging.DEBUG, logger="search.search"):
        output = build(reuse=False)
    assert "indexing the finished pages (sleep.html was written twice)" in caplog.text
    assert not made_as_written(caplog) and not search_warnings(caplog)
    assert "Serotonin" in indexed(output)["/sleep.html"]["content"]


def test_pagefind_ending_while_pages_are_written_is_said_and_the_finished_pages_are_indexed(build, caplog,
                                                                                            on_written):
    def end_pagefind(path, context=None):
        pagefind_service().kill()
    on_written(end_pagefind)
    output = build(reuse=False)
    assert search_warnings(caplog) == [
        ("Search: the index made as pages were written could not be used (Pagefind ended before the index was "
         "written.): the finished pages are indexed instead.")]
    assert set(indexed(output)) == {"/piriformis.html", "/sleep.html"}


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="a process is stopped so on POSIX systems only")
def test_a_pagefind_that_does_not_answer_is_said_and_the_finished_pages_are_indexed(build, caplog, on_written):
    """Every wait for Pagefind's service has SEARCH["timeout"]: a stuck one is stopped, and said."""
    def stop_pagefind(path, context=None):
        os.kill(pagefind_service().pid, signal.SIGSTOP)
    on_written(stop_pagefind)
    started = time.monotonic()
    output = build(reuse=False, timeout=4)
    assert search_warnings(caplog) == [
        ("Search: the index made as pages were written could not be used (Pagefind did not answer within 4 s.): "
         "the finished pages are indexed instead.")]
    assert set(indexed(output)) == {"/piriformis.html", "/sleep.html"}
    assert time.monotonic() - started < 4 + 4, "the stuck Pagefind was waited for once, then stopped"


def test_search_as_written_turned_off_indexes_the_finished_folder(build, caplog):
    with caplog.at_level(logging.DEBUG, logger="search.search"):
        output = build(reuse=False, as_written=False)
    assert not made_as_written(caplog) and set(indexed(output)) == {"/piriformis.html", "/sleep.html"}


@pytest.mark.timeout(120)
def test_a_build_without_fork_indexes_the_pages_as_they_are_written(tmp_path):
    """Windows has no os.fork: Pagefind's service is a subprocess fed by a thread of the build."""
    for name, text in {**POSTS, "templates/partials/tag_index.html": ""}.items():
        path = tmp_path / ("" if name.startswith("templates/") else "content") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "settings.py").write_text(
        "import os\nassert not hasattr(os, 'fork'), 'sitecustomize.py removed it'\n"
        f"PLUGIN_PATHS = [{str(PLUGINS)!r}]\nPLUGINS = ['search', 'theme_assets', 'build_order']\n"
        f"THEME = 'simple'\nTHEME_TEMPLATES_OVERRIDES = [{str(tmp_path / 'templates')!r}]\nTIMEZONE = 'UTC'\n"
        f"THEME_STATIC_PATHS = []\nCACHE_PATH = {str(tmp_path / 'cache')!r}\nSEARCH = {{'reuse': False}}\n")
    no_fork = tmp_path / "no_fork"
    no_fork.mkdir()
    (no_fork / "sitecustomize.py").write_text("import os\ndel os.fork, os.forkpty\n")
    output = tmp_path / "output"
    result = subprocess.run(  # the writer's command (tools/messages), whose -D shows the plugins' debug lines
        [sys.executable, "-m", "tools.messages", str(tmp_path / "content"), "-s", str(tmp_path / "settings.py"),
         "-o", str(output), "-D"], check=False, cwd=PLUGINS.parent, capture_output=True, text=True, timeout=100,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(no_fork), str(PLUGINS.parent)])})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "the index was made as the pages were written" in result.stdout + result.stderr
    assert set(indexed(output)) == {"/piriformis.html", "/sleep.html"}

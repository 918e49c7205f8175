"""search: real Pelican builds into a temporary folder, indexed by the real Pagefind."""

import gzip
import json
import logging
import shutil
import sys
import time
from pathlib import Path

import pytest

from search.search import SearchIndexError

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


def test_a_failing_pagefind_stops_the_build_with_its_reason(build):
    with pytest.raises(SearchIndexError, match=r"(?s)Pagefind failed \(exit \d+\).*MissingAttributeName"):
        build(exclude_selectors=["[[["], reuse=False)


def test_a_missing_pagefind_package_says_how_to_install_it(build, monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # import fails as if not installed
    with pytest.raises(SearchIndexError, match=r"(?s)not installed.*make html"):
        build(reuse=False)


def test_a_bundle_folder_outside_the_output_is_refused(build):
    with pytest.raises(SearchIndexError, match="must name a folder inside the output"):
        build(bundle_dir="../elsewhere")


def test_the_index_made_as_pages_are_written_is_pagefinds_own(build, caplog, tmp_path):
    """The pages go to Pagefind's service as Pelican writes them; the pieces of text it keeps (named
    by their content) are those its command line makes from the finished folder."""
    from search.search import DEFAULTS, run_pagefind

    with caplog.at_level(logging.DEBUG, logger="search.search"):
        output = build()
    assert "the index was made as the pages were written" in caplog.text
    finished = tmp_path / "finished"
    shutil.copytree(output, finished, ignore=shutil.ignore_patterns("pagefind"))
    run_pagefind(finished, DEFAULTS)
    assert sorted(p.name for p in (output / "pagefind" / "fragment").iterdir()) == \
        sorted(p.name for p in (finished / "pagefind" / "fragment").iterdir())
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    assert [language["page_count"] for language in entry["languages"].values()] == [2]


PAGE = '<html lang="en"><body><header>Menu</header><main{mark}>{text}</main></body></html>'


@pytest.fixture
def as_written(tmp_path):
    """An IndexAsWritten on a folder the test writes pages into, as Pelican's writer would."""
    from search.search import IndexAsWritten

    output = tmp_path / "site"
    settings = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(tmp_path / "cache"), "SEARCH": {"reuse": False}}
    started = []

    def start():
        started.append(IndexAsWritten(settings))
        return started[-1]

    def write(name, text, mark=" data-pagefind-body"):
        page = output / name / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.format(mark=mark, text=text))
        started[-1].written(page)
        return page

    yield settings, start, write
    for worker in started:
        worker.stop()


def index_written(settings, timeout=30):
    entry = Path(settings["OUTPUT_PATH"]) / "pagefind" / "pagefind-entry.json"
    deadline = time.monotonic() + timeout
    while not entry.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return entry.exists()


def finished_index(settings, worker):
    from search.search import index_started

    run = index_started(settings, worker)
    run.wait()
    return run.how, indexed(Path(settings["OUTPUT_PATH"]))


def test_the_index_is_written_once_the_expected_pages_are_in_and_again_for_a_later_one(as_written):
    settings, start, write = as_written
    worker = start()
    first, second = write("first", "Piriformis stretch"), write("second", "Sleep and melatonin")
    worker.expect([first, second])
    assert index_written(settings)  # while the lists would be written
    write("tags", "A list", mark="")
    write("later", "Trigger points")  # a page of text nobody expected: the index is written again
    how, records = finished_index(settings, worker)
    assert how == "as written" and set(records) == {"/first/", "/second/", "/later/"}


def test_a_page_written_again_after_it_was_indexed_is_indexed_from_the_finished_folder(as_written):
    settings, start, write = as_written
    worker = start()
    page = write("first", "Piriformis stretch")
    worker.expect([page])
    assert index_written(settings)  # so the page was indexed as it was
    page.write_text(PAGE.format(mark=" data-pagefind-body", text="Serotonin"))  # not through the writer
    how, records = finished_index(settings, worker)
    assert how == "at the end" and "Serotonin" in records["/first/"]["content"]


def test_without_a_marked_page_every_page_is_indexed_as_pagefind_does(as_written):
    settings, start, write = as_written
    worker = start()
    write("first", "Piriformis stretch", mark="")
    write("second", "Sleep and melatonin", mark="")
    how, records = finished_index(settings, worker)
    assert how == "as written" and set(records) == {"/first/", "/second/"}

"""search: real Pelican builds into a temporary folder, indexed by the real Pagefind."""

import gzip
import json
import sys

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


@pytest.fixture
def pagefind_runs(monkeypatch):
    """The IndexRuns the test's builds start: the real class, each instance kept for the test."""
    import search.search as search_module

    runs = []
    own_init = search_module.IndexRun.__init__

    def init(run, *arguments):
        own_init(run, *arguments)
        runs.append(run)

    monkeypatch.setattr(search_module.IndexRun, "__init__", init)
    return runs


def test_a_pagefind_that_takes_too_long_is_stopped_and_said(build, pagefind_runs):
    """IndexRun.wait's time-out ends Pagefind (stop()) and says so, naming the setting's seconds."""
    with pytest.raises(SearchIndexError, match=r"did not finish within 0 s and was stopped"):
        build(timeout=0, reuse=False)
    assert pagefind_runs and all(run.process.poll() is not None for run in pagefind_runs), "Pagefind left running"


def test_a_later_step_that_fails_stops_pagefind_and_its_own_error_is_said(pelican_build, tmp_path, pagefind_runs):
    """build_order stops the steps still running when a later one fails (here security_headers,
    whose _headers file is a folder a post took): the error said is that step's, not a stop()'s."""
    files = {**POSTS, "templates/partials/tag_index.html": "",
             "clash.md": "Title: Clash\nDate: 2024-01-03\nSave_as: _headers/index.html\n\nIn the way.\n"}
    settings = {"SEARCH": {"reuse": False}, "CACHE_PATH": str(tmp_path / "cache"), "THEME_STATIC_PATHS": []}
    with pytest.raises(IsADirectoryError, match="_headers"):
        pelican_build(files, settings=settings, plugins=["search", "theme_assets", "build_order", "security_headers"])
    assert pagefind_runs and all(run.process.poll() is not None for run in pagefind_runs), "Pagefind left running"

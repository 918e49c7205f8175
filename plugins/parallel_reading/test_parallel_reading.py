import os
import re
import time

import pytest
from pelican.readers import MarkdownReader

from parallel_reading import parallel_reading
from parallel_reading.parallel_reading import COPY, LAST_BUILD

PLUGINS = ["content_checks", "typography", "parallel_reading"]
SETTINGS = {"TYPOGRIFY": True, "TYPOGRIFY_OMIT_FILTERS": ["caps"], "DEFAULT_METADATA": {"category": "blog"}}


def posts(count, tags="sleep, tag {number}"):
    return {f"posts/post-{number:02}.md": f'Title: Post "{number}" -- {number}\nDate: 2023-{1 + number // 28:02}-{number % 28 + 1:02}\n'
                                          f"Author: Yoko\nTags: {tags.format(number=number % 3)}\nSlug: post-{number}\n\n"
                                          f'It\'s "deep" sleep -- number {number}...\n\n## A heading\n\nMore.\n'
            for number in range(count)}


def pages(output):
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*.html"))}


@pytest.fixture
def second_process_gets_its_turn(monkeypatch):
    """The build reads its first post only once the second process has taken one (a fresh Python
    takes a moment to start; a small test site would be read by the build alone before that)."""
    own_read = MarkdownReader.read

    def read(reader, path):
        deadline = time.monotonic() + 60
        while parallel_reading._READINGS and time.monotonic() < deadline and \
                COPY not in list(parallel_reading._READINGS[-1].claims):
            time.sleep(0.01)
        return own_read(reader, path)

    monkeypatch.setattr(MarkdownReader, "read", read)


def test_the_same_pages_whoever_reads_the_posts(pelican_build, second_process_gets_its_turn):
    shared = pages(pelican_build(posts(40), {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}}, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] > 0, "the second process read some of the posts"
    alone = pages(pelican_build(posts(40), {**SETTINGS, "PARALLEL_READING": {"enabled": False}}, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] == 0
    assert shared == alone and len(shared) > 40
    assert "&#8220;deep&#8221; sleep &#8212;" in shared["post-3.html"].decode()


def test_an_empty_field_read_in_the_second_process_is_dropped_as_pelican_drops_it(pelican_build,
                                                                                   second_process_gets_its_turn):
    """`Tags:` with nothing after it: Pelican's reader gives its marker for a field to drop, which
    Pelican knows only by identity; a copy of it made a build fail (`'object' object is not iterable`)."""
    shared = pages(pelican_build(posts(40, tags=""), {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}},
                                 plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] > 0
    alone = pages(pelican_build(posts(40, tags=""), {**SETTINGS, "PARALLEL_READING": {"enabled": False}},
                                plugins=PLUGINS))
    assert shared == alone


def test_what_crosses_between_the_processes_is_the_builds_own(pelican_build, second_process_gets_its_turn):
    """Every post the second process read holds the build's settings and no stray object of its own."""
    seen = []
    own_received = parallel_reading.SharedReading.received

    def received(sharing):
        results = own_received(sharing)
        seen.extend((sharing.shared["settings"], read) for read in results.values())
        return results

    parallel_reading.SharedReading.received = received
    try:
        pelican_build(posts(40, tags=""), {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}}, plugins=PLUGINS)
    finally:
        parallel_reading.SharedReading.received = own_received
    assert seen
    for build_settings, (_, metadata) in seen:
        assert metadata["tags"] is parallel_reading.pelican_adapter.discard_marker()
        for value in metadata.values():
            for item in value if isinstance(value, list) else [value]:
                assert type(item) is not object or item is parallel_reading.pelican_adapter.discard_marker()
                assert getattr(item, "settings", build_settings) is build_settings


def test_no_second_process_for_few_posts_or_a_warm_cache(pelican_build, second_process_gets_its_turn):
    pelican_build(posts(5), {**SETTINGS, "PARALLEL_READING": {"min_posts": 6}}, plugins=PLUGINS)
    assert LAST_BUILD["read_by_the_copy"] == 0
    cached = {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    first = pages(pelican_build(posts(20), cached, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] > 0
    second = pages(pelican_build({}, cached, plugins=PLUGINS))  # the same files, untouched
    assert LAST_BUILD["read_by_the_copy"] == 0, "every post came from the cache: nothing to share"
    assert first == second


class FailsToLoad:
    """A setting that pickles in the build and raises when the second process loads it."""

    def __reduce__(self):
        return (divmod, (1, 0))


class EndsTheProcess:
    """A setting whose loading ends the second process at once, with no answer."""

    def __reduce__(self):
        return (os._exit, (3,))


@pytest.mark.parametrize(("setting", "said"), [
    (FailsToLoad(), r"(?s)Reading posts in a second process failed.*Traceback.*ZeroDivisionError"),
    (EndsTheProcess(), r"it ended without its answer .*exit code 3"),
])
def test_a_second_process_that_fails_is_said_and_the_build_reads_alone(pelican_build, caplog, setting, said):
    settings = {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}, "A_SETTING_OF_A_PLUGIN": setting}
    shared = pages(pelican_build(posts(40), settings, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] == 0
    warnings = [record for record in caplog.records if record.levelname == "WARNING"
                and record.name.endswith("parallel_reading")]
    assert len(warnings) == 1
    assert re.search(said, warnings[0].getMessage())
    alone = pages(pelican_build(posts(40), {**SETTINGS, "PARALLEL_READING": {"enabled": False}}, plugins=PLUGINS))
    assert shared == alone

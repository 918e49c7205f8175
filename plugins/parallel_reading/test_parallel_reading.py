from parallel_reading.parallel_reading import LAST_BUILD

PLUGINS = ["content_checks", "typography", "parallel_reading"]
SETTINGS = {"TYPOGRIFY": True, "TYPOGRIFY_OMIT_FILTERS": ["caps"], "DEFAULT_METADATA": {"category": "blog"}}


def posts(count):
    return {f"posts/post-{number:02}.md": f'Title: Post "{number}" -- {number}\nDate: 2023-{1 + number // 28:02}-{number % 28 + 1:02}\n'
                                          f"Author: Yoko\nTags: sleep, tag {number % 3}\nSlug: post-{number}\n\n"
                                          f'It\'s "deep" sleep -- number {number}...\n\n## A heading\n\nMore.\n'
            for number in range(count)}


def pages(output):
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*.html"))}


def test_the_same_pages_whoever_reads_the_posts(pelican_build, tmp_path):
    shared = pages(pelican_build(posts(40), {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}}, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] > 0, "the second process read some of the posts"
    alone = pages(pelican_build(posts(40), {**SETTINGS, "PARALLEL_READING": {"enabled": False}}, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] == 0
    assert shared == alone and len(shared) > 40
    assert "&#8220;deep&#8221; sleep &#8212;" in shared["post-3.html"].decode()


def test_no_copy_for_few_posts_or_a_warm_cache(pelican_build, tmp_path):
    pelican_build(posts(5), {**SETTINGS, "PARALLEL_READING": {"min_posts": 6}}, plugins=PLUGINS)
    assert LAST_BUILD["read_by_the_copy"] == 0
    cached = {**SETTINGS, "PARALLEL_READING": {"min_posts": 2}, "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    first = pages(pelican_build(posts(20), cached, plugins=PLUGINS))
    assert LAST_BUILD["read_by_the_copy"] > 0
    second = pages(pelican_build({}, cached, plugins=PLUGINS))  # the same files, untouched
    assert LAST_BUILD["read_by_the_copy"] == 0, "every post came from the cache: nothing to share"
    assert first == second

"""A feature is one plugin: listed in PLUGINS it is on, left out it is gone, leaving no markup,
script, style rule, header or file of it, and the site still builds without a warning."""

import pytest

from tests.built_site import PROJECT, build_fixture, settings_value

POSTS = PROJECT / "plugins" / "search" / "test_posts"  # five posts sharing tags, and a page
COMMENTS = {"provider": "isso", "url": "https://comments.example"}
PLUGINS = settings_value("pelicanconf.py", "PLUGINS")

# What each feature leaves in a page, a file or the headers when it is on.
TRACES = {
    "comments": ['id="comments"', "comments.", "https://comments.example", ".comments{"],
    "search": ['role="search"', "search.", "pagefind", ".search-form"],
    "share_links": ['class="share"', "share.", ".share h2{"],
    "seo": ['property="og:', "application/ld+json", 'rel="canonical"'],
    "read_next": ['class="related"', 'class="post-nav"', ".related h2{"],
}


def build_without(tmp_path_factory, feature):
    plugins = [plugin for plugin in PLUGINS if plugin != feature]
    output = tmp_path_factory.mktemp(f"without-{feature or 'nothing'}") / "output"
    return build_fixture(POSTS, "pelicanconf.py", output, settings={"PLUGINS": plugins, "COMMENTS": COMMENTS})


def everything_written(site):
    """Every page, the names of every file, and the headers files, as one text."""
    names = [p.relative_to(site.output).as_posix() for p in site.output.rglob("*") if p.is_file()]
    pages = [p.read_text(encoding="utf-8") for p in site.output.rglob("*.html")]
    return "\n".join([*names, *pages, (site.output / "_headers").read_text(encoding="utf-8")])


@pytest.fixture(scope="module")
def all_on(tmp_path_factory):
    return everything_written(build_without(tmp_path_factory, None))


@pytest.mark.parametrize("feature", list(TRACES))
def test_a_feature_left_out_of_plugins_leaves_nothing_behind(tmp_path_factory, all_on, feature):
    site = build_without(tmp_path_factory, feature)
    written = everything_written(site)
    for trace in TRACES[feature]:
        assert trace in all_on, f"{trace!r} is not a trace of {feature}: the test would prove nothing"
        assert trace not in written, f"without {feature}, {trace!r} is still written"
    for other, traces in TRACES.items():
        if other != feature:
            assert all(trace in written for trace in traces), f"leaving out {feature} took {other} with it"

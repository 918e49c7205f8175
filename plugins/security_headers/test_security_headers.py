import base64
import hashlib

import pytest

from security_headers.security_headers import content_security_policy, options_of

TEMPLATE = ('<style>p{color:red}</style><script>console.log(1)</script>'
            '<script type="application/ld+json">{"@type": "Blog"}</script><script src="/theme/a.js"></script>')


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def build(pelican_build, tmp_path, **settings):
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "article.html").write_text(TEMPLATE)
    return pelican_build({"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"}, settings=settings,
                         plugins=["security_headers", "build_order"])


def netlify_policy(output):
    line = next(line for line in (output / "_headers").read_text().splitlines() if "Content-Security-Policy" in line)
    return directives(line.partition(": ")[2])


def test_inline_code_is_allowed_by_its_hash_and_data_blocks_are_not_counted(pelican_build, tmp_path):
    policy = netlify_policy(build(pelican_build, tmp_path))
    assert policy["script-src"] == ["'self'", sha256("console.log(1)")]
    assert policy["style-src"] == ["'self'", sha256("p{color:red}")]


def test_sources_other_features_ask_for_come_after_the_themes_own(pelican_build, tmp_path):
    output = build(pelican_build, tmp_path, CSP_SOURCES={"connect-src": ["https://comments.example"],
                                                         "frame-src": ["https://comments.example"]})
    policy = netlify_policy(output)
    assert policy["connect-src"] == ["'self'", "https://comments.example"]
    assert list(policy)[-1] == "frame-src" and policy["frame-src"] == ["https://comments.example"]
    assert "https://comments.example" in (output / "_nginx" / "site.conf").read_text()


def test_without_build_order_the_build_stops_at_its_start(pelican_build, tmp_path):
    with pytest.raises(SystemExit, match='"security_headers" needs "build_order" in PLUGINS'):
        pelican_build({"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"}, plugins=["security_headers"])


def test_a_setting_changes_one_directive_and_keeps_the_others():
    options = options_of({"SECURITY_HEADERS": {"csp": {"img-src": ["'self'", "https://images.example"]}}})
    policy = directives(content_security_policy(options, {}, None))
    assert policy["img-src"] == ["'self'", "https://images.example"] and policy["default-src"] == ["'none'"]


def test_turned_off_it_writes_nothing(pelican_build, tmp_path):
    output = build(pelican_build, tmp_path, SECURITY_HEADERS={"enabled": False})
    assert not (output / "_headers").exists() and not (output / "_nginx").exists()


def test_a_script_written_in_a_post_is_not_allowed_and_its_page_is_named(pelican_build, tmp_path, caplog):
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "article.html").write_text(TEMPLATE + "{{ article.content }}")
    output = pelican_build({"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n\n<script>steal()</script>\n"
                                       "<style>body{display:none}</style>\n"},
                           settings={"ARTICLE_SAVE_AS": "post.html"}, plugins=["security_headers", "build_order"])
    assert "<script>steal()</script>" in (output / "post.html").read_text()
    policy = netlify_policy(output)
    assert policy["script-src"] == ["'self'", sha256("console.log(1)")]
    assert policy["style-src"] == ["'self'", sha256("p{color:red}")]
    warned = [r.getMessage() for r in caplog.records if "security policy blocks it" in r.getMessage()]
    assert len(warned) == 2 and all(message.startswith(("post.html has inline", "index.html has inline"))
                                    for message in warned)  # a page that shows the post


def test_theme_code_using_settings_is_hashed_as_the_pages_render_it(pelican_build, tmp_path):
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "article.html").write_text(
        "<style>{{ SITE_COLOUR }}</style><script>\nrun()\n</script>{{ article.content }}")
    output = pelican_build({"post.md": "Title: A post\nDate: 2023-02-19\n\nText.\n"},
                           settings={"SITE_COLOUR": "p{color:teal}"}, plugins=["security_headers", "build_order"])
    assert netlify_policy(output)["style-src"] == ["'self'", sha256("p{color:teal}")]
    assert netlify_policy(output)["script-src"][-1] == sha256("\nrun()\n"), "its last newline kept"


def test_security_txt_says_whom_to_tell_and_expires_within_a_year(pelican_build, tmp_path):
    from datetime import UTC, datetime, timedelta

    output = build(pelican_build, tmp_path, SITEURL="https://www.example.org",
                   SECURITY_HEADERS={"security_contact": "about/"})
    fields = dict(line.split(": ", 1) for line in (output / ".well-known" / "security.txt").read_text().splitlines())
    assert fields["Contact"] == "https://www.example.org/about/"
    assert fields["Canonical"] == "https://www.example.org/.well-known/security.txt"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=300) < expires - datetime.now(UTC) <= timedelta(days=366)


def test_no_security_txt_without_an_address_to_give(pelican_build, tmp_path):
    output = build(pelican_build, tmp_path, SECURITY_HEADERS={"security_contact": "about/"})  # SITEURL "": a preview
    assert not (output / ".well-known").exists()


def test_what_each_page_holds_is_kept_for_the_next_build_and_read_again_when_it_changes(tmp_path, monkeypatch):
    """The preview's next start finds its thousand pages as it left them: what inline code each
    holds comes from the cache file; a page changed since is read again."""
    from security_headers import security_headers

    output, cache = tmp_path / "output", tmp_path / "cache" / "inline_sources.pickle"
    output.mkdir()
    (output / "a.html").write_text("<script>one()</script>")
    (output / "b.html").write_text("<style>p{}</style>")
    found, _ = security_headers.inline_sources(output, cache)
    assert cache.exists() and len(found["script-src"]) == 1 and len(found["style-src"]) == 1
    read = []
    real = security_headers.page_inline_sources.__wrapped__
    monkeypatch.setattr(security_headers, "page_inline_sources", lambda page, *key: read.append(page.name) or real(page, *key))
    (output / "b.html").write_text("<style>p{color:red}</style>")
    again, where = security_headers.inline_sources(output, cache)
    assert read == ["b.html"], "only the changed page is read again"
    assert again["script-src"] == found["script-src"] and again["style-src"] != found["style-src"]
    assert set(where.values()) == {"a.html", "b.html"}

"""plugins/shared/pelican_adapter.py, the one place relying on a private part of Pelican, still fits the
Pelican installed. After an upgrade that changes what it relies on, these fail with a sentence
naming the private attribute and Pelican's version, before the preview misbehaves."""

import io
import re

import pelican
import pytest
from jinja2 import Template
from pelican import signals
from pelican.settings import DEFAULT_CONFIG
from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.log import LimitFilter
from pelican.readers import Readers
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from plugins.shared import pelican_adapter
from plugins.shared.pelican_adapter import PRIVATE, WriterWithOpenHook, forget_repeated_warnings, problems


class RecordingWriter(WriterWithOpenHook):
    """Writes what Pelican gives it to a dict instead of files."""

    def __init__(self, output_path, settings):
        super().__init__(output_path, settings=settings)
        self.files = {}

    def open_output(self, path, override):
        files = self.files

        class Held(io.StringIO):  # a text file, as Pelican's feeds need (else they write bytes)
            def __exit__(self, *exception):
                files[path] = self.getvalue()
                return super().__exit__(*exception)

        return Held()


def settings_for(output):
    return {**DEFAULT_CONFIG, "OUTPUT_PATH": str(output), "SITENAME": "Adapter test", "SITEURL": ""}


def test_the_private_names_it_relies_on_are_as_it_expects():
    found = problems()
    assert found == [], "\n".join(found)


def test_a_changed_private_name_is_named_with_the_version(monkeypatch):
    monkeypatch.setattr(Writer, "_open_w", lambda self, filename, encoding: None)
    monkeypatch.delattr(LimitFilter, "_group_count")
    monkeypatch.setattr(Content, "__init__", lambda self, *args, **kwargs: None)
    version = f"Pelican {pelican.__version__} changed"
    assert problems() == [
        f"{version} Writer._open_w: its signature is (self, filename, encoding), not "
        f"(self, filename, encoding, override=False) (plugins/shared/pelican_adapter.py was written for Pelican "
        f"{pelican_adapter.WRITTEN_FOR}, and needs it for {PRIVATE['Writer._open_w']}).",
        f"{version} Content._content: pelican.contents.Content has no attribute _content any more "
        f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, and needs it for "
        f"{PRIVATE['Content._content']}).",
        f"{version} Content._summary: pelican.contents.Content no longer keeps its summary in _summary "
        f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, and needs it for "
        f"{PRIVATE['Content._summary']}).",
        f"{version} Content._context: pelican.contents.Content keeps no _context any more "
        f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, and needs it for "
        f"{PRIVATE['Content._context']}).",
        f"{version} LimitFilter._group_count: pelican.log.LimitFilter has no _group_count to clear any more "
        f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, and needs it for "
        f"{PRIVATE['LimitFilter._group_count']}).",
        f"{version} Content.__dict__: a copy of a page made from its attributes is no longer the same page "
        f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, and needs it for "
        f"{PRIVATE['Content.__dict__']}).",
    ]
    monkeypatch.delattr(Writer, "_open_w")
    assert problems()[0] == (
        f"{version} Writer._open_w: pelican.writers.Writer has no method _open_w any more "
        f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, "
        f"and needs it for {PRIVATE['Writer._open_w']}).")


def test_a_generator_that_no_longer_asks_its_cache_first_is_named(monkeypatch):
    def generate_context(self):
        """Reads every file, asking nobody."""

    monkeypatch.setattr(ArticlesGenerator, "generate_context", generate_context)
    monkeypatch.setattr(Content, "get_summary", lambda self, siteurl: "")
    assert problems() == [
        f"Pelican {pelican.__version__} changed Generator.get_cached_data: ArticlesGenerator.generate_context no "
        f"longer asks get_cached_data() and cache_data() (plugins/shared/pelican_adapter.py was written for Pelican "
        f"{pelican_adapter.WRITTEN_FOR}, and needs it for {PRIVATE['Generator.get_cached_data']}).",
        f"Pelican {pelican.__version__} changed memoized.cache.clear: pelican.contents.Content.get_summary has no "
        f"memo to empty any more (plugins/shared/pelican_adapter.py was written for Pelican "
        f"{pelican_adapter.WRITTEN_FOR}, and needs it for {PRIVATE['memoized.cache.clear']}).",
    ]


def test_a_changed_part_that_the_adapter_copies_is_named(monkeypatch):
    """Pelican's overwrite rules, a generator's call that writes a post, read_file's parameters and
    the tags' slug memo, each changed: problems() names each, as the preview relies on them."""
    def open_every_time(self, filename, encoding, override=False):
        return open(filename, "w", encoding=encoding)

    def generate_drafts(self, write):
        for draft in self.drafts:
            write(draft.save_as, self.get_template(draft.template), self.context, article=draft,
                  category=draft.category, override_output=hasattr(draft, "override_save_as"), blog=True,
                  url=draft.url)

    def read_file(self, base_path, path, content_class=None, fmt=None, context=None):
        """Reads a file, sending no signal."""

    monkeypatch.setattr(Writer, "_open_w", open_every_time)
    monkeypatch.setattr(ArticlesGenerator, "generate_drafts", generate_drafts)
    monkeypatch.setattr(Readers, "read_file", read_file)
    monkeypatch.setattr(URLWrapper, "slug", property(lambda self: "a-tag"))
    written_for = (f"(plugins/shared/pelican_adapter.py was written for Pelican {pelican_adapter.WRITTEN_FOR}, "
                   "and needs it for")
    version = f"Pelican {pelican.__version__} changed"
    rules_reason = PRIVATE["Writer._open_w's rules"]
    assert problems() == [
        f"{version} Writer._open_w's rules: for outputs at one address saying override (False, False), it answers "
        "['written', 'written'], the copy ['written', 'Failed to overwrite \"{path}\" as Pelican has already "
        f"written to it previously (set `override=True` if intended)'] {written_for} {rules_reason}).",
        f"{version} ArticlesGenerator.generate_drafts: it sends None and writes with ['article', 'blog', "
        "'category', 'override_output', 'relative_urls', 'url'], the copy sends None and writes with ['all_articles', "
        f"'article', 'blog', 'category', 'override_output', 'relative_urls', 'url'] {written_for} "
        f"{PRIVATE['ArticlesGenerator.generate_drafts']}).",
        f"{version} Readers.read_file: its signature is (self, base_path, path, content_class=None, fmt=None, "
        f"context=None), not {pelican_adapter.READ_FILE_SIGNATURE} {written_for} {PRIVATE['Readers.read_file']}).",
        f"{version} URLWrapper._slug: pelican.urlwrappers.URLWrapper no longer memoises its slug in _slug "
        f"{written_for} {PRIVATE['URLWrapper._slug']}).",
    ]


def test_forgetting_the_warnings_said_lets_pelican_say_them_again():
    LimitFilter._raised_messages.add(("a warning", ()))
    LimitFilter._group_count[("a group", ())] += 1
    forget_repeated_warnings()
    assert not LimitFilter._raised_messages and not LimitFilter._group_count


def test_pages_and_feeds_are_written_through_the_hook_before_their_signals(tmp_path):
    """write_file() and write_feed(), Pelican's public methods, open their files through the
    adapter's hook, and send content_written and feed_written after the file is written."""
    writer = RecordingWriter(str(tmp_path), settings_for(tmp_path))
    seen = []

    def page_written(path, context):
        seen.append(("content_written", path, writer.files.get(path)))

    def feed_written(path, context, feed):
        seen.append(("feed_written", path, writer.files.get(path)))

    signals.content_written.connect(page_written)
    signals.feed_written.connect(feed_written)
    try:
        context = {**settings_for(tmp_path), "FEED_DOMAIN": "https://adapter.test"}
        writer.write_file("a/index.html", Template("<p>{{ SITENAME }}</p>"), context)
        writer.write_feed([], context, "feeds/all.atom.xml")
    finally:
        signals.content_written.disconnect(page_written)
        signals.feed_written.disconnect(feed_written)
    page, feed = str(tmp_path / "a" / "index.html"), str(tmp_path / "feeds" / "all.atom.xml")
    how = (f"Pelican {pelican.__version__}'s Writer.write_file/write_feed no longer open their files through "
           f"Writer._open_w (plugins/shared/pelican_adapter.py, written for Pelican {pelican_adapter.WRITTEN_FOR})")
    assert sorted(writer.files) == sorted([page, feed]), how
    assert writer.files[page] == "<p>Adapter test</p>"
    assert "<feed" in writer.files[feed]
    assert [(signal, path) for signal, path, _ in seen] == [("content_written", page), ("feed_written", feed)]
    assert all(text for _, _, text in seen), "the signals came before the file was written"
    assert not any(tmp_path.rglob("*.*")), "Pelican wrote a file itself, not through the hook"


@pytest.mark.parametrize("name", sorted(PRIVATE))
def test_each_private_name_has_its_reason_on_the_line_above_each_use(name):
    """Each use (problems(), which only checks them, aside) has a comment above it saying why."""
    source = pelican_adapter.__file__
    text = open(source, encoding="utf-8").read()
    lines = text[text.index("\nWRITTEN_FOR"):text.index("\ndef problems(")].splitlines()
    attribute = name.partition(".")[2]
    code = [number for number, line in enumerate(lines)
            if re.search(r"(?<!\w)" + re.escape(attribute), line) and not line.strip().startswith(("#", '"')) and '": ' not in line]
    # A part of Pelican copied (its rules, its calls) is named by no attribute: its comment marks the copy.
    copies = [number for number, line in enumerate(lines) if line.strip().startswith(f"# {name} (private):")]
    assert code or copies, f"{name} is listed in PRIVATE but neither used nor copied in {source}"
    for number in code:
        assert f"# {name} (private):" in lines[number - 1], f"{source}: no reason above {lines[number]!r}"

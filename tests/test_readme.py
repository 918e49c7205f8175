"""The README is the writer's first page, docs/ the engineer's reference: both must stay true."""

import re

from tests.built_site import PROJECT, SITE_CONTENT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
DOCS = {f"docs/{path.name}": path.read_text(encoding="utf-8") for path in sorted((PROJECT / "docs").glob("*.md"))}


def section(text, heading):
    """The text under `heading` (a whole Markdown heading line), up to the next heading of its level or higher."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading + "\n")
    following = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, start + len(heading))
    return text[start:following.start() if following else len(text)]


def test_the_readme_opens_with_the_two_commands():
    first_block = re.search(r"```(\w*)\n(.*?)```", README, re.S)
    commands = [line.split("#")[0].strip() for line in first_block.group(2).splitlines()]
    assert first_block.group(1) == "sh" and commands == ["make devserver", "make test"]


def test_the_screenshot_it_shows_is_in_the_repository():
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", README)
    assert "docs/screenshots/post-phone-light.png" in images
    assert all((PROJECT / image).is_file() for image in images)


def test_every_make_target_it_names_exists():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z_-]+):", makefile, re.M))
    assert re.search(r"`make devserver`", README)
    for name, text in {"README.md": README, **DOCS}.items():
        named = set(re.findall(r"`(?:\.\\)?make ([a-z_-]+)", text))
        assert named <= targets, f"{name} names targets the Makefile lacks: {sorted(named - targets)}"


def test_the_post_example_uses_the_fields_the_seed_post_uses():
    seed_post = (SITE_CONTENT / "posts/neuroscience-v-s-massage-therapy.md").read_text(encoding="utf-8")
    fields = set(re.findall(r"^(\w+):", seed_post.split("\n\n")[0], re.M))
    for field in fields:
        assert f"| `{field}` |" in README, f"the README does not explain {field}:"


MESSAGES = ["is not a field the site knows", "is not a date", "is not a status", "has no text, and no summary",
            "is spelled differently from", "It has the address", "has no description",
            "is not a page or file of this site", "is not in the content folder", "is not saved as UTF-8 text",
            "is empty", "does not start with the post's fields", "still holds the last good site",
            "is not a leap year", "there are 12 months", "could be",
            "is written in a form the site does not read", "is written between quotes", "is scheduled for",
            "still holds the words", "has no words of its own", "Did you mean",
            "in drafts and hidden posts, listed above", "is on the live site now", "is in the future",
            "megapixels the site resizes", "is not a picture the site can read", "already holds files that are not this site",
            "It holds a script", "which would run as script or hide the rest of"]


def test_every_kind_of_message_the_writer_can_meet_is_explained():
    said = "".join((PROJECT / path).read_text(encoding="utf-8")
                   for path in ("plugins/content_checks/content_checks.py", "tools/build.py", "tools/upload.py",
                                "tools/publish_summary.py", "plugins/responsive_images/responsive_images.py"))
    table = section(README, "## What the messages mean")
    for message in MESSAGES:
        assert message in said, f"the code no longer says {message!r}: update this list and the README"
        assert message in table, f"the README's table does not explain {message!r}"


def test_every_folder_and_file_of_the_layout_exists():
    block = re.search(r"```\n(.*?)```", DOCS["docs/layout.md"], re.S).group(1)
    named = [line.split()[0] for line in block.splitlines() if line.strip() and not line.startswith(" ")]
    missing = [name for name in named if not (PROJECT / name).exists() and name not in (".preview/", "content/")]
    assert len(named) > 20 and missing == []


def test_the_plugins_page_has_one_entry_per_plugin_folder():
    plugins = sorted(p.name for p in (PROJECT / "plugins").iterdir() if (p / "__init__.py").is_file())
    entries = re.findall(r"^## plugins/([a-z_]+)/$", DOCS["docs/plugins.md"], re.M)
    assert sorted(entries) == plugins

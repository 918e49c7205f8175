"""The README is the newcomer's first page: it must stay true."""

import re

from tests.built_site import PROJECT, SITE_CONTENT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def test_the_readme_opens_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make devserver", "make test"]
    assert README.index("```sh") < README.index("## For the writer")


def test_the_screenshot_it_shows_is_in_the_repository():
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", README)
    assert "docs/screenshots/post-phone-light.png" in images
    assert all((PROJECT / image).is_file() for image in images)


def test_every_make_target_it_names_exists():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z_-]+):", makefile, re.M))
    named = set(re.findall(r"`(?:\w+=\S+ )*make ([a-z_-]+)", README))
    assert named and named <= targets, named - targets


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
    table = README[README.index("### Messages you may see"):README.index("### Publishing, once set up")]
    for message in MESSAGES:
        assert message in said, f"the code no longer says {message!r}: update this list and the README"
        assert message in table, f"the README's table does not explain {message!r}"


def test_every_folder_and_file_of_the_layout_exists():
    layout = README[README.index("### Layout"):README.index("### Make targets")]
    block = re.search(r"```\n(.*?)```", layout, re.S).group(1)
    named = [line.split()[0] for line in block.splitlines() if line.strip() and not line.startswith(" ")]
    missing = [name for name in named if not (PROJECT / name).exists() and name not in (".preview/", "content/")]
    assert len(named) > 20 and missing == []


def test_every_plugin_folder_is_in_the_layout():
    layout = README[README.index("### Layout"):README.index("### Make targets")]
    plugins = sorted(p.name for p in (PROJECT / "plugins").iterdir() if (p / "__init__.py").is_file())
    assert [name for name in plugins if f"plugins/{name}/" not in layout] == []

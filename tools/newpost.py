"""make newpost TITLE="…" [TAGS="a, b"]: start a new post as a draft, every field filled in.

Writes content/posts/<slug>.md and prints its path and its address in the preview. Refuses a
slug that a post or page already uses, so nothing the writer wrote is ever overwritten.
"""

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import read_settings
from pelican.utils import slugify

from plugins.content_checks.content_checks import FIELDS, PLACEHOLDER, read_source

PROJECT = Path(__file__).resolve().parent.parent
PREVIEW = "http://127.0.0.1:8000"

# The placeholder is the content checks' own: a post still holding it is not published.
TEMPLATE = """\
Title: {title}
Date: {date}
Author: {author}
Tags: {tags}
Summary:
Status: draft

""" + PLACEHOLDER + "\n"


class NewPostError(Exception):
    pass


def slug_for(title, settings):
    return slugify(
        title,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=settings["SLUGIFY_PRESERVE_CASE"],
        use_unicode=settings["SLUGIFY_USE_UNICODE"],
    )


def slugs_in_use(content, settings):
    """{slug: file} of every post and page, from its Slug: field or, failing that, its title."""
    used = {}
    for path in sorted(content.rglob("*.md")):
        source, _problems = read_source(path, "post", FIELDS)  # the fields as the build reads them
        slug = source.value("Slug") or slug_for(source.value("Title") or path.stem, settings)
        used.setdefault(slug, path)
    return used


def new_post(title, tags="", project=PROJECT, now=None):
    """Write the draft; returns (path, slug)."""
    title = " ".join(title.split())
    if not title:
        raise NewPostError('Give the post a title: make newpost TITLE="Sleep and stress"')
    settings = read_settings(str(Path(project) / "pelicanconf.py"))
    content = Path(project) / settings["PATH"]
    slug = slug_for(title, settings)
    if not slug:
        raise NewPostError(f"The title {title!r} gives no address: use a title with letters or digits.")
    existing = slugs_in_use(content, settings).get(slug)
    path = content / "posts" / f"{slug}.md"
    if existing or path.exists():
        where = (existing or path).relative_to(project)
        raise NewPostError(
            f"{where} already uses the address /{settings['ARTICLE_URL'].format(slug=slug)}. Nothing was written. "
            "Choose another title, or open that file to go on with it."
        )
    now = now or datetime.now(ZoneInfo(settings["TIMEZONE"]))
    tag_list = ", ".join(tag.strip() for tag in tags.split(",") if tag.strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite, even in a race
        file.write(TEMPLATE.format(title=title, date=now.strftime("%Y-%m-%d %H:%M"),
                                   author=settings["AUTHOR"], tags=tag_list))
    return path, slug


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--title", default=os.environ.get("TITLE", ""))
    parser.add_argument("--tags", default=os.environ.get("TAGS", ""))
    parser.add_argument("--project", default=str(PROJECT))
    args = parser.parse_args(argv)
    try:
        path, slug = new_post(args.title, args.tags, Path(args.project))
    except NewPostError as error:
        sys.exit(str(error))
    print(f"New draft: {path.relative_to(args.project)}")
    settings = read_settings(str(Path(args.project) / "pelicanconf.py"))
    print(f"Preview it at {PREVIEW}/{settings['DRAFT_URL'].format(slug=slug)} while `make devserver` runs.")
    print("When it is ready, delete the line `Status: draft`: the next `make rsync_upload` (or `make github`) "
          "puts it online.")


if __name__ == "__main__":
    main()

"""What a publish did, in plain words, at the end of `make publish`, `make rsync_upload` and
`make github`: the posts published (the new and changed ones named), the posts not published and
why (a draft; scheduled for a date), and the files uploaded and deleted. And the one check only an
upload can make: a post on the live site now that its date, moved into the future, would take off.

The publish build lists every post with its status, date, address and a digest of its file
(plugins/content_checks writes the list where CONTENT_CHECKS_POSTS_FILE says). The list of the last
publish build is kept in <cache>/publish/last-build.json, that of the last upload in
<cache>/publish/last-upload.json: `make publish` names what is new or changed since the last
publish build, an upload what is new or changed since the last upload from this computer.
What is on the live site is asked of the host itself: rsync's own list of the files an upload
would delete, or the gh-pages branch as the last `make github` left it.
"""

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from plugins.content_checks.content_checks import POSTS_SETTING
from tools.build import build
from tools.messages import printable

COMPARED_WITH = {"build": "the last publish build", "upload": "the last upload from this computer"}
NAMED_DELETIONS = 5  # deleted pages named in the summary; more are only counted


@dataclass
class PublishBuild:
    """A publish build that succeeded: its posts, and those of the publish it is compared with."""

    posts: list  # plugins/content_checks' rows: file, title, status, date_words, line, url, save_as, digest
    previous: list | None  # None: nothing to compare with
    compare: str  # "build" or "upload"
    folder: Path  # where the lists are kept

    def scheduled(self):
        return [post for post in self.posts if post["status"] == "scheduled"]


@dataclass
class Transfer:
    """What an upload sent: files uploaded and deleted, where."""

    destination: str
    uploaded: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    dry_run: bool = False


def lists_folder(project, cache):
    """<cache>/publish/: the cache folder the build uses (Pelican's default: cache/ in the project)."""
    return Path(project) / (cache or "cache") / "publish"


def read_list(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_list(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(staging, path)


def publish_build(settings, output, project, content=None, cache=None, compare="build"):
    """tools.build.build, asking the content checks for the list of posts; the PublishBuild, or
    None when the build failed (output/ is then unchanged)."""
    folder = lists_folder(project, cache)
    folder.mkdir(parents=True, exist_ok=True)
    fresh = (folder / f".posts-{os.getpid()}.json").resolve()
    try:
        if not build(settings, output, project, content, cache, extra_settings={POSTS_SETTING: str(fresh)}):
            return None
        posts = json.loads(fresh.read_text(encoding="utf-8"))
    finally:
        fresh.unlink(missing_ok=True)
    previous = read_list(folder / f"last-{compare}.json")
    write_list(folder / "last-build.json", posts)
    return PublishBuild(posts, previous, compare, folder)


def record_upload(built):
    """After an upload that went through: what is live now, for the next upload's summary."""
    write_list(built.folder / "last-upload.json", built.posts)


def named(post):
    """A post as the summary names it: its title and its file, as text (printable)."""
    return f'"{printable(post["title"])}" ({printable(post["file"])})'


def why_not(post):
    """Why a post is not on the site, in a few words."""
    if post["status"] == "draft":
        return "a draft"
    if post["status"] == "scheduled":
        return f"scheduled for {post['date_words']}"
    if post["status"] == "hidden":
        return "hidden: on the site at its address, but not listed"
    return "left out until its problems, listed above, are fixed"


def post_lines(built):
    """The posts part of the summary."""
    posts = [post for post in built.posts if post["kind"] == "post"]
    published = [post for post in posts if post["status"] in ("published", "hidden")]
    lines = []
    count = f"{len(published)} {'post' if len(published) == 1 else 'posts'} published"
    since = COMPARED_WITH[built.compare]
    if built.previous is None:
        lines.append(f"  {count}; there is no record of {since} to compare with.")
    else:
        before = {post["file"]: post for post in built.previous if post["kind"] == "post"}
        was_live = {name for name, post in before.items() if post["status"] in ("published", "hidden")}
        new = [post for post in published if post["file"] not in was_live]
        changed = [post for post in published if post["file"] in was_live
                   and post.get("digest") != before[post["file"]].get("digest")]
        now = {post["file"]: post for post in posts}
        gone = [before[name] for name in sorted(was_live)
                if now.get(name, {}).get("status") not in ("published", "hidden")]
        if not (new or changed or gone):
            lines.append(f"  {count}, none new or changed since {since}.")
        else:
            lines.append(f"  {count}. Since {since}:")
            lines += [f"    new: {named(post)}" for post in new]
            lines += [f"    changed: {named(post)}" for post in changed]
            for post in gone:
                still = now.get(post["file"])
                reason = f"now {why_not(still)}" if still else "its file was deleted"
                lines.append(f"    taken off the site: {named(post)}, {reason}")
    waiting = [post for post in posts if post["status"] not in ("published", "hidden")]
    if waiting:
        lines.append(f"  {len(waiting)} {'post' if len(waiting) == 1 else 'posts'} not published:")
        lines += [f"    {named(post)}: {why_not(post)}" for post in waiting]
    return lines


def deleted_pages(files):
    """The addresses of the pages among deleted files: post/x/index.html is /post/x/."""
    return ["/" + re.sub(r"(^|/)index\.html$", r"\1", name) for name in files if name.endswith(".html")]


def files_line(transfer):
    """The files part: what the upload sent and deleted."""
    if transfer is None:
        return "  Nothing was uploaded: `make rsync_upload` or `make github` puts the site online."
    if not transfer.uploaded and not transfer.deleted:
        return f"  Nothing to upload: {transfer.destination} already has this site."
    deleted = len(transfer.deleted)
    pages = deleted_pages(transfer.deleted)
    if not pages:
        names = ""
    elif len(pages) <= NAMED_DELETIONS:
        names = f", among them the {'page' if len(pages) == 1 else 'pages'} {', '.join(pages)}"
    else:
        names = f", among them {len(pages)} pages"
    if transfer.dry_run:
        return (f"  Dry run: {len(transfer.uploaded)} files would be uploaded to {transfer.destination} and "
                f"{deleted} deleted{names}. Nothing was changed.")
    return f"  Uploaded {len(transfer.uploaded)} files to {transfer.destination} and deleted {deleted}{names}."


def summary(built, transfer=None):
    """The summary, as lines to print last."""
    title = "Summary (a dry run: nothing was uploaded):" if transfer and transfer.dry_run else "Summary:"
    return [title, *post_lines(built), files_line(transfer)]


def taken_off_by_date(built, live_files):
    """The scheduled posts whose page the live site holds now (`live_files`: paths such as
    post/x/index.html): uploading would take them off until their date."""
    return [post for post in built.scheduled() if post["save_as"] in live_files]


def refusal(posts, command):
    """Why an upload stops: each post on the live site that its new date would take off."""
    lines = [f'{printable(post["file"])}, line {post["line"]}: "{printable(post["title"])}" is on the live site now, '
             f'at /{printable(post["url"])}, '
             f"but its date, {post['date_words']}, is in the future: this upload would take it off the site until "
             "then." for post in posts]
    lines.append(f"Nothing was uploaded. If you moved its date on purpose, run `{command} CONFIRM=1`; "
                 "otherwise write its date back as it was.")
    return "\n".join(lines)

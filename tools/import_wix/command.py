"""make import-wix SITE=<address or saved folder> [FEED=<feed file or address>] [DRY_RUN=1] [MAX_POSTS=2000]"""

import argparse
import os
import signal
import sys
from pathlib import Path

from pelican.settings import read_settings

from tools.import_wix.importer import DEFAULT_MAX_POSTS, Importer, ImportError_
from tools.import_wix.records import display
from tools.make_options import option_on
from tools.newpost import slugs_in_use

PROJECT = Path(__file__).resolve().parents[2]
USAGE = (
    "Give the Wix site: make import-wix SITE=https://www.herbclinique.com (or SITE=<a folder saved from "
    "it>). An old feed with whole posts in it works too: make import-wix FEED=<its file or address>."
)


def say(line=""):
    print(line, flush=True)


def print_report(importer):
    report, content = importer.report, importer.content
    imported = report.imported
    drafts = [post for post in imported if post.draft]
    fetched = sum(post.fetched for post in imported)
    missing = sum(post.missing for post in imported)
    verb = "would be imported" if importer.dry_run else "imported"
    say()
    say(
        f"{len(imported)} post{'s' if len(imported) != 1 else ''} {verb} into {content.name}/posts/"
        + (f" ({len(drafts)} of them draft{'s' if len(drafts) != 1 else ''})" if drafts else "")
        + f", {len(report.skipped)} skipped (already here), {len(report.refused)} refused."
    )
    if importer.dry_run:
        pictures = sum(len(post.pictures) for post in imported)
        say(
            f"{pictures} picture{'s' if pictures != 1 else ''} would be fetched. "
            "Nothing was written (DRY_RUN)."
        )
    else:
        say(
            f"{fetched} picture{'s' if fetched != 1 else ''} fetched into {content.name}/images/"
            + (f", {missing} could not be (listed above, with what to do)." if missing else ".")
        )
    undescribed = [(post, name) for post in imported for name in post.undescribed]
    if undescribed:
        say()
        say(
            f"Pictures needing a description ({len(undescribed)}): write what each shows between the [ ] of "
            "![ ](…) in the post, for readers who cannot see it."
        )
        for post, name in undescribed:
            say(f"  - {display(post.file, content)}: {name}")
    if drafts:
        say()
        say("Drafts (Status: draft), and why:")
        for post in drafts:
            say(
                f"  - {display(post.file, content)}: {post.draft}. Copy the rest from {post.url}, "
                "then remove the note at its top and the line Status: draft."
            )
    if report.refused:
        say()
        say("Refused:")
        for reason in report.refused:
            say(f"  - {reason}")
    say()
    if imported and not importer.dry_run:
        say("Next: run make devserver and read each imported post; fix what is listed above.")
    elif not imported and not report.refused and report.skipped:
        say(f"Nothing new: every post is already in {content.name}/posts/.")


def main(argv=None):
    # Ctrl+C stops the import cleanly even when it was started with SIGINT ignored (a background
    # job, a test runner's worker), where Python would otherwise never raise KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(prog="make import-wix", description=__doc__)
    parser.add_argument("--site", default=os.environ.get("SITE", ""))
    parser.add_argument("--feed", default=os.environ.get("FEED", ""))
    parser.add_argument("--project", default=str(PROJECT))
    parser.add_argument("--content", default="", help="the content folder (the settings' PATH by default)")
    parser.add_argument(
        "--dry-run", action="store_true", default=option_on("DRY_RUN")
    )
    parser.add_argument("--max-mb", type=float, default=25, help="the largest download taken, in MB")
    parser.add_argument("--max-seconds", type=float, default=120, help="the longest a download may take")
    parser.add_argument(
        "--max-posts",
        default=os.environ.get("MAX_POSTS") or DEFAULT_MAX_POSTS,
        help="the most posts read from the site's list (make import-wix … MAX_POSTS=5000)",
    )
    args = parser.parse_args(argv)
    if not str(args.max_posts).isdigit() or int(args.max_posts) < 1:
        sys.exit(f"MAX_POSTS={args.max_posts} is not a number of posts: write it in digits, like MAX_POSTS=5000.")
    if not args.site.strip() and not args.feed.strip():
        sys.exit(USAGE)
    project = Path(args.project)
    settings = read_settings(str(project / "pelicanconf.py"))
    content = Path(args.content) if args.content else project / settings["PATH"]
    if not content.is_dir():
        sys.exit(f"There is no folder {content}: run this in the blog's project folder.")
    importer = Importer(
        settings,
        content.resolve(),
        site=args.site,
        feed=args.feed,
        dry_run=args.dry_run,
        max_bytes=int(args.max_mb * 1024 * 1024),
        max_seconds=args.max_seconds,
        max_posts=int(args.max_posts),
        say=say,
    )
    try:
        importer.run(slugs_in_use(content.resolve(), settings))
    except ImportError_ as error:
        sys.exit(str(error))
    except KeyboardInterrupt:
        print(
            "\nStopped before the end: nothing was written to content/. "
            "Run the same command again to import.",
            file=sys.stderr,
            flush=True,
        )
        sys.exit(130)
    print_report(importer)

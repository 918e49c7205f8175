"""make rsync_upload / make github: build the production site, check it, then upload it.

Each first runs the publish build (publishconf.py, with the content checks strict) into
output/; when it fails, nothing is uploaded. A site with no home page or too few pages is
refused, and so is an rsync upload that would delete most of what the host holds, and an upload
that would take a post off the live site because its date moved into the future (--confirm, or
CONFIRM=1, if that is meant). Each ends with a summary (tools/publish_summary.py).

    python -m tools.upload rsync [--dry-run] [--force] [--confirm]
    python -m tools.upload github [--confirm]
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pelican.settings import read_settings

from tools.make_options import option_on
from tools.messages import printable
from tools.publish_summary import Transfer, publish_build, record_upload, refusal, summary, taken_off_by_date

PROJECT = Path(__file__).resolve().parent.parent
# Written into the site's root at every upload: a destination that holds files but not this one is
# not the site (a home folder, another site), and --delete would wipe it.
MARKER = ".herbclinique-site"
MARKER_TEXT = "This folder holds the HERB CLINIQUE site, uploaded by make rsync_upload. Do not delete this file.\n"
# Where `make github` pushes: an address (https://, ssh://, git://, file:///, user@host:path, an
# absolute path) or a name, which must be one of the repository's remotes. Each form begins with a
# letter, a digit or "/" and names a host that does too, so git never reads one as an option.
GIT_ADDRESS = re.compile(r"^(?:(?:https|ssh|git)://(?:[\w.~%-]+@)?[A-Za-z0-9][\w.-]*(?::\d+)?/\S*|file:///\S+"
                         r"|[A-Za-z0-9_][\w.-]*@[A-Za-z0-9][\w.-]*:\S+|/\S+)$")
GIT_REMOTE_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*$")
MIN_PAGES = 3  # a home page, a post, the 404 page: fewer means something went wrong
DELETING_TOO_MUCH = 0.5  # refuse to delete more than half of the host's files without --force


class UploadRefused(Exception):
    pass


def say(message):
    print(message, flush=True)


def check_built_site(output):
    """Refuse an empty or suspiciously small site."""
    if not (output / "index.html").is_file():
        raise UploadRefused(f"{output}/ has no home page (index.html): refusing to upload it.")
    pages = sum(1 for _ in output.rglob("*.html"))
    if pages < MIN_PAGES:
        raise UploadRefused(f"{output}/ has only {pages} pages, which looks broken: refusing to upload it.")
    return pages


def rsync(output, destination, *options):
    """rsync output/ to the destination; returns its itemized changes. --delay-updates: the new
    files wait in a temporary folder and land together at the end, and --delete-after: old files
    go last, so an upload cut midway leaves the site as it was, never pages pointing at a
    stylesheet or script not yet there."""
    command = ["rsync", "--recursive", "--links", "--perms", "--times", "--omit-dir-times", "--compress",
               "--checksum", "--delete", "--delete-after", "--delay-updates", "--itemize-changes", *options,
               "--", f"{output}/", destination.rstrip("/") + "/"]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise UploadRefused(f"rsync could not reach {destination}:\n{result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line.strip()]


def listing(destination, recursive=True):
    """The destination's entries as rsync lists them ([] when it does not exist yet)."""
    result = subprocess.run(["rsync", *(["--recursive"] if recursive else []), "--list-only", "--",
                             destination.rstrip("/") + "/"], check=False, capture_output=True, text=True)
    return result.stdout.splitlines() if result.returncode == 0 else []


def files_at(destination):
    """How many files the destination holds now (0 when it does not exist yet)."""
    return sum(1 for line in listing(destination) if line.startswith("-"))


def check_destination(destination, force):
    """Refuse a destination that is an option, or that holds files but is not the site."""
    if destination.startswith("-"):
        raise UploadRefused(f'RSYNC_DEST "{destination}" begins with "-", so rsync would read it as an option. '
                            "Write the folder, e.g. RSYNC_DEST=user@host:/var/www/blog/.")
    names = [line.split(None, 4)[-1] for line in listing(destination, recursive=False)]
    names = [name for name in names if name not in (".", "..")]
    if names and MARKER not in names and not force:
        shown = ", ".join(sorted(names)[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        raise UploadRefused(f"{destination} already holds files that are not this site ({shown}), and an upload "
                            "deletes what the site does not have. Check RSYNC_DEST: it should be an empty folder "
                            "or the one the site was uploaded to before. If you really mean to replace what "
                            "is there, run again with FORCE=1.")


def upload_rsync(output, destination, dry_run=False, force=False, built=None, confirm=False):
    """Upload with rsync; returns the Transfer. `built`: the PublishBuild, whose scheduled posts
    stop an upload that would delete their live page, unless `confirm`."""
    if not destination:
        raise UploadRefused("Say where to upload: set RSYNC_DEST, e.g. RSYNC_DEST=user@host:/var/www/blog/ "
                            "(in the environment, or in publishconf.py).")
    check_destination(destination, force)
    (output / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    changes = rsync(output, destination, "--dry-run")
    deleted = [line.split(None, 1)[1] for line in changes if line.startswith("*deleting") and not line.endswith("/")]
    sent = [line.split(None, 1)[1] for line in changes if line[:2] in (">f", "cL") and not line.startswith("*")]
    held = files_at(destination)
    if not force and held >= 20 and len(deleted) > DELETING_TOO_MUCH * held:
        raise UploadRefused(f"This upload would delete {len(deleted)} of the {held} files at {destination}. "
                            "Refusing: check RSYNC_DEST. If you really mean it, run again with FORCE=1.")
    # What the host would delete is what is live now and no longer built: the truth, every time.
    taken_off = taken_off_by_date(built, set(deleted)) if built else []
    if taken_off and not confirm:
        raise UploadRefused(refusal(taken_off, "make rsync_upload"))
    transfer = Transfer(destination, sent, deleted, dry_run)
    if dry_run:
        for name in sent:
            say(f"would upload  {name}")
        for name in deleted:
            say(f"would delete  {name}")
    elif sent or deleted:
        rsync(output, destination)
    return transfer


def cname_for(siteurl):
    """The custom domain GitHub Pages needs a CNAME file for, or None for a *.github.io address."""
    host = urlsplit(siteurl).hostname or ""
    return None if not host or host.endswith(".github.io") else host


def git_lines(project, *args):
    """The lines git prints, or [] when it fails (no such branch yet)."""
    result = subprocess.run(["git", *args], cwd=project, check=False, capture_output=True, text=True)
    return result.stdout.splitlines() if result.returncode == 0 else []


def check_github(project, remote, branch="gh-pages"):
    """Refuse, before anything is built, a project that is not a git repository and a remote that
    is neither one of its remotes nor an address."""
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=project, check=False, capture_output=True).returncode != 0:
        raise UploadRefused(f"{project} is not a git repository: `make github` publishes to its {branch} branch.")
    names = git_lines(project, "remote")
    if GIT_ADDRESS.match(remote) or (GIT_REMOTE_NAME.match(remote) and remote in names):
        return
    known = f"its remotes: {', '.join(names)}" if names else "it has none yet"
    raise UploadRefused(f'GITHUB_REMOTE "{printable(remote)}" is not a git remote of this repository ({known}) nor an '
                        "address: give a remote's name (origin) or an address (https://github.com/you/blog.git or "
                        "git@github.com:you/blog.git).")


def upload_github(output, project, siteurl, remote="origin", branch="gh-pages", built=None, confirm=False):
    """Publish to the gh-pages branch; returns the Transfer (the files of its commit). `built`: the
    PublishBuild, whose scheduled posts stop a publish that would delete their live page, unless
    `confirm`."""
    # The live site: the branch as the last `make github` from here left it (else as last fetched).
    live = set()
    for ref in (branch, f"{remote}/{branch}"):
        if git_lines(project, "rev-parse", "--verify", "--quiet", ref):
            live = set(git_lines(project, "ls-tree", "-r", "--name-only", ref))
            break
    taken_off = taken_off_by_date(built, live) if built else []
    if taken_off and not confirm:
        raise UploadRefused(refusal(taken_off, "make github"))
    before = git_lines(project, "rev-parse", "--verify", "--quiet", branch)
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force", "--remote", remote,
               "--branch", branch, "--message", "Publish the site", str(output)]
    cname = cname_for(siteurl)
    if cname:
        command[3:3] = ["--cname", cname]
    result = subprocess.run(command, cwd=project, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise UploadRefused(f"Publishing to the {branch} branch failed:\n{(result.stderr or result.stdout).strip()}")
    say(f"Published to the {branch} branch of {remote}" + (f" for {cname}." if cname else "."))
    if before:
        changes = [line.split("\t")
                   for line in git_lines(project, "diff", "--no-renames", "--name-status", before[0], branch)]
    else:
        changes = [["A", name] for name in git_lines(project, "ls-tree", "-r", "--name-only", branch)]
    return Transfer(f"the {branch} branch of {remote}", [change[-1] for change in changes if change[0] != "D"],
                    [change[-1] for change in changes if change[0] == "D"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["rsync", "github"])
    parser.add_argument("--output", default="output")
    parser.add_argument("--project", default=str(PROJECT))
    parser.add_argument("--content", help="the posts and pages, when not the settings' content/")
    parser.add_argument("--cache", help="the build cache, when not the settings' cache/")
    parser.add_argument("--dry-run", action="store_true", default=option_on("DRY_RUN"))
    parser.add_argument("--force", action="store_true", default=option_on("FORCE"))
    parser.add_argument("--confirm", action="store_true", default=option_on("CONFIRM"),
                        help="upload even when a post on the live site would be taken off by its new date")
    parser.add_argument("--remote", default=os.environ.get("GITHUB_REMOTE", "origin"))
    args = parser.parse_args(argv)
    project = Path(args.project)
    output = (project / args.output).resolve()
    if args.target == "github":
        try:
            check_github(project, args.remote)
        except UploadRefused as refused:
            sys.exit(str(refused))

    say("Building the site for publishing...")
    built = publish_build("publishconf.py", output, project, args.content, args.cache, compare="upload")
    if not built:
        sys.exit(f"The build failed, so nothing was uploaded. {args.output}/ still holds the last good site.")
    settings = read_settings(str(project / "publishconf.py"))
    try:
        pages = check_built_site(output)
        say(f"Built {pages} pages.")
        if args.target == "rsync":
            transfer = upload_rsync(output, settings.get("RSYNC_DEST", ""), args.dry_run, args.force, built,
                                    args.confirm)
        else:
            transfer = upload_github(output, project, settings["SITEURL"], args.remote, built=built,
                                     confirm=args.confirm)
    except UploadRefused as refused:
        sys.exit(str(refused))
    if not transfer.dry_run:
        record_upload(built)
    say("\n".join(summary(built, transfer)))


if __name__ == "__main__":
    main()

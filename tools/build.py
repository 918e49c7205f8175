"""Build the site into a fresh folder; put it in place of output/ only when the build succeeded.

Pelican runs in a child process, its messages printed as the writer reads them (tools/messages).
A failed build (a template error, a content problem in a publish build) leaves the last good
output/ exactly as it was, so the preview keeps showing it and no half-built site is uploaded.
A fresh folder also means no file of a deleted post lingers.

    python -m tools.build --settings publishconf.py --output output [--content content --cache cache]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.messages import say

PROJECT = Path(__file__).resolve().parent.parent


def build(settings="pelicanconf.py", output="output", project=PROJECT, content=None, cache=None):
    """Run Pelican into a staging folder and swap it in. True when the build succeeded.
    `content` and `cache` replace the settings' folders (the tests build fixture sites so)."""
    project = Path(project)
    output = (project / output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-building-", dir=output.parent))
    folders = [str((project / content).resolve())] if content else []
    if cache:
        folders += ["--cache-path", str((project / cache).resolve())]
    try:
        # tools.messages runs Pelican's command line: importable from the project's own folder too.
        python_path = os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))
        result = subprocess.run(
            [sys.executable, "-m", "tools.messages", *folders, "-s", settings, "-o", str(staging)],
            cwd=project, env={**os.environ, "PYTHONPATH": python_path},
        )
        if result.returncode != 0:
            return False
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server
        replace(output, staging)
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace(output, staging):
    """Put `staging` where `output` is; each rename is atomic on one file system."""
    previous = Path(tempfile.mkdtemp(prefix=f".{output.name}-previous-", dir=output.parent))
    if output.exists():
        os.replace(output, previous / "site")
    os.replace(staging, output)
    shutil.rmtree(previous, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--project", default=str(PROJECT), help="the folder with the settings")
    parser.add_argument("--content", help="the posts and pages, when not the settings' content/")
    parser.add_argument("--cache", help="the build cache, when not the settings' cache/")
    args = parser.parse_args(argv)
    if build(args.settings, args.output, args.project, args.content, args.cache):
        say(f"The site is ready in {args.output}/.")
        return
    say(f"The build failed: the message above names the problem. "
        f"{args.output}/ still holds the last good site, unchanged.", sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()

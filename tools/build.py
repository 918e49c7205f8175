"""Build the site into a fresh folder; put it in place of output/ only when the build succeeded.

Pelican runs in a child process, its messages printed as the writer reads them (tools/messages).
A failed build (a template error, a content problem in a publish build) leaves the last good
output/ exactly as it was, so the preview keeps showing it and no half-built site is uploaded.
A fresh folder also means no file of a deleted post lingers.

    python -m tools.build --settings publishconf.py --output output [--content content --cache cache]
"""

import argparse
import ctypes
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.messages import say

PROJECT = Path(__file__).resolve().parent.parent
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # <linux/fcntl.h>, <linux/fs.h>
PROCESS_QUERY_LIMITED_INFORMATION, STILL_ACTIVE, ERROR_ACCESS_DENIED = 0x1000, 259, 5  # <windows.h>
LOW_DISK = 20 * 1024 * 1024  # below this, a failed build is most likely a full disk


class BuildError(Exception):
    """A problem with the folders (read-only, a mount point), said in plain words."""


def build(settings="pelicanconf.py", output="output", project=PROJECT, content=None, cache=None,
          extra_settings=None):
    """Run Pelican into a staging folder and swap it in. True when the build succeeded.
    `content` and `cache` replace the settings' folders (the tests build fixture sites so);
    `extra_settings` ({name: value}) are given to Pelican on its command line."""
    project = Path(project)
    output = (project / output).resolve()
    try:
        return build_and_swap(settings, output, project, content, cache, extra_settings)
    except BuildError as error:
        say(str(error), sys.stderr)
        return False


def build_and_swap(settings, output, project, content, cache, extra_settings):
    if output.is_mount():
        raise BuildError(f"{output} is a mount point, so it cannot be replaced in one step. Build into a "
                         f"folder inside it instead, e.g. OUTPUT={output}/site, and serve that folder.")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        clear_leftovers(output)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-building-{os.getpid()}-", dir=output.parent))
    except OSError as error:
        raise BuildError(f"Cannot write in {output.parent} ({error.strerror}). The site is built there: make "
                         f"the folder writable, or build elsewhere with OUTPUT=<another folder>.") from None
    folders = [str((project / content).resolve())] if content else []
    if cache:
        folders += ["--cache-path", str((project / cache).resolve())]
    extra = [f"{name}={json.dumps(value)}" for name, value in (extra_settings or {}).items()]
    try:
        # tools.messages runs Pelican's command line: importable from the project's own folder too.
        python_path = os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))
        result = subprocess.run(
            [sys.executable, "-m", "tools.messages", *folders, "-s", settings, "-o", str(staging),
             *(["-e", *extra] if extra else [])],
            check=False, cwd=project, env={**os.environ, "PYTHONPATH": python_path},
        )
        if result.returncode != 0:
            free = shutil.disk_usage(output.parent).free
            if free < LOW_DISK:
                say(f"The disk holding {output.parent} is full ({free // 1024} KB free): delete files you do "
                    f"not need (make clean removes the build cache), then build again.", sys.stderr)
            return False
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server
        replace(output, staging)
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def load_renameat2():
    """Linux's renameat2 from its C library, or None (another system, or a C library without it)."""
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)


RENAMEAT2 = load_renameat2()


def exchange(first, second):
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE): at no moment is
    either name missing. False where the system or the file system cannot."""
    if RENAMEAT2 is None:
        return False
    if RENAMEAT2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace(output, staging, in_one_step=True):
    """Put `staging` where `output` is, so that a build killed at any moment leaves a whole site
    at `output`: swapped in one step where the system can (the old site is then at `staging`,
    removed by the caller); else (or with `in_one_step` False, as on macOS and Windows) two
    renames, the old site kept aside until the new is in place (a kill between them is mended by
    the next build: clear_leftovers)."""
    if in_one_step and output.exists() and exchange(staging, output):
        return
    previous = output.parent / f".{output.name}-previous-{os.getpid()}"
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    shutil.rmtree(previous, ignore_errors=True)


def clear_leftovers(output):
    """Mend what a killed build left beside `output`: put a site kept aside back where it belongs
    if `output` is missing, and remove the staging folders of builds that no longer run."""
    leftover = re.compile(rf"^\.{re.escape(output.name)}-(building|previous)-(\d+)(-.*)?$")
    found = [(match, path) for path in output.parent.iterdir() if (match := leftover.match(path.name))]
    for match, path in sorted(found, key=lambda item: item[1].stat().st_mtime, reverse=True):
        if running(int(match.group(2))):
            continue
        if match.group(1) == "previous" and not output.exists():
            os.replace(path, output)
        else:
            shutil.rmtree(path, ignore_errors=True)


def running(pid):
    """True when a process `pid` exists (another build, still at work)."""
    return pid != os.getpid() and process_exists(pid)


def process_exists(pid):
    """True when a process `pid` exists, whoever runs it."""
    if sys.platform == "win32":  # there os.kill(pid, 0) would send Ctrl+C
        return windows_process_exists(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def windows_process_exists(pid):
    """Windows: the process opens (or is another user's) and has not exited."""
    if sys.platform != "win32":  # so the type checker reads the rest as Windows' code
        raise OSError("windows_process_exists is for Windows")
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return ctypes.get_last_error() == ERROR_ACCESS_DENIED
    try:
        code = wintypes.DWORD()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--project", default=str(PROJECT), help="the folder with the settings")
    parser.add_argument("--content", help="the posts and pages, when not the settings' content/")
    parser.add_argument("--cache", help="the build cache, when not the settings' cache/")
    parser.add_argument("--summary", action="store_true", help="end with what was published (make publish)")
    args = parser.parse_args(argv)
    if args.summary:  # tools/publish_summary.py: the same build, with the list of posts it published
        from tools.publish_summary import publish_build, summary

        built = publish_build(args.settings, args.output, args.project, args.content, args.cache)
    else:
        built = build(args.settings, args.output, args.project, args.content, args.cache)
    if built:
        say(f"The site is ready in {args.output}/.")
        if args.summary:
            print("\n".join(summary(built)))
        return
    say(f"The build failed: the message above names the problem. "
        f"{args.output}/ still holds the last good site, unchanged.", sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()

"""Start Debian's Chromium under Playwright (Playwright's own browser download is not used)."""

import os
import shutil

# Without these, Chromium reaches for Google's services at start, on a machine with no network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumMissing(RuntimeError):
    pass


def executable():
    """Path of the Chromium to drive: $CHROMIUM, else Debian's chromium on PATH."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not os.access(path, os.X_OK):
        raise ChromiumMissing(
            "Chromium is not installed. Install Debian's package with `apt-get install chromium`, "
            "or set CHROMIUM to the path of a Chromium binary."
        )
    return path


def launch(playwright, **options):
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=executable(), args=FLAGS, headless=True, **options)

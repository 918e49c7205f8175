"""The pages in a built site's folder, listed while other work may change that folder.

The preview makes its search index beside its builds: Pagefind replaces its folder while a build
lists the pages (security_headers) and a build replaces or removes pages while the index lists
them (search). A folder or a page gone meanwhile is left out, never an error.
"""

import os
from pathlib import Path


def html_pages(output):
    """[(page, its os.stat_result)] of every .html file under `output`, in path order."""
    found = []
    for root, folders, files in os.walk(output):  # a folder gone while walked is skipped
        folders.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                page = Path(root, name)
                try:
                    found.append((page, page.stat()))
                except FileNotFoundError:
                    continue
    return found

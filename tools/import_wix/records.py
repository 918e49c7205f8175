"""What an import keeps about each post, and about the whole run."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote


@dataclass
class Post:
    number: int
    url: str
    slug: str
    title: str = ""
    fields: list = field(default_factory=list)
    markdown: str = ""
    pictures: dict = field(default_factory=dict)  # original address -> Picture
    staged: list = field(default_factory=list)  # (staged file, final file), pictures first
    file: Path | None = None
    draft: str = ""  # why it is a draft
    notes: list = field(default_factory=list)
    undescribed: list = field(default_factory=list)
    fetched: int = 0
    missing: int = 0


@dataclass
class Report:
    listed: int = 0
    in_feed: int = 0
    imported: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def shown(url):
    """An address as it may be printed: control characters and spaces percent-encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def display(path, content):
    path = Path(path)
    try:
        return str(Path(content.name) / path.relative_to(content))
    except ValueError:
        return str(path)

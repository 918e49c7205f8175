"""make import-wix FEED=<file or address>: bring the posts of a Wix blog home, as Markdown posts.

Wix has no export, but publishes the blog's feed at https://<site>/blog-feed.xml: per post the
title, author, date, address (/post/<slug>), an excerpt and, mostly, the whole post as HTML. For
each post this writes content/posts/<slug>.md, with the Wix slug kept (the old links keep
working), the HTML turned into Markdown (markdownify), and every picture downloaded into
content/images/<slug>/. A post the feed gives only an excerpt of is written as a draft.

Nothing is ever overwritten: a post whose address is taken is skipped, so running it again
changes nothing. DRY_RUN=1 only lists what would be written. A feed that cannot be read
writes nothing at all.
"""

import argparse
import email.utils
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import feedparser
from bs4 import BeautifulSoup
from markdownify import MarkdownConverter
from pelican.settings import read_settings

from tools.newpost import slugs_in_use

PROJECT = Path(__file__).resolve().parent.parent
TIMEOUT = 30  # seconds for the feed and for each picture
USER_AGENT = "herbclinique-import-wix/1"


class WixImportError(Exception):
    """A problem with the feed as a whole: nothing is written."""


@dataclass
class Post:
    slug: str
    title: str
    date: str
    author: str
    tags: list
    summary: str
    html: str  # the whole post, or the excerpt when that is all the feed has
    excerpt_only: bool
    link: str
    lang: str = ""
    warnings: list = field(default_factory=list)


# --- Reading the feed ---------------------------------------------------------------------------


def read_feed(source):
    """The feed's bytes, from a file or an http(s) address."""
    if re.match(r"https?://", source):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise WixImportError(f"Could not download the feed {source}: {error}. Check the address "
                               "(https://<your Wix site>/blog-feed.xml) or save the feed as a file.") from None
    path = Path(source).expanduser()
    if not path.is_file():
        raise WixImportError(f"There is no file {source}. Give the feed's file or its address: "
                           "make import-wix FEED=https://www.herbclinique.com/blog-feed.xml")
    return path.read_bytes()


def text_of(html):
    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


def excerpt_html(excerpt):
    """Wix's excerpt is text with a picture stuck to its end: a paragraph, then the picture."""
    soup = BeautifulSoup(excerpt, "html.parser")
    pictures = [img.extract() for img in soup.find_all("img")]
    paragraph = BeautifulSoup("<p></p>", "html.parser")
    paragraph.p.string = " ".join(soup.get_text(" ").split())
    return str(paragraph) + "".join(f"<p>{picture}</p>" for picture in pictures)


def is_japanese(text):
    """Mostly kana and kanji: the post gets Lang: ja, so screen readers read it in Japanese."""
    letters = [c for c in text if c.isalpha()]
    japanese = [c for c in letters if re.match(r"[\u3040-\u30ff\u3400-\u9fff]", c)]
    return bool(letters) and len(japanese) > len(letters) / 2


def feed_date(entry):
    """The date in the feed's own time zone, as a Pelican Date: 2023-03-14 09:30-08:00."""
    published = entry.get("published") or entry.get("updated")
    if not published:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(published)
    except (TypeError, ValueError):
        return None
    offset = moment.strftime("%z")
    return moment.strftime("%Y-%m-%d %H:%M") + (f"{offset[:3]}:{offset[3:]}" if offset else "")


def slug_of(link):
    """The Wix slug from the post's address: https://site/post/<slug> -> <slug>."""
    path = unquote(urlsplit(link or "").path).rstrip("/")
    parent, _, slug = path.rpartition("/")
    return slug if parent.endswith("/post") and slug else None


def parse_feed(data, default_author):
    """The posts of a Wix feed. Raises WixImportError if it is not a feed, is cut short or is empty."""
    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if feed.bozo and not feed.entries or not feed.version:
        reason = getattr(feed, "bozo_exception", None)
        raise WixImportError(f"This is not a readable feed ({reason or 'no RSS or Atom in it'}). Nothing was written. "
                           "Download https://<your Wix site>/blog-feed.xml again and give that file.")
    if feed.bozo and "SAX" in type(feed.bozo_exception).__name__:
        raise WixImportError(f"The feed is cut short or broken ({feed.bozo_exception}). Nothing was written. "
                           "Download it again: a feed that stops midway would lose posts.")
    if not feed.entries:
        raise WixImportError("The feed has no posts in it. Nothing was written.")
    posts = []
    for number, entry in enumerate(feed.entries, 1):
        slug, date, title = slug_of(entry.get("link")), feed_date(entry), " ".join(entry.get("title", "").split())
        missing = [name for name, value in (("an address /post/<slug>", slug), ("a date", date), ("a title", title))
                   if not value]
        if missing:
            raise WixImportError(f"Post {number} of the feed ({title or entry.get('link') or 'untitled'}) has no "
                               f"{' and no '.join(missing)}. Nothing was written.")
        content = entry.get("content")
        excerpt = entry.get("summary", "")
        html = content[0].value if content else excerpt_html(excerpt)
        posts.append(Post(
            slug=slug, title=title, date=date, author=entry.get("author") or default_author,
            tags=[tag.term.strip() for tag in entry.get("tags", []) if tag.get("term", "").strip()],
            summary=text_of(excerpt), html=html, excerpt_only=not content, link=entry.get("link"),
            lang="ja" if is_japanese(title + " " + text_of(html)) else "",
        ))
    return posts


# --- HTML to Markdown ---------------------------------------------------------------------------


class WixConverter(MarkdownConverter):
    """markdownify, with Wix's figures kept as a picture and a caption."""

    def convert_figcaption(self, el, text, *args, **kwargs):
        text = text.strip()
        return f"\n\n*{text}*\n\n" if text else ""


def video_link(src):
    """An embedded video's page: YouTube and Vimeo embeds become their watch address."""
    match = re.search(r"youtube(?:-nocookie)?\.com/embed/([\w-]+)", src)
    if match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    match = re.search(r"player\.vimeo\.com/video/(\d+)", src)
    return f"https://vimeo.com/{match.group(1)}" if match else src


def clean_html(html):
    """Wix's HTML, with embedded videos as links, no empty paragraphs."""
    soup = BeautifulSoup(html, "html.parser")
    for frame in soup.find_all(["iframe", "video"]):
        src = frame.get("src") or (frame.find("source") or {}).get("src", "")
        if src:
            link = soup.new_tag("a", href=video_link(src))
            link.string = f"Watch the video: {video_link(src)}"
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
        else:
            frame.decompose()
    for paragraph in soup.find_all("p"):
        if not paragraph.get_text(strip=True) and not paragraph.find(["img", "a"]):
            paragraph.decompose()
    return soup


def to_markdown(soup):
    markdown = WixConverter(heading_style="ATX", bullets="-", escape_underscores=False,
                            escape_asterisks=False).convert_soup(soup)
    markdown = "\n".join(line.rstrip() for line in markdown.splitlines())
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


# --- Pictures -----------------------------------------------------------------------------------


def original_address(src):
    """Wix's picture at full size: /media/<id>/v1/fill/w_740,…/<name> -> /media/<id>."""
    parts = urlsplit(src)
    match = re.match(r"(.*?/media/[^/]+)/v1/", parts.path)
    return f"{parts.scheme}://{parts.netloc}{match.group(1)}" if match else src


def local_name(src, taken):
    name = PurePosixPath(unquote(urlsplit(src).path)).name or "picture"
    stem, dot, extension = name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem if dot else name).strip("-") or "picture"
    extension = extension.lower() if dot and re.fullmatch(r"[A-Za-z0-9]{2,5}", extension) else "jpg"
    candidate, n = f"{stem}.{extension}", 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}.{extension}", n + 1
    taken.add(candidate)
    return candidate


def download(address):
    """The picture's bytes; raises OSError with a reason."""
    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        kind = response.headers.get_content_type()
        if not kind.startswith("image/"):
            raise OSError(f"it is {kind}, not a picture")
        return response.read()


def bring_pictures_home(post, soup, images_root, dry_run):
    """Download every <img> of the post to images_root/<slug>/ and point it there.
    Returns the number fetched; a failure keeps the remote address and adds a warning."""
    fetched, taken = 0, set()
    for img in soup.find_all("img"):
        src = img.get("src", "")
        if not src.startswith(("http://", "https://")):
            continue
        if not img.get("alt", "").strip():
            post.warnings.append(f"a picture has no description ({PurePosixPath(urlsplit(src).path).name}): "
                                 "write one between the [ ] of ![ ](…), for readers who cannot see it")
        name = local_name(original_address(src), taken)
        if dry_run:
            fetched += 1
            continue
        try:
            data = download(original_address(src))
        except (OSError, urllib.error.URLError, ValueError) as error:
            post.warnings.append(f"the picture {src} could not be downloaded ({getattr(error, 'reason', error)}); "
                                 f"it still points at Wix and will not show: save it into content/images/{post.slug}/ "
                                 "and change its address in the post")
            continue
        folder = images_root / post.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        img["src"] = f"/images/{post.slug}/{name}"
        fetched += 1
    return fetched


# --- Writing posts ------------------------------------------------------------------------------


def post_text(post, markdown):
    fields = [("Title", post.title), ("Date", post.date), ("Author", post.author), ("Tags", ", ".join(post.tags)),
              ("Slug", post.slug), ("Summary", post.summary)]
    if post.lang:
        fields.append(("Lang", post.lang))
    if post.excerpt_only:
        fields.append(("Status", "draft"))
    head = "\n".join(f"{name}: {value}" for name, value in fields)
    note = ""
    if post.excerpt_only:
        note = (f"<!-- Imported from Wix: the feed had only this excerpt. Copy the rest of the post from\n"
                f"     {post.link} then remove the line Status: draft. -->\n\n")
    return f"{head}\n\n{note}{markdown}"


@dataclass
class Report:
    imported: int = 0
    skipped: int = 0
    drafts: int = 0
    warnings: int = 0
    images: int = 0


def import_feed(source, project=PROJECT, dry_run=False, say=print):
    settings = read_settings(str(Path(project) / "pelicanconf.py"))
    content = Path(project) / settings["PATH"]
    posts = parse_feed(read_feed(source), settings["AUTHOR"])  # all or nothing: checked before any writing
    used = slugs_in_use(content, settings)
    report = Report()
    verb = "would write" if dry_run else "written"
    for number, post in enumerate(posts, 1):
        prefix = f"[{number}/{len(posts)}] {post.title}"
        path = content / "posts" / f"{post.slug}.md"
        taken = used.get(post.slug) or (path if path.exists() else None)
        if taken:
            report.skipped += 1
            say(f"{prefix}: skipped, {Path(taken).relative_to(project)} already has the address /post/{post.slug}/")
            continue
        soup = clean_html(post.html)
        fetched = bring_pictures_home(post, soup, content / "images", dry_run)
        if not post.tags:
            post.warnings.append("the feed gives it no tags: add a few after Tags:")
        if post.excerpt_only:
            post.warnings.append("the feed has only its excerpt: it is a draft until you add the rest")
        if not dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
                file.write(post_text(post, to_markdown(soup)))
        used[post.slug] = path
        report.imported += 1
        report.drafts += post.excerpt_only
        report.images += fetched
        report.warnings += len(post.warnings)
        pictures = f"{fetched} picture{'s' if fetched != 1 else ''} {'to fetch' if dry_run else 'fetched'}"
        say(f"{prefix}: {verb} {path.relative_to(project)} ({'draft, ' if post.excerpt_only else ''}{pictures})")
        for warning in post.warnings:
            say(f"    warning: {warning}")
    say("")
    say(f"{'Would import' if dry_run else 'Imported'} {report.imported}, skipped {report.skipped} (already here), "
        f"drafts {report.drafts}, warnings {report.warnings}, pictures {'to fetch' if dry_run else 'fetched'} "
        f"{report.images}.")
    if report.imported and not dry_run:
        say("Next: `make devserver` and read each imported post; fix what the warnings name.")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("feed", nargs="?", default=os.environ.get("FEED", ""))
    parser.add_argument("--project", default=str(PROJECT))
    parser.add_argument("--dry-run", action="store_true", default=os.environ.get("DRY_RUN", "") not in ("", "0"))
    args = parser.parse_args(argv)
    if not args.feed:
        sys.exit("Give the Wix feed: make import-wix FEED=https://www.herbclinique.com/blog-feed.xml "
                 "(or the path of the saved file).")
    try:
        import_feed(args.feed, args.project, args.dry_run)
    except WixImportError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()

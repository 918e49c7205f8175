"""Which posts the site has: its sitemap (sitemap.xml -> blog-posts-sitemap.xml, every post, with
its cover at full size), and its feed (blog-feed.xml: the newest 20, and for feeds before 2025 the
whole text as HTML)."""

import email.utils
from dataclasses import dataclass, field
from datetime import datetime

import feedparser
from lxml import etree

from tools.import_wix.safety import Refused

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"


@dataclass
class Listed:
    """A post as the sitemap lists it."""

    url: str
    lastmod: str = ""
    cover: str = ""


@dataclass
class FeedPost:
    url: str
    title: str = ""
    date: str = ""
    author: str = ""
    tags: list = field(default_factory=list)
    excerpt: str = ""  # the description: plain text (2026) or HTML with a picture (older feeds)
    html: str = ""  # content:encoded, the whole post, in feeds before 2025
    cover: str = ""  # the enclosure


def parse_xml(data, what):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise Refused(f"{what} is not readable ({error.msg}); it may have been cut short") from None


def sitemap_children(data):
    """The addresses of the sitemaps a sitemap index (Wix's sitemap.xml) lists."""
    root = parse_xml(data, "the site's sitemap.xml")
    return [
        loc.text.strip()
        for loc in root.iter(f"{SITEMAP_NS}loc")
        if root.tag == f"{SITEMAP_NS}sitemapindex" and loc.text
    ]


def is_sitemap_index(data):
    return parse_xml(data, "the site's sitemap.xml").tag == f"{SITEMAP_NS}sitemapindex"


def listed_posts(data):
    """Every post of blog-posts-sitemap.xml, in its order."""
    root = parse_xml(data, "the list of posts (blog-posts-sitemap.xml)")
    posts = []
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc", "").strip()
        if not loc:
            continue
        cover = url.findtext(f"{IMAGE_NS}image/{IMAGE_NS}loc", "").strip()
        posts.append(Listed(loc, url.findtext(f"{SITEMAP_NS}lastmod", "").strip(), cover))
    return posts


def pelican_date(moment):
    """A datetime as Pelican reads it, in its own zone: 2023-03-14 09:30-08:00."""
    offset = moment.strftime("%z")
    return moment.strftime("%Y-%m-%d %H:%M") + (f"{offset[:3]}:{offset[3:]}" if offset else "")


def iso_date(text):
    """'2023-02-19T08:12:33.000Z' -> '2023-02-19 08:12+00:00'; '' if it is not a date."""
    try:
        return pelican_date(datetime.fromisoformat(text.strip()))
    except (ValueError, AttributeError):
        return ""


def rss_date(text):
    try:
        return pelican_date(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return ""


def feed_posts(data):
    """The posts of a Wix feed, in its order, and the address of the blog it is the feed of."""
    feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not feed.version or (feed.bozo and not feed.entries):
        raise Refused("it is not a feed (no RSS in it)")
    if feed.bozo and "SAX" in type(feed.bozo_exception).__name__:
        raise Refused("the feed is cut short or broken")
    posts = []
    for entry in feed.entries:
        content = entry.get("content")
        cover = next(
            (link.get("href", "") for link in entry.get("links", []) if link.get("rel") == "enclosure"), ""
        )
        posts.append(
            FeedPost(
                url=entry.get("link", ""),
                title=entry.get("title", ""),
                date=rss_date(entry.get("published") or entry.get("updated") or ""),
                author=entry.get("author", ""),
                tags=[tag.get("term", "") for tag in entry.get("tags", [])],
                excerpt=entry.get("summary", ""),
                html=content[0].value if content else "",
                cover=cover,
            )
        )
    return posts, feed.feed.get("link", "")

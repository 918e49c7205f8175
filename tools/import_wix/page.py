"""A post's own page on Wix (/post/<slug>), rendered on the server: the title in
h1[data-hook=post-title], the writer in span[data-hook=user-name], the dates in
article:published_time/modified_time, the categories in ul[aria-label="Post categories"], and the
text in section[data-hook=post-description] > div[data-id=content-viewer] (Ricos markup)."""

import json
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from tools.import_wix.listing import iso_date


@dataclass
class PagePost:
    title: str = ""
    date: str = ""
    modified: str = ""
    author: str = ""
    tags: list = field(default_factory=list)
    description: str = ""
    cover: str = ""
    body: object = None  # the content viewer's element, or None when the page has no text


def text(element):
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def meta(soup, **attrs):
    tag = soup.find("meta", attrs=attrs)
    return (tag.get("content") or "").strip() if tag else ""


def blog_posting(soup):
    """The page's JSON-LD BlogPosting, or {}."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("@type") in ("BlogPosting", "Article", "NewsArticle"):
                return item
    return {}


def content_viewer(soup):
    section = soup.select_one('section[data-hook="post-description"]')
    scope = section or soup
    return scope.select_one('[data-id="content-viewer"]') or section


def parse_page(html):
    soup = BeautifulSoup(html, "lxml")
    posting = blog_posting(soup)
    image = posting.get("image")
    image = image.get("url", "") if isinstance(image, dict) else image if isinstance(image, str) else ""
    author = posting.get("author")
    author = author.get("name", "") if isinstance(author, dict) else ""
    categories = soup.select_one('ul[aria-label="Post categories"]')
    return PagePost(
        title=text(soup.select_one('h1[data-hook="post-title"]'))
        or meta(soup, property="og:title")
        or str(posting.get("headline", "")),
        date=iso_date(meta(soup, property="article:published_time") or str(posting.get("datePublished", ""))),
        modified=iso_date(
            meta(soup, property="article:modified_time") or str(posting.get("dateModified", ""))
        ),
        author=text(soup.select_one('[data-hook="user-name"]'))
        or meta(soup, property="article:author")
        or author,
        tags=[text(item) for item in categories.find_all("li")] if categories else [],
        description=meta(soup, name="description")
        or meta(soup, property="og:description")
        or str(posting.get("description", "")),
        cover=image or meta(soup, property="og:image"),
        body=content_viewer(soup),
    )

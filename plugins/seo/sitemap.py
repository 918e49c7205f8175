"""sitemap.xml: every published post and page, the home page, the archives, the tag and author
pages, each with the date it last changed.

A listing page changed when its newest post was published; a page without a date has no
<lastmod>. Drafts, hidden pages, the 404 page, search and later list pages are not in it.
(pelican-sitemap stamps listings with the build time: every page would "change" on every
build, and every upload would send the sitemap again.)
Written only when SITEMAP_XML = {"enabled": True} (publishconf.py), where addresses are absolute.
"""

from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from pelican import signals

DEFAULTS = {"enabled": False, "filename": "sitemap.xml"}
SAFE = "/-._~!$&'()*+,;=:@%"  # what an address path keeps as it is: RFC 3986's unreserved and delimiters


def newest(posts):
    return max((getattr(p, "modified", None) or p.date for p in posts), default=None)


def entries(generators, settings):
    """[(address relative to the site, last change or None)] in a stable order."""
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    pages = [p for g in generators for p in getattr(g, "pages", [])]
    found = [("", newest(articles)), (settings["ARCHIVES_URL"], newest(articles)),
             (settings["TAGS_URL"], newest(articles))]
    for generator in generators:
        for tag, posts in dict(getattr(generator, "tags", {})).items():
            found.append((tag.url, newest(posts)))
        for author, posts in getattr(generator, "authors", []):
            found.append((author.url, newest(posts)))
    found += [(a.url, getattr(a, "modified", None) or a.date) for a in articles]
    found += [(p.url, getattr(p, "modified", None) or getattr(p, "date", None)) for p in pages]
    return sorted(set(found), key=lambda entry: entry[0])


def xml(entries, siteurl):
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, changed in entries:
        lastmod = f"<lastmod>{changed.isoformat()}</lastmod>" if changed else ""
        # A sitemap's addresses are URIs (sitemaps.org): /post/肩こり/ is written percent-encoded.
        lines.append(f"  <url><loc>{escape(f'{siteurl}/{quote(url, safe=SAFE)}')}</loc>{lastmod}</url>")
    return "\n".join([*lines, "</urlset>", ""])


def write_sitemap(generators):
    """all_generators_finalized receiver."""
    settings = generators[0].settings
    options = {**DEFAULTS, **settings.get("SITEMAP_XML", {})}
    if not options["enabled"]:
        return
    path = Path(settings["OUTPUT_PATH"]) / options["filename"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(xml(entries(generators, settings), settings["SITEURL"]), encoding="utf-8")


def register():
    signals.all_generators_finalized.connect(write_sitemap)

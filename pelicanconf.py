"""Settings for building and previewing the site (`make html`, `make devserver`).

publishconf.py imports everything here and changes only what production needs.
"""

import logging
import os
from datetime import date

from jinja2 import FileSystemBytecodeCache

# --- The site and its writer -------------------------------------------------------------
SITENAME = "HERB CLINIQUE"
SITE_DESCRIPTION = "The blog of HERB CLINIQUE, the massage therapy practice of Yoko Sakura, CMT."
AUTHOR = "Yoko Sakura"
# Shown after the name in every byline ("Yoko Sakura, CMT"); one entry per author.
AUTHOR_CREDENTIALS = {"Yoko Sakura": "CMT"}
# What a credential stands for, spelled out in the structured data search engines read.
CREDENTIALS = {"CMT": "Certified Massage Therapist"}
# The footer's social links, as (name, address). Check the handles before going live.
SOCIAL = (
    ("Instagram", "https://www.instagram.com/herbclinique/"),
    ("Facebook", "https://www.facebook.com/herbclinique/"),
)
# The header's navigation, as (label, address relative to the site root).
NAV_LINKS = (
    ("Blog", ""),
    ("About", "about/"),
    ("Tags", "tags/"),
)
# The line under the site's name in the header.
SITE_TAGLINE = "Massage therapy and healing"
# The booking button, in the header and under every post: {"text": "Book a session", "url": …},
# the url a booking page ("https://…"), "tel:+1…" or "mailto:…". None: no button anywhere.
CALL_TO_ACTION = None  # CHECK: the clinic's booking address, then e.g. {"text": "Book a session", "url": "https://…"}
# The clinic, the one source for the footer and for what search engines read (the
# HealthAndBeautyBusiness in the JSON-LD, plugins/seo). Leave a value empty ("", None, []) and it
# is shown nowhere. CHECK each one before going live: none is filled in yet.
CLINIC = {
    "telephone": "",  # as readers dial it, e.g. "+1 555 010 0000"
    "email": "",  # e.g. "hello@herbclinique.com"
    # The street address: {"street": …, "locality": (city), "region": (state), "postal_code": …,
    # "country": (two letters, e.g. "US")}.
    "address": None,
    # Opening hours, one entry per group of days with the same hours:
    # {"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "opens": "10:00", "closes": "18:00"}.
    "hours": [],
}
# The writer behind the posts, for the card under each post and on her author page, by author name:
# "photo" a picture in content/images/ (e.g. "/images/yoko-sakura.jpg"; without one, her initials),
# "bio" about two lines, "about" the page the card links to.
AUTHOR_PROFILES = {
    "Yoko Sakura": {
        "photo": None,
        "bio": "Certified massage therapist and founder of HERB CLINIQUE, writing about massage, pain "
               "and the nervous system.",
        "about": "about/",
    },
}
# The home page's first lines: who writes here and what the clinic offers. None: no introduction.
HOME_INTRO = ("HERB CLINIQUE is the massage therapy practice of Yoko Sakura, CMT. On this blog she writes "
              "about the body, pain and healing, and how massage helps.")
# One line under every post. None: no line.
HEALTH_NOTE = "General information, not medical advice: for a health concern, ask your doctor."
# The footer says "© <this year> by HERB CLINIQUE": the year of the build.
COPYRIGHT_YEAR = date.today().year

# Where posts are dated. The seed post doesn't say where the clinic is: set the clinic's zone,
# e.g. "America/Los_Angeles", so that "now" in new posts is the writer's own time.
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%b %-d, %Y"  # Feb 19, 2023, as the Wix page shows it

# --- Content ------------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
# Posts are written in Markdown only: a .rst or .html file in posts/ or pages/ is not read, and
# the content checks say so (README: "is written in reStructuredText").
READERS = {"rst": None, "html": None, "htm": None}
STATIC_PATHS = ["images", "extra"]
IGNORE_FILES = [".*"]  # hidden files (.gitkeep, editor backups) are never content
# Files served from the site's root: icons, and the picture shown when a page without a cover
# is shared.
EXTRA_PATH_METADATA = {
    f"extra/{name}": {"path": name}
    for name in ("favicon.svg", "favicon.ico", "apple-touch-icon.png", "icon-192.png", "icon-512.png",
                 "social-card.png")
}
SOCIAL_IMAGE = "social-card.png"
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        # Code blocks highlighted by Pygments with CSS classes (no inline styles: the security
        # policy forbids them); the colours are theme/static/css/code.css's. A block without a
        # language is shown as typed, never guessed.
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        # A "# Heading" in a post becomes an <h2>: the post's title is the page's only <h1>.
        "markdown.extensions.toc": {"baselevel": 2},
    },
    "output_format": "html5",
}

# Curly quotes, dashes and ellipses. "caps" is left out: it wraps every capitalised word
# (CMT, HERB CLINIQUE) in a <span> that the theme does not style.
TYPOGRIFY = True
TYPOGRIFY_OMIT_FILTERS = ["caps"]

# A rebuild reads only the posts that changed: the HTML of the others (Markdown converted and
# typogrified, by plugins/typography) is kept in cache/ with each file's modification time.
# `make clean` empties it.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Not gzipped: every build loads and saves it, and gzip made saving it ~20 times slower
# (1000 posts: 0.02 s, gzipped 0.47 s), for 5.3 MB on disk instead of 1.5 MB.
GZIP_CACHE = False

# --- Addresses: clean directory URLs; posts stay at Wix's /post/<slug> ----------------------
SITEURL = ""  # links are root-relative in the preview, absolute in publishconf.py
RELATIVE_URLS = False  # the 404 page is served at any depth, so links must not be relative
ARTICLE_URL = "post/{slug}/"
ARTICLE_SAVE_AS = "post/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A post in another language (Lang: ja) keeps the same kind of address (the Wix import writes
# Japanese posts with Wix's slug). A translation of a post (Lang: + the same Slug:) is moved under
# its language, /ja/post/<slug>/, by plugins/translations.
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# The blog is organised by tags: no category pages, no author or category index.
CATEGORY_SAVE_AS = ""
# Every post is in the one category "blog", never shown: Pelican 4.12 writes drafts with their
# category and fails on a draft that has none.
DEFAULT_METADATA = {"category": "blog"}
CATEGORIES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "archives", "404", "robots", "manifest"]  # plugins/search adds "search"
ROBOTS_SAVE_AS = "robots.txt"
MANIFEST_SAVE_AS = "manifest.webmanifest"

# Drafts (`Status: draft`) and posts dated in the future are previewed here with a banner, at
# /drafts/post/<slug>/, and listed on the preview's home page. publishconf.py leaves them out:
# a future post goes live with the first build on or after its date.
WITH_FUTURE_DATES = False
DRAFT_URL = "drafts/" + ARTICLE_URL
DRAFT_SAVE_AS = "drafts/" + ARTICLE_SAVE_AS
DRAFT_PAGE_URL = "drafts/" + PAGE_URL
DRAFT_PAGE_SAVE_AS = "drafts/" + PAGE_SAVE_AS
DRAFT_LANG_URL, DRAFT_LANG_SAVE_AS = DRAFT_URL, DRAFT_SAVE_AS
DRAFT_PAGE_LANG_URL, DRAFT_PAGE_LANG_SAVE_AS = DRAFT_PAGE_URL, DRAFT_PAGE_SAVE_AS
SHOW_DRAFTS = True

# Feeds are built for production only (publishconf.py): the preview has no real address.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Theme and plugins --------------------------------------------------------------------
THEME = "theme"
# The theme's CSS is inlined into every page (theme/static/css/site.css gives the order); the
# scripts are the features' own (plugins/<feature>/static/), joined by plugins/theme_assets.
THEME_STATIC_PATHS = []
# Jinja's auto_reload off: each build starts with fresh templates, so Jinja need not look at every
# template file's time again for each of the ~1500 pages. Its bytecode cache keeps the compiled
# templates between builds (in the system's temporary folder, checked against each template's
# text), as Python keeps .pyc files: compiling the theme cost ~0.2 s of every build.
JINJA_ENVIRONMENT = {"auto_reload": False, "bytecode_cache": FileSystemBytecodeCache()}  # Pelican adds its defaults
PLUGIN_PATHS = ["plugins"]
# One plugin per feature (plugins/<name>/). The order of the steps that depend on each other is
# kept by plugins/build_order, which checks this list when a build starts.
PLUGINS = ["build_order", "content_checks", "typography", "parallel_reading", "rich_markdown", "translations", "heading_levels",
           "reading_time", "responsive_images",
           "seo", "read_next", "share_links", "comments", "theme_assets", "search", "security_headers", "precompress"]
# Problems in posts are warnings here; publishconf.py makes them stop the build.
CONTENT_CHECKS = {"strict": False}
# Pelican's own words for problems that content_checks reports with the file, line and fix.
LOG_FILTER = [
    (logging.WARNING, "Empty alt attribute for image %s in %s"),
    (logging.WARNING, "Unable to find '%s', skipping url replacement."),
    # Two posts with one Slug: said once, by content_checks (translations are not a problem).
    *((logging.WARNING, 'There are %s items "%s" with lang %s: ' + "\n%s" * count) for count in range(2, 6)),
    *((logging.WARNING, 'There are %s original (not translated) items %s: ' + "\n%s" * count) for count in range(2, 6)),
]
READING_TIME = {"words_per_minute": 200, "cjk_characters_per_minute": 500}
# Pictures: WebP plus a JPEG/PNG fallback at these widths, sized for the 38rem text column.
READ_NEXT = {"count": 3}  # related posts under each post
RESPONSIVE_IMAGES = {"widths": [480, 960, 1440], "quality": 80}
# Site search (plugins/search): a Pagefind index of every post and page, built with the site.
# One index language for all posts, Japanese: its word segmentation splits Japanese text into
# words and leaves English words whole, so one search finds posts in either language. (Per-language
# indexes would search only the language of the page the reader is on. The cost: no English
# stemming, so "massages" does not find "massage", though "massage" finds "massages".)
SEARCH = {"enabled": True, "language": "ja"}

# Comments under each post (plugins/comments), loaded only when the reader
# asks. Providers: "isso" (self-hosted, the default), "disqus", "giscus", "cusdis"; see
# docs/comments.md. No url: no comments section at all. `make devserver` starts a local Isso and
# sets COMMENTS_URL; publishconf.py takes the production address from the environment.
# A post turns its comments off with the line "Comments: off".
COMMENTS = {
    "provider": "isso",
    "url": os.environ.get("COMMENTS_URL", ""),
    "counts": True,  # the number of comments beside each post in lists (Isso only)
}

# Security headers for the host (plugins/security_headers): a strict Content-Security-Policy completed at
# build time with the hashes of the inline style and script and the comment server's origin,
# Referrer-Policy, Permissions-Policy, X-Content-Type-Options, HSTS, and a year's cache for the
# fingerprinted files. The plugin's DEFAULTS hold the policy; a key given here replaces its
# default, e.g. {"csp": {"img-src": ["'self'", "https://images.example"]}}. Written as
# output/_headers (Netlify, Cloudflare Pages) and output/_nginx/site.conf (nginx).
# security_contact: where /.well-known/security.txt sends a security problem (the About page for
# now; the clinic's e-mail as mailto:… when it has one for this).
SECURITY_HEADERS = {"enabled": True, "security_contact": "about/"}

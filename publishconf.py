"""Production settings (`make publish`): the development settings, plus only what production changes."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The site's public address, the one setting to check before going live. A staging copy
# overrides it from the environment: `SITEURL=https://staging.example make publish`.
SITEURL = os.environ.get("SITEURL", "https://www.herbclinique.com").rstrip("/")
RELATIVE_URLS = False

# Where `make rsync_upload` sends the site: user@host:/path/ (or a local folder).
RSYNC_DEST = os.environ.get("RSYNC_DEST", "")

# The comment server's public address, e.g. https://www.herbclinique.com/comments (see
# docs/comments.md), from the environment so no host is kept in the repository. Unset: the
# site is published without comments sections.
COMMENTS = {**COMMENTS, "url": os.environ.get("COMMENTS_URL", "").rstrip("/")}  # noqa: F405

# Feeds: posts in full, with absolute addresses; one feed per tag.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
# The newest 20 posts, in full: what feed readers show. All of them would make the feed a file
# of megabytes that every reader's app fetches again and again as the blog grows.
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False

# sitemap.xml (plugins/seo), linked from robots.txt: the public pages only.
SITEMAP_XML = {"enabled": True}

# A .gz and a .br copy of every text file, for hosts that serve them (plugins/precompress; the
# nginx config written with the site uses them).
PRECOMPRESS = {"enabled": True}

# Any problem in a post stops the build: nothing broken is published.
CONTENT_CHECKS = {**CONTENT_CHECKS, "strict": True}  # noqa: F405

# Drafts and scheduled posts are never written into the published site.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
SHOW_DRAFTS = False

"""make import-wix SITE=https://www.herbclinique.com: bring a Wix blog home, every post in full.

The posts are listed from the site's sitemap (sitemap.xml -> blog-posts-sitemap.xml); each post's
own page gives its text (the Ricos content viewer), title, date, writer and categories; its
pictures come at full size from Wix's media addresses; the feed (blog-feed.xml) fills only what
a page lacks. Everything is read, checked and downloaded into a staging folder first, then moved
into content/ in one short step, never over an existing file. docs/wix-import.md says more.

Modules, by role: command (the command line and the report), importer (the run), staging (all or
nothing: the staging folder and the move into content/), records (what is kept of each post),
fetch (downloads with limits, or a saved folder), listing (sitemap and feed), page (a
post's page), to_markdown (Ricos HTML -> Markdown), pictures (checked with Pillow), safety
(slugs, fields and file names that cannot do harm).
"""

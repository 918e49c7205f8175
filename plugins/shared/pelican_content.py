"""Where Pelican (4.12) keeps each kind of content: the lists of its article and page generators."""

PUBLISHED = ("articles", "translations", "pages")
HIDDEN = ("hidden_articles", "hidden_translations", "hidden_pages")
DRAFTS = ("drafts", "drafts_translations", "draft_pages", "draft_translations")
EVERY_KIND = PUBLISHED + HIDDEN + DRAFTS


def contents(generators, kinds=EVERY_KIND):
    """Every post and page the generators hold, of the kinds named."""
    return [content for generator in generators for kind in kinds for content in getattr(generator, kind, [])]

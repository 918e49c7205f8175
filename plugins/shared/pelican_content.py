"""Where Pelican (4.12) keeps each kind of content: the lists of its article and page generators."""

PUBLISHED = ("articles", "translations", "pages")
HIDDEN = ("hidden_articles", "hidden_translations", "hidden_pages")
DRAFTS = ("drafts", "drafts_translations", "draft_pages", "draft_translations")
EVERY_KIND = PUBLISHED + HIDDEN + DRAFTS
# The same lists by another cut: a post or page in the site's language (or one that translates
# nothing), and the translations Pelican found of one.
ORIGINALS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")
TRANSLATIONS = ("translations", "hidden_translations", "drafts_translations", "draft_translations")


def contents(generators, kinds=EVERY_KIND):
    """Every post and page the generators hold, of the kinds named."""
    return [content for generator in generators for kind in kinds for content in getattr(generator, kind, [])]

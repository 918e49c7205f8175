"""Translations: a post (or page) with `Lang:` and the same `Slug:` as one in the site's language.

Pelican's own mechanism finds them (ARTICLE_TRANSLATION_ID, the slug): the post in DEFAULT_LANG is
the original, listed and in the feeds; the others are its translations. Pelican would give a
translation its *_LANG_URL address, which the site keeps equal to the post's own (a post written
only in Japanese, as the Wix import writes them, keeps its /post/<slug>/), so translation and
original would be written to one file: Pelican stops with FileOverwriteFailedError. This plugin
moves each translation under its language, /ja/post/<slug>/ (drafts: /drafts/ja/post/<slug>/),
once Pelican has sorted them, and the theme links the versions both ways
(templates/translations/: <link rel="alternate" hreflang> in the head, "Also in" under the title).
"""

from pelican import signals

from plugins.shared import pelican_content

# Where Pelican's generators keep the translations (4.12): articles and pages.
TRANSLATION_LISTS = pelican_content.TRANSLATIONS
DRAFTS = "drafts/"


def under_language(address, lang):
    """post/x/ -> ja/post/x/; drafts/post/x/ -> drafts/ja/post/x/."""
    if address.startswith(DRAFTS):
        return f"{DRAFTS}{lang}/{address.removeprefix(DRAFTS)}"
    return f"{lang}/{address}"


def translated_address(content):
    """(url, save_as) of a translation, under its language."""
    return under_language(content.url, content.lang), under_language(content.save_as, content.lang)


# Where they keep the originals: two in other languages with one slug and none in DEFAULT_LANG
# ("Lang: fr" and "Lang: ja") are both originals to Pelican, and would share one address.
ORIGINAL_LISTS = pelican_content.ORIGINALS


def move(content):
    if not getattr(content, "translation_moved", False) and content.save_as:
        content.override_url, content.override_save_as = translated_address(content)
        content.translation_moved = True


def move_translations(generator):
    """article_generator_finalized and page_generator_finalized receiver."""
    for name in TRANSLATION_LISTS:
        for content in getattr(generator, name, []):
            move(content)
    # Pelican lists a post's versions in the order it read the files, which it finds as a set:
    # another order at each build. By language, each build writes the same page.
    for name in (*TRANSLATION_LISTS, *ORIGINAL_LISTS):
        for content in getattr(generator, name, []):
            if getattr(content, "translations", None):
                content.translations.sort(key=lambda other: other.lang)
    for name in ORIGINAL_LISTS:
        first_of = {}
        for content in getattr(generator, name, []):
            first = first_of.setdefault(content.slug, content)
            if first is not content and content.lang != first.lang:
                move(content)  # one language keeps the address; the same language twice: content_checks says so


def register():
    signals.article_generator_finalized.connect(move_translations)
    signals.page_generator_finalized.connect(move_translations)

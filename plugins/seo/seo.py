"""What search engines and social networks read: descriptions and JSON-LD.

- `post.plain_title`: the title without markup, for <meta> and JSON-LD.
- `post.meta_description`: the summary as plain text, at most 160 characters, never cut
  inside a word; used by <meta name="description">, Open Graph and JSON-LD alike.
- `json_ld(...)` in templates: a <script type="application/ld+json"> block. Posts get a
  BlogPosting (its author a Person with her credential as a schema.org
  EducationalOccupationalCredential, its publisher the clinic as a HealthAndBeautyBusiness)
  and a BreadcrumbList; the home page a WebSite and a Blog.

Settings used: SITEURL, SITENAME, SITE_DESCRIPTION, AUTHOR_CREDENTIALS, CREDENTIALS (what an
abbreviation stands for), SOCIAL, SOCIAL_IMAGE, DEFAULT_LANG, and CLINIC (the clinic's contact,
address and opening hours, which the theme's footer shows too).
"""

import json
from functools import partial

from pelican import signals
from pelican.contents import Article, Page

from plugins.shared.html_text import plain_text
from plugins.shared.pelican_adapter import text_as_read

from . import sitemap

DESCRIPTION_LIMIT = 160
# CLINIC["address"]'s keys and schema.org's PostalAddress names for them.
ADDRESS_FIELDS = {"street": "streetAddress", "locality": "addressLocality", "region": "addressRegion",
                  "postal_code": "postalCode", "country": "addressCountry"}
# The size of SOCIAL_IMAGE (content/extra/social-card.png), the size networks show a link's picture at.
SOCIAL_IMAGE_SIZE = (1200, 630)
def describe(fragment, limit=DESCRIPTION_LIMIT):
    """Plain text of at most `limit` characters, shortened at a word boundary with "…"."""
    text = plain_text(fragment)
    if len(text) <= limit:
        return text
    kept = ""
    for word in text.split(" "):
        if len(kept) + len(word) + (1 if kept else 0) > limit - 1:  # room for the ellipsis
            break
        kept = f"{kept} {word}" if kept else word
    return kept.rstrip(",;:.!?—–-") + "…"


def add_description(content):
    """content_object_init receiver. Reads the Summary field, else the text itself, never
    `content.summary`: that would make Pelican keep the post's HTML before other plugins
    (responsive_images) have rewritten it."""
    if isinstance(content, (Article, Page)):
        content.meta_description = describe(content.metadata.get("summary") or text_as_read(content))
        content.plain_title = plain_text(getattr(content, "title", ""))  # no markup, no no-break spaces


def absolute(settings, url):
    return url if url.startswith(("http://", "https://")) else f"{settings['SITEURL']}/{url.lstrip('/')}"


def organization(settings):
    site = absolute(settings, "")
    return {
        "@type": "HealthAndBeautyBusiness",  # schema.org's business type for a massage practice
        "@id": f"{site}#organization",
        "name": settings["SITENAME"],
        "url": site,
        "logo": {"@type": "ImageObject", "url": absolute(settings, "icon-512.png"), "width": 512, "height": 512},
        "image": absolute(settings, settings["SOCIAL_IMAGE"]),
        "sameAs": [url for _, url in settings.get("SOCIAL", ())],
        **clinic_details(settings.get("CLINIC") or {}),
    }


def clinic_details(clinic):
    """The clinic's contact, address and hours from CLINIC (the setting the footer shows), in
    schema.org's words; a value left empty is left out."""
    details = {}
    if clinic.get("telephone"):
        details["telephone"] = clinic["telephone"]
    if clinic.get("email"):
        details["email"] = clinic["email"]
    address = {schema_name: clinic["address"][name] for name, schema_name in ADDRESS_FIELDS.items()
               if (clinic.get("address") or {}).get(name)}
    if address:
        details["address"] = {"@type": "PostalAddress", **address}
    hours = [{"@type": "OpeningHoursSpecification", "dayOfWeek": list(entry["days"]),
              "opens": entry["opens"], "closes": entry["closes"]} for entry in clinic.get("hours") or []]
    if hours:
        details["openingHoursSpecification"] = hours
    return details


def person(settings, author):
    data = {"@type": "Person", "@id": f"{absolute(settings, author.url)}#person", "name": author.name,
            "url": absolute(settings, author.url)}
    credential = settings.get("AUTHOR_CREDENTIALS", {}).get(author.name)
    if credential:
        spelled_out = settings.get("CREDENTIALS", {}).get(credential, credential)
        data["honorificSuffix"] = credential
        data["hasCredential"] = {"@type": "EducationalOccupationalCredential", "credentialCategory": "certification",
                                 "name": f"{spelled_out} ({credential})" if spelled_out != credential else credential}
    return data


def image_of(settings, post):
    cover = getattr(post, "cover", None)
    if cover:
        return {"@type": "ImageObject", "url": absolute(settings, cover["src"]),
                "width": cover["width"], "height": cover["height"]}
    width, height = settings.get("SOCIAL_IMAGE_SIZE", SOCIAL_IMAGE_SIZE)
    return {"@type": "ImageObject", "url": absolute(settings, settings["SOCIAL_IMAGE"]), "width": width, "height": height}


def blog_posting(settings, post):
    url = absolute(settings, post.url)
    published = post.date.isoformat()
    modified = getattr(post, "modified", None)
    return {
        "@type": "BlogPosting",
        "@id": f"{url}#post",
        "headline": post.plain_title[:110],
        "description": post.meta_description,
        "datePublished": published,
        "dateModified": modified.isoformat() if modified else published,
        "keywords": [tag.name for tag in getattr(post, "tags", [])],
        "image": image_of(settings, post),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": post.lang,
        "wordCount": getattr(post, "word_count", None),
        "author": person(settings, post.author),
        "publisher": {"@id": f"{absolute(settings, '')}#organization"},
        "isPartOf": {"@id": f"{absolute(settings, '')}#blog"},
    }


def breadcrumbs(settings, post):
    trail = [("Blog", absolute(settings, ""))]
    if getattr(post, "tags", None):
        trail.append((post.tags[0].name, absolute(settings, post.tags[0].url)))
    trail.append((post.plain_title, absolute(settings, post.url)))
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": name, "item": url} for n, (name, url) in enumerate(trail, 1)]}


def home(settings, posts):
    site = absolute(settings, "")
    return [
        {"@type": "WebSite", "@id": f"{site}#website", "url": site, "name": settings["SITENAME"],
         "description": settings["SITE_DESCRIPTION"], "inLanguage": settings["DEFAULT_LANG"],
         "publisher": {"@id": f"{site}#organization"}},
        {"@type": "Blog", "@id": f"{site}#blog", "url": site, "name": f"{settings['SITENAME']} blog",
         "description": settings["SITE_DESCRIPTION"], "publisher": {"@id": f"{site}#organization"},
         "blogPost": [{"@type": "BlogPosting", "headline": p.plain_title[:110],
                       "url": absolute(settings, p.url), "datePublished": p.date.isoformat()} for p in posts]},
    ]


def json_ld(settings, article=None, articles=None):
    """The page's JSON-LD as a <script> block ('' when the page has none): a post's when
    `article` is given, the home page's when `articles` (the posts it lists) is."""
    if article is not None:
        graph = [blog_posting(settings, article), breadcrumbs(settings, article), organization(settings)]
    elif articles is not None:
        graph = [*home(settings, articles), organization(settings)]
    else:
        return ""
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=1)
    # Nothing in the data can end the <script> element early.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{data}\n</script>'


def add_json_ld_to_templates(pelican):
    """initialized receiver: templates call {{ json_ld(article=article) }} and read SOCIAL_IMAGE_SIZE."""
    pelican.settings.setdefault("SOCIAL_IMAGE_SIZE", SOCIAL_IMAGE_SIZE)
    pelican.settings["JINJA_GLOBALS"] = {**pelican.settings.get("JINJA_GLOBALS", {}),
                                         "json_ld": partial(json_ld, pelican.settings)}


def register():
    sitemap.register()
    signals.initialized.connect(add_json_ld_to_templates)
    signals.content_object_init.connect(add_description)

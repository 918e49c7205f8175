"""Shareable: canonical addresses, descriptions, Open Graph, the X card and JSON-LD (publish build)."""

import json
import re

from tests.built_site import SEED_POST

# The properties each schema.org type used here may carry (its own and those it inherits).
SCHEMA = {
    "BlogPosting": {"headline", "description", "datePublished", "dateModified", "keywords", "image", "url",
                    "mainEntityOfPage", "inLanguage", "wordCount", "author", "publisher", "isPartOf"},
    "Person": {"name", "url", "honorificSuffix", "hasCredential"},
    "EducationalOccupationalCredential": {"credentialCategory", "name"},
    "HealthAndBeautyBusiness": {"name", "url", "logo", "image", "sameAs"},
    "ImageObject": {"url", "width", "height"},
    "WebPage": set(),
    "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name", "item"},
    "WebSite": {"url", "name", "description", "inLanguage", "publisher"},
    "Blog": {"url", "name", "description", "publisher", "blogPost"},
}


def meta(soup, key):
    found = soup.select(f'head meta[property="{key}"], head meta[name="{key}"]')
    return [m["content"] for m in found]


def json_ld(soup):
    [script] = soup.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def typed_objects(value):
    """Every object with an @type inside a JSON-LD value."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for inner in value.values():
            yield from typed_objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from typed_objects(inner)


def test_every_page_has_one_canonical_address_its_own(publish_site):
    for file in publish_site.html_files():
        canonical = publish_site.soup(file).select('head link[rel="canonical"]')
        if file.name == "404.html":
            assert canonical == [], "the 404 page is served at any address: no canonical"
            continue
        assert [c["href"] for c in canonical] == [publish_site.url_of(file)], file


def test_descriptions_are_plain_short_and_never_cut_inside_a_word(publish_site):
    summary = "At first glance, neuroscience and massage therapy may not seem like they have much in common."
    for file in publish_site.html_files():
        soup = publish_site.soup(file)
        [description] = meta(soup, "description")
        assert 0 < len(description) <= 160 and "<" not in description and "&" not in description, file
        assert meta(soup, "og:description") == meta(soup, "twitter:description") == [description]
    [post_description] = meta(publish_site.page(SEED_POST), "description")
    assert post_description.startswith(summary) and post_description.endswith("…")
    full = "the clearer it becomes that there’s actually a strong connection"
    kept = post_description[:-1].rsplit(" ", 1)[-1]
    assert f" {kept} " in f" {full} ", "the last word kept is a whole word"


def test_open_graph_and_x_card_of_the_seed_post(publish_site):
    soup = publish_site.page(SEED_POST)
    url = f"{publish_site.siteurl}/{SEED_POST}"
    assert meta(soup, "og:type") == ["article"]
    assert meta(soup, "og:url") == [url]
    assert meta(soup, "og:title") == meta(soup, "twitter:title") == ["Neuroscience v.s. massage therapy … ?"]
    assert meta(soup, "article:published_time")[0].startswith("2023-02-19")
    assert meta(soup, "article:tag") == ["neuroscience", "massage therapy", "chronic pain"]
    assert meta(soup, "twitter:card") == ["summary_large_image"]
    [image] = meta(soup, "og:image")
    assert meta(soup, "twitter:image") == [image]
    assert image.startswith("https://") and publish_site.file_of(image).is_file()


def test_every_page_has_open_graph_with_absolute_addresses(publish_site):
    for file in publish_site.html_files():
        soup = publish_site.soup(file)
        assert meta(soup, "og:type") in (["article"], ["website"]), file
        for key in ("og:image", "og:url"):
            values = meta(soup, key)
            assert values and all(v.startswith(publish_site.siteurl + "/") for v in values), (file, key)


def test_the_seed_posts_json_ld_says_who_wrote_it_and_for_whom(publish_site):
    data = json_ld(publish_site.page(SEED_POST))
    assert data["@context"] == "https://schema.org"
    by_type = {item["@type"]: item for item in data["@graph"]}
    post = by_type["BlogPosting"]
    url = f"{publish_site.siteurl}/{SEED_POST}"
    assert post["headline"] == "Neuroscience v.s. massage therapy … ?"
    assert post["datePublished"].startswith("2023-02-19") and post["dateModified"].startswith("2023-02-19")
    assert post["keywords"] == ["neuroscience", "massage therapy", "chronic pain"]
    assert post["mainEntityOfPage"]["@id"] == url and post["url"] == url
    assert post["description"] == meta(publish_site.page(SEED_POST), "description")[0]
    assert post["image"]["url"].startswith("https://")
    author = post["author"]
    assert (author["@type"], author["name"], author["honorificSuffix"]) == ("Person", "Yoko Sakura", "CMT")
    assert author["hasCredential"]["@type"] == "EducationalOccupationalCredential"
    assert author["hasCredential"]["name"] == "Certified Massage Therapist (CMT)"
    clinic = by_type["HealthAndBeautyBusiness"]
    assert post["publisher"] == {"@id": clinic["@id"]} and clinic["name"] == "HERB CLINIQUE"
    trail = by_type["BreadcrumbList"]["itemListElement"]
    assert [item["position"] for item in trail] == [1, 2, 3] and trail[-1]["item"] == url


def test_the_home_pages_json_ld_is_a_website_and_a_blog(publish_site):
    by_type = {item["@type"]: item for item in json_ld(publish_site.page(""))["@graph"]}
    assert by_type["WebSite"]["url"] == f"{publish_site.siteurl}/"
    assert [p["url"] for p in by_type["Blog"]["blogPost"]] == [f"{publish_site.siteurl}/{SEED_POST}"]


def test_json_ld_uses_only_properties_its_types_have(publish_site):
    for path in ("", SEED_POST):
        for item in typed_objects(json_ld(publish_site.page(path))):
            allowed = SCHEMA[item["@type"]]
            extra = {key for key in item if not key.startswith("@")} - allowed
            assert not extra, f"{item['@type']} has no property {extra}"


def test_json_ld_cannot_end_its_script_early(publish_site):
    text = publish_site.page_file(SEED_POST).read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block

"""Findable: feeds, sitemap, robots.txt and the web app manifest of the publish build."""

import json
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from tests.built_site import SEED_POST, build_fixture, write_files

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TAG_SLUGS = ["chronic-pain", "massage-therapy", "neuroscience"]


def atom_entries(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def rss_items(path):
    root = ET.parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("channel/item")


def test_atom_and_rss_feeds_hold_every_post_in_full_with_absolute_addresses(publish_site):
    siteurl = publish_site.siteurl
    [entry] = atom_entries(publish_site.output / "feeds/all.atom.xml")
    assert entry.find(f"{ATOM}link").get("href") == f"{siteurl}/{SEED_POST}"
    assert "healing arts" in entry.find(f"{ATOM}content").text, "the whole post, not a summary"
    [item] = rss_items(publish_site.output / "feeds/all.rss.xml")
    assert item.findtext("link") == f"{siteurl}/{SEED_POST}"
    assert "healing arts" in item.findtext("description")


@pytest.mark.parametrize("slug", TAG_SLUGS)
def test_each_tag_has_its_own_feeds(publish_site, slug):
    assert len(atom_entries(publish_site.output / f"feeds/tag/{slug}.atom.xml")) == 1
    assert len(rss_items(publish_site.output / f"feeds/tag/{slug}.rss.xml")) == 1
    links = publish_site.page(f"tag/{slug}/").select("head link[rel=alternate]")
    targets = {publish_site.file_of(link["href"]) for link in links}
    assert publish_site.output / f"feeds/tag/{slug}.atom.xml" in targets
    assert publish_site.output / f"feeds/tag/{slug}.rss.xml" in targets


def test_every_page_announces_the_feeds(publish_site):
    for file in publish_site.html_files():
        types = {link["type"] for link in publish_site.soup(file).select("head link[rel=alternate]")}
        assert {"application/atom+xml", "application/rss+xml"} <= types, file


def test_the_sitemap_lists_exactly_the_public_pages_with_dates(publish_site):
    root = ET.parse(publish_site.output / "sitemap.xml").getroot()
    listed = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}
    # Not the 404 page, nor the search page (a tool, not content; its results are not pages).
    public = {publish_site.url_of(f) for f in publish_site.html_files()
              if f.name != "404.html" and publish_site.url_of(f) != f"{publish_site.siteurl}/search/"}
    assert set(listed) == public
    assert listed[f"{publish_site.siteurl}/{SEED_POST}"].startswith("2023-02-19")
    assert listed[f"{publish_site.siteurl}/tag/neuroscience/"].startswith("2023-02-19")
    assert listed[f"{publish_site.siteurl}/about/"] is None, "a page without a date has no lastmod"


def test_robots_txt_points_at_the_sitemap(publish_site):
    lines = (publish_site.output / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {publish_site.siteurl}/sitemap.xml" in lines


def test_the_manifest_names_the_site_and_its_icons(publish_site):
    manifest = json.loads((publish_site.output / "manifest.webmanifest").read_text())
    assert manifest["name"] == "HERB CLINIQUE"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = publish_site.file_of(icon["src"])
        assert path.is_file()
        if icon["sizes"] != "any":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_pictures_in_feeds_have_absolute_addresses_and_drafts_stay_out(tmp_path):
    content = write_files(tmp_path / "content", {
        "posts/a.md": "Title: A\nDate: 2024-03-01\nAuthor: Yoko Sakura\nTags: x\n\nAt work.\n\n![Hands](/images/h.jpg)\n",
        "posts/b.md": "Title: B\nDate: 2024-03-02\nAuthor: Yoko Sakura\nTags: x\nStatus: draft\n\nDraft.\n",
    })
    (content / "images").mkdir()
    Image.new("RGB", (600, 400), (120, 100, 90)).save(content / "images/h.jpg")
    site = build_fixture(content, "publishconf.py", tmp_path / "output", settings={"CACHE_PATH": str(tmp_path / "c")})
    [entry] = atom_entries(site.output / "feeds/all.atom.xml")
    html = entry.find(f"{ATOM}content").text
    assert f'src="{site.siteurl}/images/derived/' in html and 'src="/' not in html
    root = ET.parse(site.output / "sitemap.xml").getroot()
    assert not [u for u in root if "drafts" in u.findtext(f"{SITEMAP}loc")]

"""Pictures: responsive (WebP + fallback, several widths), sized, lazy below the first, covers in
lists, and the originals untouched."""

import pytest
from PIL import Image

from tests.built_site import build_fixture, checksums, write_files

POST = """Title: Shoulders
Date: 2024-03-02
Author: Yoko Sakura
Tags: shoulders
Cover: /images/shoulder.jpg

The first picture:

![Hands on a shoulder](/images/shoulder.jpg)

Some text between them.

![A diagram of the trapezius](/images/diagram.png "The trapezius")
"""
OTHER = "Title: Older post\nDate: 2024-03-01\nAuthor: Yoko Sakura\nTags: shoulders\nCover: /images/diagram.png\n\nText.\n"


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    content = write_files(root / "content", {"posts/shoulders.md": POST, "posts/older.md": OTHER})
    (content / "images").mkdir()
    Image.new("RGB", (2000, 1500), (150, 120, 100)).save(content / "images/shoulder.jpg", quality=95)
    Image.new("RGBA", (800, 600), (40, 90, 60, 128)).save(content / "images/diagram.png")
    originals = checksums(content / "images")
    cache = root / "cache"
    site = build_fixture(content, "pelicanconf.py", root / "output", settings={"CACHE_PATH": str(cache)})
    site.originals_before, site.originals_after = originals, checksums(content / "images")
    site.cache = cache
    return site


def pictures(blog, path):
    return blog.page(path).select("main picture")


def test_each_picture_has_webp_and_a_fallback_at_several_widths(blog):
    photo, diagram = pictures(blog, "post/shoulders/")
    assert photo.source["type"] == "image/webp"
    assert [c.split()[1] for c in photo.source["srcset"].split(", ")] == ["480w", "960w", "1440w"]
    assert [c.split()[1] for c in photo.img["srcset"].split(", ")] == ["480w", "960w", "1440w"]
    assert photo.img["src"].endswith("-1440.jpg") and photo.img["sizes"] == photo.source["sizes"]
    # Smaller than the largest width: never enlarged, kept as PNG (transparency) for the fallback.
    assert [c.split()[1] for c in diagram.img["srcset"].split(", ")] == ["480w", "800w"]
    assert diagram.img["src"].endswith("-800.png")
    # Its title became the caption of the figure it is in (plugins/rich_markdown), kept through resizing.
    assert diagram.find_parent("figure").figcaption.get_text(strip=True) == "The trapezius"


def test_every_version_exists_in_its_format_and_width(blog):
    post = blog.page_file("post/shoulders/")
    for picture in pictures(blog, "post/shoulders/"):
        for srcset, image_format in ((picture.source["srcset"], "WEBP"), (picture.img["srcset"], None)):
            for candidate in srcset.split(", "):
                url, width = candidate.split()
                with Image.open(blog.target(post, url)) as image:
                    assert image.width == int(width[:-1])
                    assert image.format == (image_format or {".jpg": "JPEG", ".png": "PNG"}[url[-4:]])


def test_width_and_height_keep_the_shape_so_nothing_shifts(blog):
    photo, diagram = pictures(blog, "post/shoulders/")
    assert (photo.img["width"], photo.img["height"]) == ("1440", "1080")
    assert (diagram.img["width"], diagram.img["height"]) == ("800", "600")


def test_the_first_picture_loads_at_once_the_others_lazily(blog):
    photo, diagram = pictures(blog, "post/shoulders/")
    assert photo.img.get("loading") is None
    assert diagram.img["loading"] == "lazy"
    assert photo.img["alt"] == "Hands on a shoulder" and diagram.img["alt"] == "A diagram of the trapezius"


def test_covers_show_in_lists_first_eager_then_lazy(blog):
    for path in ("", "tag/shoulders/"):
        covers = blog.page(path).select("main article .cover picture img")
        assert [img["src"].rsplit("-", 1)[-1] for img in covers] == ["1440.jpg", "800.png"]
        assert [img.get("loading") for img in covers] == [None, "lazy"]
        assert all(img["alt"] == "" for img in covers), "beside its title a cover is decoration"


def test_originals_are_never_modified_and_still_published(blog):
    assert blog.originals_after == blog.originals_before
    assert (blog.output / "images/shoulder.jpg").is_file()


def test_resized_versions_are_kept_between_builds(blog, tmp_path):
    cached = sorted(p.name for p in (blog.cache / "responsive_images").rglob("*") if p.is_file())
    assert len(cached) == 10  # 3 widths x 2 formats for the photo, 2 x 2 for the diagram
    stamps = {p: p.stat().st_mtime_ns for p in (blog.cache / "responsive_images").rglob("*") if p.is_file()}
    content = blog.output.parent / "content"
    build_fixture(content, "pelicanconf.py", tmp_path / "again", settings={"CACHE_PATH": str(blog.cache)})
    assert {p: p.stat().st_mtime_ns for p in (blog.cache / "responsive_images").rglob("*") if p.is_file()} == stamps, "nothing resized twice"
    assert (tmp_path / "again/images/derived").is_dir()

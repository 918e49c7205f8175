import io
import time

import pytest
from PIL import Image

from responsive_images.responsive_images import unusable_picture


def jpeg_of(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("huge.png", None, "is 12000 × 12000 pixels (144 megapixels), more than the 50 megapixels"),
    ("page.png", b"<!DOCTYPE html><html><body>not a picture</body></html>", "is not a picture the site can read"),
    ("cut.jpg", jpeg_of(800, 600)[:200], "is not a picture the site can read"),
])
def test_a_picture_too_large_or_unreadable_is_named_from_its_header_alone(tmp_path, huge_png, name, data, reason):
    (tmp_path / name).write_bytes(data or huge_png)
    started = time.perf_counter()
    assert reason in unusable_picture(tmp_path / name)
    assert time.perf_counter() - started < 2, "only the header is read"


def test_a_normal_picture_is_usable(tmp_path):
    (tmp_path / "fine.jpg").write_bytes(jpeg_of(1600, 1200))
    assert unusable_picture(tmp_path / "fine.jpg") is None
    assert "more than the 1 megapixels" in unusable_picture(tmp_path / "fine.jpg", max_megapixels=1)


def test_a_build_with_unusable_pictures_keeps_them_as_written_and_resizes_the_rest(pelican_build, huge_png):
    post = ("Title: Pictures\nDate: 2024-01-01\n\n![Huge](/images/huge.png)\n\n![Cut](/images/cut.jpg)\n\n"
            "![Fine](/images/fine.jpg)\n")
    output = pelican_build(
        {"post.md": post, "templates/article.html": "{{ article.content }}"},
        settings={"STATIC_PATHS": ["images"], "ARTICLE_SAVE_AS": "post.html"},
        plugins=["responsive_images"],
        binary={"images/huge.png": huge_png, "images/cut.jpg": jpeg_of(800, 600)[:300],
                "images/fine.jpg": jpeg_of(1600, 1200)},
    )
    page = (output / "post.html").read_text()
    assert '<img alt="Huge" src="/images/huge.png"' in page or 'src="/images/huge.png"' in page
    assert page.count("<picture>") == 1 and "fine-" in page
    assert not [p for p in (output / "images" / "derived").iterdir() if p.name.startswith(("huge", "cut"))]


@pytest.mark.parametrize("early", [True, False])
def test_the_copies_are_made_in_a_second_process_as_the_build_starts(pelican_build, tmp_path, monkeypatch, early):
    """Early, the build itself saves no copy: all were made (every picture of content/images/, used
    or not) in the process started with the build; only the used ones are published."""
    saved_here = []
    own_save = Image.Image.save

    def save(image, target, *arguments, **keywords):
        if not isinstance(target, io.BytesIO):  # not the test's own pictures (jpeg_of)
            saved_here.append(target)
        return own_save(image, target, *arguments, **keywords)

    monkeypatch.setattr(Image.Image, "save", save)
    output = pelican_build(
        {"post.md": "Title: Pictures\nDate: 2024-01-01\n\n![Fine](/images/fine.jpg)\n",
         "templates/article.html": "{{ article.content }}"},
        settings={"STATIC_PATHS": ["images"], "ARTICLE_SAVE_AS": "post.html", "RESPONSIVE_IMAGES": {"early": early}},
        plugins=["responsive_images"],
        binary={"images/fine.jpg": jpeg_of(1600, 1200), "images/spare/unused.jpg": jpeg_of(1000, 800)},
    )
    cached = sorted(path.name for path in (tmp_path / "cache" / "responsive_images").iterdir())
    published = sorted(path.name for path in (output / "images" / "derived").iterdir())
    assert len(published) == 6 and all(name.startswith("fine-") for name in published)
    assert (output / "post.html").read_text().count("<picture>") == 1
    assert not [name for name in cached if name.startswith(".")], "no copy left half-saved"
    if early:
        assert saved_here == []
        assert cached == sorted(published + [name for name in cached if name.startswith("unused-")])
        assert len(cached) == 12  # 3 widths x 2 formats each (unused.jpg at 480, 960 and its own 1000)
    else:
        assert len(saved_here) == 6 and cached == published

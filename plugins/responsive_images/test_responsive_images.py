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



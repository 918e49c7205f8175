"""Every picture in a post, and its cover, served at the size the reader's screen needs.

A picture written as ![Description](/images/photo.jpg) becomes a <picture>: WebP first, the
original's format (JPEG or PNG) as the fallback, each at a few widths (srcset), with width and
height set so nothing moves while it loads, and loading="lazy" for every picture but the
first. The same for the post's `Cover:`, given to templates as `post.cover`, and for every
picture a setting names (an address /images/… anywhere in the settings, e.g. the writer's photo in
AUTHOR_PROFILES), given to templates as `site_picture("/images/x.jpg", alt, lazy, sizes)`.

Originals in content/images/ are only read. Resized copies are written to
images/derived/ in the output and kept in the cache folder, so a rebuild resizes nothing twice;
a picture's copies are resized and encoded on every core at once (Pillow lets go of the GIL).
A picture larger than `max_megapixels` or that Pillow cannot decode is left as the writer wrote
it (content_checks says why, with unusable_picture): its size is read from the file's header,
so a picture made to exhaust memory is never decoded. Settings: RESPONSIVE_IMAGES.
"""

import hashlib
import html
import logging
import os
import re
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from pelican import signals
from PIL import Image, UnidentifiedImageError

from plugins.content_checks.content_files import inside
from plugins.shared import one_post_steps, pelican_content
from plugins.shared.pelican_adapter import replace_text, text_as_read

log = logging.getLogger(__name__)

DEFAULTS = {
    "widths": [480, 960, 1440],
    # The text column is 38rem wide on larger screens, the screen less its margins on phones.
    "sizes": "(min-width: 40rem) 38rem, calc(100vw - 2rem)",
    "quality": 80,
    "output_dir": "images/derived",
    # Larger pictures are refused: decoding one takes about 4 bytes a pixel (200 MB at 50).
    "max_megapixels": 50,
}
FALLBACK_FORMATS = {".jpg": ("JPEG", ".jpg"), ".jpeg": ("JPEG", ".jpg"), ".png": ("PNG", ".png")}
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)\s*=\s*"([^"]*)"')
_STATIC = re.compile(r"^[{|](?:static|attach|filename)[}|]")


def options_of(settings):
    return {**DEFAULTS, **settings.get("RESPONSIVE_IMAGES", {})}


def source_file(src, content_root):
    """The original behind an address like /images/x.jpg or {static}/images/x.jpg, or None."""
    path = _STATIC.sub("", html.unescape(src)).split("?")[0]
    if "://" in path or not path.startswith("/"):
        return None
    candidate = content_root / path.lstrip("/")
    usable = candidate.suffix.lower() in FALLBACK_FORMATS and candidate.is_file() and inside(candidate, content_root)
    return candidate if usable else None


def unusable_picture(path, max_megapixels=DEFAULTS["max_megapixels"]):
    """Why the picture at `path` cannot be resized (too many pixels, not a picture Pillow can
    decode), in words for the writer; None when it can. Reads the header only."""
    try:
        with warnings.catch_warnings():  # Pillow's own warning; the writer gets ours instead
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        return f"has far more pixels than the {max_megapixels} megapixels the site resizes"
    except (UnidentifiedImageError, OSError, ValueError):
        return "is not a picture the site can read (a JPEG, PNG or WebP file)"
    if width * height > max_megapixels * 1_000_000:
        return (f"is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels), more than the "
                f"{max_megapixels} megapixels the site resizes")
    return None


class Resizer:
    """Makes the resized copies of one build, reusing those of earlier builds from the cache."""

    def __init__(self, settings):
        self.options = options_of(settings)
        self.content_root = Path(settings["PATH"])
        self.output = Path(settings["OUTPUT_PATH"])
        self.cache = Path(settings.get("CACHE_PATH", "cache")) / "responsive_images"
        self.siteurl = settings.get("SITEURL", "")
        self.known = {}  # original -> its versions, for a picture used in several posts
        self.written = set()  # names of the copies this build wrote

    def versions(self, original):
        """{"width", "height", "webp": srcset, "fallback": srcset, "src": the fallback's URL}; None
        for a picture that cannot be resized (unusable_picture)."""
        if original not in self.known:
            if unusable_picture(original, self.options["max_megapixels"]):
                self.known[original] = None
            else:
                try:
                    self.known[original] = self.make_versions(original)
                except (OSError, ValueError, Image.DecompressionBombError):  # a header fine, the data not
                    self.known[original] = None
        return self.known[original]

    def make_versions(self, original):
        digest = hashlib.sha256(original.read_bytes()).hexdigest()[:12]
        # Opened, not decoded: its size is in its header, and it is decoded only to make a copy
        # not in the cache yet (a picture whose data is broken fails there, and is left as it is).
        with Image.open(original) as image:
            width, height = image.size
            widths = [w for w in self.options["widths"] if w < width] + [min(width, max(self.options["widths"]))]
            fallback_format, fallback_suffix = FALLBACK_FORMATS[original.suffix.lower()]
            sets = {"webp": [], "fallback": []}
            copies = []  # (width, format, name)
            for w in sorted(set(widths)):
                for kind, (image_format, suffix) in (("webp", ("WEBP", ".webp")),
                                                     ("fallback", (fallback_format, fallback_suffix))):
                    name = f"{original.stem}-{digest}-{w}{suffix}"
                    copies.append((w, image_format, name))
                    sets[kind].append((f"{self.siteurl}/{self.options['output_dir']}/{name}", w))
            if any(not (self.cache / name).is_file() for _, _, name in copies):
                image.load()  # decoded once, then resized and encoded on every core (Pillow lets go of the GIL)
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                list(pool.map(lambda copy: self.write(image, *copy), copies))
        largest = max(widths)
        return {
            "width": largest,
            "height": round(height * largest / width),
            "webp": ", ".join(f"{url} {w}w" for url, w in sets["webp"]),
            "fallback": ", ".join(f"{url} {w}w" for url, w in sets["fallback"]),
            "src": sets["fallback"][-1][0],
            "sizes": self.options["sizes"],
        }

    def write(self, image, width, image_format, name):
        cached = self.cache / name
        if not cached.is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            resized = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
            if image_format == "JPEG" and resized.mode not in ("RGB", "L"):
                resized = resized.convert("RGB")
            # Saved under another name, then renamed: another build may be reading it meanwhile.
            partial_copy = cached.with_name(f".{cached.name}.{os.getpid()}")
            resized.save(partial_copy, image_format, quality=self.options["quality"], optimize=True)
            os.replace(partial_copy, cached)
        target = self.output / self.options["output_dir"] / name
        # The name holds the original's digest: a copy of that name and size is this one (a
        # preview writing into the same folder again).
        if not (target.is_file() and target.stat().st_size == cached.stat().st_size):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
        self.written.add(name)

    def remove_unused(self):
        """Delete copies in the output that no post uses any more (a preview writing into the same
        folder again), so the output is what a fresh build makes."""
        folder = self.output / self.options["output_dir"]
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file() and path.name not in self.written:
                    path.unlink()


def picture_markup(versions, alt, lazy, extra_attributes=""):
    """The <picture> for `versions`; also the templates' `picture()` (the list covers)."""
    loading = ' loading="lazy"' if lazy else ""  # the first picture may be on screen at once
    return (
        f'<picture><source type="image/webp" srcset="{versions["webp"]}" sizes="{versions["sizes"]}">'
        f'<img src="{versions["src"]}" srcset="{versions["fallback"]}" sizes="{versions["sizes"]}" '
        f'width="{versions["width"]}" height="{versions["height"]}" alt="{html.escape(alt)}"'
        f'{loading} decoding="async"{extra_attributes}></picture>'
    )


def rewrite_pictures(content_html, resizer):
    """The HTML with each local picture made responsive; the first is not lazy."""
    count = 0

    def replace(match):
        nonlocal count
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        original = source_file(attributes.get("src", ""), resizer.content_root)
        versions = resizer.versions(original) if original else None
        if versions is None:
            return match.group(0)  # not ours (another site's, an SVG), missing or unusable
        count += 1
        title = f' title="{attributes["title"]}"' if "title" in attributes else ""
        return picture_markup(versions, html.unescape(attributes.get("alt", "")),
                              lazy=count > 1, extra_attributes=title)

    return _IMG.sub(replace, content_html or "")


def make_pictures_responsive(generators):
    """all_generators_finalized receiver: rewrite the pictures of every post and page."""
    resizer = Resizer(generators[0].settings)
    for content in pelican_content.contents(generators):
        make_post_pictures_responsive(content, resizer)
    settings = generators[0].settings
    named = _NAMED_PICTURES.setdefault(build_key(settings), {})
    named.clear()
    for address in addresses_in(settings):
        original = source_file(address, resizer.content_root)
        versions = resizer.versions(original) if original else None
        if versions:
            named[address] = versions
        else:
            log.warning("The picture %s named in the settings (pelicanconf.py) is not a picture in %s: "
                        "put it there, or correct its name.", address, resizer.content_root / "images")
    resizer.remove_unused()


def make_post_pictures_responsive(content, resizer):
    """One post's or page's pictures, and its cover."""
    replace_text(content, rewrite_pictures(text_as_read(content), resizer))
    cover = content.metadata.get("cover")
    original = source_file(cover, resizer.content_root) if cover else None
    # A cover that is not found is reported by content_checks with its line.
    content.cover = resizer.versions(original) if original else None


def post_read_alone(content, settings):
    """one_post_steps.post_read_alone receiver: the preview read one post again, alone."""
    make_post_pictures_responsive(content, Resizer(settings))


def addresses_in(value):
    """Every picture address (/images/….jpg or .png) in a setting's value, however nested."""
    if isinstance(value, str):
        return [value] if value.startswith("/images/") and value.lower().endswith(tuple(FALLBACK_FORMATS)) else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [address for item in value for address in addresses_in(item)]
    return []


# The pictures the settings name, by build (its content and output folders): {address: versions}.
_NAMED_PICTURES = {}


def build_key(settings):
    return str(settings["PATH"]), str(settings["OUTPUT_PATH"])


def site_picture(settings, address, alt, lazy=True, sizes=None):
    """Templates' site_picture(): the <picture> of a picture a setting names, '' when there is none."""
    versions = _NAMED_PICTURES.get(build_key(settings), {}).get(address)
    if not versions:
        return ""
    return picture_markup({**versions, "sizes": sizes or versions["sizes"]}, alt, lazy)


def add_picture_to_templates(pelican):
    """initialized receiver: templates write a cover as {{ picture(post.cover, "", lazy) }}, a
    picture from the settings as {{ site_picture(address, alt) }}."""
    pelican.settings["JINJA_GLOBALS"] = {**pelican.settings.get("JINJA_GLOBALS", {}), "picture": picture_markup,
                                         "site_picture": partial(site_picture, pelican.settings)}


def register():
    signals.initialized.connect(add_picture_to_templates)
    signals.all_generators_finalized.connect(make_pictures_responsive)
    one_post_steps.post_read_alone.connect(post_read_alone)

"""A downloaded picture is taken only if Pillow opens it as a JPEG, PNG, WebP or GIF of at most
the site's megapixels (read from its header, before decoding it), and decodes it whole. It is
saved with the extension of what it really is, named from Wix's media name."""

import io
import re
import warnings
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from tools.import_wix.safety import Refused, safe_file_stem, unique_name

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
NAMES = {"JPEG": "JPEG photo", "PNG": "PNG picture", "WEBP": "WebP picture", "GIF": "GIF picture"}


def media_name(address):
    """Wix's name for a picture: …/media/7d1a2f_0c27…~mv2.jpg -> 7d1a2f_0c27…~mv2.jpg."""
    path = unquote(urlsplit(address).path)
    match = re.search(r"/media/([^/]+)", path)
    return match.group(1) if match else (PurePosixPath(path).name or "picture")


def what_it_is(data):
    """A guess at what a file that is not a picture is, for the message."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        return "an SVG drawing, which can carry a program"
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<")):
        return "a web page"
    if re.match(rb"^\s*(function|var |let |const |\(function|window\.|document\.)", head):
        return "a JavaScript program"
    return "not a picture"


def check_picture(data, max_megapixels):
    """(extension, width, height) of a real picture; raises Refused saying why it is not one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in EXTENSIONS:
                    raise Refused(
                        f"it is a {kind} file, not a JPEG, PNG, WebP or GIF picture the site can show"
                    )
                if width * height > max_megapixels * 1_000_000:
                    raise Refused(
                        f"it is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels), more "
                        f"than the {max_megapixels} megapixels the site takes"
                    )
                image.load()  # decoded whole: a picture cut short or damaged fails here
    except Image.DecompressionBombError:
        raise Refused(f"it claims far more than the {max_megapixels} megapixels the site takes") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        kind = what_it_is(data)
        if (
            kind == "not a picture"
            and isinstance(error, OSError)
            and not isinstance(error, UnidentifiedImageError)
        ):
            raise Refused("it is a damaged or incomplete picture") from None
        raise Refused(f"it is {kind}, not a picture") from None
    return EXTENSIONS[kind], width, height


def file_name(address, extension, taken_lower):
    """The name to save a picture under: Wix's media name without its own extension, the real one."""
    name = media_name(address)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return unique_name(safe_file_stem(stem), extension, taken_lower)

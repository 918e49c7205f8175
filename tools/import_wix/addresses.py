"""Addresses read from Wix are IRIs: a sitemap writes /post/肩こりとマッサージ raw, the feed and the
page's canonical link write /post/%E8%82%A9…, a mirror tool names its files either way. Each is
made a URI once, here, in one normal form (scheme and host lower-cased, the host in IDNA, the
path's percent-encoding decoded, put in NFC and encoded again in capitals), so the two spellings
are one address, and what goes on the wire or into a post is plain ASCII."""

import re
import unicodedata
from urllib.parse import quote, unquote_to_bytes, urlsplit

# What a path segment keeps unencoded: RFC 3986's unreserved characters and the sub-delimiters
# that are harmless in Markdown and HTML. ( ) [ ] < > " ' ` space and backslash are encoded, so an
# address can never end a Markdown link or an HTML attribute.
SEGMENT_SAFE = "-._~!$&*+,;=:@"
QUERY_SAFE = SEGMENT_SAFE + "/?%"


class BadAddress(ValueError):
    """Not an address that can be fetched or linked to."""


def nfc_segment(segment):
    """A path segment with its percent-encoding normalised: decoded, NFC, encoded in capitals."""
    raw = unquote_to_bytes(segment)
    try:
        raw = unicodedata.normalize("NFC", raw.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        pass  # not UTF-8 (an old Latin-1 address): kept byte for byte
    return quote(raw, safe=SEGMENT_SAFE)


def to_uri(address):
    """The URI of an http(s) address given as an IRI or a URI, in the normal form; raises
    BadAddress for anything else (another scheme, no host, a host that is not a name)."""
    address = address.strip()
    if re.search(r"[\x00-\x1f\x7f]", address):
        raise BadAddress("it holds a line break or another control character")
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadAddress(f"it is not a web address (http or https) but {scheme or 'a relative one'}")
    try:
        host = unicodedata.normalize("NFC", parts.hostname or "").encode("idna").decode("ascii").lower()
        port = parts.port
    except (UnicodeError, ValueError):
        raise BadAddress("its host name is malformed") from None
    if not host or not re.fullmatch(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]|[0-9.]+", host):
        raise BadAddress("its host name is malformed")
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = "/".join(nfc_segment(segment) for segment in (parts.path or "/").split("/"))
    query = quote(parts.query.encode("utf-8"), safe=QUERY_SAFE) if parts.query else ""
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def iri_text(text):
    """Percent-encoded text decoded and put in NFC: what a reader (and a file name) shows."""
    return unicodedata.normalize("NFC", unquote_to_bytes(text).decode("utf-8", "replace"))


def same_page(address):
    """The key under which two spellings of one page are the same: host without www., the path
    decoded in NFC without its last slash (http and https are one site on Wix)."""
    parts = urlsplit(to_uri(address))
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{iri_text(parts.path).rstrip('/')}"

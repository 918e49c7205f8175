"""The site's security headers, from one setting, for every kind of host.

SECURITY_HEADERS in pelicanconf.py is the one source: a strict Content-Security-Policy, the other
security headers, and how long browsers keep files. At the end of a build this plugin completes
the policy from what the build made, then writes it twice in the same words:

- output/_headers: read by Netlify and Cloudflare Pages from the published folder;
- output/_nginx/site.conf, the nginx configuration of the site: included by the server block
  (nginx/herbclinique.conf in this folder), with pre-compressed files (plugins/precompress)
  served as they are.

Completed from the build: the sha256 of the theme's own inline <script> and <style> elements, read
from its templates (their text may use settings only, e.g. {{ INLINE_CSS_TEXT }}), never from the
pages, so a script that reaches a page through a post or an imported field stays blocked; and the
origins other features need, which they add to CSP_SOURCES when the build starts (plugins/comments:
the comment service's origin). A page holding inline code
that the policy blocks is named in a warning. A reload of nginx picks up a changed theme.
"""

import base64
import functools
import hashlib
import logging
import os
import pickle
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pelican import signals

from plugins.shared import plugin_list, security_policy
from plugins.shared.site_pages import html_pages

IMMUTABLE = "public, max-age=31536000, immutable"
DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "csp": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": [],  # none, unless a feature asks (search runs in a worker)
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
    "headers": {
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
        # Browsers heed it over https only; Netlify and Cloudflare send their own as well.
        # includeSubDomains: every name under the site's domain must serve https (drop it if one
        # does not). isso/nginx-comments.conf repeats this value (a test keeps them equal).
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    },
    # Folders whose files are named by their content (plugins/theme_assets; features add theirs,
    # e.g. the search index's pieces): a browser keeps them a year. Everything else is checked
    # with the host each time.
    "immutable": ["/theme/"],
    "revalidate": "no-cache",
    # nginx: serve the .br copies too (Debian's libnginx-mod-http-brotli-static); False if absent.
    "nginx_brotli": True,
    # /.well-known/security.txt (RFC 9116), how to tell the clinic about a security problem: a
    # mailto: or https: address, or a page of the site (about/); None writes no file. Written when
    # SITEURL is an address (publish builds); it expires a year after the build.
    "security_contact": None,
}
INLINE = re.compile(r"<(script|style)(\s[^>]*)?>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
THEME_SOURCES = "SECURITY_HEADERS_THEME_SOURCES"  # where the theme's hashes wait for the end of the build
log = logging.getLogger(__name__)


class SecurityHeadersError(Exception):
    pass


def options_of(settings):
    given = settings.get("SECURITY_HEADERS") or {}
    merged = {**DEFAULTS, **given}
    merged["csp"] = {**DEFAULTS["csp"], **given.get("csp", {})}
    merged["headers"] = {**DEFAULTS["headers"], **given.get("headers", {})}
    return merged


def csp_source(text):
    """The CSP source that allows exactly this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def runs(tag, attributes):
    """True for inline code the browser runs: not a file (src=), not a data block (JSON-LD)."""
    attributes = attributes or ""
    if re.search(r"\bsrc\s*=", attributes):
        return False
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attributes)
    return not (tag.lower() == "script" and kind and kind.group(1).lower() not in ("module", "text/javascript"))


def theme_inline_sources(env, settings):
    """{"script-src": {hash, ...}, "style-src": {...}} of the inline code in the theme's templates,
    each rendered with the settings as the pages render it."""
    found = {"script-src": set(), "style-src": set()}
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        source = env.loader.get_source(env, name)[0]
        for tag, attributes, body in INLINE.findall(source):
            if runs(tag, attributes):
                # The end mark keeps a last newline that Jinja drops at the end of a template.
                rendered = env.from_string(body + "\x00").render(settings)[:-1]
                found[f"{tag.lower()}-src"].add(csp_source(rendered))
    return found


def inline_sources(output, cache_file=None):
    """{"script-src": {hash, ...}, "style-src": {...}} of the inline code in the pages, and {hash: a
    page that holds it} (to name a page whose inline code the policy blocks). `cache_file`: what
    the last build found in each page, by the page's address, modification time and size (the
    preview's next start reads a thousand pages again otherwise)."""
    found, where = {"script-src": set(), "style-src": set()}, {}
    cached, seen = read_cache(cache_file), {}
    for page, status in html_pages(output):
        key = (page.relative_to(output).as_posix(), status.st_mtime_ns, status.st_size)
        sources = cached.get(key)
        if sources is None:
            try:
                sources = page_inline_sources(page, status.st_mtime_ns, status.st_size)
            except FileNotFoundError:  # removed since it was listed
                continue
        seen[key] = sources
        for directive, source in sources:
            found[directive].add(source)
            where.setdefault(source, key[0])
    if cache_file and seen != cached:
        write_cache(cache_file, seen)
    return found, where


def read_cache(cache_file):
    try:
        with open(cache_file, "rb") as file:
            known = pickle.load(file)
    except (OSError, TypeError, EOFError, pickle.PickleError, AttributeError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def write_cache(cache_file, known):
    cache_file = Path(cache_file)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    staging = cache_file.with_name(f".{cache_file.name}.{os.getpid()}")
    with staging.open("wb") as file:
        pickle.dump(known, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(staging, cache_file)


# Memoised by the file's modification time and size: the preview builds again and again in one
# process and rewrites only the pages that changed.
@functools.lru_cache(maxsize=16384)
def page_inline_sources(page, mtime_ns, size):
    """((directive, source), ...) of one page's inline scripts and styles."""
    return tuple((f"{tag.lower()}-src", csp_source(text))
                 for tag, attributes, text in INLINE.findall(page.read_text(encoding="utf-8"))
                 if runs(tag, attributes))


def content_security_policy(options, inline, other_sources):
    """The policy as one header value, directives in the setting's order: the setting's sources,
    then those features asked for, then the theme's inline code. A directive left empty is left out."""
    directives = {name: list(sources) for name, sources in options["csp"].items()}
    for directive, sources in (other_sources or {}).items():
        directives.setdefault(directive, []).extend(sources)
    for directive, hashes in inline.items():
        directives.setdefault(directive, []).extend(sorted(hashes))
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items() if sources)


def site_headers(settings, output):
    """(headers for every response, {folder: Cache-Control}, Cache-Control of the rest)."""
    options = options_of(settings)
    allowed = settings.get(THEME_SOURCES) or {"script-src": set(), "style-src": set()}
    cache = settings.get("CACHE_PATH") and Path(settings["CACHE_PATH"]) / "security_headers" / "inline_sources.pickle"
    in_pages, where = inline_sources(output, cache)
    for directive, sources in in_pages.items():
        for source in sorted(sources - allowed.get(directive, set())):
            log.warning("%s has inline %s that is not the theme's, so the site's security policy blocks it "
                        "(a script or style written in a post, or a theme template whose inline code uses more "
                        "than the settings).", where[source], "script" if directive == "script-src" else "style")
    csp = content_security_policy(options, allowed, settings.get(security_policy.CSP_SOURCES))
    headers = {"Content-Security-Policy": csp, **options["headers"]}
    immutable = [*options["immutable"], *(settings.get(security_policy.IMMUTABLE_FOLDERS) or [])]
    return headers, dict.fromkeys(immutable, IMMUTABLE), options["revalidate"]


def netlify_headers(headers, cache):
    """The _headers file. Hosts join the values of every rule that matches a path, so
    Cache-Control is only given where it differs from the host's own (revalidate)."""
    lines = ["# Written by plugins/security_headers from SECURITY_HEADERS (pelicanconf.py). Do not edit.", "/*"]
    lines += [f"  {name}: {value}" for name, value in headers.items()]
    for folder, cache_control in cache.items():
        lines += [f"{folder}*", f"  Cache-Control: {cache_control}"]
    return "\n".join(lines) + "\n"


def nginx_quoted(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_site(headers, cache, revalidate, brotli):
    """Directives for inside a server block. nginx drops a server's add_header lines in any
    location that has its own, so every location repeats the whole set."""

    def header_lines(cache_control):
        lines = [f"add_header {name} {nginx_quoted(value)} always;" for name, value in headers.items()]
        return [*lines, f"add_header Cache-Control {nginx_quoted(cache_control)} always;"]

    def location(match, cache_control, extra=()):
        return [f"location {match} {{", *[f"    {line}" for line in [*extra, *header_lines(cache_control)]], "}"]

    lines = [
        "# Written by plugins/security_headers from SECURITY_HEADERS (pelicanconf.py). Do not edit:",
        "# include it in the site's server block (plugins/security_headers/nginx/herbclinique.conf).",
        "# No version in the Server header or on error pages.",
        "server_tokens off;",
        "index index.html;",
        "charset utf-8;",
        "absolute_redirect off;",
        "charset_types text/css application/javascript application/json image/svg+xml text/plain text/xml;",
        "error_page 404 /404.html;",
        "# A folder without a page (theme/, post/) is not found, as for any missing page: a 403 would",
        "# tell that it exists.",
        "error_page 403 =404 /404.html;",
        "# The headers of the answers nginx gives before it reads the address: a bad request (400),",
        "# a too long address (414), TRACE (405).",
        *header_lines(revalidate),
        "# The .gz and .br copies written beside each file by the build (plugins/precompress).",
        "gzip_static on;",
        *(["brotli_static on;"] if brotli else []),
        "gzip_vary on;",
        "# These files describe the host's setup; they are not pages.",
        "location ~ ^/(_headers|_nginx/) {",
        "    return 404;",
        "}",
    ]
    lines += location("/", revalidate, ["try_files $uri $uri/ =404;"])
    for folder, cache_control in cache.items():
        lines += location(folder, cache_control)
    return "\n".join(lines) + "\n"


def remember_theme_sources(generators):
    """all_generators_finalized receiver: the theme's inline code, from its templates (the
    generators hold the theme's template environment), for write_headers_files."""
    generators[0].settings[THEME_SOURCES] = theme_inline_sources(generators[0].env, generators[0].settings)


def security_txt(contact, siteurl, now):
    """The text of /.well-known/security.txt (RFC 9116)."""
    expires = (now + timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
    lines = [f"Contact: {contact}", f"Expires: {expires}", "Preferred-Languages: en, ja"]
    if siteurl.startswith("https://"):
        lines.append(f"Canonical: {siteurl}/.well-known/security.txt")
    return "\n".join(lines) + "\n"


def write_headers_files(pelican):
    """A step after rendering (plugins/build_order): output/_headers, output/_nginx/site.conf and /.well-known/security.txt."""
    options = options_of(pelican.settings)
    if not options["enabled"]:
        return
    output = Path(pelican.output_path)
    siteurl, contact = pelican.settings.get("SITEURL", ""), options["security_contact"]
    if contact and ":" not in contact:  # a page of the site
        contact = f"{siteurl}/{contact}" if siteurl.startswith("http") else None
    if contact:
        (output / ".well-known").mkdir(exist_ok=True)
        (output / ".well-known" / "security.txt").write_text(
            security_txt(contact, siteurl, datetime.now(UTC)), encoding="utf-8")
    headers, cache, revalidate = site_headers(pelican.settings, output)
    (output / "_headers").write_text(netlify_headers(headers, cache), encoding="utf-8")
    (output / "_nginx").mkdir(exist_ok=True)
    (output / "_nginx" / "site.conf").write_text(
        nginx_site(headers, cache, revalidate, options["nginx_brotli"]), encoding="utf-8"
    )


def needs_build_order(pelican):
    """initialized receiver: write_headers_files is run by plugins/build_order once the pages are written."""
    plugin_list.needs_build_order("security_headers", pelican.settings)


def register():
    signals.all_generators_finalized.connect(remember_theme_sources)
    signals.initialized.connect(needs_build_order)

"""The published site as a real nginx serves it with the site's own config: security headers,
cache lifetimes, pre-compressed files, and in Chromium every page template, with search used and
comments opened against a real Isso, without a Content-Security-Policy violation or a console
error. (The `served_site` fixture: conftest.py.)"""

import gzip
import re
import urllib.request
from urllib.error import HTTPError

import brotli
import pytest

from tests.built_site import SEED_POST, show_comments
from tests.page_checks import TEMPLATES

# What the host must say of every response, whatever the file.
SECURITY_HEADERS = ["Content-Security-Policy", "Referrer-Policy", "Permissions-Policy", "X-Content-Type-Options",
                    "Strict-Transport-Security"]


def fetch(url, encoding=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        return error.code, error.headers, error.read()


def csp_directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def headers_file(site):
    """The _headers file (Netlify, Cloudflare Pages) as {path pattern: {header: value}}."""
    rules, pattern = {}, None
    for line in (site.output / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            pattern = line.strip()
            rules[pattern] = {}
        else:
            name, _, value = line.strip().partition(": ")
            rules[pattern][name] = value
    return rules


def nginx_headers(site):
    """_nginx/site.conf as {location: {header: value}}."""
    text = (site.output / "_nginx" / "site.conf").read_text(encoding="utf-8")
    locations = {}
    for match, body in re.findall(r"location ([^{]+?) \{(.*?)\n\}", text, re.DOTALL):
        pairs = re.findall(r'add_header (\S+) "((?:[^"\\]|\\.)*)" always;', body)
        locations[match] = {name: value.replace('\\"', '"') for name, value in pairs}
    return locations


# --- Headers --------------------------------------------------------------------------------


def test_every_kind_of_response_carries_the_security_headers(served_site):
    site = served_site.site
    files = [next((site.output / "theme").glob("search.*.js")), site.output / "pagefind" / "pagefind.js",
             site.output / "favicon.svg", site.output / "sitemap.xml"]
    paths = [path for _, path in TEMPLATES] + [f.relative_to(site.output).as_posix() for f in files]
    expected = headers_file(site)["/*"]
    for path in paths:
        status, headers, _ = fetch(f"{served_site.url}/{path}")
        assert status == (404 if path == "no-such-page/" else 200), path
        for name in SECURITY_HEADERS:
            assert headers[name] == expected[name], f"/{path}: {name} is {headers[name]!r}"


def test_the_content_security_policy_is_strict(served_site):
    policy = csp_directives(headers_file(served_site.site)["/*"]["Content-Security-Policy"])
    comment_origin = served_site.isso.url
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    for directive, sources in policy.items():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"} & set(sources)
        others = [s for s in sources if s.startswith("http")]
        assert others in ([], [comment_origin]), f"{directive} allows {others}"
        if others:
            assert directive in ("script-src", "connect-src"), f"the comment server is allowed in {directive}"
    # Inline code only by hash: the one script (search loader) and the one stylesheet, on every page.
    assert [s for s in policy["script-src"] if s.startswith("'sha256-")] and len(policy["style-src"]) == 2
    assert comment_origin in policy["script-src"] and comment_origin in policy["connect-src"]


def test_netlify_and_nginx_get_the_same_headers_from_one_setting(served_site):
    netlify, nginx = headers_file(served_site.site), nginx_headers(served_site.site)
    nginx.pop("~ ^/(_headers|_nginx/)")  # returns the 404 page, which has the headers of "/"
    for location, headers in nginx.items():
        assert {k: v for k, v in headers.items() if k != "Cache-Control"} == netlify["/*"], location
        if location != "/":
            assert headers["Cache-Control"] == netlify[f"{location}*"]["Cache-Control"], location
    assert nginx["/"]["Cache-Control"] == "no-cache"


def test_fingerprinted_files_are_kept_a_year_and_pages_are_checked_each_time(served_site):
    site = served_site.site
    fingerprinted = [*(site.output / "theme").glob("*.js"), *(site.output / "theme").glob("*.css"),
                     *(site.output / "pagefind" / "fragment").iterdir()]
    for file in [f for f in fingerprinted if f.suffix not in (".gz", ".br")]:
        _, headers, _ = fetch(f"{served_site.url}/{file.relative_to(site.output).as_posix()}")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", file.name
    for path in ["", SEED_POST, "pagefind/pagefind.js", "no-such-page/"]:
        _, headers, _ = fetch(f"{served_site.url}/{path}")
        assert headers["Cache-Control"] == "no-cache", path


def test_the_host_files_are_not_served_as_pages(served_site):
    for path in ["_headers", "_nginx/site.conf"]:
        assert fetch(f"{served_site.url}/{path}")[0] == 404


# --- Pre-compressed files -------------------------------------------------------------------


def test_the_build_writes_a_gz_and_a_br_copy_of_every_text_file(served_site):
    output = served_site.site.output
    text_files = [f for f in output.rglob("*") if f.suffix in (".html", ".js", ".css", ".xml", ".svg")]
    assert len(text_files) > 20
    for file in text_files:
        data = file.read_bytes()
        if len(data) < 256:
            continue
        assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == data, file
        assert brotli.decompress(file.with_name(file.name + ".br").read_bytes()) == data, file


@pytest.mark.parametrize("encoding, decompress", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_nginx_sends_the_precompressed_copy(served_site, encoding, decompress):
    site = served_site.site
    for path, file in [(SEED_POST, site.page_file(SEED_POST)),
                       ("pagefind/pagefind.js", site.output / "pagefind" / "pagefind.js")]:
        status, headers, body = fetch(f"{served_site.url}/{path}", encoding)
        assert status == 200 and headers["Content-Encoding"] == encoding, path
        assert headers["Vary"] == "Accept-Encoding"
        assert body == file.with_name(file.name + (".br" if encoding == "br" else ".gz")).read_bytes()
        assert decompress(body) == file.read_bytes()


# --- In Chromium: no CSP violation, no console error ----------------------------------------

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def watched_page(browser, served_site):
    """A page that records CSP violations, console errors, failed requests and other origins."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url} {r.failure}"))
    page.on("request", lambda r: r.url.startswith((served_site.url, served_site.isso.url, "data:"))
            or page.problems.append(f"another origin: {r.url}"))
    yield page
    context.close()


def problems_of(page):
    return page.problems + page.evaluate("window.cspViolations")


@pytest.mark.browser
@pytest.mark.parametrize("name, path", TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_every_template_loads_without_a_csp_violation_or_console_error(watched_page, served_site, name, path):
    page = watched_page
    response = page.goto(f"{served_site.url}/{path}")
    expected_status = 404 if name == "404" else 200
    assert response.status == expected_status
    page.wait_for_load_state("networkidle")
    # A 404 status is reported by Chromium as a console error for the page itself: not a problem.
    problems = [p for p in problems_of(page) if not (name == "404" and "404 (Not Found)" in p)]
    assert problems == [], f"/{path}: {problems}"


@pytest.mark.browser
def test_searching_from_the_header_box_violates_nothing(watched_page, served_site):
    page = watched_page
    page.goto(f"{served_site.url}/")
    page.get_by_role("searchbox").first.fill("endorphins")
    page.locator("header .search-results a").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert problems_of(page) == []
    # A result means Pagefind's worker and WebAssembly ran under the policy ('wasm-unsafe-eval').
    assert "Neuroscience" in page.locator("header .search-results").inner_text()


@pytest.mark.browser
def test_opening_comments_and_posting_one_violates_nothing(watched_page, served_site):
    page = watched_page
    page.goto(f"{served_site.url}/{SEED_POST}")
    show_comments(page)
    page.locator(".isso-postbox textarea").fill("Thank you, this helped my shoulders.")
    page.locator(".isso-postbox input[type=submit]").click()
    page.get_by_text("this helped my shoulders").wait_for()
    page.wait_for_load_state("networkidle")
    assert problems_of(page) == []

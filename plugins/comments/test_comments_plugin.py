"""The comment providers are named once (comments.PROVIDERS): the templates and the script have a
branch for each and no other, and the security policy allows each provider's origin only where it
needs it."""

import re
from pathlib import Path

from comments.comments import PROVIDERS, csp_sources

FOLDER = Path(__file__).resolve().parent


def test_the_script_embeds_exactly_the_providers_of_the_table():
    script = (FOLDER / "static" / "comments.js").read_text(encoding="utf-8")
    embeds = script[script.index("const embeds = {"):script.index("\n};\n", script.index("const embeds = {"))]
    assert set(re.findall(r"^  (\w+): ", embeds, re.MULTILINE)) == set(PROVIDERS)


def test_the_section_has_markup_for_exactly_the_providers_of_the_table():
    section = (FOLDER / "templates" / "comments" / "section.html").read_text(encoding="utf-8")
    assert set(re.findall(r'COMMENTS\.provider == "(\w+)"', section)) == set(PROVIDERS)


def test_the_comment_server_is_allowed_to_load_its_script_and_data_and_nothing_more():
    allowed = csp_sources({"provider": "isso", "url": "https://comments.example/isso/"}, "https://site.example")
    assert allowed == {"script-src": ["https://comments.example"], "connect-src": ["https://comments.example"]}


def test_a_hosted_service_may_also_show_its_frames():
    allowed = csp_sources({"provider": "giscus", "url": "https://giscus.app"}, "https://site.example")
    assert set(allowed) == {"script-src", "connect-src", "frame-src"}


def test_a_comment_server_on_the_sites_own_origin_or_without_an_address_adds_nothing():
    assert csp_sources({"provider": "isso", "url": "https://site.example/comments"}, "https://site.example") == {}
    assert csp_sources({"provider": "isso", "url": ""}, "https://site.example") == {}
    assert csp_sources({"provider": "unknown", "url": "https://x.example"}, "") == {}

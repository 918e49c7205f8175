import json

import pytest

from seo.seo import describe, json_ld


def test_short_text_is_kept_whole_and_plain():
    assert describe("<p>Massage &amp; <em>sleep</em>.</p>") == "Massage & sleep."


@pytest.mark.parametrize("limit", [20, 50, 160])
def test_long_text_is_cut_at_a_word_boundary_within_the_limit(limit):
    text = " ".join(["relaxation", "of", "the", "nervous", "system,"] * 40)
    described = describe(f"<p>{text}</p>", limit)
    assert len(described) <= limit and described.endswith("…")
    assert text.startswith(described[:-1]) and text[len(described) - 1] in " ,"


def test_one_endless_word_still_fits():
    assert len(describe("a" * 300)) <= 160


def test_json_ld_is_empty_for_pages_that_have_none():
    assert json_ld({}, article=None, articles=None) == ""


def test_json_ld_escapes_what_could_end_the_script():
    settings = {"SITEURL": "https://x.test", "SITENAME": "</script><b>", "SITE_DESCRIPTION": "a & b",
                "DEFAULT_LANG": "en", "SOCIAL_IMAGE": "card.png", "SOCIAL": ()}
    block = json_ld(settings, articles=[])
    inner = block.split("\n", 1)[1].rsplit("\n", 1)[0]
    assert "<" not in inner and "&" not in inner
    assert json.loads(inner)["@graph"][0]["name"] == "</script><b>"

"""The clinic's site (issue 20): brand, booking, the clinic's data, the writer, covers, and a
page that fits a phone.

Two fixture builds of the test site with settings overrides: `clinic` with everything set (the
booking button, the clinic's address, hours and contact, the writer's photo, posts with covers),
`bare` with every optional setting empty. The clinic's data is checked where readers see it (the
footer) and where search engines read it (the JSON-LD), both from the one setting CLINIC.
"""

import json
import re

import pytest
from PIL import Image

from tests.built_site import SEED_POST, build_fixture, copy_site_content, settings_value, write_files
from tests.page_checks import validate
from tests.test_accessibility import AXE, WCAG_TAGS
from tools.site_server import serving

BOOKING = {"text": "Book a session", "url": "https://booking.example/herbclinique"}
CLINIC = {
    "telephone": "+1 555 010 0000",
    "email": "hello@clinic.example",
    "address": {"street": "1 Example Street", "locality": "Springfield", "region": "OR", "postal_code": "97000",
                "country": "US"},
    "hours": [{"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "opens": "10:00", "closes": "18:00"},
              {"days": ["Saturday"], "opens": "10:00", "closes": "14:00"}],
}
PROFILE = {"photo": "/images/portrait.jpg", "bio": "Massage therapist, writing about pain.", "about": "about/"}
COVERED = ["sleep", "shoulders", "breath"]  # posts with a cover, newest first
TEMPLATES = ["", SEED_POST, "post/sleep/", "about/", "tags/", "tag/sleep/", "author/yoko-sakura/", "archives/",
             "search/", "no-such-page/"]


def picture(path, size, colour):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG")


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    root = tmp_path_factory.mktemp("clinic")
    content = copy_site_content(root / "content")
    picture(content / "images" / "portrait.jpg", (600, 800), (120, 90, 70))
    for day, name in enumerate(reversed(COVERED), start=1):
        picture(content / "images" / f"{name}.jpg", (1200, 800), (40 * day, 110, 90))
        write_files(content, {f"posts/{name}.md": (
            f"Title: About {name}\nSlug: {name}\nDate: 2026-03-0{day}\nAuthor: Yoko Sakura\nTags: {name}, massage therapy\n"
            f"Cover: /images/{name}.jpg\n\nWhat massage does for {name}.\n")})
    return build_fixture(content, "pelicanconf.py", root / "output", settings={
        "CALL_TO_ACTION": BOOKING, "CLINIC": CLINIC, "AUTHOR_PROFILES": {"Yoko Sakura": PROFILE}})


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    root = tmp_path_factory.mktemp("bare")
    return build_fixture(copy_site_content(root / "content"), "pelicanconf.py", root / "output", settings={
        "CALL_TO_ACTION": None, "CLINIC": {}, "AUTHOR_PROFILES": {}, "HOME_INTRO": None, "HEALTH_NOTE": None,
        "SITE_TAGLINE": None, "SOCIAL": []})


def organization(soup):
    """The HealthAndBeautyBusiness of a page's JSON-LD."""
    graph = json.loads(soup.select_one('script[type="application/ld+json"]').string)["@graph"]
    return next(node for node in graph if node["@type"] == "HealthAndBeautyBusiness")


def test_the_booking_button_is_in_the_header_and_after_each_post(clinic):
    for path in ("", "tag/sleep/", SEED_POST, "post/sleep/"):
        link = clinic.page(path).select_one(".site-header a.booking-header")
        assert (link.get_text(strip=True), link["href"]) == (BOOKING["text"], BOOKING["url"]), path
    for path in (SEED_POST, "post/sleep/"):
        after = clinic.page(path).select_one("article .call-to-action a")
        assert (after.get_text(strip=True), after["href"]) == (BOOKING["text"], BOOKING["url"])


def test_the_footer_shows_the_clinic_and_the_json_ld_says_the_same(clinic):
    for path in ("", SEED_POST):
        soup = clinic.page(path)
        footer = soup.select_one("footer.site-footer .clinic")
        address = footer.select_one("address")
        assert "1 Example Street" in address.get_text(" ", strip=True)
        assert "Springfield, OR 97000" in address.get_text(" ", strip=True)
        assert address.select_one("a[href^='tel:']")["href"] == "tel:+15550100000"
        assert address.select_one("a[href^='mailto:']")["href"] == "mailto:hello@clinic.example"
        hours = [(row.dt.get_text(strip=True), row.dd.get_text(strip=True)) for row in footer.select(".clinic-hours div")]
        assert hours == [("Mon–Fri", "10:00–18:00"), ("Sat", "10:00–14:00")]
        business = organization(soup)
        assert business["telephone"] == CLINIC["telephone"] and business["email"] == CLINIC["email"]
        assert business["address"] == {"@type": "PostalAddress", "streetAddress": "1 Example Street",
                                       "addressLocality": "Springfield", "addressRegion": "OR",
                                       "postalCode": "97000", "addressCountry": "US"}
        assert [(spec["dayOfWeek"], spec["opens"], spec["closes"]) for spec in business["openingHoursSpecification"]] \
            == [(entry["days"], entry["opens"], entry["closes"]) for entry in CLINIC["hours"]]


@pytest.mark.parametrize("build", ["dev_site", "bare"])
def test_what_is_not_set_is_shown_nowhere(request, build):
    site = request.getfixturevalue(build)
    for path in ("", SEED_POST):
        soup = site.page(path)
        assert soup.select(".booking-header, .call-to-action, .clinic, a[href^='tel:']") == [], path
        assert not {"telephone", "email", "address", "openingHoursSpecification"} & organization(soup).keys()
    if build == "bare":
        for path in ("", SEED_POST, "author/yoko-sakura/"):
            soup = site.page(path)
            assert soup.select(".tagline, .home-intro, .health-note, .author-card, .social-links") == [], path


def test_the_settings_in_pelicanconf_leave_the_clinic_unset_until_checked():
    # No invented telephone or address: the writer fills them in (pelicanconf.py says CHECK).
    clinic = settings_value("pelicanconf.py", "CLINIC")
    assert not (clinic["telephone"] or clinic["email"] or clinic["address"] or clinic["hours"])


def test_the_header_has_the_leaf_the_name_the_tagline_and_marks_the_current_page(dev_site):
    header = dev_site.page("about/").select_one("header.site-header")
    home = header.select_one("a.site-name")
    assert home.get_text(strip=True) == settings_value("pelicanconf.py", "SITENAME")
    assert home.select_one("svg.brand-mark")["aria-hidden"] == "true"
    assert header.select_one(".tagline").get_text(strip=True) == settings_value("pelicanconf.py", "SITE_TAGLINE")
    assert [a.get_text(strip=True) for a in header.select("nav [aria-current=page]")] == ["About"]
    assert header.select_one("a.search-link")["href"] == "/search/"


def test_the_author_card_is_under_each_post_and_on_the_author_page(clinic, dev_site):
    for path in (SEED_POST, "post/sleep/", "author/yoko-sakura/"):
        card = clinic.page(path).select_one(".author-card")
        assert card.select_one(".author-card-name").get_text(strip=True) == "Yoko Sakura, CMT"
        assert card.select_one(".author-bio").get_text(strip=True) == PROFILE["bio"]
        assert card.select_one(".author-about a")["href"] == "/about/"
        photo = card.select_one(".author-photo picture img")
        assert (photo["width"], photo["height"], photo["alt"], photo["loading"]) == ("600", "800", "", "lazy")
        assert clinic.page_file(photo["src"].lstrip("/")).is_file()
        assert card.select_one(".author-photo source[type='image/webp']")["srcset"]
    assert clinic.page(SEED_POST).select_one(".author-card-name a")["href"] == "/author/yoko-sakura/"
    assert clinic.page("author/yoko-sakura/").select_one(".author-card-name a") is None  # not a link to itself
    # Without a photo: her initials, hidden from screen readers (her name is beside them).
    initials = dev_site.page(SEED_POST).select_one(".author-card .author-photo span[aria-hidden=true]")
    assert initials.get_text(strip=True) == "YS"


def test_a_photo_the_settings_name_but_content_lacks_is_reported(tmp_path):
    settings = {"AUTHOR_PROFILES": {"Yoko Sakura": {**PROFILE, "photo": "/images/yoko-sakura.jpg"}}}
    site = build_fixture(copy_site_content(tmp_path / "content"), "pelicanconf.py", tmp_path / "output",
                         must_succeed=False, settings=settings)
    said = " ".join(site.log.split())
    assert "The picture /images/yoko-sakura.jpg" in said and "named in the settings (pelicanconf.py)" in said


def test_the_home_page_introduces_the_clinic_and_highlights_the_newest_post(clinic):
    home = clinic.page("")
    assert home.select_one(".home-intro p").get_text(strip=True) == settings_value("pelicanconf.py", "HOME_INTRO")
    assert home.select_one(".home-intro a")["href"] == "/about/"
    cards = home.select(".post-list .post-summary")
    assert "post-latest" in cards[0]["class"] and cards[0].h2.get_text(strip=True).replace("\xa0", " ") == "About sleep"
    assert not any("post-latest" in card["class"] for card in cards[1:])
    assert clinic.page("tag/sleep/").select(".post-latest, .home-intro") == []


def test_post_cards_show_their_cover_sized_and_lazy_after_the_first(clinic):
    covers = clinic.page("").select(".post-summary .cover img")
    assert len(covers) == len(COVERED)
    for number, img in enumerate(covers):
        assert (img["width"], img["height"]) == ("1200", "800")
        assert img.get("loading") == (None if number == 0 else "lazy")
        assert clinic.page_file(img["src"].lstrip("/")).is_file()


def test_a_tag_page_names_its_related_topics(clinic):
    intro = clinic.page("tag/sleep/").select_one(".tag-intro")
    assert intro.p.get_text(" ", strip=True) == "1 post about sleep, newest first."
    assert [a.get_text(strip=True) for a in intro.select(".tag-list a")] == ["massage therapy"]
    assert intro.select_one(".more-link a")["href"] == "/tags/"


def test_the_health_note_is_under_each_post(dev_site):
    note = dev_site.page(SEED_POST).select_one("article .health-note")
    assert note.get_text(strip=True) == settings_value("pelicanconf.py", "HEALTH_NOTE")


# --- In the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clinic_server(clinic):
    with serving(clinic.output) as url:
        yield url


@pytest.mark.browser
def test_on_a_phone_the_header_is_compact_and_search_is_one_tap_away(browser, clinic_server):
    page = browser.new_page(viewport={"width": 375, "height": 700})
    try:
        for path in ("search/", SEED_POST):  # the same header on /search/, which has its own box
            page.goto(f"{clinic_server}/{path}")
            bar = page.evaluate("""() => {
                const top = (selector) => document.querySelector(selector).getBoundingClientRect();
                return {header: top('.site-header').top, nav: top('.site-nav').top, height: top('.site-header').height,
                        booking: top('.booking-header').bottom, name: top('.site-name').bottom};
            }""")
            assert bar["nav"] - bar["header"] <= 64, (path, bar)  # the brand row, before the navigation
            assert bar["booking"] <= bar["height"] and bar["name"] <= 64, (path, bar)  # both visible at once
        assert page.locator(".search-header").is_hidden()
        page.locator("a.search-link").click()
        page.wait_for_url("**/search/")
        assert page.locator("#page-search-q").is_visible()
    finally:
        page.close()


@pytest.mark.browser
def test_no_page_template_is_wider_than_a_360px_phone(browser, clinic_server):
    page = browser.new_page(viewport={"width": 360, "height": 640})
    wider = {}
    try:
        for path in TEMPLATES:
            page.goto(f"{clinic_server}/{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wider[path] = overflow
    finally:
        page.close()
    assert wider == {}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_leaf_stands_out_in_both_colour_schemes(browser, clinic_server, scheme):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(f"{clinic_server}/")
        leaf, page_colour = page.evaluate("""() => [
            getComputedStyle(document.querySelector('.site-header .brand-mark rect')).fill,
            getComputedStyle(document.body).backgroundColor]""")
    finally:
        page.close()
    assert leaf != page_colour and leaf not in ("none", "")


@pytest.mark.linux_services
def test_the_pages_with_everything_set_are_valid(clinic, tmp_path):
    pages = ["", SEED_POST, "tag/sleep/", "author/yoko-sakura/"]  # footer, booking, author card, covers
    for number, path in enumerate(pages):
        (tmp_path / f"{number}.html").write_bytes(clinic.page_file(path).read_bytes())
    checked, problems = validate(tmp_path)
    assert problems == [] and len(checked) == len(pages)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", SEED_POST, "tag/sleep/", "author/yoko-sakura/"])
def test_axe_finds_nothing_with_everything_set(browser, clinic_server, path):
    page = browser.new_page()
    try:
        page.goto(f"{clinic_server}/{path}")
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = []
        for scheme in ("light", "dark"):
            for width in (375, 1280):
                page.set_viewport_size({"width": width, "height": 800})
                page.emulate_media(color_scheme=scheme)
                results = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
                violations += [f"{scheme} {width}px: {v['id']} at {[n['target'] for n in v['nodes']][:3]}"
                               for v in results["violations"]]
    finally:
        page.close()
    assert violations == []


def test_every_font_size_is_a_step_of_the_type_scale():
    """One type scale (theme/static/css/tokens.css): a size in rem or px anywhere else is off it
    (em, relative to its parent, and print's points are not sizes of the scale)."""
    from tests.built_site import PROJECT

    sheets = [*(PROJECT / "theme" / "static" / "css").glob("*.css"), *(PROJECT / "plugins").glob("*/css/*.css")]
    off_scale = []
    for sheet in sheets:
        if sheet.name == "tokens.css":
            continue
        for declaration in re.findall(r"font(?:-size)?\s*:\s*([^;}]+)", sheet.read_text(encoding="utf-8")):
            if re.search(r"(?<![\w-])\d*\.?\d+(rem|px)\b", declaration):
                off_scale.append(f"{sheet.name}: {declaration.strip()}")
    assert len(sheets) > 10 and off_scale == []

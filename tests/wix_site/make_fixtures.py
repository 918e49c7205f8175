"""Writes the fixture site of tests/test_import_wix.py (README.md says what each file is and where
its shape comes from). Run it again after changing a post: `.venv/bin/python tests/wix_site/make_fixtures.py`.
The tests read the files it wrote; they never run it."""

import html
import json
import shutil
from pathlib import Path
from urllib.parse import quote

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SITE = "https://www.herbclinique.com"
MEDIA = "https://static.wixstatic.com/media"
CLASSES = (
    "mm8Nw _1j-51 roLFQ ghJlF _56NwE public-DraftStyleDefault-block-depth0 public-DraftStyleDefault-text-ltr"
)
SPAN = "D4lE2 public-DraftStyleDefault-ltr"
SEED = HERE.parents[2] / "shared" / "seed" / "000_a8456368bb627a95.txt"

# Wix's media names: <owner>_<32 hex>~mv2.<extension as uploaded>; one "jpg" is really a PNG.
PICTURES = {
    "cover-desk": ("b3e7a1_4f0c2d9e8a7b46c1b2d3e4f5a6b7c8d9~mv2.jpg", "JPEG", (960, 640), (92, 140, 118)),
    "doorway": ("b3e7a1_9a8b7c6d5e4f40312a1b2c3d4e5f6a7b~mv2.jpg", "JPEG", (800, 1000), (180, 120, 90)),
    "shoulders": ("b3e7a1_0d1e2f3a4b5c46d7e8f9a0b1c2d3e4f5~mv2.jpg", "PNG", (640, 480), (60, 90, 160)),
    "water": ("b3e7a1_7c6b5a4f3e2d41c0b9a8f7e6d5c4b3a2~mv2.jpg", "JPEG", (900, 600), (70, 150, 200)),
    "tea": ("b3e7a1_1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6~mv2.png", "PNG", (720, 720), (170, 160, 80)),
    "hands": ("b3e7a1_2b3c4d5e6f7a48b9c0d1e2f3a4b5c6d7~mv2.webp", "WEBP", (1000, 667), (200, 170, 150)),
}
MISSING = "b3e7a1_ffffffffffffffffffffffffffffffff~mv2.jpg"  # listed by Wix, gone from its server


def media(key):
    return f"{MEDIA}/{PICTURES[key][0]}"


def fit(key):
    """The feed's enclosure: always /v1/fit/…/file.png, whatever the picture is."""
    return f"{media(key)}/v1/fit/w_1000,h_1000,al_c,q_80/file.png"


# --- Ricos blocks, as the content viewer renders them -------------------------------------------

block_number = iter(range(1, 10**6))


def marker(kind):
    return f'<div type="{kind}" data-hook="rcv-block{next(block_number)}"></div>'


def p(inner):
    return (
        f'<p dir="auto" class="{CLASSES}" id="viewer-{next(block_number):05x}"><span class="{SPAN}">'
        f"{inner}</span></p>{marker('paragraph')}"
    )


def empty_line():
    return (
        f'<p dir="auto" class="{CLASSES}" id="viewer-{next(block_number):05x}"><span class="{SPAN}">'
        f'<br role="presentation"/></span></p>{marker("empty-line")}'
    )


def bold(text):
    return f'<span style="font-weight:700">{text}</span>'


def italic(text):
    return f'<span style="font-style:italic">{text}</span>'


def h(level, inner):
    return (
        f'<h{level} dir="auto" class="_3f-vr {CLASSES}" id="viewer-{next(block_number):05x}">'
        f'<span class="{SPAN}">{inner}</span></h{level}>{marker("header-two")}'
    )


def items(tag, texts):
    lis = "".join(
        f'<li aria-level="1" dir="auto" class="_1ZTQs"><p dir="auto" class="{CLASSES}" '
        f'id="viewer-{next(block_number):05x}"><span class="{SPAN}">{t}</span></p></li>'
        for t in texts
    )
    return f'<{tag} class="_3GhOB">{lis}</{tag}>{marker("list")}'


def quote_block(text):
    return (
        f'<blockquote dir="auto" class="_1mPM4 {CLASSES}" id="viewer-{next(block_number):05x}">'
        f'<span class="{SPAN}"><span>{text}</span></span></blockquote>{marker("blockquote")}'
    )


def link(href, text):
    return (
        f'<a href="{href}" target="_blank" rel="noopener noreferrer nofollow" class="_2qJYG" '
        f'data-hook="web-link"><u class="_2YVEr">{text}</u></a>'
    )


def figure(key, slug, alt="", caption="", name=None):
    name = name or PICTURES[key][0]
    _, _, (width, height), _ = PICTURES.get(key, (None, None, (800, 600), None))
    info = {
        "containerId": "",
        "displayMode": "fill",
        "isLQIP": True,
        "lqipTransition": "blur",
        "imageData": {"width": width, "height": height, "uri": name, "name": "", "displayMode": "fill"},
    }
    full = f"{MEDIA}/{name}"
    tiny = round(49 * height / width)
    small = f"{full}/v1/fill/w_49,h_{tiny},al_c,q_80,usm_0.66_1.00_0.01,blur_2,enc_auto/{name}"
    pin = f"{full}/v1/fill/w_{width},h_{height},al_c,q_90/{name}"
    cap = (
        (
            f'<figcaption class="_1ze2m" data-hook="image-caption">'
            f'<span dir="auto" class="_9rWtz">{caption}</span>'
            "</figcaption>"
        )
        if caption
        else ""
    )
    return (
        f'<div data-breakout="normal" class="_3vB7a"><figure data-hook="figure-IMAGE" class="_3cRjW">'
        f'<div data-hook="image-viewer" role="button" tabindex="0" class="_2kEVY"><div class="_3iXfY">'
        f'<wow-image id="img_{next(block_number)}" class="HlRz5e BI8PVQ" '
        f'data-image-info="{html.escape(json.dumps(info, separators=(",", ":")))}" data-has-ssr-src="true">'
        f'<img src="{small}" alt="{html.escape(alt)}" style="width:49px;height:{tiny}px;'
        f'object-fit:cover" data-pin-url="{SITE}/post/{slug}" data-pin-media="{pin}" fetchpriority="high"/>'
        f"</wow-image></div></div>{cap}</figure></div>{marker('image')}"
    )


def video(youtube_id):
    return (
        f'<div data-breakout="normal"><div data-hook="video-viewer" class="_1WSq0"><div class="_2mXv8">'
        f'<iframe title="YouTube video player" src="https://www.youtube.com/embed/{youtube_id}?rel=0" '
        f'width="740" height="416" allow="autoplay; encrypted-media" allowfullscreen=""></iframe></div></div>'
        f"</div>{marker('video')}"
    )


def viewer(blocks):
    return (
        '<div class="_6SyeS" data-id="content-viewer"><div class="_1pPrA" dir="ltr">'
        f'<div type="first" data-hook="rcv-block-first"></div>{"".join(blocks)}</div></div>'
    )


# --- The posts ----------------------------------------------------------------------------------


def seed_paragraphs():
    """The writer's own post, as the Wix page shows it (shared/seed), its text between the date
    line and "Comments"."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    start = lines.index("2 min read") + 1 if "2 min read" in lines else lines.index("• 2 min read") + 1
    text = " ".join(line for line in lines[start : lines.index("Comments")] if line)
    return [text]


def plain(words):
    return [p(html.escape(sentence)) for sentence in words]


POSTS = [
    # slug, title as the page's h1, the feed's title, published (UTC), categories, cover, blocks, extras
    dict(
        slug="five-stretches-for-desk-shoulders",
        title="Five stretches for desk shoulders",
        date="2026-01-20T17:30:00.000Z",
        modified="2026-01-22T08:02:11.412Z",
        tags=["posture", "Self Care"],
        cover="cover-desk",
        description="Hours at a desk pull the shoulders forward. "
        "These five stretches undo a little of it every day.",
        blocks=lambda s: [
            p(
                f"Hours at a desk pull the shoulders {bold('forward')} and the head {italic('down')}. "
                "These five "
                "stretches undo a little of it every day."
            ),
            empty_line(),
            h(2, bold("Before you start")),
            p(
                f"Move slowly, breathe out as you stretch, and stop if anything hurts. Read more on "
                f"{link('www.nhs.uk/live-well/exercise/', 'the NHS exercise pages')} "
                "&amp; ask me at your next visit."
            ),
            items("ol", ["Chin tucks", "Doorway chest stretch", "Shoulder rolls"]),
            figure(
                "doorway", s, alt="A woman stretching her chest in a doorway", caption="The doorway stretch"
            ),
            quote_block("The body keeps the shape you hold it in most."),
            items("ul", ["Once in the morning", "Once after lunch"]),
            figure("shoulders", s),
            h(3, "Watch it done"),
            video("abc123XYZ_0"),
            p(
                "See you at the clinic. Read also "
                + link(
                    f"{SITE}/post/why-we-drink-water-after-a-massage", "why we drink water after a massage"
                )
                + "."
            ),
        ],
    ),
    dict(
        slug="肩こりとマッサージ",
        title="肩こりとマッサージ 💆‍♀️",
        feed_title="肩こりとマッサージ ",
        date="2026-01-12T01:00:00.000Z",
        tags=["肩こり"],
        cover="tea",
        description="肩こりは姿勢と呼吸に深く関係しています。",
        blocks=lambda s: [
            p("肩こりは姿勢と呼吸に深く関係しています。"),
            p(f"一日に何度か、{bold('ゆっくり息を吐きながら')}肩を回してみてください。"),
            empty_line(),
        ],
    ),
    dict(
        slug="why-we-drink-water-after-a-massage",
        title="Why we drink water after a massage",
        date="2026-01-05T18:00:00.000Z",
        tags=["after care"],
        cover="water",
        page=False,
        description="Clients often ask why I hand them a glass of water at the end of a session. "
        "Here is what it "
        "does, and what it does not...",
        blocks=lambda s: [],
    ),
    dict(
        slug="heat-or-ice-which-one-when",
        title="Heat & ice: which one when?",
        date="2025-12-18T09:15:00.000Z",
        tags=["pain", "Self Care"],
        cover="hands",
        feed_title="Heat &#38; ice: which one when?",
        description="A sore back on Monday morning: a hot water bottle or a bag of frozen peas?",
        blocks=lambda s: [
            p("A sore back on Monday morning: a hot water bottle or a bag of frozen peas?"),
            h(2, "Ice for what is new"),
            p(f"A fresh sprain is {bold('swollen')} and warm: cold calms it for the first two days."),
            h(2, "Heat for what is old"),
            p("Stiff muscles that have ached for weeks loosen with warmth."),
            figure("missing", s, alt="A bag of frozen peas on a knee", name=MISSING),
            p("# Not a heading: a hashtag the writer typed at the start of a line."),
        ],
    ),
    dict(
        slug="neuroscience-v-s-massage-therapy",
        title="Neuroscience v.s. massage therapy ... ?",
        date="2023-02-19T08:12:33.000Z",
        tags=["neuroscience", "massage therapy"],
        cover="hands",
        description="At first glance, neuroscience and massage therapy may not seem like they have much "
        "in common.",
        blocks=lambda s: plain(seed_paragraphs()),
    ),
]
PLAIN = [
    ("sleep-and-stress", "Sleep and stress", ["sleep", "stress"], "water"),
    ("a-short-guide-to-trigger-points", "A short guide to trigger points", ["trigger points"], "hands"),
    (
        "what-to-expect-at-your-first-session",
        "What to expect at your first session",
        ["first visit"],
        "cover-desk",
    ),
    ("breathing-for-tight-shoulders", "Breathing for tight shoulders", ["breathing", "posture"], "tea"),
    ("massage-and-headaches", "Massage and headaches", ["headaches"], "water"),
    ("the-lymphatic-system-in-plain-words", "The lymphatic system in plain words", ["lymph"], "hands"),
    ("desk-setup-in-five-minutes", "Desk setup in five minutes", ["posture"], "cover-desk"),
    ("herbal-compresses-explained", "Herbal compresses explained", ["herbs"], "tea"),
    ("walking-after-a-long-day", "Walking after a long day", ["movement"], "water"),
    ("how-often-should-you-book-a-massage", "How often should you book a massage?", ["first visit"], "hands"),
    ("stretching-before-bed", "Stretching before bed", ["sleep"], "tea"),
    ("pregnancy-massage-questions", "Pregnancy massage: your questions", ["pregnancy"], "water"),
    ("jaw-tension-and-the-dentist", "Jaw tension and the dentist", ["jaw"], "cover-desk"),
    ("foot-care-for-runners", "Foot care for runners", ["running"], "hands"),
    ("a-year-at-the-clinic", "A year at the clinic", ["news"], "tea"),
    # Older than the feed's 20: only the sitemap knows them.
    ("opening-hours-over-the-holidays", "Opening hours over the holidays", ["news"], "water"),
    ("why-i-became-a-massage-therapist", "Why I became a massage therapist", ["about me"], "hands"),
    ("hot-stone-massage-myths", "Hot stone massage: three myths", ["hot stones"], "cover-desk"),
    ("gift-certificates-are-here", "Gift certificates are here", ["news"], "tea"),
]


def plain_post(index, slug, title, tags, cover):
    day = 28 - index
    month = "2025-11" if index < 15 else "2022-06"
    return dict(
        slug=slug,
        title=title,
        date=f"{month}-{day:02d}T10:{index:02d}:00.000Z",
        tags=tags,
        cover=cover,
        description=f"{title}: notes from the treatment room, in a few paragraphs.",
        blocks=lambda s, title=title: [
            p(f"{html.escape(title)}: notes from the treatment room, in a few paragraphs."),
            p(
                f"Every client is different, and {italic('what helps one')} may not help the next. "
                "This is what I "
                "have seen work most often."
            ),
            p("Ask me about it at your next session, and tell me how it went."),
        ],
    )


ALL = sorted(
    POSTS + [plain_post(i, *row) for i, row in enumerate(PLAIN)], key=lambda post: post["date"], reverse=True
)


def page(post):
    slug, title = post["slug"], post["title"]
    url = f"{SITE}/post/{quote(slug)}"
    name = PICTURES[post["cover"]][0]
    cover = f"{media(post['cover'])}/v1/fill/w_1000,h_667,al_c,q_85,usm_0.66_1.00_0.01/{name}"
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": title[:110],
        "description": post["description"],
        "image": {"@type": "ImageObject", "url": cover, "width": 1000, "height": 667},
        "datePublished": post["date"],
        "dateModified": post.get("modified", post["date"]),
        "author": {
            "@type": "Person",
            "name": "Yoko Sakura, CMT",
            "url": f"{SITE}/profile/yokosakura/profile",
        },
        "publisher": {
            "@type": "Organization",
            "name": "HERB CLINIQUE",
            "logo": {"@type": "ImageObject", "url": f"{MEDIA}/b3e7a1_logo~mv2.png"},
        },
        "url": url,
    }
    categories = "".join(
        f'<li class="_2HZkM"><a href="{SITE}/blog/categories/{quote(t.lower())}" '
        f'data-hook="category-label-list__item" class="_1Rz8Y">{html.escape(t)}</a></li>'
        for t in post["tags"]
    )
    others = "".join(
        f'<div data-hook="post-list-item"><a href="{SITE}/post/{quote(o["slug"])}">'
        f'<h3 data-hook="post-title">{html.escape(o["title"])}</h3></a></div>'
        for o in ALL[:3]
        if o is not post
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Wix.com Website Builder">
<title>{html.escape(title)}</title>
<meta name="description" content="{html.escape(post["description"])}">
<link rel="canonical" href="{url}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:description" content="{html.escape(post["description"])}">
<meta property="og:image" content="{cover}">
<meta property="og:image:width" content="1000">
<meta property="og:image:height" content="667">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="HERB CLINIQUE">
<meta property="og:type" content="article">
<script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}</script>
<meta property="article:author" content="Yoko Sakura, CMT">
<meta property="article:published_time" content="{post["date"]}">
<meta property="article:modified_time" content="{post.get("modified", post["date"])}">
<meta name="twitter:card" content="summary_large_image">
<script>window.viewerModel = {{"site":{{"metaSiteId":"0d1e2f3a"}},
"language":{{"userLanguage":"en"}}}};</script>
</head>
<body class="responsive"><div id="SITE_CONTAINER"><div id="main_MF">
<div id="SCROLL_TO_TOP" tabindex="-1" aria-label="top of page" role="region">top of page</div>
<header id="SITE_HEADER"><nav aria-label="Site"><ul><li><a href="{SITE}">Home</a></li>
<li><a href="{SITE}/blog">Blog</a></li></ul></nav>
<div data-hook="search-input"><input type="search" placeholder="Search" aria-label="Search"></div></header>
<main id="PAGES_CONTAINER" tabindex="-1"><div id="SITE_PAGES"><div data-hook="post-page">
<article data-hook="post" class="_2gOzG">
<div data-hook="post-header"><div data-hook="avatar-image">
<img src="{MEDIA}/b3e7a1_avatar~mv2.jpg/v1/fill/w_32,h_32/avatar.jpg" alt="Writer's picture"></div>
<span data-hook="user-name" class="tQ0Q1A">Yoko Sakura, CMT</span>
<span data-hook="time-ago" title="{post["date"][:10]}">{post["date"][:10]}</span>
<span data-hook="time-to-read">2 min read</span></div>
<h1 data-hook="post-title" class="H3vOVf"><span class="post-title__text">{html.escape(title)}</span></h1>
<section data-hook="post-description" class="_2ayMQ">{viewer(post["blocks"](slug))}</section>
<div data-hook="post-footer"><nav aria-label="Post categories">
<ul aria-label="Post categories">{categories}</ul></nav>
<div data-hook="post-main-actions"><span data-hook="like-button-with-count">0</span></div></div>
</article>
<section data-hook="recent-posts"><h2>Recent Posts</h2><div>{others}</div>
<a href="{SITE}/blog">See All</a></section>
<section data-hook="comments"><h2>Comments</h2></section>
</div></div></main>
<footer id="SITE_FOOTER"><ul aria-label="Social Bar">
<li><a href="https://www.instagram.com/herbclinique" aria-label="Instagram">Instagram</a></li>
<li><a href="https://www.facebook.com/herbclinique" aria-label="Facebook">Facebook</a></li></ul>
<p>©2024 by HERB CLINIQUE</p></footer>
<div aria-label="bottom of page" role="region">bottom of page</div></div></div>
</body></html>
"""


def rfc822(iso):
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%a, %d %b %Y %H:%M:%S GMT")


def feed(posts, *, full_text=False, built="Mon, 26 Jan 2026 07:00:00 GMT"):
    out = [
        '<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'version="2.0"><channel><title><![CDATA[HERB CLINIQUE]]></title>'
        "<description><![CDATA[HERB CLINIQUE]]>"
        f"</description><link>{SITE}/blog</link><generator>RSS for Node</generator>"
        f'<lastBuildDate>{built}</lastBuildDate><atom:link href="{SITE}/blog-feed.xml" rel="self" '
        'type="application/rss+xml"/>'
    ]
    for post in posts:
        categories = "".join(f"<category><![CDATA[{t}]]></category>" for t in post["tags"])
        content = f"<content:encoded><![CDATA[{post['html']}]]></content:encoded>" if full_text else ""
        description = post["description"] if full_text else post["description"].rstrip(".") + "..."
        out.append(
            f"<item><title><![CDATA[{post.get('feed_title', post['title'])}]]></title>"
            f"<description><![CDATA[{description}]]></description>"
            f"<link>{SITE}/post/{quote(post['slug'])}</link>"
            f'<guid isPermaLink="false">{post.get("guid", "6a1b2c3d4e5f")}'
            f"</guid>{categories}<dc:creator><![CDATA[Yoko Sakura, CMT]]></dc:creator>"
            f"<pubDate>{post.get('pubdate') or rfc822(post['date'])}</pubDate>"
            f'<enclosure url="{fit(post["cover"])}" length="0" type="image/png"/>{content}</item>'
        )
    return "".join(out) + "</channel></rss>"


def sitemaps(posts, root):
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'generatedBy="WIX"><sitemap><loc>{SITE}/blog-posts-sitemap.xml</loc><lastmod>2026-01-22</lastmod></sitemap>'
        f"<sitemap><loc>{SITE}/blog-categories-sitemap.xml</loc><lastmod>2026-01-22</lastmod></sitemap>"
        f"<sitemap><loc>{SITE}/pages-sitemap.xml</loc><lastmod>2025-03-02</lastmod></sitemap></sitemapindex>"
    )
    urls = "".join(
        f"<url><loc>{SITE}/post/{quote(post['slug'])}</loc>"
        f"<lastmod>{post.get('modified', post['date'])[:10]}</lastmod>"
        f"<image:image><image:loc>{media(post['cover'])}</image:loc><image:title><![CDATA[{post['title']}]]>"
        "</image:title></image:image></url>"
        for post in posts
    )
    posts_map = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{urls}</urlset>'
    )
    pages_map = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{SITE}</loc></url><url><loc>{SITE}/blog</loc></url><url><loc>{SITE}/about</loc></url>"
        "</urlset>"
    )
    (root / "sitemap.xml").write_text(index, encoding="utf-8")
    (root / "blog-posts-sitemap.xml").write_text(posts_map, encoding="utf-8")
    (root / "pages-sitemap.xml").write_text(pages_map, encoding="utf-8")


def picture_files(root):
    folder = root / "static.wixstatic.com" / "media"
    folder.mkdir(parents=True, exist_ok=True)
    for name, kind, (width, height), colour in PICTURES.values():
        image = Image.new("RGB", (width, height), colour)
        draw = ImageDraw.Draw(image)
        for i in range(0, width, 40):
            draw.line([(i, 0), (width - i, height)], fill=tuple(255 - c for c in colour), width=3)
        image.save(
            folder / name, kind, **({"quality": 60} if kind in ("JPEG", "WEBP") else {"optimize": True})
        )


def main():
    site = HERE / "mirror" / "www.herbclinique.com"
    for folder in (HERE / "mirror", HERE / "old-feed"):
        shutil.rmtree(folder, ignore_errors=True)
    (site / "post").mkdir(parents=True)
    sitemaps(ALL, site)
    (site / "blog-feed.xml").write_text(feed(ALL[:20]), encoding="utf-8")
    for post in ALL:
        if post.get("page", True):
            (site / "post" / f"{post['slug']}.html").write_text(page(post), encoding="utf-8")
    picture_files(HERE / "mirror")
    write_hostile(HERE / "hostile")
    write_saved_pages(HERE / "saved-pages")
    write_japanese(HERE / "japanese")


def write_saved_pages(root):
    """Two posts saved with a browser's "Save page as… (complete)": <title>.html, and beside it
    <title>_files/ holding what the page showed, the pictures' blurred placeholders under Wix's
    names; the <img src> lead there, data-pin-media still at Wix."""
    import re

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for post in ALL:
        if post["slug"] not in ("five-stretches-for-desk-shoulders", "heat-or-ice-which-one-when"):
            continue
        files = f"{post['title'].replace(':', '').replace('?', '')}_files"
        (root / files).mkdir()

        def local(match):
            name, width, height = match.group("name"), int(match.group("w")), int(match.group("h"))
            Image.new("RGB", (width, height), (128, 128, 128)).save(root / files / name, "JPEG")
            return f'src="./{quote(files)}/{name}"'

        text = re.sub(
            r'src="https://static\.wixstatic\.com/media/[^/"]+/v1/fill/w_(?P<w>\d+),h_(?P<h>\d+),'
            r'[^/"]*blur_2[^/"]*/(?P<name>[^"]+)"',
            local,
            page(post),
        )
        (root / f"{files[: -len('_files')]}.html").write_text(text, encoding="utf-8")
    write_old_feed(HERE / "old-feed" / "blog-feed.xml")


def write_old_feed(path):
    """A feed as Wix wrote them before 2025: content:encoded holds the whole post, simple HTML:
    <figure><img> without alt, videos as bare links, links without a scheme."""
    posts = [
        dict(
            slug="posture-at-the-laptop",
            title="Posture at the laptop",
            date="2023-05-02T07:45:00.000Z",
            tags=["posture"],
            cover="cover-desk",
            description="Three changes that take a minute.",
            pubdate="Tue, 02 May 2023 07:45:00 GMT",
            html=(
                f'<p>Three changes that take <strong>a minute</strong>. See <a href="www.nhs.uk/live-well/'
                f'healthy-body/">the NHS pages</a>.</p><figure><img src="{media("cover-desk")}/v1/fill/w_740,'
                f'h_493,al_c,q_85/{PICTURES["cover-desk"][0]}"></figure><h2><strong>Raise the screen'
                "</strong></h2><p>Its top at the height of your eyes.</p><ul><li><p>Feet flat</p></li><li><p>"
                "Elbows at ninety degrees</p></li></ul><p>https://www.youtube.com/watch?v=abc123XYZ_0</p>"
            ),
        ),
        dict(
            slug="tea-after-treatment",
            title="Tea after treatment",
            date="2023-03-10T09:00:00.000Z",
            tags=["herbs"],
            cover="tea",
            description="Why a warm cup helps.",
            pubdate="Fri, 10 Mar 2023 09:00:00 GMT",
            html="<p>Why a warm cup helps: it slows you down &amp; warms you up.</p>"
            "<p>Ginger or chamomile.</p>",
        ),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(feed(posts, full_text=True, built="Tue, 02 May 2023 08:00:00 GMT"), encoding="utf-8")


# --- A hostile site: what a page or picture from the network could try ---------------------------

HOSTILE_SLUGS = [
    "line%0ASave_as:%20..%2F..%2Fevil.html",  # a line break: a metadata line of its own
    "..%2F..%2Fpelicanconf",  # a slash: a file elsewhere
    "..",  # a step up
    ".hidden",
    "a" * 201,  # longer than a file name may be
    "Neuroscience-V-S-Massage-Therapy",  # the test site's post, in other capitals
    "con",  # a name Windows keeps for a device
    "comment-closer",  # fields that try to end a comment and add metadata lines
    "bad-pictures",  # "pictures" that are not
    "markup-in-words",  # words and addresses that would be live Markdown or HTML
    "caf%C3%A9-au-lait",  # café in NFC (as Windows and Linux write it) ...
    "cafe%CC%81-au-lait",  # ... and in NFD (as a Mac may): one post
    "%E2%80%AEtxt.exe",  # a right-to-left override: reads "exe.txt"
    "zero%E2%80%8Bwidth",  # a zero-width space: looks like "zerowidth"
]
BAD_PICTURES = [
    "html-page~mv2.jpg",
    "drawing~mv2.svg",
    "script~mv2.jpg",
    "endless~mv2.jpg",
    "huge~mv2.jpg",
    "redirect~mv2.jpg",
    "bomb~mv2.png",
    "slow~mv2.jpg",
]


def write_hostile(root):
    shutil.rmtree(root, ignore_errors=True)
    site = root / "www.herbclinique.com"
    (site / "post").mkdir(parents=True)
    posts = [
        dict(
            slug=slug,
            title=f"Post {n}",
            date=f"2025-10-{n + 1:02d}T10:00:00.000Z",
            tags=["news"],
            cover="water",
            description="A post.",
            blocks=lambda s: [p("Some words.")],
        )
        for n, slug in enumerate(HOSTILE_SLUGS)
    ]
    comment = posts[HOSTILE_SLUGS.index("comment-closer")]
    comment.update(
        title="Ends a comment --> <!-- and more",
        tags=["news\r\nTemplate: evil", "tips"],
        description="A summary\nSave_as: ../../evil.html\nStatus: published -->",
        blocks=lambda s: [
            p(
                "Text that looks like code: &lt;script&gt;alert(1)&lt;/script&gt; and --&gt; "
                "&lt;!-- in the words."
            )
        ],
    )
    bad = posts[HOSTILE_SLUGS.index("bad-pictures")]
    bad.update(
        title="Pictures that are not",
        blocks=lambda s: (
            [p("Eight pictures follow.")]
            + [figure("water", s, alt=f"Picture {name}", name=name) for name in BAD_PICTURES]
        ),
    )
    markup = posts[HOSTILE_SLUGS.index("markup-in-words")]
    markup.update(
        title="Markup in words",
        blocks=lambda s: [
            p(link("https://example.com/a)<img src=x onerror=alert(1)>", "this link")),
            p("Typed as words: [here](javascript:alert(1)) and ![x](http://tracker.example/p.gif)"),
            p("A backslash before a bracket: \\[again](javascript:alert(2))"),
            figure("water", s, alt="A picture from elsewhere", name="ignored"),
            p(link("javascript:alert(3)", "a script link") + " and " + link("mailto:yoko@herbclinique.com", "write")),
        ],
    )
    sitemaps_of(posts, site, [f"{SITE}/post/{slug}" for slug in HOSTILE_SLUGS])
    for post in posts:
        if "%" not in post["slug"] and post["slug"] not in ("..",):
            (site / "post" / f"{post['slug']}.html").write_text(page(post), encoding="utf-8")
    cafe = posts[HOSTILE_SLUGS.index("caf%C3%A9-au-lait")]
    (site / "post" / "café-au-lait.html").write_text(page(cafe), encoding="utf-8")
    markup_page = site / "post" / "markup-in-words.html"
    markup_page.write_text(  # its picture on another host than Wix's, as a tracker would be
        markup_page.read_text(encoding="utf-8")
        .replace(f"{MEDIA}/ignored", "http://tracker.example/pixel.gif")
        .replace("&quot;ignored&quot;", "&quot;&quot;"),
        encoding="utf-8",
    )
    media_folder = root / "static.wixstatic.com" / "media"
    media_folder.mkdir(parents=True)
    (media_folder / "html-page~mv2.jpg").write_text(
        "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", encoding="utf-8"
    )
    (media_folder / "drawing~mv2.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<script>alert(1)</script><rect width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    (media_folder / "script~mv2.jpg").write_text(
        "window.location = 'https://example.invalid/';", encoding="utf-8"
    )
    Image.new("1", (10000, 10000)).save(media_folder / "bomb~mv2.png", optimize=True)  # 100 megapixels, 12 kB
    shutil.copy(HERE / "mirror" / "static.wixstatic.com" / "media" / PICTURES["water"][0], media_folder)


def sitemaps_of(posts, site, locs):
    sitemaps(posts, site)
    urls = "".join(
        f"<url><loc>{loc}</loc><lastmod>2025-10-01</lastmod><image:image><image:loc>{media('water')}"
        "</image:loc></image:image></url>"
        for loc in locs
    )
    (site / "blog-posts-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{urls}</urlset>',
        encoding="utf-8",
    )


# --- A Japanese blog: addresses in Japanese, raw in the sitemap, percent-encoded elsewhere --------

JAPANESE_PICTURES = {
    # A name as uploaded, spaces kept (Wix keeps the uploaded name after ~mv2 for some uploads).
    "spaces": ("b3e7a1_5d6e7f8a9b0c41d2e3f4a5b6c7d8e9f0~mv2 shoulder stretch.jpg", "JPEG", (900, 600), (120, 90, 60)),
    "broken": ("b3e7a1_6e7f8a9b0c1d42e3f4a5b6c7d8e9f0a1~mv2.jpg", "JPEG", (800, 600), (90, 60, 120)),
}
CUT = "b3e7a1_7f8a9b0c1d2e43f4a5b6c7d8e9f0a1b2~mv2.jpg"  # the test's server cuts the connection
JAPANESE_POSTS = [
    # slug, how the sitemap writes it ("raw" as Wix writes non-Latin slugs, or "encoded")
    dict(
        slug="肩こりとマッサージ",
        sitemap="raw",
        title="肩こりとマッサージ 💆‍♀️",
        feed_title="肩こりとマッサージ ",  # the feed loses characters beyond U+FFFF
        date="2026-01-12T01:00:00.000Z",
        tags=["肩こり", "Self Care"],
        cover="tea",
        description="肩こりは姿勢と呼吸に深く関係しています。",
        blocks=lambda s: [
            p("肩こりは姿勢と呼吸に深く関係しています。"),
            p(f"一日に何度か、{bold('ゆっくり息を吐きながら')}肩を回してみてください。"),
            figure("spaces", s, alt="机の前で肩を回す女性", caption="朝と夜に一回ずつ",
                   name=JAPANESE_PICTURES["spaces"][0]),
            h(2, bold("呼吸と姿勢")),
            items("ul", ["背筋を伸ばす", "肩の力を抜く"]),
            p(
                "年末年始のお知らせは"
                + link(f"{SITE}/post/{quote('年末年始の営業時間')}", "こちら")
                + "をご覧ください。"
            ),
            empty_line(),
        ],
    ),
    dict(
        slug="年末年始の営業時間",
        sitemap="encoded",
        title="年末年始の営業時間 🎍",
        date="2025-12-20T00:30:00.000Z",
        tags=["お知らせ", "news"],
        cover="water",
        description="年末年始の営業時間をお知らせします。",
        blocks=lambda s: [
            p("年末年始の営業時間をお知らせします。12月29日から1月3日までお休みです。"),
            figure("missing", s, alt="お正月の飾り", name=MISSING),
            figure("broken", s, alt="クリニックの入り口", caption="入り口の写真",
                   name=JAPANESE_PICTURES["broken"][0]),
            figure("water", s, alt="接続が切れる写真", name=CUT),
            p("ご予約はお電話でどうぞ。"),
        ],
    ),
    dict(
        slug="ヘッドスパの効果",
        sitemap="raw",
        title="ヘッドスパの効果",
        date="2025-12-01T02:00:00.000Z",
        tags=["ヘッドスパ"],
        cover="hands",
        page=False,  # gone from the site: the feed's excerpt is all there is
        description="ヘッドスパは頭皮の血行を良くし、眠りを深くします...",
        blocks=lambda s: [],
    ),
    dict(
        slug="stretches-for-the-commute",
        sitemap="raw",
        title="Stretches for the commute",
        date="2025-11-15T08:00:00.000Z",
        tags=["posture"],
        cover="cover-desk",
        description="Three stretches to do on the train.",
        blocks=lambda s: [
            p("Three stretches to do on the train, standing or sitting."),
            figure("doorway", s, alt="A woman stretching on a train platform"),
            p("Read also " + link(f"{SITE}/post/肩こりとマッサージ", "肩こりとマッサージ") + " (in Japanese)."),
        ],
    ),
]


def write_japanese(root):
    """A Wix blog written in Japanese and English, with the site's mirror layout. Its sitemap
    lists posts raw (/post/肩こりとマッサージ, as Wix's sitemaps write non-Latin slugs) or
    percent-encoded in lower case, and the first post a second time in the other spelling; the
    feed, the pages' canonical links and their links to each other percent-encode."""
    shutil.rmtree(root, ignore_errors=True)
    site = root / "www.herbclinique.com"
    (site / "post").mkdir(parents=True)

    def loc(slug, spelling):
        return f"{SITE}/post/{slug if spelling == 'raw' else quote(slug).lower()}"

    locs = [loc(post["slug"], post["sitemap"]) for post in JAPANESE_POSTS]
    locs.insert(1, loc(JAPANESE_POSTS[0]["slug"], "encoded"))  # the same post, the other spelling
    sitemaps(JAPANESE_POSTS, site)
    urls = "".join(
        f"<url><loc>{html.escape(address)}</loc><lastmod>2026-01-12</lastmod><image:image><image:loc>"
        f"{media(post['cover'])}</image:loc><image:title><![CDATA[{post['title']}]]></image:title>"
        "</image:image></url>"
        for address, post in zip(locs, JAPANESE_POSTS[:1] + JAPANESE_POSTS, strict=True)
    )
    (site / "blog-posts-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{urls}</urlset>',
        encoding="utf-8",
    )
    (site / "blog-feed.xml").write_text(feed(JAPANESE_POSTS), encoding="utf-8")
    for post in JAPANESE_POSTS:
        if post.get("page", True):
            (site / "post" / f"{post['slug']}.html").write_text(page(post), encoding="utf-8")
    media_folder = root / "static.wixstatic.com" / "media"
    media_folder.mkdir(parents=True)
    for key in ("tea", "water", "hands", "cover-desk", "doorway"):
        shutil.copy(HERE / "mirror" / "static.wixstatic.com" / "media" / PICTURES[key][0], media_folder)
    name, kind, size, colour = JAPANESE_PICTURES["spaces"]
    Image.new("RGB", size, colour).save(media_folder / name, kind, quality=60)
    name, kind, size, colour = JAPANESE_PICTURES["broken"]
    Image.new("RGB", size, colour).save(media_folder / name, kind, quality=60)
    whole = (media_folder / name).read_bytes()
    (media_folder / name).write_bytes(whole[: len(whole) // 3])  # cut short: not a whole picture


if __name__ == "__main__":
    main()

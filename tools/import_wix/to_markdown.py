"""A Wix post's text as clean Markdown. The text is Ricos markup (the content viewer of today's
pages, or the simpler HTML of feeds before 2025): paragraphs of nested <span>s whose bold and
italics are inline styles, empty-line <div>s, figures whose <img> is a blurred placeholder (the
real picture is in data-pin-media / data-image-info), videos in <iframe>s. It is reduced to plain
HTML here, and markdownify writes the Markdown."""

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString
from markdownify import MarkdownConverter

from tools.import_wix.addresses import BadAddress, iri_text, to_uri
from tools.import_wix.fetch import MEDIA_HOSTS
from tools.import_wix.safety import markdown_words, readable_path

KEPT = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "strong",
    "em",
    "br",
    "img",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
DROPPED = [
    "script",
    "style",
    "noscript",
    "svg",
    "button",
    "template",
    "input",
    "form",
    "select",
    "textarea",
    "object",
    "embed",
    "head",
    "title",
    "meta",
    "link",
]
VIDEO_HOOKS = {"figure-VIDEO", "video-viewer", "video-player", "figure-VIDEO_PLAYER"}
PICTURE_NAME = re.compile(r"\.(jpe?g|png|webp|gif|avif|heic)$", re.IGNORECASE)


@dataclass
class Picture:
    original: str  # the full-size address
    alt: str = ""
    size: tuple | None = None  # (width, height) Wix gives for the original, when it does
    src: str = ""  # what the post uses: /images/<slug>/<name>, Wix's URI when not fetched, "" if refused


def original_address(url):
    """Wix's picture at full size: /media/<name>/v1/fill/w_740,…/<file> -> /media/<name>."""
    parts = urlsplit(url)
    match = re.match(r"(.*?/media/[^/]+)(?:/v1/.*)?$", parts.path)
    if not match:
        return url
    return f"{parts.scheme}://{parts.netloc}{match.group(1)}"


def video_page(src):
    """An embedded video's own page: YouTube and Vimeo embeds become their watch address."""
    src = "https:" + src if src.startswith("//") else src
    match = re.search(r"youtube(?:-nocookie)?\.com/embed/([\w-]+)", src)
    if match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    match = re.search(r"player\.vimeo\.com/video/(\d+)", src)
    return f"https://vimeo.com/{match.group(1)}" if match else src


def link_target(href, page_url, site_hosts):
    """A link as the new site needs it, or None to keep only its words: an http(s) address made a
    checked URI, a mail or phone link encoded, another post of the blog its /post/<slug>/."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme in ("mailto", "tel"):
        return quote(href, safe=":@.+-_~!$&*,;=?%/")  # no script runs from these: kept, encoded
    if scheme in ("http", "https"):
        pass
    elif href.startswith("//"):
        href = "https:" + href
    elif not scheme and re.match(r"^(www\.)?[\w-]+(\.[\w-]+)*\.[a-z]{2,}(:\d+)?([/?#]|$)", href, re.IGNORECASE):
        href = "https://" + href  # Wix keeps what was typed: href="www.nhs.uk/…"
    elif href.startswith("/") and page_url:
        href = urljoin(page_url, href)
    else:
        return None  # javascript:, data:, a relative address Wix never writes
    try:
        uri = to_uri(href)
    except BadAddress:
        return None
    parts = urlsplit(uri)
    post = re.match(r"^/(?:[^/]+/)?(?:post|single-post)/([^/?#]+)/?$", parts.path)
    if post and (parts.hostname or "") in site_hosts:
        return readable_path(f"/post/{iri_text(post.group(1))}/")  # its address on the new site
    return uri


def picture_of(element, page_url):
    """The Picture behind a <wow-image> or an <img>."""
    wow = element if element.name == "wow-image" else element.find_parent("wow-image")
    img = element if element.name == "img" else element.find("img")
    info = {}
    if wow is not None:
        try:
            info = json.loads(wow.get("data-image-info") or "{}").get("imageData") or {}
        except (ValueError, AttributeError):
            info = {}
    addresses = [img.get("data-pin-media"), img.get("data-src"), img.get("src")] if img is not None else []
    addresses.append(wow.get("data-src") if wow is not None else None)
    address = next(
        (
            urljoin(page_url or "", a.strip())
            for a in addresses
            if a and urlsplit(urljoin(page_url or "", a.strip())).scheme in ("http", "https")
        ),
        "",
    )
    uri = str(info.get("uri", ""))
    if uri and (not address or "/media/" not in address):
        address = f"https://{next(iter(MEDIA_HOSTS))}/media/{uri}"
    alt = " ".join((img.get("alt", "") if img is not None else "").split())
    if PICTURE_NAME.search(alt) or alt == uri:
        alt = ""  # Wix fills in the file's name when the writer gave no description
    width, height = info.get("width"), info.get("height")
    size = (int(width), int(height)) if isinstance(width, int) and isinstance(height, int) else None
    return Picture(original_address(address), alt, size) if address else None


def outermost(elements):
    chosen = set(map(id, elements))
    return [e for e in elements if not any(id(parent) in chosen for parent in e.parents)]


def prepare(html, page_url="", site_hosts=()):
    """The text reduced to plain HTML, and its pictures in order (each <img data-picture=N>)."""
    soup = BeautifulSoup(str(html), "lxml")
    root = soup.body or soup
    for tag in root.find_all(DROPPED):
        tag.decompose()
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in root.find_all(None, {"data-hook": re.compile(r"^rcv-block")}):
        if tag.get_text(strip=True) or tag.find(["img", "wow-image", "iframe", "video"]):
            tag.unwrap()  # a marker is empty; one that holds the text is only a wrapper
        else:
            tag.decompose()
    pictures = []

    def picture_paragraph(element):
        picture = picture_of(element, page_url)
        if not picture:
            return None
        pictures.append(picture)
        paragraph = soup.new_tag("p")
        paragraph.append(soup.new_tag("img", attrs={"data-picture": str(len(pictures) - 1)}))
        return paragraph

    figures = outermost(
        root.find_all(
            lambda t: (
                t.name == "figure"
                or str(t.get("data-hook", "")).startswith(
                    ("figure-IMAGE", "figure-GALLERY", "gallery-viewer")
                )
            )
        )
    )
    for figure in figures:
        if figure.find(["wow-image", "img"]) is None:
            continue
        caption = (
            " ".join(figure.find("figcaption").get_text(" ").split()) if figure.find("figcaption") else ""
        )
        parts = [
            picture_paragraph(e)
            for e in figure.find_all(["wow-image", "img"])
            if e.name == "wow-image" or e.find_parent("wow-image") is None
        ]
        if caption:
            emphasis = soup.new_tag("em")
            emphasis.string = caption
            parts.append(soup.new_tag("p"))
            parts[-1].append(emphasis)
        for part in filter(None, parts):
            figure.insert_before(part)
        figure.decompose()
    for element in root.find_all(["wow-image", "img"]):
        if element.get("data-picture") is not None or (
            element.name == "img" and element.find_parent("wow-image")
        ):
            continue
        replacement = picture_paragraph(element)
        if replacement and element.find_parent("p"):
            replacement = replacement.img
        element.replace_with(replacement) if replacement else element.decompose()

    videos = outermost(
        root.find_all(
            lambda t: t.name in ("iframe", "video", "wix-video") or t.get("data-hook") in VIDEO_HOOKS
        )
    )
    for video in videos:
        frame = video if video.name in ("iframe", "video") else video.find(["iframe", "video"])
        source = frame.find("source") if frame is not None else None
        src = (
            (frame.get("src") or frame.get("data-src") or (source.get("src") if source else ""))
            if frame
            else ""
        )
        src = src or (video.find("a", href=True) or {}).get("href", "")
        if not src or urlsplit(video_page(src)).scheme not in ("http", "https"):
            video.decompose()
            continue
        watch = video_page(src)
        paragraph = soup.new_tag("p")
        link = soup.new_tag("a", href=watch)
        host = (urlsplit(watch).hostname or "").removeprefix("www.")
        link.string = {
            "youtube.com": "Watch the video on YouTube",
            "vimeo.com": "Watch the video on Vimeo",
        }.get(host, "Watch the video")
        paragraph.append(link)
        video.replace_with(paragraph)

    for paragraph in root.find_all("p"):  # a paragraph that is only an address (old feeds' videos): a link
        address = paragraph.get_text(" ").strip()
        if paragraph.find("a") is None and re.fullmatch(r"https?://\S+", address):
            host = (urlsplit(address).hostname or "").removeprefix("www.")
            link = soup.new_tag("a", href=address)
            link.string = {
                "youtube.com": "Watch the video on YouTube",
                "youtu.be": "Watch the video on YouTube",
                "vimeo.com": "Watch the video on Vimeo",
            }.get(host, address)
            paragraph.clear()
            paragraph.append(link)

    for link in root.find_all("a"):
        target = link_target(link.get("href"), page_url, set(site_hosts))
        if target and link.get_text(strip=True):
            link.attrs = {"href": target}
        else:
            link.unwrap()

    for span in root.find_all("span", style=True):  # Ricos writes bold and italics as styles
        style = str(span["style"]).replace(" ", "").lower()
        if re.search(r"font-style:italic", style):
            span.wrap(soup.new_tag("em"))
        if re.search(r"font-weight:(bold|[6-9]00)", style):
            span.wrap(soup.new_tag("strong"))
    for tag in root.find_all("b"):
        tag.name = "strong"
    for tag in root.find_all("i"):
        tag.name = "em"

    headings = root.find_all(re.compile(r"^h[1-6]$"))
    shift = max(0, 2 - min((int(h.name[1]) for h in headings), default=2))  # the post's title is the h1
    for heading in headings:
        for emphasis in heading.find_all(["strong", "em", "u", "a"]):
            emphasis.unwrap()  # a heading is already bold: no "## **…**"
        heading.name = f"h{min(6, int(heading.name[1]) + shift)}"
    for item in root.find_all("li"):
        for paragraph in item.find_all("p", recursive=False):
            paragraph.unwrap()

    for tag in list(root.find_all(True)):
        if tag.name in KEPT or tag.name in ("body", "html"):
            continue
        if tag.name in ("div", "section", "article", "figure", "main", "header", "footer", "aside") and any(
            isinstance(child, NavigableString) and child.strip() for child in tag.children
        ):
            tag.name = "p"  # a block that holds words itself stays a paragraph
        else:
            tag.unwrap()
    for tag in root.find_all(True):
        kept = {"a": ("href",), "img": ("data-picture",)}.get(tag.name, ())
        tag.attrs = {name: value for name, value in tag.attrs.items() if name in kept}
    for emphasis in root.find_all(["strong", "em"]):
        if not emphasis.get_text(strip=True) and not emphasis.find("img"):
            emphasis.unwrap()
    for block in root.find_all(["p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"]):
        if not block.get_text(strip=True) and not block.find("img"):
            block.decompose()

    for string in list(root.find_all(string=True)):
        if string.find_parent(["pre", "code"]):
            continue
        cleaned = markdown_words(str(string).replace("\xa0", " ").replace("\u200b", ""))
        if cleaned != str(string):
            string.replace_with(cleaned)
    for block in root.find_all(["p"]):  # words that would start Markdown of their own (#, >, 1., -)
        first = next((s for s in block.find_all(string=True) if s.strip()), None)
        if first is not None and first.find_parent("a") is None:
            fixed = re.sub(
                r"^(\s*)([#>+\-*=]|\d+[.)])(\s|$)",
                lambda m: m.group(1) + "\\" + m.group(2) + m.group(3),
                str(first),
                count=1,
            )
            if fixed != str(first):
                first.replace_with(fixed)
    return root, pictures


class Converter(MarkdownConverter):
    def __init__(self, pictures, **options):
        super().__init__(**options)
        self.pictures = pictures

    def convert_img(self, el, text, *args, **kwargs):
        picture = self.pictures[int(el["data-picture"])]
        if not picture.src:
            return ""  # not from the site's own media: left out, and listed
        return f"![{markdown_words(picture.alt)}]({picture.src})"


def to_markdown(root, pictures):
    markdown = Converter(
        pictures,
        heading_style="ATX",
        bullets="-",
        newline_style="backslash",
        escape_underscores=False,
        escape_asterisks=True,
    ).convert_soup(root)
    markdown = "\n".join(line.rstrip() for line in markdown.splitlines())
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def words(root):
    """The text of prepared HTML, for a post that has no words at all."""
    return " ".join(root.get_text(" ").split())

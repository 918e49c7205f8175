"""The import: list the posts, read each, bring its pictures, stage everything, then move it into
content/ in one short step. See docs/wix-import.md."""

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from tools.import_wix import listing, staging
from tools.import_wix.addresses import BadAddress, same_page, to_uri
from tools.import_wix.fetch import Allowed, Dropped, Folder, Unavailable, Web, host_variants
from tools.import_wix.page import parse_page
from tools.import_wix.pictures import check_picture, file_name, media_name
from tools.import_wix.records import Post, Report, display, shown
from tools.import_wix.safety import (
    Refused,
    clean_field,
    is_windows_reserved,
    readable_path,
    slug_from_path,
    slug_problem,
    summary_field,
    tag_names,
)
from tools.import_wix.to_markdown import Picture, original_address, prepare, to_markdown, words

SLUG_FIX = (
    "In Wix, open the post, then Settings > SEO > URL slug, give it plain words joined by dashes, "
    "publish it and run the import again."
)


DEFAULT_MAX_POSTS = 2000  # far more than a clinic's blog; a sitemap of 100,000 is not one


class ImportError_(Exception):
    """The import as a whole cannot go on: nothing is written."""


def is_japanese(text):
    """Mostly kana and kanji: the post gets Lang: ja, so screen readers read it in Japanese."""
    letters = [c for c in text if c.isalpha()]
    japanese = [c for c in letters if re.match(r"[\u3040-\u30ff\u3400-\u9fff]", c)]
    return bool(letters) and len(japanese) > len(letters) / 2


class Importer:
    def __init__(
        self,
        settings,
        content,
        site="",
        feed="",
        dry_run=False,
        max_bytes=None,
        max_seconds=None,
        max_posts=DEFAULT_MAX_POSTS,
        say=print,
    ):
        self.settings, self.content, self.dry_run, self.say = settings, Path(content), dry_run, say
        self.max_posts = max_posts
        self.max_megapixels = (settings.get("RESPONSIVE_IMAGES") or {}).get("max_megapixels", 50)
        limits = {k: v for k, v in (("max_bytes", max_bytes), ("max_seconds", max_seconds)) if v}
        self.site, self.feed_address = site.strip(), feed.strip()
        self.folder = None
        if self.site and Path(self.site).expanduser().is_dir():
            self.web = Web(Allowed(), **limits)
            self.folder = Folder(
                Path(self.site).expanduser(), self.web, limits.get("max_bytes") or 25 * 1024 * 1024
            )
            self.source: Folder | Web = self.folder
            self.site_url = ""
        else:
            if self.site and not re.match(r"https?://", self.site, re.IGNORECASE):
                self.site = "https://" + self.site
            parts = urlsplit(self.site)  # a free Wix site lives in a folder: name.wixsite.com/blog
            self.site_url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}" if self.site else ""
            feed_url = self.feed_address if re.match(r"https?://", self.feed_address, re.IGNORECASE) else ""
            self.web = Web(Allowed(self.site_url, feed_url), **limits)
            self.source = self.web
        self.site_hosts = set()
        self.report = Report()

    # --- Which posts --------------------------------------------------------------------------

    def get(self, url, what):
        try:
            return self.source.get(url)
        except Dropped as error:
            raise ImportError_(
                f"The connection failed while reading {what}: {error}. Nothing was written. "
                "Check the internet connection and run the same command again."
            ) from None

    def read_feed(self):
        """The feed's posts, or [] when there is none to be had."""
        if self.feed_address and not re.match(r"https?://", self.feed_address, re.IGNORECASE):
            path = Path(self.feed_address).expanduser()
            if not path.is_file():
                raise ImportError_(
                    f"There is no file {self.feed_address}. Give the feed's file or its address, "
                    "or better the site itself: make import-wix SITE=https://www.herbclinique.com"
                )
            data = path.read_bytes()
        else:
            if self.feed_address:
                url = self.feed_address
            elif self.folder:
                found = next(
                    (
                        self.folder.file_of(f"https://{host}/blog-feed.xml")
                        for host in sorted(self.site_hosts)
                        if self.folder.file_of(f"https://{host}/blog-feed.xml")
                    ),
                    None,
                )
                found = found or self.folder.find("blog-feed.xml")
                if not found:
                    return []
                data, url = found.read_bytes(), None
            else:
                url = f"{self.site_url}/blog-feed.xml"
            if url:
                try:
                    data = self.get(url, "the blog's feed").data
                except (Unavailable, Refused) as error:
                    if self.feed_address:
                        raise ImportError_(
                            f"Could not read the feed {shown(url)}: {error}. Nothing was written. "
                            "Check the address, or give the site instead: "
                            "make import-wix SITE=https://www.herbclinique.com"
                        ) from None
                    return []
        try:
            posts, blog = listing.feed_posts(data)
        except Refused as error:
            if self.feed_address or not self.site:
                raise ImportError_(
                    f"The feed cannot be used: {error}. Nothing was written. Download it again "
                    "(a feed that stops midway would lose posts), or give the site instead: "
                    "make import-wix SITE=https://www.herbclinique.com"
                ) from None
            self.say(f"The site's feed could not be read ({error}); the posts' own pages are enough.")
            return []
        if not self.site:
            self.web.allowed.add(blog)  # the site the feed is of: its pictures may be there
        return posts

    def sitemap_posts(self):
        """The posts the site lists in blog-posts-sitemap.xml (through sitemap.xml)."""
        if self.folder:
            index = self.folder.find("sitemap.xml")
            posts_map = self.folder.find("blog-posts-sitemap.xml")
            data = None
            if index is not None and listing.is_sitemap_index(index.read_bytes()):
                children = [u for u in listing.sitemap_children(index.read_bytes()) if "blog-posts" in u]
                for child in children:
                    file = self.folder.file_of(child)
                    data = file.read_bytes() if file else data
            if data is None and posts_map is not None:
                data = posts_map.read_bytes()
            if data is None:
                pages = [a for a in sorted(self.folder.pages_by_address()) if "/post/" in a]
                if not pages:
                    raise ImportError_(
                        f"The folder {self.site} holds no Wix post pages and no sitemap.xml. "
                        "Nothing was written. Save the site with a mirror tool, or give its address: "
                        "make import-wix SITE=https://www.herbclinique.com"
                    )
                self.say(f"The folder has no list of posts (sitemap.xml); it holds {len(pages)} post pages.")
                return [listing.Listed("https://" + a) for a in pages]
            return listing.listed_posts(data)
        try:
            data = self.get(f"{self.site_url}/sitemap.xml", "the site's sitemap").data
            if listing.is_sitemap_index(data):
                children = [u for u in listing.sitemap_children(data) if "blog-posts" in u]
                if not children:
                    raise ImportError_(
                        f"The site's sitemap ({self.site_url}/sitemap.xml) lists no blog posts. "
                        "Nothing was written. Is the blog published on this site?"
                    )
                posts = []
                for child in children:
                    posts += listing.listed_posts(self.get(child, "the list of posts").data)
                return posts
            return listing.listed_posts(data)
        except Unavailable:
            try:
                return listing.listed_posts(
                    self.get(f"{self.site_url}/blog-posts-sitemap.xml", "the list of posts").data
                )
            except Unavailable as error:
                raise ImportError_(
                    f"{self.site_url} has no sitemap.xml ({error}), so its posts cannot be listed. "
                    "Nothing was written. Check the address: it is the one you type to see the "
                    "site, like https://www.herbclinique.com"
                ) from None
        except Refused as error:
            raise ImportError_(
                f"The site's list of posts was refused: {error}. Nothing was written."
            ) from None

    # --- One post ------------------------------------------------------------------------------

    def read_post(self, post, listed, feed_post, used, used_lower, stage):
        page = None
        if self.site:
            try:
                page = parse_page(self.get(listed.url, f"the page of post {post.number}").data)
            except Unavailable as error:
                post.notes.append(f"its page could not be read ({error})")
            except Refused as error:
                post.notes.append(f"its page was refused: {error}")
        feed_post = feed_post or listing.FeedPost(listed.url)
        title = clean_field((page.title if page else "") or feed_post.title)
        if not title:
            title = post.slug.replace("-", " ").capitalize()
            post.notes.append(f'it has no title: it is called "{title}" for now; change its Title:')
        post.title = title
        date = (page.date if page else "") or feed_post.date or listing.iso_date(listed.lastmod)
        if not date:
            raise Refused("neither its page nor the feed gives its date")
        author = clean_field((page.author if page else "") or feed_post.author)
        main = self.settings["AUTHOR"]
        if not author or author.split(",")[0].strip().lower() == main.lower():
            author = main
        tags = tag_names((page.tags if page and page.tags else None) or feed_post.tags)
        summary = (page.description if page else "") or BeautifulSoup(
            feed_post.excerpt or "", "lxml"
        ).get_text(" ")

        body_html = page.body if page and page.body is not None else None
        if body_html is None and feed_post.html:
            body_html = feed_post.html
        if body_html is None:
            excerpt = feed_post.excerpt or (page.description if page else "")
            if not excerpt:
                raise Refused("neither its page nor the feed has any of its text")
            body_html = (
                excerpt if "<" in excerpt else f"<p>{BeautifulSoup(excerpt, 'lxml').get_text(' ')}</p>"
            )
            why = post.notes.pop() if post.notes and not page else "its page has no text"
            post.draft = f"{why}, and the feed gives only its beginning"
        root, pictures = prepare(body_html, listed.url, self.site_hosts)
        if not words(root) and not pictures:
            raise Refused("its page and the feed have none of its words")

        cover_address = listed.cover or (page.cover if page else "") or feed_post.cover
        cover = Picture(original_address(urljoin(listed.url, cover_address)), "") if cover_address else None
        folder = self.content / "images" / post.slug
        taken = {p.name.lower(): p for p in folder.iterdir()} if folder.is_dir() else {}
        taken_lower = set(taken)
        for picture in ([cover] if cover else []) + pictures:
            try:
                picture.original = to_uri(picture.original)
            except BadAddress as error:
                self.leave_out(post, picture, str(error))
                continue
            known = post.pictures.get(picture.original)
            if known:
                picture.src = known.src
                continue
            post.pictures[picture.original] = picture
            elsewhere = self.web.allowed.problem(picture.original)
            if elsewhere:
                self.leave_out(post, picture, elsewhere)
            elif self.dry_run:
                picture.src = picture.original
            else:
                self.bring_picture(post, picture, stage, taken_lower)
        for picture in pictures:
            if picture.src and not picture.alt:
                post.undescribed.append(picture.src.rpartition("/")[2] or media_name(picture.original))

        post.markdown = to_markdown(root, pictures)
        fields = [("Title", title), ("Date", date)]
        modified = page.modified if page else ""
        if modified and modified[:16] > date[:16]:
            fields.append(("Modified", modified))
        fields += [("Author", author), ("Tags", ", ".join(tags)), ("Slug", post.slug)]
        if clean_field(summary):
            fields.append(("Summary", summary_field(summary)))
        if cover and cover.src:
            fields.append(("Cover", cover.src))
        if is_japanese(title + " " + words(root)):
            fields.append(("Lang", "ja"))
        if post.draft:
            fields.append(("Status", "draft"))
        if not tags:
            post.notes.append("Wix gives it no category: write a few tags after Tags:")
        post.fields = fields

        name = f"{post.slug}.md"
        if is_windows_reserved(post.slug):
            name = f"{post.slug}-post.md"
            post.notes.append(
                f"its file is called {name}, as Windows cannot hold a file called {post.slug}; "
                f"its address stays /post/{post.slug}/"
            )
        existing = {p.name.lower() for p in (self.content / "posts").glob("*")} | used_lower
        stem, n = name[:-3], 2
        while name.lower() in existing:
            name, n = f"{stem}-{n}.md", n + 1
        post.file = self.content / "posts" / name
        if not self.dry_run:
            staged = stage / "posts" / name
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(self.post_text(post), encoding="utf-8")
            post.staged.append((staged, post.file))

    def bring_picture(self, post, picture, stage, taken_lower):
        """Download a picture into the staging folder and point the post at it; on failure keep
        Wix's address and say what to do."""
        picture.src = picture.original  # until it is here: the post shows it from Wix
        try:
            data, extension = self.full_size(picture)
        except (Unavailable, Refused, Dropped) as error:  # this picture only: the import goes on
            post.missing += 1
            verb = "was refused" if isinstance(error, Refused) else "could not be downloaded"
            post.notes.append(
                f"the picture {shown(picture.original)} {verb}: {error}. The post still shows it "
                f"from Wix. Save the picture into content/images/{post.slug}/ and change its address "
                f"in the post to /images/{readable_path(post.slug)}/<its file name>"
            )
            return
        folder = self.content / "images" / post.slug
        name = file_name(picture.original, extension, set())
        if (folder / name).is_file() and (folder / name).read_bytes() == data:
            taken_lower.add(name.lower())  # already here, from an import cut short while moving
        else:
            name = file_name(picture.original, extension, taken_lower)
            staged = stage / "images" / post.slug / name
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
            post.staged.append((staged, folder / name))
        picture.src = readable_path(f"/images/{post.slug}/{name}")
        post.fetched += 1

    def leave_out(self, post, picture, why):
        """A picture that is not the site's own is not shown from elsewhere: it is left out."""
        post.missing += 1
        post.notes.append(
            f"the picture {shown(picture.original)} was left out: {why}. If it belongs in the post, "
            f"save it into content/images/{post.slug}/ and add it with "
            f"![what it shows](/images/{readable_path(post.slug)}/<its file name>)"
        )

    def full_size(self, picture):
        """The picture's bytes and extension, at full size: a saved folder's copy only if it is as
        large as Wix says the original is (a browser saves the blurred placeholder under its name)."""
        if not self.folder:
            data = self.web.get(picture.original).data
            return data, check_picture(data, self.max_megapixels)[0]
        try:
            data = self.folder.get(picture.original).data
        except Unavailable:
            saved = self.folder.find(media_name(picture.original)) if picture.size else None
            if saved is None:
                raise
            data = saved.read_bytes()
        extension, width, height = check_picture(data, self.max_megapixels)
        if picture.size and (width < picture.size[0] or height < picture.size[1]):
            try:
                data = self.web.get(picture.original).data
            except Dropped as error:
                raise Unavailable(
                    f"the saved folder holds only a {width} × {height} copy, and {error}"
                ) from None
            extension = check_picture(data, self.max_megapixels)[0]
        return data, extension

    def post_text(self, post):
        head = "\n".join(
            f"{name}: {clean_field(value) if name != 'Summary' else value}" for name, value in post.fields
        )
        note = ""
        if post.draft:
            note = (
                f"<!-- Imported from Wix as a draft: {clean_field(post.draft)}. Copy the rest of the post "
                f"from {clean_field(shown(post.url))} then remove this note and the line Status: draft."
                " -->\n\n"
            )
        return f"{head}\n\n{note}{post.markdown}"

    # --- The whole import ----------------------------------------------------------------------

    def run(self, used):
        if self.site:
            listed = self.sitemap_posts()
            self.site_hosts = (
                set().union(*(host_variants((urlsplit(item.url).hostname or "").lower()) for item in listed))
                if listed
                else set()
            )
        feed = self.read_feed()
        self.report.in_feed = len(feed)
        if not self.site:
            listed = [listing.Listed(item.url, cover=item.cover) for item in feed]
            self.site_hosts = (
                set().union(*(host_variants((urlsplit(item.url).hostname or "").lower()) for item in feed))
                if feed
                else set()
            )
            if feed and not any(item.html for item in feed):
                self.say(
                    "This feed has only the beginning of each post (Wix stopped putting whole posts in it in "
                    "2025). Give the site instead to bring every post home in full: "
                    "make import-wix SITE=https://www.herbclinique.com"
                )
        if not listed:
            raise ImportError_("The site lists no posts. Nothing was written.")
        listed = self.one_each(listed)
        self.report.listed = len(listed)
        feed_by_slug = {}
        for item in feed:
            try:
                feed_by_slug.setdefault(slug_from_path(urlsplit(item.url).path), item)
            except UnicodeDecodeError:
                pass
        where = self.site or self.feed_address
        self.say(
            f"Importing from {where}: {len(listed)} posts in its list of posts"
            + (f", {len(feed)} in its feed" if self.site else "")
            + "."
        )
        used_lower = {slug.lower(): file for slug, file in used.items()}
        folder = None if self.dry_run else staging.new_staging(self.content.parent)
        try:
            posts = self.read_all(listed, feed_by_slug, used, used_lower, folder)
            if not self.dry_run:
                self.move(posts)
        finally:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        return self.report

    def read_all(self, listed, feed_by_slug, used, used_lower, stage):
        total, ready = len(listed), []
        for number, item in enumerate(listed, 1):
            prefix = f"[{number}/{total}]"
            try:
                slug = slug_from_path(urlsplit(item.url).path)
            except UnicodeDecodeError:
                slug = None
            if slug is None:
                self.refuse(
                    prefix, f"The address {shown(item.url)} is not a post's address (/post/<name>)", ""
                )
                continue
            problem = slug_problem(slug)
            if problem:
                self.refuse(
                    prefix, f"The post at {shown(item.url)} cannot keep its address: {problem}", SLUG_FIX
                )
                continue
            if slug in used:
                self.report.skipped.append(slug)
                self.say(
                    f"{prefix} /post/{slug}/ is already here ({display(used[slug], self.content)}): skipped."
                )
                continue
            if slug.lower() in used_lower:
                other = used_lower[slug.lower()]
                self.refuse(
                    prefix,
                    f"The post at {shown(item.url)} has an address that differs only by capital "
                    f"letters from that of {display(other, self.content)}; on Windows and macOS the "
                    "two would be the same file",
                    SLUG_FIX,
                )
                continue
            post = Post(number, item.url, slug)
            try:
                self.read_post(post, item, feed_by_slug.get(slug), used, set(used_lower), stage)
            except Refused as error:
                for staged, _ in post.staged:
                    staged.unlink(missing_ok=True)
                self.refuse(
                    prefix,
                    f"The post at {shown(item.url)} cannot be imported: {error}",
                    f"Check that the post shows on {shown(item.url)}, then run the import again.",
                )
                continue
            used[slug] = post.file
            used_lower[slug.lower()] = post.file
            ready.append(post)
            self.report.imported.append(post)
            pictures = f"{post.fetched} picture{'s' if post.fetched != 1 else ''}"
            if self.dry_run:
                pictures = f"{len(post.pictures)} picture{'s' if len(post.pictures) != 1 else ''} to fetch"
            state = "would be written" if self.dry_run else "ready"
            self.say(f"{prefix} {post.title}: {state} ({'draft, ' if post.draft else ''}{pictures})")
            for note in post.notes:
                self.say(f"    - {note}.")
        return ready

    def one_each(self, listed):
        """Each post once, whichever way its address is written (raw, percent-encoded, NFD), and
        at most max_posts of them."""
        unique = {}
        for item in listed:
            try:
                unique.setdefault(same_page(item.url), item)
            except BadAddress:
                unique.setdefault(item.url, item)  # refused with its reason when it is read
        listed = list(unique.values())
        if len(listed) > self.max_posts:
            self.say(
                f"The list of posts names {len(listed)} posts, more than the {self.max_posts} an import "
                f"takes: only the first {self.max_posts} are imported. If the blog really has more, "
                f"run the import again with MAX_POSTS={len(listed)} (make import-wix SITE=… "
                f"MAX_POSTS={len(listed)})."
            )
            listed = listed[: self.max_posts]
        return listed

    def refuse(self, prefix, message, fix):
        self.report.refused.append(f"{message}. {fix}".strip())
        self.say(f"{prefix} {message}. It is not imported. {fix}".rstrip())

    def move(self, posts):
        for post in staging.move_into_place(posts):  # those a file appeared for meanwhile
            self.report.imported.remove(post)
            self.report.skipped.append(post.slug)
            self.say(
                f"{display(post.file, self.content)} or one of its pictures appeared while importing, so "
                f"{post.title} is skipped, to leave that file as it is. Run the import again to bring it."
            )

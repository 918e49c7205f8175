"""Reading from the Wix site, or from a folder saved from it, with limits: only http(s), only the
site's own host and Wix's media hosts (redirects held to the same rule), each download capped in
size and in time. A folder is read the same way, by the address each file had on the site."""

import html
import http.client
import re
import socket
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tools.import_wix.addresses import BadAddress, iri_text, same_page, to_uri
from tools.import_wix.safety import Refused

USER_AGENT = "Mozilla/5.0 (compatible; herbclinique-import-wix/2)"
MEDIA_HOSTS = {"static.wixstatic.com"}  # where Wix keeps a site's pictures
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_SECONDS = 120
CHUNK = 64 * 1024


class Unavailable(Exception):
    """The address answered, but not with the file (404, 410, 403, …): this one thing is missing."""


class Dropped(Exception):
    """The connection failed or was cut: the import stops, nothing is written."""


@dataclass
class Response:
    data: bytes
    url: str  # after redirects
    content_type: str


def origin(url):
    """(scheme, host, port) of an address, the port made explicit."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


def host_variants(host):
    """herbclinique.com and www.herbclinique.com are the same site (Wix redirects one to the other)."""
    bare = host.removeprefix("www.")
    return {bare, f"www.{bare}"}


class Allowed:
    """The addresses a download may come from: the site given (with or without www., http or
    https, on its port) and Wix's media hosts over https."""

    def __init__(self, *addresses):
        self.origins = {("https", host, 443) for host in MEDIA_HOSTS}
        for address in addresses:
            self.add(address)

    def add(self, address):
        """Allow the site at `address` too."""
        if not address or urlsplit(address).scheme not in ("http", "https"):
            return
        scheme, host, port = origin(address)
        for name in host_variants(host):
            if port in (80, 443):
                self.origins |= {("http", name, 80), ("https", name, 443)}
            else:
                self.origins.add((scheme, name, port))

    def problem(self, url):
        """Why a download from `url` (an IRI or a URI) is not allowed, or None."""
        try:
            here = origin(to_uri(url))
        except BadAddress as error:
            return str(error)
        if here not in self.origins:
            _, host, port = here
            shown = host if port in (80, 443) else f"{host}:{port}"
            return f"it is on {shown}, which is neither your Wix site nor Wix's picture server"
        return None


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def __init__(self, allowed):
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        problem = self.allowed.problem(newurl)
        if problem:
            raise Refused(f"it sends the download on to {newurl}, and {problem}")
        return super().redirect_request(req, fp, code, msg, headers, to_uri(newurl))


class _Deadline:
    """The whole of one download (connecting, headers, body, redirects) within its seconds: when
    they are up, its sockets are shut, so a server sending a header line a second cannot hold
    the import past them (a socket's own timeout counts only the wait for each line)."""

    def __init__(self, seconds):
        self.sockets, self.expired, self.lock = [], False, threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def watch(self, sock):
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                self.shut(sock)

    def expire(self):
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                self.shut(sock)

    @staticmethod
    def shut(sock):
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: also under TLS
        except OSError:
            pass


class _Watched(http.client.HTTPConnection):
    """A connection whose socket is handed to its download's deadline as soon as it is made
    (under TLS too: before the handshake)."""

    web: "Web"

    def connect(self):
        super().connect()
        self.web.deadline.watch(self.sock)


class _WatchedHTTPS(http.client.HTTPSConnection, _Watched):
    """HTTPSConnection.connect calls _Watched.connect for the plain socket, then wraps it."""


def _connections(connection_class, web):
    def connection(*args, **kwargs):
        made = connection_class(*args, **kwargs)
        made.web = web
        return made

    return connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, web):
        super().__init__()
        self.connection = _connections(_Watched, web)

    def http_open(self, req):
        return self.do_open(self.connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, web):
        super().__init__()
        self.connection = _connections(_WatchedHTTPS, web)

    def https_open(self, req):
        return self.do_open(self.connection, req)  # http.client's default context: certificates checked


class Web:
    """Downloads from the site and Wix's media hosts."""

    def __init__(self, allowed, max_bytes=DEFAULT_MAX_BYTES, max_seconds=DEFAULT_MAX_SECONDS):
        self.allowed, self.max_bytes, self.max_seconds = allowed, max_bytes, max_seconds
        self.deadline = _Deadline(max_seconds)
        self.opener = urllib.request.build_opener(
            _CheckedRedirects(allowed), _HTTPHandler(self), _HTTPSHandler(self)
        )

    def get(self, url):
        """The file at `url` (an IRI or a URI: it is sent as a URI)."""
        problem = self.allowed.problem(url)
        if problem:
            raise Refused(problem)
        self.deadline = _Deadline(self.max_seconds)
        self.deadline.timer.start()
        try:
            return self._get(to_uri(url))
        finally:
            self.deadline.timer.cancel()

    def _get(self, url):
        too_long = f"it was still coming after {self.max_seconds:g} seconds"
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with self.opener.open(request, timeout=min(30, self.max_seconds)) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise Refused(
                        f"it is {int(length) / 2**20:.0f} MB, more than the {self.max_bytes / 2**20:.0f} MB "
                        "an import takes"
                    )
                data = bytearray()
                while chunk := response.read1(CHUNK):
                    data += chunk
                    if len(data) > self.max_bytes:
                        raise Refused(
                            f"it goes on past {self.max_bytes / 2**20:.0f} MB, more than an import takes"
                        )
                if self.deadline.expired:  # the socket was shut midway: what came is not all of it
                    raise Refused(too_long)
                return Response(bytes(data), response.geturl(), response.headers.get_content_type())
        except urllib.error.HTTPError as error:
            raise Unavailable(f"the site answered {error.code} {error.reason}") from None
        except Refused:
            raise
        except http.client.InvalidURL as error:
            raise Refused(f"the address is malformed ({error})") from None
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as error:
            if self.deadline.expired or isinstance(error, TimeoutError):
                raise Refused(too_long) from None
            if isinstance(error, urllib.error.URLError):
                if isinstance(error.reason, Refused):
                    raise error.reason from None
                if isinstance(error.reason, TimeoutError):
                    raise Refused(too_long) from None
                reason = getattr(error.reason, "strerror", None) or error.reason
                raise Dropped(f"could not connect to {urlsplit(url).netloc} ({reason})") from None
            raise Dropped(f"the connection to {urlsplit(url).netloc} was cut ({error})") from None


class Folder:
    """A folder saved from the site: by a mirror tool (www.site.com/post/x.html,
    static.wixstatic.com/media/<name>) or a browser's "save page" (<title>.html, found by the
    address written in it). Pictures it lacks come from `web`, when given."""

    def __init__(self, root, web=None, max_bytes=DEFAULT_MAX_BYTES):
        self.root, self.web, self.max_bytes = Path(root).resolve(), web, max_bytes
        self._by_address = None
        self._by_name = None
        self._by_path = None

    def find(self, name):
        """The file called `name` nearest the folder's top (sitemap.xml, blog-feed.xml), or None."""
        if self._by_name is None:
            self._by_name = {}
            for path in sorted(self.root.rglob("*"), key=lambda p: (len(p.parts), str(p))):
                if path.is_file():
                    self._by_name.setdefault(path.name, path)
        return self._by_name.get(name)

    def files_by_path(self):
        """{path: file} of every file in the folder, its path percent-decoded in NFC: a mirror tool
        names a file /post/肩こり.html, /post/%E8%82%A9….html, or in NFD (macOS), all one here."""
        if self._by_path is None:
            self._by_path = {}
            for path in sorted(self.root.rglob("*")):
                if path.is_file():
                    self._by_path.setdefault(iri_text(path.relative_to(self.root).as_posix()), path)
        return self._by_path

    def file_of(self, url):
        """The saved file for an address, or None; never a file outside the folder."""
        try:
            parts = urlsplit(to_uri(url))
        except BadAddress:
            return None
        path = iri_text(parts.path).strip("/")
        files = self.files_by_path()
        for base in dict.fromkeys((parts.netloc, parts.hostname or "", "")):
            name = f"{base}/{path}".strip("/")
            for candidate in (name, f"{name}.html", f"{name}/index.html"):
                file = files.get(candidate)
                if file is not None and file.resolve().is_relative_to(self.root):
                    return file.resolve()
        return self.pages_by_address().get(same_page(url))

    def pages_by_address(self):
        """{address: file} of the saved pages, from the canonical address written in each."""
        if self._by_address is None:
            self._by_address = {}
            for file in sorted(self.root.rglob("*.htm*")):
                if not file.is_file() or file.stat().st_size > self.max_bytes:
                    continue
                head = file.read_bytes()[:400_000].decode("utf-8", "replace")
                match = re.search(r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', head) or re.search(
                    r'<meta[^>]+property="og:url"[^>]+content="([^"]+)"', head
                )
                if match:
                    try:
                        self._by_address.setdefault(same_page(html.unescape(match.group(1))), file)
                    except BadAddress:
                        continue
        return self._by_address

    def get(self, url):
        file = self.file_of(url)
        if file is None:
            if self.web and urlsplit(url).hostname in MEDIA_HOSTS:
                try:
                    return self.web.get(url)
                except Dropped as error:
                    raise Unavailable(f"it is not in the saved folder, and {error}") from None
            raise Unavailable("it is not in the saved folder")
        if file.stat().st_size > self.max_bytes:
            raise Refused(f"it is more than the {self.max_bytes / 2**20:.0f} MB an import takes")
        return Response(file.read_bytes(), url, "")

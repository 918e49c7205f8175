"""The comment server as production runs it: a real Isso with isso/production.cfg (this folder) behind a real
nginx with plugins/security_headers/nginx/herbclinique.conf and isso/nginx-comments.conf, over TLS with a
throwaway certificate, all on 127.0.0.1. Only the addresses, file paths and secrets the
configuration leaves to the server are filled in here."""

import base64
import configparser
import http.client
import json
import re
import ssl
import subprocess
import urllib.parse

import pytest

from plugins.comments.isso_server import running_isso
from tests.built_site import PROJECT
from tools.nginx_server import running_nginx
from tools.server_process import free_port

pytestmark = pytest.mark.linux_services  # nginx, and Isso built with a C compiler

SITE = "https://www.herbclinique.com"
ADMIN_USER, ADMIN_PASSWORD, ISSO_PASSWORD = "yoko", "a-long-nginx-password", "a-long-isso-password"
ISSO = PROJECT / "plugins" / "comments" / "isso"  # the comment server's files
CHECK = ISSO / "check-filled-in.sh"


def openssl(*args):
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """(certificate, key) for www.herbclinique.com and 127.0.0.1, valid for a day."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", str(key), "-out", str(cert),
            "-subj", "/CN=www.herbclinique.com", "-addext", "subjectAltName=DNS:www.herbclinique.com,IP:127.0.0.1")
    return cert, key


@pytest.fixture(scope="module")
def isso(tmp_path_factory):
    """Isso with the production configuration; only what the guide fills in is filled in."""
    folder = tmp_path_factory.mktemp("isso-production")
    with running_isso(folder / "comments.db", SITE, config=ISSO / "production.cfg",
                      general={"notify": "stdout", "log-file": str(folder / "isso.log")},
                      hash={"salt": "0123456789abcdef"}, admin={"password": ISSO_PASSWORD},
                      guard={"ratelimit": 100}) as server:  # this test's many comments come from one address
        yield server


def production_config(site_root, isso_port, http_port, tls_port, cert, key, folder):
    """plugins/security_headers/nginx/herbclinique.conf and its comments snippet, with this machine's ports and paths."""
    snippet = (ISSO / "nginx-comments.conf").read_text(encoding="utf-8")
    snippet = snippet.replace("127.0.0.1:8080", f"127.0.0.1:{isso_port}").replace(
        "/etc/nginx/herbclinique-comments.htpasswd", str(folder / "htpasswd"))
    (folder / "comments.conf").write_text(snippet, encoding="utf-8")
    hashed = openssl("passwd", "-apr1", ADMIN_PASSWORD).strip()
    (folder / "htpasswd").write_text(f"{ADMIN_USER}:{hashed}\n", encoding="utf-8")
    config = (PROJECT / "plugins" / "security_headers" / "nginx" / "herbclinique.conf").read_text(encoding="utf-8")
    for production, here in [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"), ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"), ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/www.herbclinique.com/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/www.herbclinique.com/privkey.pem", str(key)),
        ("/var/www/herbclinique", str(site_root)),
        ("/etc/nginx/snippets/herbclinique-comments.conf", str(folder / "comments.conf")),
    ]:
        assert production in config, f"plugins/security_headers/nginx/herbclinique.conf no longer has {production!r}"
        config = config.replace(production, here)
    return config


class Client:
    """Requests to the production server block over TLS, as www.herbclinique.com."""

    def __init__(self, port, cert):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cert))
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, auth=None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=10)
        headers = {"Host": "www.herbclinique.com", **(headers or {})}
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        response.tls_version = connection.sock.version()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name.strip()] = value
        connection.close()
        return response

    def comment(self, thread, text, email=""):
        body = json.dumps({"text": text, "author": "Mariko", "email": email, "title": "x"})
        return self.request("POST", f"/comments/new?uri={urllib.parse.quote(thread)}", body,
                            {"Content-Type": "application/json", "Origin": SITE})

    def log_in(self):
        return self.request("POST", "/comments/login/", urllib.parse.urlencode({"password": ISSO_PASSWORD}),
                            {"Content-Type": "application/x-www-form-urlencoded"}, auth=(ADMIN_USER, ADMIN_PASSWORD))


@pytest.fixture
def server(publish_site, isso, certificate, tmp_path):
    """A fresh nginx (fresh request-rate counters) in front of the module's Isso: a Client."""
    http_port, tls_port = free_port(), free_port()
    config = production_config(publish_site.output, isso.port, http_port, tls_port, *certificate, tmp_path)
    with running_nginx(publish_site.output, tls_port, servers=config):
        client = Client(tls_port, certificate[0])
        client.http_port = http_port
        yield client


def test_isso_will_not_start_while_a_change_me_is_left(tmp_path):
    unit = (ISSO / "isso.service").read_text(encoding="utf-8")
    assert "ExecStartPre=/opt/isso/check-filled-in.sh /etc/isso/herbclinique.cfg" in unit
    assert unit.index("ExecStartPre=") < unit.index("ExecStart=")
    refused = subprocess.run(["sh", str(CHECK), str(ISSO / "production.cfg")],
                             check=False, capture_output=True, text=True)
    assert refused.returncode == 1
    lines = [n for n, line in enumerate((ISSO / "production.cfg").read_text().splitlines(), 1)
             if "CHANGE-ME" in line and not line.lstrip().startswith("#")]
    assert f"still has CHANGE-ME on line(s) {' '.join(map(str, lines))}: fill them in" in refused.stderr
    filled = tmp_path / "herbclinique.cfg"
    filled.write_text((ISSO / "production.cfg").read_text().replace("CHANGE-ME", "filled-in"))
    assert subprocess.run(["sh", str(CHECK), str(filled)], check=False, capture_output=True).returncode == 0


def test_a_previously_approved_email_does_not_skip_moderation(server):
    settings = configparser.ConfigParser()
    settings.read(ISSO / "production.cfg")
    assert settings.getboolean("moderation", "approve-if-email-previously-approved") is False
    thread, email = "/post/approved-once/", "regular@example.org"
    first = server.comment(thread, "My first comment, approved by the clinic.", email)
    assert first.status == 202, first.text  # 202: held for moderation
    assert server.log_in().status in (200, 302)
    pending = server.request("GET", "/comments/admin/?mode=2", auth=(ADMIN_USER, ADMIN_PASSWORD))
    comment_id, key = re.search(r"validate_com\((\d+), '([^']+)'", pending.text).groups()
    assert server.request("POST", f"/comments/id/{comment_id}/activate/{key}").status == 200
    second = server.comment(thread, "Anyone who knows my e-mail could write this.", email)
    assert second.status == 202, "held again: an e-mail address proves nothing"
    shown = json.loads(server.request("GET", f"/comments/?uri={urllib.parse.quote(thread)}").text)
    assert [reply["text"] for reply in shown["replies"]] == ["<p>My first comment, approved by the clinic.</p>"]


def test_the_admin_pages_need_nginx_password_and_refuse_a_flood_of_guesses(server):
    assert server.request("GET", "/comments/admin/").status == 401
    assert server.request("POST", "/comments/login/", "password=x").status == 401
    statuses = [server.request("POST", "/comments/login/", "password=CHANGE-ME", auth=(ADMIN_USER, f"guess-{n}")).status
                for n in range(10)]
    assert statuses[0] == 401 and 429 in statuses, statuses
    assert statuses.index(429) <= 7, "the sixth or seventh quick try is refused outright"


def test_the_admin_page_answers_with_a_policy_and_never_in_a_frame(tmp_path, server):
    page = server.request("GET", "/comments/admin/", auth=(ADMIN_USER, ADMIN_PASSWORD))
    assert page.status == 200 and "password" in page.text.lower()  # Isso's own log-in comes next
    csp = page.getheader("Content-Security-Policy")
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    assert page.getheader("Cache-Control") == "no-store"


def test_isso_cookies_are_httponly_secure_strict_and_only_for_isso(server):
    posted = server.comment("/post/cookies/", "A comment that gets an edit cookie.")
    cookies = posted.headers.get_all("Set-Cookie")
    assert posted.status == 202 and cookies
    for cookie in cookies:
        attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
        assert {"httponly", "secure"} <= attributes.keys(), cookie
        assert attributes["samesite"].lower() == "samesite=strict", cookie
        assert attributes["path"] == "Path=/comments/", cookie
    logged_in = server.log_in()
    session = [c for c in logged_in.headers.get_all("Set-Cookie") or [] if c.startswith("admin-session=")]
    assert session and all(flag in session[0] for flag in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/comments/"))


def test_every_answer_from_the_comment_server_carries_the_security_headers(server):
    for path in ["/comments/config", "/comments/?uri=/post/none/", "/comments/js/embed.min.js", "/comments/nothing"]:
        response = server.request("GET", path)
        csp = response.getheader("Content-Security-Policy") or ""
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp, path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path
        assert response.getheader("Strict-Transport-Security"), path


@pytest.mark.parametrize("path", ["/comments/demo/", "/comments/demo", "/comments/info", "/comments/info/"])
def test_isso_demo_and_version_are_not_served(server, path):
    response = server.request("GET", path)
    assert response.status == 404
    assert "isso" not in response.text.lower() and "version" not in response.text.lower()


def test_nginx_names_no_version_speaks_tls_1_2_or_1_3_and_sends_http_to_https(server):
    response = server.request("GET", "/")
    assert response.status == 200 and response.getheader("Server") == "nginx"
    assert response.tls_version in ("TLSv1.2", "TLSv1.3")
    missing = server.request("GET", "/no-such-page/")
    assert missing.status == 404 and "nginx/" not in missing.text
    plain = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=10)
    plain.request("GET", "/post/x/", headers={"Host": "herbclinique.com"})
    redirect = plain.getresponse()
    assert (redirect.status, redirect.getheader("Location")) == (301, "https://www.herbclinique.com/post/x/")
    assert redirect.getheader("Server") == "nginx"


def test_posting_comments_fast_from_one_address_is_refused_by_nginx(server):
    statuses = [server.comment("/post/flood/", f"Comment number {n}").status for n in range(8)]
    assert statuses[0] == 202 and 429 in statuses, statuses
    assert server.request("GET", "/comments/?uri=/post/flood/").status in (200, 404), "reading is never limited"


def test_the_comment_server_promises_https_as_the_site_does(server, publish_site):
    site = server.request("GET", "/").getheader("Strict-Transport-Security")
    comments = server.request("GET", "/comments/config").getheader("Strict-Transport-Security")
    assert site == comments and "includeSubDomains" in site


def test_security_txt_is_served(server):
    response = server.request("GET", "/.well-known/security.txt")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/plain")
    assert "Contact: https://www.herbclinique.com/about/" in response.text and "Expires: " in response.text

"""Serve a built site with a real nginx on 127.0.0.1, with the site's own nginx config.

The server block is what plugins/security_headers/nginx/herbclinique.conf has, less TLS: `root` the built folder
and `include` the _nginx/site.conf that the build wrote (plugins/security_headers), so the headers,
cache lifetimes and pre-compressed files are exactly production's. nginx runs unprivileged from
its own folder (configuration, pid, logs, temporary files). For the tests and `make audit`.
"""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tools.server_process import ServerExited, free_port, stop, wait_until_answering, wait_until_listening

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
CONFIG = """\
{load_brotli}
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{servers}
}}
"""
SITE_SERVER = """
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        include {root}/_nginx/site.conf;
    }}
"""


class NginxMissing(RuntimeError):
    pass


class NginxFailed(RuntimeError):
    pass


def executable():
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not path:
        raise NginxMissing("nginx is not installed: `apt-get install nginx libnginx-mod-http-brotli-static`.")
    if not BROTLI_MODULE.is_file():
        raise NginxMissing("nginx's Brotli module is not installed: `apt-get install libnginx-mod-http-brotli-static`.")
    return path


class NginxServer:
    """start() / stop() nginx serving `root` (a built site with _nginx/site.conf) on `port`;
    `servers`: other http-level configuration instead (the production server block), answering
    on `port` however it answers (TLS, redirects)."""

    def __init__(self, root, port=0, servers=None):
        self.root = Path(root).resolve()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.servers = servers
        self.prefix = Path(tempfile.mkdtemp(prefix="nginx-"))
        self.process = None

    def config(self):
        servers = self.servers if self.servers is not None else SITE_SERVER.format(port=self.port, root=self.root)
        return CONFIG.format(
            load_brotli=f"load_module {BROTLI_MODULE};",
            # As root, the workers would run as "nobody" and could not read a private temp folder.
            user="user root;" if os.geteuid() == 0 else "",
            prefix=self.prefix, servers=servers,
        )

    def start(self, timeout=10):
        if not (self.root / "_nginx" / "site.conf").is_file():
            raise NginxFailed(f"{self.root} has no _nginx/site.conf: build it with the security_headers plugin.")
        config = self.prefix / "nginx.conf"
        config.write_text(self.config(), encoding="utf-8")
        command = [executable(), "-p", str(self.prefix), "-c", str(config), "-e", str(self.prefix / "error.log"),
                   "-g", "daemon off;"]
        check = subprocess.run([*command, "-t"], check=False, capture_output=True, text=True)
        if check.returncode != 0:
            raise NginxFailed(f"nginx refused the configuration:\n{check.stderr}")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if self.servers is None and wait_until_answering(self.process, f"{self.url}/", timeout):
                return self
            if self.servers is not None and wait_until_listening(self.process, self.port, timeout):
                return self
        except ServerExited:
            raise NginxFailed("nginx stopped at once:\n" + self.error_log()) from None
        self.stop()
        raise NginxFailed(f"nginx did not answer at {self.url} within {timeout} s:\n{self.error_log()}")

    def error_log(self):
        log = self.prefix / "error.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""

    def stop(self):
        stop(self.process)
        self.process = None
        shutil.rmtree(self.prefix, ignore_errors=True)


@contextmanager
def running_nginx(root, port=0, servers=None):
    server = NginxServer(root, port, servers).start()
    try:
        yield server
    finally:
        server.stop()

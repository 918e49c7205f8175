"""A local Isso comment server on 127.0.0.1, for `make devserver` and the tests.

Isso (the pip package, in .venv) runs with isso/dev.cfg (in this folder), completed with the database file, the
address to listen on and the site's origin (Isso accepts comments only from the origins in its
`host` setting). The database outlives the server: restarting keeps every comment.
"""

import configparser
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tools.server_process import ServerExited, free_port, stop, wait_until_answering

DEV_CONFIG = Path(__file__).resolve().parent / "isso" / "dev.cfg"


class IssoFailed(RuntimeError):
    pass


def site_origins(origin):
    """The origin itself, and the same with localhost for 127.0.0.1 (a writer may type either)."""
    origins = [origin]
    if "://127.0.0.1:" in origin:
        origins.append(origin.replace("://127.0.0.1:", "://localhost:"))
    return origins


class IssoServer:
    """start() / stop() a real Isso; `url` is its address, `database` its SQLite file."""

    def __init__(self, database, site_origin, port=8080, host="127.0.0.1", config=DEV_CONFIG, **sections):
        self.database = Path(database)
        self.site_origin = site_origin
        self.host, self.port = host, (port or free_port(host))
        self.url = f"http://{host}:{self.port}"
        self.template = Path(config)
        self.overrides = sections  # e.g. moderation={"enabled": "true"}
        self.config_file = self.database.with_suffix(".cfg")
        self.log_file = self.database.with_suffix(".log")
        self.process = None

    def write_config(self):
        config = configparser.ConfigParser()
        config.read(self.template, encoding="utf-8")
        config["general"]["dbpath"] = str(self.database)
        config["general"]["host"] = "\n".join(site_origins(self.site_origin))
        if not config.has_section("server"):
            config.add_section("server")
        config["server"]["listen"] = self.url
        for section, values in self.overrides.items():
            if not config.has_section(section):
                config.add_section(section)
            config[section].update({key: str(value) for key, value in values.items()})
        self.database.parent.mkdir(parents=True, exist_ok=True)
        with self.config_file.open("w", encoding="utf-8") as file:
            config.write(file)

    def start(self, timeout=20):
        self.write_config()
        isso = Path(sys.executable).with_name("isso")
        log = self.log_file.open("a", encoding="utf-8")
        try:
            self.process = subprocess.Popen([str(isso), "-c", str(self.config_file), "run"],
                                            stdout=log, stderr=subprocess.STDOUT)
        except OSError as error:
            raise IssoFailed(f"The comment server could not start ({error}). Reinstall: rm -rf .venv && "
                             "make devserver") from None
        finally:
            log.close()
        try:
            if wait_until_answering(self.process, f"{self.url}/config", timeout):
                return self
        except ServerExited:
            raise IssoFailed(f"The comment server stopped at once; its log ({self.log_file}) says:\n"
                             + self.log_file.read_text(encoding="utf-8")[-2000:]) from None
        self.stop()
        raise IssoFailed(f"The comment server did not answer at {self.url} within {timeout} s.")

    def stop(self):
        stop(self.process)
        self.process = None


@contextmanager
def running_isso(database, site_origin, port=0, **sections):
    server = IssoServer(database, site_origin, port=port, **sections).start()
    try:
        yield server
    finally:
        server.stop()

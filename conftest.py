"""Fixtures shared by the site-level tests.

The test site (tests/site_content/) is built once per test run with each settings file, through
the Makefile's own targets (`make html`, `make publish`) into a temporary folder; pages are
parsed with a real HTML parser. Browser tests share one headless Chromium (Debian's) and one
server per site. The writer's own files are never read by a test, and a run that changed them
fails (pytest_sessionfinish below).
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest

from tests.built_site import SEED, BuiltSite, build
from tests.page_checks import missing_system_tool, writers_files
from tools import chromium, nginx_server
from plugins.comments.isso_server import IssoServer, running_isso
from tools.server_process import free_port
from tools.site_server import serving


# The fixtures that start what only the Linux suite installs: their tests are linux_services.
SERVICE_FIXTURES = {"browser", "served_site", "every_build"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.linux_services)


def in_worker(config):
    """True in one of the test processes `make test` starts (pytest-xdist), not the one that reports."""
    return hasattr(config, "workerinput")


def pytest_sessionstart(session):
    if not in_worker(session.config):
        session.config.writers_files_before = writers_files()


def pytest_sessionfinish(session):
    config = session.config
    if in_worker(config):  # the measurements go to the reporting process
        config.workeroutput["measured"] = json.dumps(REPORT)
        return
    before, after = config.writers_files_before, writers_files()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        config.writers_files_changed = changed
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    REPORT.extend(json.loads(node.workeroutput.get("measured", "[]")))


class FileProgress:
    """With several test processes, a line per test file as it finishes: its counts, and the run's."""

    def __init__(self, reporter):
        self.reporter = reporter
        self.total, self.done, self.outcomes = Counter(), Counter(), defaultdict(Counter)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        if not self.total:
            self.total = Counter(nodeid.split("::")[0] for nodeid in ids)

    def pytest_runtest_logreport(self, report):
        file = report.nodeid.split("::")[0]
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes[file][report.outcome] += 1
        if report.when == "teardown":
            self.done[file] += 1
            if self.done[file] == self.total[file]:
                counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes[file].items()))
                finished, everything = sum(self.done.values()), sum(self.total.values())
                # On a line of its own between the runs of dots.
                self.reporter.write(f"\n{file}: {counts}  [{finished}/{everything}]\n")


@pytest.hookimpl(trylast=True)  # after the terminal reporter is in place
def pytest_configure(config):
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if not in_worker(config) and reporter and getattr(config.option, "numprocesses", None):
        config.pluginmanager.register(FileProgress(reporter), "file-progress")


def pytest_terminal_summary(terminalreporter, config):
    changed = getattr(config, "writers_files_changed", [])
    if changed:
        terminalreporter.section("The writer's files changed", red=True)
        terminalreporter.write_line(f"The run changed {len(changed)} of the writer's files (a test must use its own "
                                    f"folder): {', '.join(changed[:10])}")
    if REPORT:
        terminalreporter.section("Measured")
        for line in REPORT:
            terminalreporter.write_line(line)


# --- The test site, built once per run --------------------------------------------------------

def announced(request, what):
    """Say on the terminal that a slow shared step starts (it runs inside the first test needing it)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write(f"[{what}] ")


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory, request):
    """The site as `make html` builds it: links relative to the site root."""
    announced(request, "building the test site with make html")
    return build("html", tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory, request):
    """The site as `make publish` builds it: absolute links to SITEURL, feeds."""
    announced(request, "building the test site with make publish")
    return build("publish", tmp_path_factory.mktemp("publish") / "output")


@pytest.fixture(scope="session", params=["dev_site", "publish_site"], ids=["dev", "publish"])
def site(request):
    """Each build in turn: what holds for the site holds for both."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def seed():
    """The Wix page's title and body text, as shared/seed has them."""
    if not SEED.is_file():
        # The Wix page lives beside the repository (../shared/seed/), not in it.
        pytest.skip(f"the seed comparison needs the Wix page {SEED}, which is not beside this clone")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().endswith("min read")) + 1
    end = next(i for i, line in enumerate(lines) if line.strip() == "Comments")
    return {"title": lines[3].strip(), "body": " ".join(line.strip() for line in lines[start:end]).strip()}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's package, driven by Playwright)."""
    try:
        chromium.executable()
    except chromium.ChromiumMissing as error:
        missing_system_tool(error, "browser tests need Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def dev_server(dev_site):
    """The dev build served on 127.0.0.1 as a static host serves it."""
    with serving(dev_site.output) as url:
        yield url


@dataclass
class ServedSite:
    """The publish build served as in production: `url` (nginx), `site` (the files), `isso`."""

    url: str
    site: BuiltSite
    isso: IssoServer


@pytest.fixture(scope="session")
def served_site(tmp_path_factory, request):
    """`make publish` served by a real nginx with the site's own config (_nginx/site.conf), its
    comments by a real Isso; SITEURL and COMMENTS_URL are their addresses on 127.0.0.1."""
    try:
        nginx_server.executable()
    except nginx_server.NginxMissing as error:
        missing_system_tool(error, "the served-site tests need nginx")
    announced(request, "building the test site with make publish, served by nginx with Isso")
    folder = tmp_path_factory.mktemp("served")
    site_url, comments_url = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    site = build("publish", folder / "output", env={"SITEURL": site_url, "COMMENTS_URL": comments_url})
    port = int(comments_url.rpartition(":")[2])
    with running_isso(folder / "isso" / "comments.db", site_url, port=port) as isso:
        with nginx_server.running_nginx(site.output, int(site_url.rpartition(":")[2])) as nginx:
            assert nginx.url == site_url
            yield ServedSite(site_url, site, isso)


BUILDS = {"dev_site": "dev", "publish_site": "publish", "served_site": "publish-with-comments"}


@pytest.fixture(scope="session", params=list(BUILDS), ids=list(BUILDS.values()))
def every_build(request):
    """(name, BuiltSite) of each build in turn, the publish build with comments on included."""
    built = request.getfixturevalue(request.param)
    return BUILDS[request.param], getattr(built, "site", built)


# --- Measurements printed at the end of the run (budgets: sizes, counts) --------------------

REPORT = []


@pytest.fixture(scope="session")
def report():
    """report(line): printed under "Measured" after the test summary."""
    return REPORT.append


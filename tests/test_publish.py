"""Publishing: `make rsync_upload` and `make github` upload only a build that succeeded, and
refuse a site that looks broken. Real rsync into a local folder, real git into a bare repository."""

import os
import re
import shutil
import subprocess
import sys
import threading
import time

import pytest
import yaml

from tests.built_site import PROJECT, checksums, copy_project, make_test_site
from tools.upload import UploadRefused, check_built_site, cname_for, upload_rsync

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.test",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.test"}


def upload(project, target, *args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "tools.upload", target, "--project", str(project), *args],
        cwd=PROJECT, capture_output=True, text=True, env={**os.environ, **GIT_IDENTITY, **(env or {})},
    )


def make_upload(tmp_path, destination, **variables):
    words = [f"{name}={value}" for name, value in variables.items()]
    return make_test_site("rsync_upload", tmp_path, f"RSYNC_DEST={destination}", *words)


@pytest.mark.linux_services
def test_rsync_upload_mirrors_the_site_exactly_and_a_second_run_sends_nothing(tmp_path):
    destination = tmp_path / "host"
    first = make_upload(tmp_path, destination)
    assert first.returncode == 0, first.stderr
    assert "Uploaded" in first.stdout
    assert checksums(destination) == checksums(tmp_path / "output")
    second = make_upload(tmp_path, destination)
    assert second.returncode == 0, second.stderr
    assert f"Nothing to upload: {destination} already has this site." in second.stdout


@pytest.mark.linux_services
def test_rsync_upload_deletes_what_the_site_no_longer_has_and_dry_run_only_shows_it(tmp_path):
    destination = tmp_path / "host"
    assert make_upload(tmp_path, destination).returncode == 0
    (destination / "post/old-post").mkdir(parents=True)
    (destination / "post/old-post/index.html").write_text("gone")
    dry = make_upload(tmp_path, destination, DRY_RUN=1)
    assert dry.returncode == 0, dry.stderr
    assert "would delete  post/old-post/index.html" in dry.stdout
    assert "Nothing was changed." in dry.stdout
    assert (destination / "post/old-post/index.html").exists()
    assert make_upload(tmp_path, destination).returncode == 0
    assert checksums(destination) == checksums(tmp_path / "output")


@pytest.mark.linux_services
def test_a_failing_build_uploads_nothing(tmp_path):
    project = copy_project(tmp_path / "project")
    destination = tmp_path / "host"
    assert upload(project, "rsync", env={"RSYNC_DEST": str(destination)}).returncode == 0
    before = checksums(destination)
    (project / "content/posts/broken.md").write_text("Title: Broken\nDate: 2024-02-30\n\nText.\n")
    result = upload(project, "rsync", env={"RSYNC_DEST": str(destination)})
    assert result.returncode != 0
    assert "The build failed, so nothing was uploaded." in result.stderr
    assert checksums(destination) == before


def test_an_empty_or_tiny_site_is_refused(tmp_path):
    with pytest.raises(UploadRefused, match="no home page"):
        check_built_site(tmp_path)
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with pytest.raises(UploadRefused, match="only 1 pages"):
        check_built_site(tmp_path)


@pytest.mark.linux_services
def test_an_upload_that_would_delete_most_of_the_host_is_refused(tmp_path, dev_site):
    host = tmp_path / "the-site-uploaded-before"  # marked as the site, but most of it would go
    host.mkdir()
    (host / ".herbclinique-site").write_text("uploaded before")
    for n in range(60):
        (host / f"page-{n}").mkdir(parents=True)
        (host / f"page-{n}/index.html").write_text(str(n))
    with pytest.raises(UploadRefused, match=r"would delete 60 of the 61 files .* FORCE=1"):
        upload_rsync(dev_site.output, str(host))
    assert len(list(host.rglob("*.html"))) == 60


@pytest.mark.linux_services
def test_rsync_upload_without_a_destination_says_how_to_set_one(tmp_path):
    result = make_test_site("rsync_upload", tmp_path, "RSYNC_DEST=")
    assert result.returncode != 0
    assert "set RSYNC_DEST" in result.stderr


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_IDENTITY}).stdout


@pytest.mark.parametrize(("siteurl", "cname"), [("https://www.herbclinique.com", "www.herbclinique.com"),
                                                ("https://yoko.github.io/blog", None)])
def test_make_github_puts_the_site_on_a_gh_pages_branch(tmp_path, siteurl, cname):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote))
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    git("remote", "add", "origin", str(remote), cwd=project)
    result = upload(project, "github", env={"SITEURL": siteurl})
    assert result.returncode == 0, result.stderr
    files = set(git("--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert {".nojekyll", "index.html", "404.html", "post/neuroscience-v-s-massage-therapy/index.html"} <= files
    assert files - {".nojekyll", "CNAME"} == set(checksums(project / "output"))
    if cname:
        assert git("--git-dir", str(remote), "show", "gh-pages:CNAME").strip() == cname
    else:
        assert "CNAME" not in files
    assert cname_for(siteurl) == cname


def test_the_github_workflow_tests_then_builds_then_deploys():
    workflow = yaml.safe_load((PROJECT / ".github/workflows/publish.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML reads the key `on` as True
    build_steps = [step.get("run", step.get("uses", "")) for step in workflow["jobs"]["test-and-build"]["steps"]]
    runs = [step for step in build_steps if step.startswith("make ")]
    assert runs == ["make test", "make publish"]
    assert any(step.startswith("actions/upload-pages-artifact") for step in build_steps)
    assert workflow["jobs"]["deploy"]["needs"] == "test-and-build"


@pytest.mark.linux_services
def test_rsync_upload_refuses_a_folder_that_is_not_the_site_and_names_what_it_holds(tmp_path):
    home = tmp_path / "home"  # RSYNC_DEST pointing at a home folder by mistake
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/authorized_keys").write_text("ssh-ed25519 AAAA yoko@laptop\n")
    (home / ".bashrc").write_text("export PATH\n")
    (home / "tax-2025.pdf").write_text("%PDF")
    before = checksums(home)
    refused = make_upload(tmp_path, home)
    assert refused.returncode != 0
    assert f"{home} already holds files that are not this site (.bashrc, .ssh, tax-2025.pdf)" in refused.stderr
    assert "FORCE=1" in refused.stderr
    assert checksums(home) == before
    forced = make_upload(tmp_path, home, FORCE=1)
    assert forced.returncode == 0, forced.stderr
    assert not (home / ".bashrc").exists() and (home / ".herbclinique-site").is_file()


def test_the_first_upload_marks_the_destination_and_the_next_is_let_through(tmp_path):
    destination = tmp_path / "empty"
    destination.mkdir()
    assert make_upload(tmp_path, destination).returncode == 0
    assert "HERB CLINIQUE" in (destination / ".herbclinique-site").read_text()
    (destination / "post/gone").mkdir(parents=True)
    (destination / "post/gone/index.html").write_text("an old page")
    again = make_upload(tmp_path, destination)
    assert again.returncode == 0, again.stderr
    assert not (destination / "post/gone").exists()


@pytest.mark.linux_services
def test_a_destination_that_reads_as_an_option_is_refused(tmp_path):
    witness = tmp_path / "ran"
    result = make_upload(tmp_path, f"-e touch {witness}")
    assert result.returncode != 0
    assert 'begins with "-", so rsync would read it as an option' in result.stderr
    assert "Nothing to upload" not in result.stdout and not witness.exists()


@pytest.mark.linux_services
def test_an_upload_cut_midway_leaves_no_page_pointing_at_a_missing_file(tmp_path, publish_site):
    from tools.upload import rsync

    host = tmp_path / "host"
    rsync(publish_site.output, str(host))
    started = time.time()
    new = tmp_path / "new-site"  # the next version: every page refers to a renamed script
    shutil.copytree(publish_site.output, new)
    for page in new.rglob("*.html"):
        text = re.sub(r"/theme/share\.[0-9a-f]{10}\.js", "/theme/share.0123456789.js", page.read_text(encoding="utf-8"))
        page.write_text(text.replace("</head>", '<script src="/theme/share.0123456789.js" defer></script></head>'))
    old_script = next(new.glob("theme/share.*.js"))
    old_script.rename(new / "theme" / "share.0123456789.js")
    # Slow enough that the pages, compressed to ~8 KB each, are still being sent when one is seen
    # (at 40 KB/s a busy machine saw the whole upload end first).
    cut = threading.Thread(target=lambda: pytest.raises(Exception, rsync, new, str(host), "--bwlimit=8"))
    cut.start()
    deadline = time.monotonic() + 60

    def a_new_post_page_arrived():  # in its place, or waiting in rsync's temporary folder
        return any("share.0123456789" in path.read_text(encoding="utf-8", errors="replace")
                   for path in host.rglob("*.html") if path.stat().st_mtime >= started)

    while not a_new_post_page_arrived():
        assert time.monotonic() < deadline, "the upload never sent a new page"
        time.sleep(0.01)
    killed = subprocess.run(["pkill", "-KILL", "-f", "--", f"--bwlimit=8 .*{host}"])  # the connection drops
    assert killed.returncode == 0, "rsync was still sending"
    cut.join(timeout=30)
    pages = [page for page in host.rglob("*.html")  # rsync's temporary .~tmp~ folders are not served
             if not any(part.startswith(".") for part in page.relative_to(host).parts)]
    missing = {(page.relative_to(host).as_posix(), src) for page in pages  # what readers are served now
               for src in re.findall(r'(?:src|href)="(?:https?://[^/"]+)?(/theme/[^"]+)"', page.read_text("utf-8"))
               if not (host / src.lstrip("/")).is_file()}
    assert pages and missing == set(), sorted(missing)[:5]


@pytest.mark.parametrize("remote", ["--receive-pack=touch /tmp/pwned-by-remote", "-x", "ext::sh -c touch% /tmp/p"])
def test_github_remote_must_be_a_remote_not_an_option(tmp_path, remote):
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    result = upload(project, "github", env={"GITHUB_REMOTE": remote})
    assert result.returncode != 0
    assert f'GITHUB_REMOTE "{remote}" is not a git remote' in result.stderr
    assert not (tmp_path / "pwned-by-remote").exists()

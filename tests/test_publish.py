"""Publishing: `make rsync_upload` and `make github` upload only a build that succeeded, and
refuse a site that looks broken. Real rsync into a local folder, real git into a bare repository."""

import os
import subprocess
import sys

import pytest
import yaml

from tests.built_site import PROJECT, checksums, copy_project, make_test_site
from tools.upload import UploadRefused, check_site, cname_for, upload_rsync

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


def test_rsync_upload_mirrors_the_site_exactly_and_a_second_run_sends_nothing(tmp_path):
    destination = tmp_path / "host"
    first = make_upload(tmp_path, destination)
    assert first.returncode == 0, first.stderr
    assert "Uploaded" in first.stdout
    assert checksums(destination) == checksums(tmp_path / "output")
    second = make_upload(tmp_path, destination)
    assert second.returncode == 0, second.stderr
    assert f"Nothing to upload: {destination} already has this site." in second.stdout


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
        check_site(tmp_path)
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with pytest.raises(UploadRefused, match="only 1 pages"):
        check_site(tmp_path)


def test_an_upload_that_would_delete_most_of_the_host_is_refused(tmp_path, dev_site):
    host = tmp_path / "someone-elses-site"
    for n in range(60):
        (host / f"page-{n}").mkdir(parents=True)
        (host / f"page-{n}/index.html").write_text(str(n))
    with pytest.raises(UploadRefused, match=r"would delete 60 of the 60 files .* FORCE=1"):
        upload_rsync(dev_site.output, str(host))
    assert len(list(host.rglob("*.html"))) == 60


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

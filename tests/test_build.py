"""Nothing lost: output/ is replaced only by a build that succeeded."""

import subprocess
import sys

import pytest

from tests.built_site import PROJECT, checksums, copy_project


def build(project, settings, output="output"):
    return subprocess.run(
        [sys.executable, "-m", "tools.build", "--project", str(project), "--settings", settings, "--output", output],
        cwd=PROJECT, capture_output=True, text=True,
    )


@pytest.fixture
def project(tmp_path):
    project = copy_project(tmp_path)
    result = build(project, "publishconf.py")
    assert result.returncode == 0, result.stderr
    return project


def test_a_failed_publish_leaves_the_last_good_output_exactly_as_it_was(project):
    before = checksums(project / "output")
    template = project / "theme/templates/article.html"
    template.write_text(template.read_text() + "{% endblock nonsense %}")
    result = build(project, "publishconf.py")
    assert result.returncode != 0
    assert "output/ still holds the last good site" in result.stderr
    assert checksums(project / "output") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output")) == [], "no staging left"


def test_a_good_build_replaces_the_output_whole(project):
    stale = project / "output/post/deleted-post/index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old post")
    result = build(project, "pelicanconf.py")
    assert result.returncode == 0, result.stderr
    assert "The site is ready in output/" in result.stdout
    assert not stale.exists(), "a deleted post's page does not linger"
    assert (project / "output/post/neuroscience-v-s-massage-therapy/index.html").is_file()
    assert (project / "output").stat().st_mode & 0o777 == 0o755, "readable by a web server"

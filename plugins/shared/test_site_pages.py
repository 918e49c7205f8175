"""The pages of a built site are listed without error while other work changes the folder."""

import os
from pathlib import Path

from plugins.shared.site_pages import html_pages


def test_pages_are_listed_in_path_order_and_other_files_left_out(tmp_path):
    for name in ("b/index.html", "a/index.html", "index.html", "a/style.css", "pagefind/pagefind.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [page.relative_to(tmp_path).as_posix() for page, _ in html_pages(tmp_path)] == [
        "index.html", "a/index.html", "b/index.html"]


def test_a_folder_or_a_page_removed_while_listed_is_left_out(tmp_path, monkeypatch):
    """The search index replaces its folder while a build lists the pages (seen in the preview at
    1000 posts: the build failed with 'No such file or directory: .../pagefind')."""
    for name in ("index.html", "gone/index.html", "pagefind/fragment/x.html", "vanishing.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    real_walk, real_stat = os.walk, Path.stat

    def walk(top, *args, **kwargs):
        for root, folders, files in real_walk(top, *args, **kwargs):
            yield root, folders, files
            if Path(root) == tmp_path:  # both removed once the top folder is listed
                for name in ("pagefind/fragment/x.html", "gone/index.html"):
                    (tmp_path / name).unlink()
                (tmp_path / "pagefind" / "fragment").rmdir()
                (tmp_path / "pagefind").rmdir()

    def stat(path, *args, **kwargs):
        if path.name == "vanishing.html":
            raise FileNotFoundError(path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "walk", walk)
    monkeypatch.setattr(Path, "stat", stat)
    assert [page.relative_to(tmp_path).as_posix() for page, _ in html_pages(tmp_path)] == ["index.html"]

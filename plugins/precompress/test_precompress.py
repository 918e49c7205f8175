import gzip

import brotli

from precompress.precompress import DEFAULTS, precompress


def site(root):
    root.mkdir()
    (root / "index.html").write_text("<p>Massage and sleep.</p>\n" * 200)
    (root / "tiny.js").write_text("let a;")
    (root / "picture.png").write_bytes(b"\x89PNG" + bytes(4000))
    return root


def test_copies_decompress_to_the_file_and_only_text_worth_it_is_copied(tmp_path):
    root = site(tmp_path / "site")
    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"])
    data = (root / "index.html").read_bytes()
    assert gzip.decompress((root / "index.html.gz").read_bytes()) == data
    assert brotli.decompress((root / "index.html.br").read_bytes()) == data
    assert sorted(p.name for p in root.iterdir()) == ["index.html", "index.html.br", "index.html.gz",
                                                      "picture.png", "tiny.js"]


def test_a_second_run_writes_the_same_bytes_and_drops_stale_copies(tmp_path):
    root = site(tmp_path / "site")
    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"])
    first = {p.name: p.read_bytes() for p in root.iterdir()}
    (root / "tiny.js.gz").write_bytes(b"stale")  # left by an older build, when the file was bigger
    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"])
    assert {p.name: p.read_bytes() for p in root.iterdir()} == first


def test_only_publish_builds_compress(pelican_build):
    output = pelican_build({"post.md": "Title: A post\nDate: 2023-02-19\n\n" + "Text. " * 200}, plugins=["precompress", "build_order"])
    assert not list(output.rglob("*.gz"))


def test_the_cache_gives_the_same_copies_and_keeps_only_what_the_last_run_used(tmp_path):
    root, cache = site(tmp_path / "site"), tmp_path / "cache"
    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"])
    uncached = {p.name: p.read_bytes() for p in root.iterdir()}
    for _ in range(2):  # the first run fills the cache, the second reads from it
        precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"], cache)
        assert {p.name: p.read_bytes() for p in root.iterdir()} == uncached
    assert len(list(cache.glob("*/*.done"))) == 1, "one file worth compressing, one entry"
    (root / "index.html").write_text("<p>Changed.</p>\n" * 200)
    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"], cache)
    assert len(list(cache.glob("*/*.done"))) == 1, "the old page's entry is dropped"
    assert gzip.decompress((root / "index.html.gz").read_bytes()) == (root / "index.html").read_bytes()


def test_pages_get_a_quicker_brotli_level_than_the_shared_files(tmp_path):
    root = site(tmp_path / "site")
    (root / "site.css").write_text("body { margin: 0; color: #222; }\n" * 100)
    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"])
    page, style = (root / "index.html").read_bytes(), (root / "site.css").read_bytes()
    assert (root / "index.html.br").read_bytes() == brotli.compress(page, quality=DEFAULTS["brotli_quality"][".html"])
    assert (root / "site.css.br").read_bytes() == brotli.compress(style, quality=11)


def test_a_folder_still_being_written_is_compressed_once_its_step_is_done(tmp_path):
    """The search index is written by Pagefind beside precompress (plugins/build_order): its folder
    is left alone until Pagefind is done, then its files get their copies too."""
    root = site(tmp_path / "site")
    index = root / "pagefind"
    index.mkdir()
    (index / "half-written.js").write_text("let a = 1;\n" * 100)  # as Pagefind leaves it while at work
    done = []

    class Pagefind:
        folder = index

        def wait(self):
            assert (root / "index.html.br").exists(), "the rest was compressed meanwhile"
            assert not (index / "half-written.js.br").exists()
            (index / "half-written.js").unlink()
            (index / "pagefind.js").write_text("export const search = 1;\n" * 100)
            done.append(True)

    precompress(root, set(DEFAULTS["extensions"]), DEFAULTS["min_bytes"], running=[Pagefind()])
    assert done and sorted(p.name for p in index.iterdir()) == ["pagefind.js", "pagefind.js.br", "pagefind.js.gz"]



from heading_levels.heading_levels import lift_headings


def test_a_post_that_starts_at_h3_starts_at_h2_and_keeps_its_steps():
    html = '<h3 id="why">Why</h3><p>x</p><h4>Detail</h4><h3>How</h3>'
    assert lift_headings(html) == '<h2 id="why">Why</h2><p>x</p><h3>Detail</h3><h2>How</h2>'


def test_headings_already_at_h2_and_text_that_looks_like_one_are_left_alone():
    html = "<h2>Why</h2><h3>Detail</h3><p>Use &lt;h4&gt; and <code>h5</code>, <header>…</header></p>"
    assert lift_headings(html) == html
    assert lift_headings("<p>No headings.</p>") == "<p>No headings.</p>"


def test_in_a_real_build(pelican_build):
    output = pelican_build({"post.md": "Title: A post\nDate: 2023-02-19\n\n### Why\n\nText.\n\n#### Detail\n\nMore.\n"},
                           plugins=["heading_levels"])
    page = (output / "a-post.html").read_text()
    assert "<h2>Why</h2>" in page and "<h3>Detail</h3>" in page and "<h4>" not in page

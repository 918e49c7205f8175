"""Comments under each post, loaded only when the reader asks. Everything of the feature is here:

    comments.py          the providers and what each needs from the security policy
    templates/comments/  the section under a post (section.html), the count in lists, the notes
    static/              comments.js (loads the provider's embed on demand), comment-counts.js,
                         isso.css (the thread's style, loaded with it)
    css/comments.css     the section's style, inlined with the theme's (theme/static/css/site.css)
    isso/                Isso's configuration for the preview and production, its systemd unit,
                         its nginx snippet
    isso_server.py       a local Isso for `make devserver` and the tests

Settings: COMMENTS = {"provider": "isso", "url": "…", "counts": True, "note": None, …} (pelicanconf.py,
docs/comments.md). No url, or a provider not in PROVIDERS: no comments section at all.
"""

from urllib.parse import urlsplit

from pelican import signals

from plugins.shared import security_policy

# Each provider the theme can embed, and where its origin is allowed in the Content-Security-Policy:
# Isso only loads its script and asks for JSON; the hosted services also show frames and pictures.
# The templates (comments/section.html, comments/macros.html) and static/comments.js each have a
# branch per provider named here; test_comments_plugin.py keeps them in step.
PROVIDERS: dict[str, dict] = {
    "isso": {"csp": ["script-src", "connect-src"], "counts": True},
    "disqus": {"csp": ["script-src", "connect-src", "frame-src", "img-src", "style-src"], "counts": False},
    "giscus": {"csp": ["script-src", "connect-src", "frame-src"], "counts": False},
    "cusdis": {"csp": ["script-src", "connect-src", "frame-src"], "counts": False},
}


def origin_of(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def csp_sources(comments, siteurl):
    """{directive: [origin]} the comment service needs; none when it is on the site's own origin."""
    comments = comments or {}
    origin = origin_of(comments.get("url"))
    if not origin or origin == origin_of(siteurl):
        return {}
    return {directive: [origin] for directive in PROVIDERS.get(comments.get("provider"), {}).get("csp", [])}


def add_comment_settings(pelican):
    """initialized receiver: the providers for the templates, the comment origin for the headers."""
    settings = pelican.settings
    settings["COMMENT_PROVIDERS"] = PROVIDERS
    for directive, origins in csp_sources(settings.get("COMMENTS"), settings.get("SITEURL", "")).items():
        security_policy.allow(settings, directive, *origins)


def register():
    signals.initialized.connect(add_comment_settings)

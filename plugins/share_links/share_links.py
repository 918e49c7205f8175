"""Share buttons under each published post: plain links to the networks and e-mail, plus "Copy link"
and the phone's share sheet where the browser can do them. Nothing of a network loads until the
reader clicks.

    templates/share_links/section.html  the section, in the theme's slot under a post
    static/share.js                     the two buttons that need JavaScript

This plugin has no Python work: listing it in PLUGINS joins its files to the theme
(plugins/theme_assets); leaving it out removes the section and its script.
"""


def register():
    pass

"""Not a plugin: what several plugins (and tools/) need, written once. Imported as
`plugins.shared.<module>` (the project folder is on the import path of every build, preview and test).

    html_text.py        HTML to the plain text a reader reads
    plugin_list.py      the names in PLUGINS, and the check a plugin run by build_order makes
    pelican_content.py  where Pelican keeps each kind of content (its generators' lists)
"""

"""The plugins a build runs, by name (PLUGINS may hold names or modules)."""


def plugin_names(settings):
    return [getattr(plugin, "__name__", plugin) for plugin in settings.get("PLUGINS") or []]


def needs_build_order(plugin, settings):
    """For a plugin whose last step plugins/build_order runs: stop the build at its start when
    build_order is not listed (that step would silently never run)."""
    if "build_order" not in plugin_names(settings):
        raise SystemExit(f'The plugin "{plugin}" needs "build_order" in PLUGINS: it runs its last step.')

"""What a feature asks of the site's security headers (plugins/security_headers reads it at the end
of the build): a source its pages need in the Content-Security-Policy, a folder whose files are
named by their content and so can be kept a year. A feature that is off asks nothing."""

CSP_SOURCES = "CSP_SOURCES"  # {directive: [source, ...]}
IMMUTABLE_FOLDERS = "IMMUTABLE_FOLDERS"  # ["/folder/", ...]


def allow(settings, directive, *sources):
    """Add `sources` to `directive` of the policy (each once)."""
    wanted = dict(settings.get(CSP_SOURCES) or {})
    wanted[directive] = [*wanted.get(directive, []), *(s for s in sources if s not in wanted.get(directive, []))]
    settings[CSP_SOURCES] = wanted


def keep_a_year(settings, *folders):
    """Let browsers keep the files under `folders` a year (their names change with their content)."""
    settings[IMMUTABLE_FOLDERS] = [*(settings.get(IMMUTABLE_FOLDERS) or []),
                                   *(f for f in folders if f not in (settings.get(IMMUTABLE_FOLDERS) or []))]

"""What HTML a post may hold, judged as a reader's browser parses it.

A post's HTML (what Markdown made of its text, raw HTML included) is read by html5lib, which
follows the HTML5 parsing algorithm as browsers do, with scripting on as readers have it: a
`</textarea>` or `</noscript>` written inside an attribute ends that element there, as it does in
a browser, and entities are decoded before an address is judged. Then every element and attribute
is held against an allow-list (what Markdown, its extensions and plugins/responsive_images write,
and the HTML a writer reasonably types), and every address against the schemes a post may use,
read the way a browser reads an address (tabs and newlines removed, leading control characters and
spaces dropped: `java<TAB>script:` and `\\x01javascript:` are `javascript:`).
"""

import re
from dataclasses import dataclass

import html5lib  # type: ignore[import-untyped]  # no stubs in the locks

ELEMENTS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby",
    "s", "samp", "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# tabindex: plugins/rich_markdown lets the keyboard scroll wide code blocks and tables.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "tabindex"})
ATTRIBUTES = {
    "a": {"href", "rel", "hreflang", "target", "name"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    # style: Markdown's tables align their columns with it (style="text-align: right").
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "time": {"datetime"}, "details": {"open"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "cite"})
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Schemes whose address runs code where it is opened.
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
# A picture written into the post itself (a data: address) is fine for <img>, but not SVG, which can hold script.
_PICTURE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)
# The URL standard: leading and trailing C0 controls and spaces are dropped, tabs and newlines removed anywhere.
_URL_EDGES = "".join(chr(code) for code in range(0x21))
_URL_REMOVED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_NAMESPACE = re.compile(r"^\{([^}]*)\}(.*)$")
_PREFIXES = {"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:",
             "http://www.w3.org/2000/xmlns/": "xmlns:"}


@dataclass(frozen=True)
class Finding:
    """Something a post may not hold. kind: "script" (runs code), "element", "attribute" or
    "address"; shown: how the message names it (<script, onerror=, javascript:, <meta, srcdoc=);
    element: the element it is in; needles: what to look for in the post's text, in order, to
    find its line."""

    kind: str
    shown: str
    element: str
    needles: tuple


def scheme_of(address):
    """The scheme of `address` as a browser reads it ("javascript" for "java\\tscript:"), "" for a
    relative address."""
    cleaned = _URL_REMOVED.sub("", address.strip(_URL_EDGES))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def local_name(name):
    """(name as written in HTML, namespace) of an html5lib element or attribute name."""
    match = _NAMESPACE.match(name)
    if not match:
        return name, ""
    return _PREFIXES.get(match.group(1), "") + match.group(2), match.group(1)


def address_finding(element, attribute, value):
    addresses = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
    for address in addresses:
        scheme = scheme_of(address)
        if not scheme or scheme in SCHEMES:
            continue
        if scheme == "data" and element in ("img", "source") and _PICTURE_DATA.match(address.strip(_URL_EDGES)):
            continue
        kind = "script" if scheme in SCRIPT_SCHEMES else "address"
        return Finding(kind, f"{scheme}:", element, ("script:" if kind == "script" else f"{scheme}:",
                                                     f"{attribute}=", f"<{element}"))
    return None


def attribute_findings(element, attributes):
    allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(element, set())
    for raw_name, value in attributes.items():
        name, _ = local_name(raw_name)
        name = name.lower()
        if name.startswith("on"):
            yield Finding("script", f"{name}=", element, (f"{name}", f"<{element}"))
        elif name in URL_ATTRIBUTES | {"xlink:href", "action", "formaction", "data", "poster", "background"} and (
                found := address_finding(element, name, value or "")):
            yield found
        elif name not in allowed and not name.startswith("aria-"):
            yield Finding("attribute", f"{name}=", element, (f"{name}=", name, f"<{element}"))


def judged(html):
    """(pictures [(src, alt or None)], links [href], findings [Finding]) of an HTML fragment. Inside
    an element a post may not hold (named once), only what would run is named besides."""
    tree = html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(html, scripting=True)
    pictures, links, findings = [], [], []

    def visit(node, inside_refused):
        for child in node:
            if not isinstance(child.tag, str):  # a comment
                continue
            name, namespace = local_name(child.tag)
            name = name.lower()
            attributes = dict(child.attrib)
            if name == "img" and not namespace:
                pictures.append((attributes.get("src") or "", attributes.get("alt")))
            elif name == "a" and not namespace and attributes.get("href"):
                links.append(attributes["href"])
            refused = name == "script" or name not in ELEMENTS or bool(namespace)
            if refused and not inside_refused:
                kind = "script" if name == "script" else "element"
                findings.append(Finding(kind, f"<{name}", name, (f"<{name}",)))
            findings.extend(found for found in attribute_findings(name, attributes)
                            if found.kind == "script" or not (refused or inside_refused))
            visit(child, inside_refused or refused)

    visit(tree, False)
    return pictures, links, findings

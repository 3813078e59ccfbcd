"""The Content-Security-Policy of every page, as a ``<meta http-equiv>`` element.

GitLab Pages sets no response headers, so the policy sits in the page itself, as the
first element after ``<meta charset>`` (a policy applies only to what follows it). It
allows scripts, styles, images, fonts and connections from the site's own origin only,
and of inline scripts exactly those the theme's templates wrote on that page, by their
SHA-256 hash: Material writes three (its storage helpers, which carry the page's base
address, the colour scheme and the anchor of a tabbed block). An inline script inside
the page's rendered content is never hashed, so one that got past the sanitiser stays
blocked. JSON data blocks (``type="application/json"``, JSON-LD) are not scripts to a
browser and need no hash.

A meta element cannot carry ``frame-ancestors`` or reporting; CONTRIBUTING.md says which
headers an operator sets where the server allows it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

#: An inline or external script element (scripts never nest, and the theme writes ``</script>``
#: in lower case; a ``</script>`` in a data block is escaped as ``<\/script>`` or ``\u003c``).
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
#: ``type`` values a browser runs as a script (an empty or missing type is JavaScript).
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
#: Where the policy goes in a page without ``<meta charset>`` (another theme's, say).
_HEAD = re.compile(r"<head\b[^>]*>", re.I)

#: What a policy allows besides scripts; ``script-src`` and ``form-action`` are per site
#: and per page. ``style-src 'self'``: the theme needs no inline style (Material's scripts
#: set styles through the DOM, which a policy does not restrict); ``img-src data:`` for
#: the icons that Material's stylesheet embeds as ``data:`` addresses.
_FIXED = (
    ("default-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
)


def script_hash(code: str) -> str:
    """The CSP source expression of an inline script: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_scripts(html: str) -> list[str]:
    """The code of each inline script that a browser would run, in page order."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes = match[1]
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind[1].lower() if kind else "") in _SCRIPT_TYPES:
            found.append(match[2])
    return found


def theme_scripts(html: str, content: str = "") -> list[str]:
    """The inline scripts of ``html`` that are not part of the page's ``content``."""
    return [code for code in inline_scripts(html) if not code or f">{code}</" not in content]


def origin(url: str) -> str:
    """``scheme://host[:port]`` of an absolute address (``""`` for anything else)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def policy(hashes: Iterable[str] | None, form_origins: Iterable[str] = ()) -> str:
    """The policy text. ``hashes=None`` is ``mkdocs serve``: its live-reload script gets
    new arguments with every request, so inline scripts run without a hash there."""
    scripts = "'self' 'unsafe-inline'" if hashes is None else " ".join(["'self'", *hashes])
    forms = " ".join(["'self'", *dict.fromkeys(o for o in form_origins if o)])
    directives = [*_FIXED[:1], ("script-src", scripts), *_FIXED[1:], ("form-action", forms)]
    return "; ".join(f"{name} {value}" for name, value in directives)


def meta_element(text: str) -> str:
    """The ``<meta http-equiv>`` element of a policy (its text needs no escaping: it
    holds no quotation mark, ampersand or angle bracket)."""
    assert not any(c in text for c in '"&<>'), text
    return f'<meta http-equiv="Content-Security-Policy" content="{text}">'


def with_policy(
    html: str, content: str = "", form_origins: Iterable[str] = (), live_reload: bool = False
) -> str:
    """``html`` with its policy right after ``<meta charset>``.

    ``content`` is the page's rendered content: scripts in it get no hash. With
    ``live_reload`` (``mkdocs serve``) inline scripts run without hashes.
    """
    match = _CHARSET.search(html) or _HEAD.search(html)
    if match is None:  # no document (tests check that every page has its policy)
        return html
    hashes = None
    if not live_reload:
        hashes = list(dict.fromkeys(script_hash(code) for code in theme_scripts(html, content)))
    element = meta_element(policy(hashes, form_origins))
    return html[: match.end()] + element + html[match.end() :]

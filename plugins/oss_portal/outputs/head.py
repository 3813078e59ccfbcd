"""What generated pages put into ``<head>`` and their front matter, fully escaped.

MkDocs renders theme templates without autoescaping, and Material prints ``page.title``
and ``page.meta.description`` as HTML. So titles and descriptions of generated pages are
stored HTML-escaped, and everything this module returns is already escaped markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..core import urls
from ..core.catalog import Catalog
from ..core.errors import ContentError
from . import structured_data
from .pages import LIST_KINDS, PageSpec, SiteInfo, relative_url


def page_meta(spec: PageSpec) -> dict[str, Any]:
    """Page metadata of a generated page (what a front matter would hold)."""
    return {
        "title": str(escape(spec.title)),
        "description": str(escape(spec.description)),
        "hide": ["navigation", "toc"],
        "search": {"exclude": True} if spec.kind in LIST_KINDS else {},
    }


#: Feeds announced for autodiscovery on every page. Only the site-wide feeds: Material's
#: bundle fetches ``sitemap.xml`` next to every ``<link rel="alternate">`` (meant for language
#: versions), so a feed in a sub-folder (a community's, a tag's) would cost each reader a
#: 404 request per page view. Those feeds are linked visibly on their pages instead.
SITE_FEEDS = (
    ("application/rss+xml", "Nachrichten (RSS)", urls.RSS),
    ("application/atom+xml", "Nachrichten (Atom)", urls.ATOM),
)


def head_html(
    catalog: Catalog,
    site: SiteInfo,
    page_url: str,
    title: str | None,
    description: str | None,
    spec: PageSpec | None,
) -> Markup:
    """Feed autodiscovery, OpenGraph and JSON-LD for one page.

    ``title`` and ``description`` come from MkDocs' page (already HTML-escaped for
    generated pages); they are unescaped and escaped again so that both kinds of page
    end up correct.
    """
    parts: list[str] = []
    for mime, label, path in SITE_FEEDS:
        # Relative, so that a copy served elsewhere (a preview, a mirror, the tests) sends
        # no request to the production origin. The 404 page is served at any address, so
        # it links from the site's root path.
        href = (
            urlsplit(site.site_url).path.rstrip("/") + "/" + path
            if page_url == "404.html"
            else relative_url(path, page_url)
        )
        parts.append(
            f'<link rel="alternate" type="{mime}" title="{escape(label)}" href="{escape(href)}">'
        )
    plain_title = Markup(site.site_name if page_url == "" else title or site.site_name).striptags()
    plain_description = Markup(description or "").striptags()
    kind = "article" if spec is not None and spec.kind == "news" else "website"
    for prop, content in structured_data.opengraph(
        plain_title,
        plain_description,
        urls.absolute(site.site_url, page_url),
        site.site_name,
        kind,
    ):
        parts.append(f'<meta property="{escape(prop)}" content="{escape(content)}">')
    if spec is not None:
        data = None
        if spec.kind == "event":
            data = structured_data.event_jsonld(spec.obj, catalog, site.site_url)
        elif spec.kind == "community":
            data = structured_data.community_jsonld(spec.obj, catalog, site.site_url)
        elif spec.kind == "news":
            data = structured_data.news_jsonld(spec.obj, catalog, site.site_url, site.site_name)
        if data is not None:
            parts.append(
                f'<script type="application/ld+json">{structured_data.jsonld_script(data)}</script>'
            )
    return Markup("\n".join(parts))


def error_banner(errors: Sequence[ContentError], *, live: bool = True) -> str:
    """The content errors of a preview, on its home page: ``live`` for ``mkdocs serve``,
    else for a merge request's preview (a build with the option ``preview``)."""
    if not errors:
        return ""
    items = "".join(f"<li><code>{escape(str(e))}</code></li>" for e in errors[:50])
    more = f"<p>… und {len(errors) - 50} weitere.</p>" if len(errors) > 50 else ""
    hint = (
        "Nur gültige Einträge werden angezeigt. Nach dem Speichern der korrigierten Datei "
        "lädt die Vorschau neu."
        if live
        else "Nur gültige Einträge werden angezeigt; ein Eintrag mit Fehlern zeigt sie auf "
        "seiner Seite. Veröffentlicht wird die Änderung erst, wenn die Prüfung keinen Fehler "
        "mehr meldet – dieselben Fehler stehen im Bericht „validate“ des Merge Requests."
    )
    return (
        '<div class="admonition failure portal-errors" id="fehler" role="alert">'
        f'<p class="admonition-title">{len(errors)} Fehler im Inhalt</p>'
        f"<ul>{items}</ul>{more}<p>{hint}</p></div>{BANNER_END}"
    )


#: Ends the error banner, so the home page template can put it above its hero.
BANNER_END = "<!--/portal-errors-->"

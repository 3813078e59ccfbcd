"""RSS and Atom feeds (oss_portal.outputs.feeds), parsed with feedparser and lxml."""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oss_portal.core import urls
from oss_portal.core.catalog import Catalog
from oss_portal.core.models import BERLIN
from oss_portal.core.urls import require_site_url
from oss_portal.outputs.feeds import build_feeds
from oss_portal.outputs.markdown import one_line
from writers_fixtures import (
    DRAFT_SLUG,
    HOSTILE_TITLE,
    NOW,
    SITE_NAME,
    SITE_URL,
    hostile,
    load_site,
    write_site,
)


@pytest.fixture(scope="module")
def feeds(catalog: Catalog) -> dict[str, bytes]:
    return build_feeds(catalog, SITE_URL, SITE_NAME)


def _parse(data: bytes) -> Any:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _utc(struct: Any) -> int:
    return calendar.timegm(struct)


def _page(slug: str) -> str:
    return urls.absolute(SITE_URL, urls.news(slug))


def test_every_expected_feed_is_written(catalog: Catalog, feeds: dict[str, bytes]) -> None:
    expected = {urls.RSS, urls.ATOM}
    for community in catalog.communities:
        expected |= {urls.community_feed(community.id, k) for k in ("rss", "atom")}
    for tag in catalog.tags:
        expected |= {urls.tag_feed(tag, k) for k in ("rss", "atom")}
    for region in catalog.regions.values():  # every region, also without news
        expected |= {urls.region_feed(region.region.slug, k) for k in ("rss", "atom")}
    assert set(feeds) == expected


@pytest.mark.parametrize(("path", "version"), [(urls.RSS, "rss20"), (urls.ATOM, "atom10")])
def test_main_feed_parses_with_ids_links_and_dates(
    catalog: Catalog, feeds: dict[str, bytes], path: str, version: str
) -> None:
    parsed = _parse(feeds[path])
    assert parsed.version == version
    assert parsed.feed.language == "de"
    assert [e.id for e in parsed.entries] == [_page(n.slug) for n in catalog.news]
    for entry in parsed.entries:
        assert entry.link == entry.id
        assert entry.published_parsed is not None
        assert entry.summary
    published = [_utc(e.published_parsed) for e in parsed.entries]
    assert published == sorted(published, reverse=True), "newest first"


@pytest.mark.parametrize("path", [urls.RSS, urls.ATOM])
def test_channel_link_is_the_news_page_and_self_link_the_feed(
    feeds: dict[str, bytes], path: str
) -> None:
    parsed = _parse(feeds[path])
    assert parsed.feed.link == urls.absolute(SITE_URL, urls.NEWS)
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [urls.absolute(SITE_URL, path)]


def test_rss_channel_link_element_is_the_page_not_the_feed(feeds: dict[str, bytes]) -> None:
    root = lxml.etree.fromstring(feeds[urls.RSS])
    assert root.findtext("channel/link") == urls.absolute(SITE_URL, urls.NEWS)


def test_rss_guids_are_permalinks(catalog: Catalog, feeds: dict[str, bytes]) -> None:
    root = lxml.etree.fromstring(feeds[urls.RSS])
    guids = root.findall("channel/item/guid")
    assert [g.text for g in guids] == [_page(n.slug) for n in catalog.news]
    assert {g.get("isPermaLink") for g in guids} == {"true"}


@pytest.mark.parametrize(
    ("slug", "rss_date", "atom_date", "utc"),
    [
        (
            "2023-01-11-winter",
            "Wed, 11 Jan 2023 16:00:00 +0100",
            "2023-01-11T16:00:00+01:00",
            (2023, 1, 11, 15, 0),
        ),
        (
            "2023-07-11-summer",
            "Tue, 11 Jul 2023 16:00:00 +0200",
            "2023-07-11T16:00:00+02:00",
            (2023, 7, 11, 14, 0),
        ),
        (
            "2022-05-01-date-only",
            "Sun, 01 May 2022 00:00:00 +0200",
            "2022-05-01T00:00:00+02:00",
            (2022, 4, 30, 22, 0),
        ),
    ],
)
def test_dates_carry_the_berlin_offset_of_their_season(
    feeds: dict[str, bytes],
    slug: str,
    rss_date: str,
    atom_date: str,
    utc: tuple[int, ...],
) -> None:
    rss = lxml.etree.fromstring(feeds[urls.RSS])
    item = next(i for i in rss.iter("item") if i.findtext("guid") == _page(slug))
    assert item.findtext("pubDate") == rss_date
    atom = lxml.etree.fromstring(feeds[urls.ATOM])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = next(
        e for e in atom.findall("a:entry", ns) if e.findtext("a:id", namespaces=ns) == _page(slug)
    )
    assert entry.findtext("a:published", namespaces=ns) == atom_date
    for path in (urls.RSS, urls.ATOM):
        parsed = _parse(feeds[path])
        found = next(e for e in parsed.entries if e.id == _page(slug))
        assert tuple(found.published_parsed[:5]) == utc


def test_categories_come_from_tags(catalog: Catalog, feeds: dict[str, bytes]) -> None:
    """RSS names each category as readers see the tag; Atom keeps the id as its term and
    gives the name as its label."""
    rss = _parse(feeds[urls.RSS])
    atom = _parse(feeds[urls.ATOM])
    for rss_entry, atom_entry, item in zip(rss.entries, atom.entries, catalog.news, strict=True):
        names = [catalog.tag_name(t) for t in item.tags]
        assert [t.term for t in rss_entry.get("tags", [])] == names
        assert [t.term for t in atom_entry.get("tags", [])] == item.tags
        assert [t.label for t in atom_entry.get("tags", [])] == names
    assert any(
        'Kommunen & "Kreise" <vor Ort>' in [t.term for t in e.get("tags", [])] for e in rss.entries
    )


def test_content_is_full_html_with_absolute_links(feeds: dict[str, bytes]) -> None:
    for path in (urls.RSS, urls.ATOM):
        parsed = _parse(feeds[path])
        entry = next(e for e in parsed.entries if e.id == _page("2023-01-11-winter"))
        html = entry.content[0].value
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
        assert tree.xpath("//strong/text()") == ["Betonung"]
        assert tree.xpath("//h2/text()") == ["Zwischentitel"]
        assert tree.xpath("//a/@href") == [_page("2023-07-11-summer"), "https://www.kgst.de"]
        assert entry.summary == "Um 16 Uhr Winterzeit veröffentlicht."


def test_drafts_never_appear(feeds: dict[str, bytes]) -> None:
    for path, data in feeds.items():
        assert DRAFT_SLUG.encode() not in data, path
        assert b"Geheim" not in data, path


def test_community_and_tag_feeds_hold_exactly_their_news(
    catalog: Catalog, feeds: dict[str, bytes]
) -> None:
    for community in catalog.communities:
        expected = [_page(n.slug) for n in catalog.news_by_community.get(community.id, [])]
        for kind in ("rss", "atom"):
            parsed = _parse(feeds[urls.community_feed(community.id, kind)])
            assert [e.id for e in parsed.entries] == expected
            assert parsed.feed.link == urls.absolute(SITE_URL, urls.community(community.id))
    for tag, entry in catalog.tags.items():
        expected = [_page(n.slug) for n in entry.news]
        for kind in ("rss", "atom"):
            parsed = _parse(feeds[urls.tag_feed(tag, kind)])
            assert [e.id for e in parsed.entries] == expected
            assert parsed.feed.link == urls.absolute(SITE_URL, urls.tag(tag))
    assert _parse(feeds[urls.community_feed("gamma", "rss")]).entries == []


def test_limit_keeps_the_newest_items(tmp_path: Path) -> None:
    catalog = load_site(write_site(tmp_path, extra_news=12))
    feeds = build_feeds(catalog, SITE_URL, SITE_NAME, limit=5)
    newest = [_page(n.slug) for n in catalog.news[:5]]
    for path in (urls.RSS, urls.ATOM, urls.tag_feed("bulk", "rss")):
        ids = [e.id for e in _parse(feeds[path]).entries]
        assert len(ids) == 5
        if path != urls.tag_feed("bulk", "rss"):
            assert ids == newest
    assert len(_parse(build_feeds(catalog, SITE_URL, SITE_NAME)[urls.RSS]).entries) == 15


def test_feed_date_comes_from_newest_item_and_output_is_reproducible(
    catalog: Catalog, feeds: dict[str, bytes]
) -> None:
    parsed = _parse(feeds[urls.ATOM])
    assert parsed.feed.updated == "2023-07-11T16:00:00+02:00"
    empty = _parse(feeds[urls.community_feed("gamma", "atom")])
    build_day = NOW.astimezone(BERLIN).replace(hour=0, minute=0, second=0, microsecond=0)
    assert _utc(empty.feed.updated_parsed) == int(build_day.timestamp())
    assert build_feeds(catalog, SITE_URL, SITE_NAME) == feeds


def test_description_and_site_name_reach_the_main_feed(catalog: Catalog) -> None:
    feeds = build_feeds(catalog, SITE_URL, "Portal", description="Alles über Open Source")
    parsed = _parse(feeds[urls.RSS])
    assert parsed.feed.title == "Portal: Nachrichten"
    assert parsed.feed.subtitle == "Alles über Open Source"


def test_hostile_text_stays_well_formed_and_inert(catalog: Catalog) -> None:
    feeds = build_feeds(hostile(catalog), SITE_URL, SITE_NAME)
    for path, data in feeds.items():
        lxml.etree.fromstring(data)  # well-formed XML despite the control character
        parsed = _parse(data)
        for entry in parsed.entries:
            assert entry.title == "<script>alert(1)</script> &"
            for content in entry.get("content", []):
                tree = lxml.html.fragment_fromstring(content.value, create_parent="div")
                assert not tree.xpath("//script|//iframe"), path
                assert not [
                    h for h in tree.xpath("//@href|//@src") if h.lower().startswith("javascript:")
                ], path
                assert not tree.xpath("//@onerror"), path


def test_source_line_is_an_escaped_link(catalog: Catalog) -> None:
    """The "Quelle" line is written without the sanitiser, so its escaping is checked here."""
    from oss_portal.core.models import Source

    url = 'https://quelle.example/a?b=1&c="2"<x>'
    news = [
        n.model_copy(update={"source": Source.model_construct(name=HOSTILE_TITLE, url=url)})
        for n in catalog.news
    ]
    source = Catalog(
        communities=list(catalog.communities),
        events=list(catalog.events),
        news=news,
        drafts=list(catalog.drafts),
        now=catalog.now,
    )
    for path in (urls.RSS, urls.ATOM):
        for entry in _parse(build_feeds(source, SITE_URL, SITE_NAME)[path]).entries:
            tree = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
            (link,) = tree.xpath("//p[starts-with(., 'Quelle: ')]/a")
            assert (link.get("href"), link.text) == (url, "<script>alert(1)</script> &")
            assert link.get("rel") == "noopener noreferrer"
            assert not tree.xpath("//script")


@pytest.mark.parametrize("site_url", ["", "   ", None, "portal.example.org", "ftp://x.org/"])
def test_unusable_site_url_is_a_clear_error(catalog: Catalog, site_url: Any) -> None:
    with pytest.raises(ValueError, match="site_url"):
        build_feeds(catalog, site_url, SITE_NAME)


def test_site_url_gets_a_trailing_slash() -> None:
    assert require_site_url("https://x.example/portal") == "https://x.example/portal/"


def test_limit_below_one_is_rejected(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="mindestens 1"):
        build_feeds(catalog, SITE_URL, SITE_NAME, limit=0)


def _feedgen_entry(item: Any, base: str, tag_name: Any = str) -> Any:
    """An item as a feedgen entry: what the writer's own entry serialisation must match."""
    from feedgen.entry import FeedEntry
    from oss_portal.outputs import feeds as module
    from oss_portal.outputs.markdown import strip_control_chars

    page_url = urls.absolute(base, urls.news(item.slug))
    published = module._published(item)
    entry = FeedEntry()
    entry.id(page_url)
    entry.guid(page_url, permalink=True)
    entry.title(one_line(item.title))
    entry.link(href=page_url, rel="alternate", type="text/html")
    entry.published(published)
    entry.updated(published)
    entry.summary(one_line(item.summary))
    entry.content(module._content_html(item, page_url), type="html")
    for tag in item.tags:
        entry.category(
            term=strip_control_chars(tag),
            scheme=urls.absolute(base, urls.TAGS),
            label=strip_control_chars(tag_name(tag)),  # the name readers see (RSS: its text)
        )
    return entry


@pytest.mark.parametrize("variant", ["plain", "hostile", "empty-bodies", "markup-in-text"])
def test_output_is_exactly_what_feedgen_writes(catalog: Catalog, variant: str) -> None:
    """The writer serialises each entry itself, once, and splices it into every feed it
    belongs to; feedgen writing each whole feed itself must give the very same bytes."""
    from oss_portal.outputs import feeds as module

    source = hostile(catalog) if variant == "hostile" else catalog
    site_name = 'Portal {0} }{ & <x> "y"' if variant == "markup-in-text" else SITE_NAME
    if variant != "plain" and variant != "hostile":
        body = "" if variant == "empty-bodies" else 'Z1\r\nZ2\rZ3\t"q" ]]> &amp; <b>f</b>'
        title = "Titel" if variant == "empty-bodies" else 'Ein "Titel" & <mehr> ]]>'
        # A stand-in's name and format fields, too.
        name = 'Gruppe ossportalslotdescription & <Co> "X" {title} {{date}} }{'
        title += " {0} {date}"
        source = Catalog(
            communities=[c.model_copy(update={"name": name}) for c in source.communities],
            events=list(source.events),
            news=[
                n.model_copy(update={"body": body, "title": title, "source": None})
                for n in source.news
            ],
            drafts=list(source.drafts),
            now=source.now,
        )
    written = build_feeds(source, SITE_URL, site_name)
    base = require_site_url(SITE_URL)
    specs = module._specs(source, site_name, module.DEFAULT_LIMIT, "")
    assert any(len(spec.items) > 1 for spec in specs)
    for spec in specs:
        for kind, path in (("rss", spec.rss), ("atom", spec.atom)):
            fg = module._generator(
                one_line(spec.title),
                one_line(spec.description) or one_line(spec.title),
                site_name,
                base,
                module._updated(spec, source),
            )
            for item in spec.items:
                fg.add_entry(_feedgen_entry(item, base, source.tag_name), order="append")
            self_url = urls.absolute(base, path)
            module._links(fg, kind, self_url, self_url, urls.absolute(base, spec.page))
            whole = fg.rss_str() if kind == "rss" else fg.atom_str()  # feedgen's own
            assert written[path] == whole, path


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="".join(
                map(chr, [*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])
            ),
        )
    )
)
def test_escaping_is_lxmls(value: str) -> None:
    """Entries and feed values are escaped as lxml, feedgen's serialiser, escapes them."""
    from oss_portal.outputs.feeds import _xml_attr, _xml_text

    element = lxml.etree.Element("e", a=value)
    element.text = value
    assert lxml.etree.tostring(element, encoding="unicode") == (
        f'<e a="{_xml_attr(value)}">{_xml_text(value)}</e>'
    )

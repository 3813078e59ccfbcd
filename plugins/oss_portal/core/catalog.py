"""The validated, cross-linked whole: all published content with its indexes.

A :class:`Catalog` is built once per build by :class:`~.loading.ContentLoader`; its
indexes (by id, by community, by tag …) are computed on first use and answer every
question the outputs ask in constant time. Time-dependent answers (past event, open call,
scheduled news) are relative to the catalog's ``now``, the build time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from . import recurrence, regions
from .errors import ContentError
from .models import BERLIN, Community, Event, NewsItem, Tag
from .recurrence import Occurrence, SeriesDates


@dataclass
class TagEntry:
    """Everything carrying one tag."""

    tag: str
    communities: list[Community] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many items carry the tag."""
        return len(self.communities) + len(self.events) + len(self.news)


@dataclass
class RegionEntry:
    """What one region's page lists: the communities and events of the region, and for a
    Land also those of the Bund (work for the whole country concerns every Land)."""

    region: regions.Region
    communities: list[Community] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many communities and events the page lists."""
        return len(self.communities) + len(self.events)


class _TagIndex(dict[str, TagEntry]):
    def __missing__(self, tag: str) -> TagEntry:
        entry = self[tag] = TagEntry(tag)
        return entry


@dataclass(frozen=True)
class BrokenEntry:
    """An entry that has errors, as a preview shows it at its address instead of a 404."""

    kind: str  # "community", "event" or "news"
    id: str
    source: str  # file:line where it starts
    errors: tuple[ContentError, ...]


@dataclass
class Catalog:
    """All published content with its indexes, built once per build."""

    communities: list[Community]
    events: list[Event]
    news: list[NewsItem]
    drafts: list[NewsItem]
    now: datetime
    #: News dated after ``now``: published by the first build at or after their date
    #: (the daily pipeline). A preview (``mkdocs serve``) also lists them in ``news``.
    scheduled: list[NewsItem] = field(default_factory=list)
    #: Only in a preview: entries with errors whose id is known (see ``ContentLoader``).
    broken: list[BrokenEntry] = field(default_factory=list)
    #: Where each community and event is written: (kind, id) -> (file, first line).
    sources: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    #: The tag list (``data/tags.yaml``) by id; empty without one.
    tag_info: dict[str, Tag] = field(default_factory=dict)

    def tag_name(self, tag: str) -> str:
        """The name readers see for a tag: from the tag list, else the tag as written."""
        info = self.tag_info.get(tag)
        return info.name if info is not None else tag

    def tag_description(self, tag: str) -> str | None:
        """The tag list's one-line description of a tag, if it has one."""
        info = self.tag_info.get(tag)
        return info.description if info is not None else None

    @cached_property
    def tag_names_key(self) -> str:
        """Every tag's name and description, for the keys of pages that show them."""
        return repr(sorted((t.id, t.name, t.description) for t in self.tag_info.values()))

    @cached_property
    def community_by_id(self) -> dict[str, Community]:
        """Communities by id."""
        return {c.id: c for c in self.communities}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        """Events by id."""
        return {e.id: e for e in self.events}

    @cached_property
    def news_by_slug(self) -> dict[str, NewsItem]:
        """Published news by slug."""
        return {n.slug: n for n in self.news}

    @cached_property
    def events_by_community(self) -> dict[str, list[Event]]:
        """Events (ascending by start) per community id."""
        index: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            for cid in event.communities:
                index[cid].append(event)
        return dict(index)

    @cached_property
    def news_by_community(self) -> dict[str, list[NewsItem]]:
        """News (newest first) per community id."""
        index: dict[str, list[NewsItem]] = defaultdict(list)
        for item in self.news:
            for cid in item.communities:
                index[cid].append(item)
        return dict(index)

    @cached_property
    def news_by_event(self) -> dict[str, list[NewsItem]]:
        """News (newest first) per event id."""
        index: dict[str, list[NewsItem]] = defaultdict(list)
        for item in self.news:
            for eid in item.events:
                index[eid].append(item)
        return dict(index)

    @cached_property
    def tags(self) -> dict[str, TagEntry]:
        """One tag index across all three content types, sorted by tag."""
        # (Not ``setdefault(tag, TagEntry(tag))``: that builds an entry for every use of a
        # tag, 30,000 of them for 10,000 items, and cost more than the rest of the index.)
        index: dict[str, TagEntry] = _TagIndex()
        for community in self.communities:
            for tag in community.tags:
                index[tag].communities.append(community)
        for event in self.events:
            for tag in event.tags:
                index[tag].events.append(event)
        for item in self.news:
            for tag in item.tags:
                index[tag].news.append(item)
        return dict(sorted(index.items()))

    @cached_property
    def regions(self) -> dict[str, RegionEntry]:
        """Every region (all of :data:`.regions.REGIONS`, in their order) with what its
        page lists; news belong to a region through their communities and events."""
        index = {region.code: RegionEntry(region) for region in regions.REGIONS}
        bund = index["bund"]

        def places(codes: list[str]) -> list[RegionEntry]:
            codes = list(dict.fromkeys(codes))
            if "bund" in codes:  # Bund-wide: every Land's page, too
                return [e for e in index.values() if e.region.is_land or e is bund]
            return [index[code] for code in codes]

        for community in self.communities:
            for entry in places(community.regions):
                entry.communities.append(community)
        for event in self.events:
            for entry in places(event.regions):
                entry.events.append(event)
        for item in self.news:
            codes = {code for cid in item.communities for code in self._community_regions(cid)}
            codes |= {code for eid in item.events for code in self._event_regions(eid)}
            for entry in places(sorted(codes)):
                entry.news.append(item)
        return index

    def _community_regions(self, cid: str) -> list[str]:
        community = self.community_by_id.get(cid)
        return community.regions if community is not None else []

    def _event_regions(self, eid: str) -> list[str]:
        event = self.event_by_id.get(eid)
        return event.regions if event is not None else []

    @property
    def today(self) -> date:
        """The build date in Berlin."""
        return self.now.astimezone(BERLIN).date()

    @cached_property
    def series(self) -> dict[str, SeriesDates]:
        """The past and next dates of each series (event with ``repeat``) by event id."""
        return {e.id: recurrence.series_dates(e, self.now) for e in self.events if e.repeat}

    def shown(self, event: Event) -> Event | Occurrence:
        """The date a list shows of an event: the event itself, or a series' next date
        (once it is over, its first one)."""
        if event.repeat is None:
            return event
        return self.series[event.id].shown or event

    def is_past(self, event: Event) -> bool:
        """An event is past once its end (or, without an end, its start day) is over; a
        series once none of its dates lies ahead."""
        if event.repeat is not None:
            return self.series[event.id].next is None
        return event.ends_at <= self.now

    def series_end(self, event: Event) -> datetime | None:
        """When an event is over for good: its end, a series' last date's end, or
        ``None`` for a series without end."""
        if event.repeat is None:
            return event.ends_at
        last = self.series[event.id].last
        return last.ends_at if last is not None else None

    def upcoming_of(self, events: list[Event]) -> list[Event]:
        """Those of ``events`` (in start order) not yet over, soonest (next date) first."""
        upcoming = [e for e in events if not self.is_past(e)]
        if self.series:
            upcoming.sort(key=self._shown_key)
        return upcoming

    def past_of(self, events: list[Event]) -> list[Event]:
        """Those of ``events`` (in start order) that are over, most recent first."""
        # (A series is over only after its last date: it is filed, as everywhere, by
        # its first one.)
        return [e for e in reversed(events) if self.is_past(e)]

    def _shown_key(self, event: Event) -> tuple[datetime, str]:
        return self.shown(event).starts_at, event.title.casefold()

    @cached_property
    def upcoming_events(self) -> list[Event]:
        """Events not yet over, soonest first."""
        return self.upcoming_of(self.events)

    @cached_property
    def past_events(self) -> list[Event]:
        """Events that are over, most recent first."""
        return self.past_of(self.events)

    def is_scheduled(self, item: NewsItem) -> bool:
        """A news item dated after the build is not published yet."""
        return item.published_at > self.now

    def call_is_open(self, deadline: date | None) -> bool:
        """A call with a deadline is open up to and including that day."""
        return deadline is not None and deadline >= self.today

    @cached_property
    def open_calls(self) -> list[NewsItem]:
        """News with a deadline that has not passed, nearest deadline first."""
        calls = [n for n in self.news if self.call_is_open(n.deadline)]
        return sorted(calls, key=lambda n: (n.deadline, n.title))

    @cached_property
    def open_memberships(self) -> list[Community]:
        """Communities taking applications with a deadline that has not passed."""
        return [c for c in self.communities if self.call_is_open(c.membership.deadline)]

"""Property-based tests of the content core (issue 8, section 4), with hypothesis.

* Generated valid content (German, emoji and right-to-left text, any valid slug, dates
  around the switches to and from summer time) always validates, and every entry reaches
  the catalog with the values that were written.
* Generated invalid content (a valid project with one targeted mutation) always yields
  ``ContentError`` values that name the mutated file, line and field, and never another
  exception; the untouched entries are all still in the catalog.
* Arbitrary bytes and YAML-like text in any content file yield ``ContentError`` values or
  nothing, never an exception.

Files are written with PyYAML's emitter and the expected positions are read back with
PyYAML's own composer, independently of the loader under test.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oss_portal.core.errors import ContentError
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import (
    MAX_SUMMARY_LENGTH,
    MAX_TEXT_LENGTH,
    RESERVED_IDS,
    Community,
    Event,
    NewsFrontMatter,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=BERLIN)

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --------------------------------------------------------------------------------------
# Strategies for valid content
# --------------------------------------------------------------------------------------

#: Text a contributor might really write, mixed into generated text.
SAMPLES = [
    "Kommunales Open-Source-Board",
    "Straße",
    "Grüße aus Köln",
    "ÄÖÜ äöü ß ẞ",
    "„Anführungszeichen“ und ‚halbe‘",
    "Open Source – digitale Souveränität",
    "🐧🦆👩🏽‍💻🇩🇪",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u200fRTL\u200f mark",
    "e\u0301",
    "<script>alert(1)</script>",
    "a: b",
    "- x",
    "# kein Kommentar",
    "'",
    '"',
    "{[ ]}",
    "&anker *alias",
    "&#1; &#x85; &#xFFFE; &#65535; &#xD800;",  # references to what no output may hold
    "!tag",
    "%",
    "@",
    "`",
    "true",
    "no",
    "NO",
    "null",
    "~",
    "16:00",
    "1.10",
    "2023-01-11",
    "0x1F",
    "1e3",
    ".inf",
]
# No control characters and no non-characters U+FFFE/U+FFFF (the models refuse them), no
# surrogates. Line and paragraph separators are left out: PyYAML's emitter writes them raw
# and YAML 1.1 parsers treat them as line breaks (test_content_rules covers how positions
# stay right with them).
CHARACTERS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Zl", "Zp"),
    exclude_characters="\ufffe\uffff",
)


def text(max_size: int) -> st.SearchStrategy[str]:
    """One line of text that is not blank, within ``max_size`` characters once stripped."""
    parts = st.tuples(
        st.sampled_from(SAMPLES), st.text(CHARACTERS, max_size=40), st.sampled_from(SAMPLES)
    )
    return parts.map(" ".join).map(lambda s: s.strip()[:max_size].strip()).filter(bool)


markdown = st.lists(text(80), max_size=5).map("\n\n".join)
slug = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10), min_size=1, max_size=4
).map("-".join)
entry_id = slug.filter(lambda s: s not in RESERVED_IDS)
web_url = st.builds(
    lambda host, tld, path: f"https://{host}.{tld}/{path}",
    slug,
    st.sampled_from(["de", "org", "eu", "bund.de"]),
    slug,
)
email = st.builds(lambda user, host: f"{user}@{host}.de", slug, slug)
day = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


# Wall-clock times on the days Berlin switches to and from summer time, around 02:00-03:00.
dst_edge = st.builds(
    lambda year, month, hour, minute: datetime.combine(
        _last_sunday(year, month), datetime.min.time()
    ).replace(hour=hour, minute=minute),
    st.integers(1990, 2060),
    st.sampled_from([3, 10]),
    st.integers(0, 4),
    st.sampled_from([0, 1, 29, 30, 59]),
)
any_time = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31))


def exists_in_berlin(naive: datetime) -> bool:
    """False for wall-clock times skipped when clocks go forward."""
    aware = naive.replace(tzinfo=BERLIN)
    return aware.astimezone(UTC).astimezone(BERLIN).replace(tzinfo=None) == naive


local_time = st.one_of(dst_edge, any_time).map(lambda t: t.replace(second=0, microsecond=0))
local_time = local_time.filter(exists_in_berlin)


@st.composite
def moments(draw: st.DrawFn) -> tuple[str, str | None, datetime, datetime | None]:
    """start/end as written, plus what they must mean (aware, or midnight for all-day)."""
    if draw(st.booleans()):  # all-day
        start = draw(day)
        end = draw(st.none() | st.integers(0, 5).map(lambda n: start + timedelta(days=n)))
        as_dt = lambda d: datetime(d.year, d.month, d.day, tzinfo=BERLIN)  # noqa: E731
        return (
            start.isoformat(),
            end and end.isoformat(),
            as_dt(start),
            end and as_dt(end) + timedelta(days=1),
        )
    start_local = draw(local_time)
    end_local = draw(
        st.none()
        | st.integers(0, 600)
        .map(lambda n: start_local + timedelta(minutes=n))
        .filter(exists_in_berlin)
    )
    offset = draw(st.sampled_from(["", "", "Z", "+01:00", "-05:00"]))
    zone: Any = (
        BERLIN if not offset else (UTC if offset == "Z" else datetime.strptime(offset, "%z").tzinfo)
    )

    def written(t: datetime) -> str:
        return t.strftime("%Y-%m-%dT%H:%M") + offset

    start = start_local.replace(tzinfo=zone)
    end = end_local and end_local.replace(tzinfo=zone)
    return written(start_local), end_local and written(end_local), start, end


@st.composite
def communities(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A list of valid communities with unique ids."""
    ids = draw(st.lists(entry_id, min_size=1, max_size=3, unique=True))
    out = []
    for cid in ids:
        entry: dict[str, Any] = {
            "id": cid,
            "name": draw(text(MAX_TEXT_LENGTH)),
            "kind": draw(
                st.sampled_from(
                    ["community", "board", "network", "initiative", "working-group", "office"]
                )
            ),
            "summary": draw(text(MAX_SUMMARY_LENGTH)),
            "level": draw(st.sampled_from(["bund", "land", "kommune", "mixed"])),
        }
        optional: dict[str, Any] = {
            "description": markdown,
            "organizers": st.lists(text(60), max_size=3),
            "since": st.one_of(
                st.integers(1990, 2030).map(str),
                day.map(lambda d: d.isoformat()[:7]),
                day.map(date.isoformat),
            ),
            "website": web_url,
            "contact": st.one_of(
                st.fixed_dictionaries({"email": email}),
                st.fixed_dictionaries({"url": web_url}),
                st.fixed_dictionaries({"email": email, "url": web_url}),
            ),
            "membership": st.fixed_dictionaries(
                {"mode": st.sampled_from(["open", "application", "invitation"])},
                optional={"deadline": day.map(date.isoformat), "seats": st.integers(1, 100_000)},
            ),
            "tags": st.lists(slug, max_size=4),
            "status": st.sampled_from(["active", "inactive"]),
        }
        for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
            entry[key] = draw(optional[key])
        out.append(entry)
    return out


@st.composite
def events(draw: st.DrawFn, community_ids: list[str]) -> list[dict[str, Any]]:
    """A list of valid events, referring to ``community_ids``; meanings in ``_meaning``."""
    ids = draw(st.lists(entry_id, max_size=3, unique=True))
    out = []
    for eid in ids:
        start, end, starts_at, ends_at = draw(moments())
        fmt = draw(st.sampled_from(["online", "onsite", "hybrid"]))
        entry: dict[str, Any] = {
            "id": eid,
            "title": draw(text(MAX_TEXT_LENGTH)),
            "start": start,
            "format": fmt,
            "summary": draw(text(MAX_SUMMARY_LENGTH)),
        }
        if end is not None:
            entry["end"] = end
        if fmt != "online" or draw(st.booleans()):
            entry["location"] = draw(text(MAX_TEXT_LENGTH))
        if community_ids and draw(st.booleans()):
            entry["communities"] = draw(st.lists(st.sampled_from(community_ids), max_size=3))
        for key, strategy in (
            ("registration", web_url),
            ("recording", web_url),
            ("organizers", st.lists(text(60), max_size=3)),
            ("tags", st.lists(slug, max_size=3)),
            ("description", markdown),
            ("status", st.sampled_from(["scheduled", "cancelled", "postponed"])),
        ):
            if draw(st.booleans()):
                entry[key] = draw(strategy)
        entry["_meaning"] = (starts_at, ends_at)
        out.append(entry)
    return out


@st.composite
def news_files(
    draw: st.DrawFn, community_ids: list[str], event_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """News front matter by file name (with and without a date prefix)."""
    names = draw(st.lists(entry_id, max_size=3, unique=True))
    out = {}
    for name in names:
        prefix = draw(st.none() | day.map(lambda d: d.isoformat() + "-"))
        published = draw(
            st.one_of(
                day.map(date.isoformat), local_time.map(lambda t: t.strftime("%Y-%m-%dT%H:%M"))
            )
        )
        front: dict[str, Any] = {
            "title": draw(text(MAX_TEXT_LENGTH)),
            "date": published,
            "summary": draw(text(MAX_SUMMARY_LENGTH)),
        }
        if community_ids and draw(st.booleans()):
            front["communities"] = draw(st.lists(st.sampled_from(community_ids), max_size=2))
        if event_ids and draw(st.booleans()):
            front["events"] = draw(st.lists(st.sampled_from(event_ids), max_size=2))
        for key, strategy in (
            ("tags", st.lists(slug, max_size=3)),
            ("deadline", day.map(date.isoformat)),
            ("source", st.fixed_dictionaries({"name": text(60), "url": web_url})),
            ("draft", st.booleans()),
        ):
            if draw(st.booleans()):
                front[key] = draw(strategy)
        out[f"{prefix or ''}{name}.md"] = front
    return out


@dataclass
class Project:
    """Generated content, before it is written."""

    communities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    news: dict[str, dict[str, Any]]
    body: str = "Der Artikel.\n"


@st.composite
def projects(draw: st.DrawFn) -> Project:
    """A whole valid project."""
    comms = draw(communities())
    community_ids = [c["id"] for c in comms]
    evts = draw(events(community_ids))
    news = draw(news_files(community_ids, [e["id"] for e in evts]))
    return Project(comms, evts, news, draw(markdown) + "\n")


def dump(value: Any) -> str:
    """YAML as a contributor's editor might write it (PyYAML's emitter, Unicode kept)."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=72)


def clean(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries without the test's own bookkeeping keys."""
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def write(root: Path, project: Project) -> None:
    """Write the project files."""
    (root / "data").mkdir(parents=True)
    (root / "content" / "news").mkdir(parents=True)
    (root / "data" / "communities.yaml").write_text(dump(clean(project.communities)), "utf-8")
    (root / "data" / "events.yaml").write_text(dump(clean(project.events)), "utf-8")
    for name, front in project.news.items():
        (root / "content" / "news" / name).write_text(
            f"---\n{dump(front)}---\n{project.body}", "utf-8"
        )


@contextmanager
def project_dir() -> Iterator[Path]:
    """A fresh directory per example (hypothesis reruns the test body many times)."""
    with tempfile.TemporaryDirectory(prefix="oss-portal-prop-") as name:
        yield Path(name)


def load(root: Path) -> tuple[Any, list[ContentError]]:
    """The real loader, at a fixed "now"."""
    return ContentLoader(ContentPaths(root)).load(NOW)


# --------------------------------------------------------------------------------------
# Valid content always validates and is all in the catalog
# --------------------------------------------------------------------------------------


@SETTINGS
@given(projects())
def test_generated_valid_content_validates_and_is_all_in_the_catalog(project: Project) -> None:
    """Every generated entry validates and appears with the values that were written."""
    with project_dir() as root:
        write(root, project)
        catalog, errors = load(root)
    assert [str(e) for e in errors] == []

    assert set(catalog.community_by_id) == {c["id"] for c in project.communities}
    for written in project.communities:
        loaded = catalog.community_by_id[written["id"]]
        for key in ("name", "summary", "kind", "level", "website", "since", "description"):
            if key in written:
                assert getattr(loaded, key) == written[key], key
        assert [o.name for o in loaded.organizers] == written.get("organizers", [])
        assert loaded.tags == written.get("tags", [])

    assert set(catalog.event_by_id) == {e["id"] for e in project.events}
    for written in project.events:
        loaded = catalog.event_by_id[written["id"]]
        assert (loaded.title, loaded.summary) == (written["title"], written["summary"])
        starts_at, ends_at = written["_meaning"]
        assert loaded.starts_at == starts_at
        assert loaded.starts_at.utcoffset() == starts_at.utcoffset()
        if ends_at is not None:
            assert loaded.ends_at == ends_at
        assert loaded.communities == written.get("communities", [])
        for cid in set(written.get("communities", [])):
            assert loaded in catalog.events_by_community[cid]
    assert [e.starts_at for e in catalog.events] == sorted(e.starts_at for e in catalog.events)

    published = {n.slug: n for n in catalog.news}
    drafts = {n.slug: n for n in catalog.drafts}
    scheduled = {n.slug: n for n in catalog.scheduled}  # dated after NOW: not yet published
    assert set(published) | set(drafts) | set(scheduled) == {name[:-3] for name in project.news}
    for name, front in project.news.items():
        slug = name[:-3]
        if front.get("draft"):
            item = drafts[slug]
        elif slug in scheduled:
            item = scheduled[slug]
            assert item.published_at > NOW and slug not in published
        else:
            item = published[slug]
            assert item.published_at <= NOW
        assert (item.title, item.summary, item.body) == (
            front["title"],
            front["summary"],
            project.body.lstrip("\n"),
        )
        assert item.events == front.get("events", [])


# --------------------------------------------------------------------------------------
# Invalid content always yields positioned ContentErrors, and loses nothing else
# --------------------------------------------------------------------------------------

REQUIRED = {
    "communities": [n for n, f in Community.model_fields.items() if f.is_required()],
    "events": [n for n, f in Event.model_fields.items() if f.is_required()],
    "news": [n for n, f in NewsFrontMatter.model_fields.items() if f.is_required()],
}
TEXT_FIELDS = {
    "communities": ["name", "summary"],
    "events": ["title", "summary", "location"],
    "news": ["title", "summary"],
}
DATE_FIELDS = {"communities": ["since"], "events": ["start", "end"], "news": ["date", "deadline"]}
URL_FIELDS = {
    "communities": ["website"],
    "events": ["registration", "recording", "documentation"],
    "news": [],
}
KNOWN = {
    "communities": set(Community.model_fields),
    "events": set(Event.model_fields),
    "news": set(NewsFrontMatter.model_fields),
}

not_a_text = st.one_of(
    st.lists(st.text(max_size=3), min_size=1, max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.text(max_size=3), min_size=1),
    st.booleans(),
)
impossible_date = st.one_of(
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(1000, 9999),
        st.integers(13, 99),
        st.integers(1, 28),
    ),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}-32", st.integers(1000, 9999), st.integers(1, 12)),
    st.sampled_from(
        [
            "16:00",
            "heute",
            "11.01.2023",
            "2023-1-11",
            "2023-02-29",
            "2024-03-31T02:30",
            "2023-01-11T25:00",
            "20230111",
        ]
    ),
)
bad_url = st.builds(
    lambda scheme, rest: f"{scheme}:{rest}",
    st.sampled_from(["javascript", "JavaScript", "data", "vbscript", "file", "ftp", "mailto"]),
    st.text(CHARACTERS, max_size=30).map(lambda s: s.replace(" ", "") or "x"),
)
unknown_key = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=14).filter(
    lambda k: not k.startswith("_")
)


@dataclass
class Mutation:
    """One change that makes one entry invalid, and where its error must point."""

    kind: str  # communities, events or news
    index: int  # position of the entry in its file (news: in sorted file order)
    field: str
    how: str  # "value", "key" or "entry": which node the error points at


@st.composite
def mutated_projects(draw: st.DrawFn) -> tuple[Project, Mutation]:
    """A valid project with exactly one entry broken in one way."""
    project = draw(projects())
    kinds = [
        k
        for k, entries in (
            ("communities", project.communities),
            ("events", project.events),
            ("news", project.news),
        )
        if entries
    ]
    kind = draw(st.sampled_from(kinds))
    if kind == "news":
        names = sorted(project.news)
        index = draw(st.integers(0, len(names) - 1))
        entry = project.news[names[index]]
    else:
        entries = project.communities if kind == "communities" else project.events
        index = draw(st.integers(0, len(entries) - 1))
        entry = entries[index]

    how = draw(st.sampled_from(["type", "unknown", "missing", "date", "url", "slug", "long"]))
    if how == "url" and not URL_FIELDS[kind]:
        how = "date"
    if how == "slug" and kind == "news":
        how = "long"
    if how == "type":
        field = draw(st.sampled_from([f for f in TEXT_FIELDS[kind] if f in entry]))
        entry[field] = draw(not_a_text)
        return project, Mutation(kind, index, field, "value")
    if how == "unknown":
        field = draw(unknown_key.filter(lambda k: k not in KNOWN[kind] and k not in entry))
        entry[field] = draw(st.sampled_from(["x", "1", "true"]))
        return project, Mutation(kind, index, field, "key")
    if how == "missing":
        field = draw(st.sampled_from(REQUIRED[kind]))
        del entry[field]
        return project, Mutation(kind, index, field, "entry")
    if how == "date":
        field = draw(st.sampled_from(DATE_FIELDS[kind]))
        entry[field] = draw(impossible_date)
        if kind == "communities" and re.fullmatch(r"\d{4}-\d{2}", entry[field][:7]) is None:
            entry[field] = "2020-13"  # "since" also takes shorter forms; keep it impossible
        return project, Mutation(kind, index, field, "value")
    if how == "url":
        field = draw(st.sampled_from(URL_FIELDS[kind]))
        entry[field] = draw(bad_url)
        return project, Mutation(kind, index, field, "value")
    if how == "slug":
        entry["id"] = draw(
            st.sampled_from(
                [
                    "Gross",
                    "unter_strich",
                    "-vorne",
                    "doppelt--x",
                    "umlaut-ä",
                    "../weg",
                    "index",
                    "a" * 81,
                ]
            )
        )
        return project, Mutation(kind, index, "id", "value")
    entry["summary"] = "x" * draw(st.integers(MAX_SUMMARY_LENGTH + 1, 2000))
    return project, Mutation(kind, index, "summary", "value")


def expected_position(root: Path, project: Project, mutation: Mutation) -> tuple[str, int]:
    """File and line the error must name, found with PyYAML's own composer."""
    if mutation.kind == "news":
        rel = f"content/news/{sorted(project.news)[mutation.index]}"
        text = (root / rel).read_text("utf-8").split("---\n")[1]
        node, offset = yaml.compose(text), 1
    else:
        rel = f"data/{mutation.kind}.yaml"
        document = yaml.compose((root / rel).read_text("utf-8"))
        node, offset = document.value[mutation.index], 0
    if mutation.how == "entry":
        return rel, node.start_mark.line + 1 + offset
    for key, value in node.value:
        if key.value == mutation.field:
            target = key if mutation.how == "key" else value
            return rel, target.start_mark.line + 1 + offset
    raise AssertionError(f"{mutation.field} not written")


def entry_name(project: Project, mutation: Mutation) -> str:
    if mutation.kind == "news":
        return sorted(project.news)[mutation.index][:-3]
    entries = project.communities if mutation.kind == "communities" else project.events
    return str(entries[mutation.index].get("id", ""))


@SETTINGS
@given(mutated_projects())
def test_generated_invalid_content_yields_positioned_content_errors(
    case: tuple[Project, Mutation],
) -> None:
    """One broken entry: its errors name file, line and field; every other entry stays."""
    project, mutation = case
    with project_dir() as root:
        write(root, project)
        catalog, errors = load(root)
        where = expected_position(root, project, mutation)

    assert errors, "the mutation went unnoticed"
    assert all(isinstance(e, ContentError) for e in errors)
    prefix = "" if mutation.kind == "news" else f"{mutation.kind}[{mutation.index}]."
    field = f"{prefix}{mutation.field}"
    assert any(
        (e.path, e.line) == where and (e.field == field or e.field.startswith(field + "["))
        for e in errors
    ), (where, field, [str(e) for e in errors])

    # Nothing lost: every other entry is still in the catalog.
    broken = entry_name(project, mutation)
    ids = {
        "communities": set(catalog.community_by_id),
        "events": set(catalog.event_by_id),
        "news": {n.slug for n in catalog.news + catalog.drafts + catalog.scheduled},
    }
    for kind, written in (
        ("communities", [c.get("id") for c in project.communities]),
        ("events", [e.get("id") for e in project.events]),
        ("news", [name[:-3] for name in sorted(project.news)]),
    ):
        others = {
            w for i, w in enumerate(written) if not (kind == mutation.kind and i == mutation.index)
        }
        if kind == mutation.kind and mutation.field == "id":
            others.discard(broken)
        assert others <= ids[kind], kind


# --------------------------------------------------------------------------------------
# Arbitrary bytes and text never raise
# --------------------------------------------------------------------------------------

yaml_ish = st.text(
    st.one_of(st.sampled_from(list("-:[]{}&*!|>'\"#%@`,?\t\n ")), CHARACTERS),
    max_size=300,
)
target = st.sampled_from(["data/communities.yaml", "data/events.yaml", "content/news/a.md"])


def assert_only_content_errors(root: Path, rel: str) -> None:
    catalog, errors = load(root)
    assert all(isinstance(e, ContentError) for e in errors)
    for e in errors:
        assert e.path in {"data/communities.yaml", "data/events.yaml", "content/news/a.md"}
        assert e.line >= 1 and e.column >= 1 and e.message
    assert catalog is not None


@settings(max_examples=150, deadline=None)
@given(target, st.binary(max_size=400))
def test_random_bytes_yield_content_errors_only(rel: str, data: bytes) -> None:
    """Whatever bytes a file holds, loading reports content errors and never raises."""
    with project_dir() as root:
        write(root, Project([], [], {}))
        (root / rel).write_bytes(data)
        assert_only_content_errors(root, rel)


@settings(max_examples=150, deadline=None)
@given(target, yaml_ish, st.booleans())
def test_random_yaml_text_yields_content_errors_only(rel: str, text_: str, crlf: bool) -> None:
    """YAML-like noise (indicators, tabs, quotes, anchors) never escapes as an exception."""
    if rel.endswith(".md"):
        text_ = f"---\n{text_}\n---\n"
    if crlf:
        text_ = text_.replace("\n", "\r\n")
    with project_dir() as root:
        write(root, Project([], [], {}))
        (root / rel).write_text(text_, "utf-8")
        assert_only_content_errors(root, rel)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=20,
    ),
    target,
)
def test_random_yaml_values_yield_content_errors_only(value: Any, rel: str) -> None:
    """Well-formed YAML of any shape in any file: content errors, never an exception."""
    text_ = dump(value)
    if rel.endswith(".md"):
        text_ = f"---\n{text_}---\n"
    with project_dir() as root:
        write(root, Project([], [], {}))
        (root / rel).write_text(text_, "utf-8")
        assert_only_content_errors(root, rel)

"""Reproducible synthetic content for benchmarks and scaling tests.

:func:`generate_project` writes a content set of any size in the project layout
(``data/communities.yaml``, ``data/events.yaml``, ``content/news/*.md``): realistic German
text of about 150 words per item from a fixed phrase bank, tags from a vocabulary of 50,
references between items (events -> communities, news -> communities and events), a mix
of 20 % communities, 30 % events and 50 % news, cancelled and postponed events, drafts,
deadlines, and events spread over past and future around :data:`REFERENCE_DATE`.
Everything is valid for the content model. The same seed always gives the same bytes.

:func:`write_floor_project` writes the *floor* a build is compared with: a plain MkDocs +
Material project with the same number of equivalent Markdown pages, not listed in the nav,
using the real ``mkdocs.yml`` minus the ``oss-portal`` plugin.

No network, no data files: the text comes from the word lists below.
"""

from __future__ import annotations

import json
import random
import shutil
import textwrap
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from oss_portal.core import urls
from oss_portal.core.regions import CODES
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Events are spread around this date (some years before, some after); news up to it.
REFERENCE_DATE = date(2026, 6, 1)
#: Shares of the three content types (communities, events; the rest are news).
MIX = {"communities": 0.2, "events": 0.3}
#: Name of our plugin in ``mkdocs.yml`` (dropped for the floor).
PLUGIN_NAME = "oss-portal"
#: Top-level entries of the project never copied into a synthetic portal project.
_NOT_COPIED = frozenset(
    {
        ".git",
        ".ci",
        "site",
        "tools",
        "tests",
        "plugins",
        "scripts",
        "data",
        "node_modules",
        ".venv",
        "venv",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        "__pycache__",
    }
)

# --- the phrase bank ----------------------------------------------------------------------

TAGS: tuple[str, ...] = (
    "kommunen",
    "land",
    "bund",
    "digitale-souveraenitaet",
    "nachnutzung",
    "opencode",
    "governance",
    "freie-software",
    "beschaffung",
    "vergaberecht",
    "lizenzen",
    "sicherheit",
    "barrierefreiheit",
    "open-data",
    "cloud",
    "kuenstliche-intelligenz",
    "ozg",
    "e-akte",
    "fachverfahren",
    "schnittstellen",
    "standards",
    "interoperabilitaet",
    "linux",
    "office",
    "videokonferenz",
    "kollaboration",
    "datenschutz",
    "it-betrieb",
    "rechenzentrum",
    "weiterbildung",
    "community-management",
    "wissensaustausch",
    "kooperation",
    "dokumentation",
    "qualitaetssicherung",
    "softwareentwicklung",
    "devops",
    "geodaten",
    "portalverbund",
    "register",
    "bildung",
    "schule",
    "gesundheit",
    "justiz",
    "smart-city",
    "nachhaltigkeit",
    "foerderung",
    "forschung",
    "strategie",
    "migration",
)

_TOPICS: tuple[tuple[str, str], ...] = (
    ("Digitale Souveränität", "digitale-souveraenitaet"),
    ("Nachnutzung von Software", "nachnutzung"),
    ("Open CoDE", "opencode"),
    ("Open-Source-Governance", "governance"),
    ("Freie Software", "freie-software"),
    ("Beschaffung von Open Source", "beschaffung"),
    ("Vergaberecht", "vergaberecht"),
    ("Open-Source-Lizenzen", "lizenzen"),
    ("IT-Sicherheit", "sicherheit"),
    ("Barrierefreiheit", "barrierefreiheit"),
    ("Open Data", "open-data"),
    ("Souveräne Cloud", "cloud"),
    ("Künstliche Intelligenz", "kuenstliche-intelligenz"),
    ("OZG-Umsetzung", "ozg"),
    ("E-Akte", "e-akte"),
    ("Fachverfahren", "fachverfahren"),
    ("Offene Schnittstellen", "schnittstellen"),
    ("Offene Standards", "standards"),
    ("Linux am Arbeitsplatz", "linux"),
    ("Videokonferenzen", "videokonferenz"),
    ("Datenschutz", "datenschutz"),
    ("IT-Betrieb", "it-betrieb"),
    ("Geodaten", "geodaten"),
    ("Smart City", "smart-city"),
    ("Schul-IT", "schule"),
)

_CITIES: tuple[str, ...] = (
    "Berlin",
    "Hamburg",
    "München",
    "Köln",
    "Frankfurt",
    "Stuttgart",
    "Düsseldorf",
    "Leipzig",
    "Dortmund",
    "Essen",
    "Bremen",
    "Dresden",
    "Hannover",
    "Nürnberg",
    "Bonn",
    "Münster",
    "Karlsruhe",
    "Mannheim",
    "Augsburg",
    "Wiesbaden",
    "Kiel",
    "Magdeburg",
    "Erfurt",
    "Mainz",
    "Rostock",
    "Kassel",
    "Potsdam",
    "Saarbrücken",
    "Schwerin",
    "Freiburg",
    "Heidelberg",
    "Ulm",
    "Jena",
    "Lübeck",
    "Oldenburg",
    "Bruchsal",
    "Bühl",
    "Tübingen",
    "Göttingen",
    "Regensburg",
)

_ORGS: tuple[str, ...] = (
    "ZenDiS",
    "KGSt",
    "Vitako",
    "Dataport",
    "ITZBund",
    "DigitalService",
    "Deutscher Städtetag",
    "Deutscher Landkreistag",
    "Open Source Business Alliance",
    "Free Software Foundation Europe",
    "Offene Kommunen.NRW",
    "Do-FOSS",
    "Bundesministerium des Innern",
    "FITKO",
    "IT-Planungsrat",
    "govdigital",
    "AKDB",
    "Komm.ONE",
    "ekom21",
    "regio iT",
    "Landesamt für Digitalisierung",
    "Bayerisches Staatsministerium für Digitales",
    "Senatsverwaltung für Inneres",
    "Stadt Dortmund",
    "Landeshauptstadt München",
    "Stadt Bonn",
    "Landkreis Harz",
    "Freie und Hansestadt Hamburg",
)

_TOOLS: tuple[str, ...] = (
    "Nextcloud",
    "Collabora Online",
    "Matrix",
    "Jitsi",
    "BigBlueButton",
    "openDesk",
    "LibreOffice",
    "Moodle",
    "QGIS",
    "PostgreSQL",
    "Keycloak",
    "GitLab",
    "OpenProject",
    "Univention Corporate Server",
    "Thunderbird",
    "CKAN",
    "Decidim",
    "Typo3",
)

_KINDS: tuple[tuple[str, str], ...] = (
    ("community", "Community"),
    ("board", "Board"),
    ("network", "Netzwerk"),
    ("initiative", "Initiative"),
    ("working-group", "Arbeitskreis"),
    ("office", "Koordinierungsstelle"),
)
_LEVELS = ("bund", "land", "kommune", "mixed")
_EVENT_KINDS = (
    "Fachtag",
    "Werkstattgespräch",
    "Web-Meeting",
    "Barcamp",
    "Netzwerktreffen",
    "Online-Sprechstunde",
    "Konferenz",
    "Hackathon",
    "Infoveranstaltung",
    "Praxisforum",
)
_NEWS_VERBS = (
    "veröffentlicht Leitfaden zu",
    "startet Projekt zu",
    "zieht Bilanz bei",
    "sucht Mitstreiter für",
    "legt Bericht vor zu",
    "fördert Vorhaben zu",
    "beschließt Strategie für",
    "gründet Arbeitsgruppe zu",
    "stellt Ergebnisse vor zu",
    "ruft zur Beteiligung auf bei",
)

_SENTENCES: tuple[str, ...] = (
    "{org} setzt beim Thema {topic} auf offene Lösungen und teilt die Erfahrungen mit "
    "anderen Verwaltungen.",
    "In {city} arbeiten Fachleute aus Organisation, IT und Einkauf gemeinsam daran, "
    "{topic} im Alltag der Behörden zu verankern.",
    "Die Beteiligten berichten, dass sich der Einsatz von {tool} nach einer kurzen "
    "Eingewöhnung bewährt hat.",
    "Wichtig ist allen Beteiligten, dass Quellcode und Dokumentation auf Open CoDE "
    "veröffentlicht werden, damit andere Stellen sie nachnutzen können.",
    "Gerade kleinere Kommunen profitieren davon, wenn Lösungen nicht jedes Mal neu "
    "entwickelt werden müssen.",
    "{org} lädt Beschäftigte aus Bund, Ländern und Kommunen ein, eigene Fragen und "
    "Beispiele aus der Praxis mitzubringen.",
    "Im Mittelpunkt stehen rechtliche, organisatorische und technische Fragen rund um {topic}.",
    "Erfahrungen aus {city} zeigen, dass eine gute Dokumentation den Betrieb von {tool} "
    "deutlich erleichtert.",
    "Die Ergebnisse fließen in eine gemeinsame Handreichung ein, die allen Verwaltungen "
    "kostenlos zur Verfügung steht.",
    "Wer mitmachen möchte, braucht keine Vorkenntnisse, sondern vor allem Neugier und "
    "Interesse am Austausch.",
    "Bei der Beschaffung achten die Verantwortlichen darauf, dass offene Standards und "
    "freie Lizenzen berücksichtigt werden.",
    "Mehrere Landesverwaltungen haben angekündigt, sich an der Weiterentwicklung von "
    "{tool} zu beteiligen.",
    "Die Zusammenarbeit mit {org} soll helfen, Abhängigkeiten von einzelnen Herstellern "
    "zu verringern.",
    "Für {topic} gibt es inzwischen erprobte Vorlagen, die Verwaltungen anpassen und "
    "weitergeben dürfen.",
    "Ein regelmäßiger Austausch im Netzwerk sorgt dafür, dass gute Ideen schnell bei "
    "anderen Behörden ankommen.",
    "Die Teilnehmenden diskutierten, wie sich Sicherheit, Datenschutz und Barrierefreiheit "
    "von Anfang an mitdenken lassen.",
    "Nach Einschätzung von {org} wird die Verwaltung nur dann souveräner, wenn viele "
    "Stellen an einem Strang ziehen.",
    "Ein erster Prototyp läuft bereits in {city} und wird dort mit echten Nutzerinnen und "
    "Nutzern erprobt.",
    "Offene Fragen zu Haftung, Gewährleistung und Support werden in einer eigenen "
    "Arbeitsgruppe geklärt.",
    "Die Veranstaltenden stellen Folien und Mitschriften im Anschluss allen Interessierten "
    "zur Verfügung.",
)
_HEADINGS = (
    "Worum es geht",
    "Hintergrund",
    "Ziele",
    "Erfahrungen aus der Praxis",
    "Nächste Schritte",
    "Mitmachen",
    "Ergebnisse",
    "Programm",
)
_BULLETS = (
    "Erfahrungsberichte aus {city}",
    "Fragen zu {topic}",
    "Betrieb von {tool}",
    "Beschaffung und Vergabe",
    "gemeinsame Weiterentwicklung auf Open CoDE",
    "Austausch mit {org}",
    "Schulung und Weiterbildung",
    "Sicherheit und Datenschutz",
)
_SUMMARIES = (
    "{org} und Partner aus {city} bündeln Wissen zu {topic} und machen es für die ganze "
    "Verwaltung nutzbar.",
    "Austausch von Beschäftigten aus Bund, Ländern und Kommunen über {topic} und den "
    "Einsatz von {tool}.",
    "Praxisnahe Informationen zu {topic} mit Beispielen aus {city} und Hinweisen zur Nachnutzung.",
    "Wie Verwaltungen {topic} gemeinsam voranbringen: Erfahrungen, Stolpersteine und "
    "nächste Schritte.",
)

# --- generation ---------------------------------------------------------------------------

#: Longest slug of a synthetic id or address part.
_SLUG_LIMIT = 60


@dataclass(frozen=True)
class _Text:
    """One-sentence summary and Markdown body of one synthetic item."""

    summary: str
    body: str


class _Writer:
    """Draws all synthetic values from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def fill(self, template: str, topic: str | None = None) -> str:
        rng = self.rng
        return template.format(
            org=rng.choice(_ORGS),
            city=rng.choice(_CITIES),
            tool=rng.choice(_TOOLS),
            topic=topic or rng.choice(_TOPICS)[0],
        )

    def text(self, topic: str, words: int = 122) -> _Text:
        """About ``words`` words of Markdown in two or three sections (plus a summary)."""
        rng = self.rng
        summary = self.fill(rng.choice(_SUMMARIES), topic)
        blocks: list[str] = []
        count = 0
        paragraph: list[str] = []
        headings = rng.sample(_HEADINGS, 3)
        with_list = rng.random() < 0.4
        while count < words:
            sentence = self.fill(rng.choice(_SENTENCES), topic)
            paragraph.append(sentence)
            count += len(sentence.split())
            if len(paragraph) >= rng.randint(3, 4) or count >= words:
                if blocks and headings and rng.random() < 0.7:
                    blocks.append("## " + headings.pop())
                blocks.append(textwrap.fill(" ".join(paragraph), width=88, break_on_hyphens=False))
                paragraph = []
                if with_list and count < words:
                    with_list = False
                    items = rng.sample(_BULLETS, 3)
                    blocks.append("\n".join("- " + self.fill(i, topic) for i in items))
                    count += sum(len(i.split()) for i in items)
        return _Text(summary, "\n\n".join(blocks) + "\n")

    def tags(self, topic_tag: str) -> list[str]:
        extra = self.rng.sample(TAGS, self.rng.randint(1, 4))
        return list(dict.fromkeys([topic_tag, *extra]))

    def some(self, pool: list[str], low: int, high: int) -> list[str]:
        if not pool:
            return []
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))


def _unique(slug: str, seen: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in seen:
        candidate = f"{slug}-{number}"
        number += 1
    seen.add(candidate)
    return candidate


def _q(value: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _block(key: str, text: str, indent: str) -> str:
    lines = [f"{indent}{key}: |"]
    lines.extend((indent + "  " + line) if line else "" for line in text.rstrip("\n").split("\n"))
    return "\n".join(lines)


def _regions(entry_id: str) -> list[str]:
    """One or two regions for four entries in five, from the id (not from the random
    stream, so that adding regions left the rest of the content as it was)."""
    digest = zlib.crc32(entry_id.encode())
    if digest % 5 == 0:
        return []
    first = CODES[digest % len(CODES)]
    second = CODES[(digest // 7) % len(CODES)]
    return [first] if digest % 3 or second == first else [first, second]


def _series(entry_id: str, day: date, start: str, end: str) -> list[str]:
    """For one timed event in twenty (chosen by the id, like the regions): a weekly or
    fortnightly series, with an excepted, a cancelled and a moved date."""
    digest = zlib.crc32(entry_id.encode())
    if digest % 20 != 7:
        return []
    weeks = 1 + (digest // 20) % 2
    step = timedelta(weeks=weeks)
    moved = day + 6 * step
    hour, minute = int(start[11:13]), start[14:16]
    end_hour = int(end[11:13])
    lines = ["  repeat:", f"    every: {'week' if weeks == 1 else '2 weeks'}"]
    if digest % 3:  # two in three end, the others run on
        lines.append(f"    until: {_q((day + 45 * step).isoformat())}")
    return [
        *lines,
        f"    except: [{_q((day + 2 * step).isoformat())}]",
        f"    cancelled: [{_q((day + 4 * step).isoformat())}]",
        "    moved:",
        f"      - date: {_q(moved.isoformat())}",
        f"        start: {_q(f'{moved + timedelta(days=1)}T{hour + 1:02d}:{minute}')}",
        f"        end: {_q(f'{moved + timedelta(days=1)}T{end_hour + 1:02d}:00')}",
    ]


def _list(key: str, values: list[str], indent: str) -> list[str]:
    if not values:
        return []
    return [f"{indent}{key}:", *(f"{indent}  - {_q(v)}" for v in values)]


def split_counts(total_items: int) -> dict[str, int]:
    """How many communities, events and news a content set of ``total_items`` holds."""
    communities = round(total_items * MIX["communities"])
    events = round(total_items * MIX["events"])
    return {
        "communities": communities,
        "events": events,
        "news": total_items - communities - events,
    }


def _communities(w: _Writer, n: int) -> tuple[list[str], list[str]]:
    rng = w.rng
    ids: list[str] = []
    seen: set[str] = set()
    blocks: list[str] = []
    for _ in range(n):
        kind, kind_label = rng.choice(_KINDS)
        topic, topic_tag = rng.choice(_TOPICS)
        city = rng.choice(_CITIES)
        name = f"{kind_label} {topic} {city}"
        cid = _unique(urls.slugify(name, _SLUG_LIMIT), seen)
        ids.append(cid)
        text = w.text(topic)
        lines = [
            f"- id: {cid}",
            f"  name: {_q(name)}",
            f"  kind: {kind}",
            f"  summary: {_q(text.summary)}",
            _block("description", text.body, "  "),
        ]
        lines += _list("organizers", rng.sample(_ORGS, rng.randint(1, 3)), "  ")
        lines += _list("regions", _regions(cid), "  ")
        since = REFERENCE_DATE - timedelta(days=rng.randint(200, 15 * 365))
        lines.append(
            "  since: "
            + _q(rng.choice((str(since.year), since.strftime("%Y-%m"), since.isoformat())))
        )
        lines.append(f"  level: {rng.choice(_LEVELS)}")
        if rng.random() < 0.7:
            lines.append(f"  website: https://{cid}.beispiel.de")
        if rng.random() < 0.6:
            lines += [
                "  contact:",
                f"    email: open-source@{urls.slugify(city, _SLUG_LIMIT)}.beispiel.de",
            ]
        roll = rng.random()
        if roll < 0.15:
            deadline = REFERENCE_DATE + timedelta(days=rng.randint(-365, 730))
            lines += [
                "  membership:",
                "    mode: application",
                f"    deadline: {_q(deadline.isoformat())}",
                f"    seats: {rng.randint(5, 40)}",
            ]
        elif roll < 0.25:
            lines += ["  membership:", "    mode: invitation"]
        lines += _list("tags", w.tags(topic_tag), "  ")
        if rng.random() < 0.05:
            lines.append("  status: inactive")
        blocks.append("\n".join(lines))
    return ids, blocks


def _events(w: _Writer, n: int, community_ids: list[str]) -> tuple[list[str], list[str]]:
    rng = w.rng
    ids: list[str] = []
    seen: set[str] = set()
    blocks: list[str] = []
    for _ in range(n):
        topic, topic_tag = rng.choice(_TOPICS)
        city = rng.choice(_CITIES)
        day = REFERENCE_DATE + timedelta(days=rng.randint(-5 * 365, 3 * 365))
        title = f"{rng.choice(_EVENT_KINDS)} {topic} {day.year} in {city}"
        eid = _unique(urls.slugify(f"{title} {day.strftime('%m-%d')}", _SLUG_LIMIT), seen)
        ids.append(eid)
        if rng.random() < 0.3:
            start, end = day.isoformat(), (day + timedelta(days=rng.randint(0, 2))).isoformat()
        else:
            hour = rng.randint(9, 16)
            start = f"{day.isoformat()}T{hour:02d}:{rng.choice(('00', '30'))}"
            end = f"{day.isoformat()}T{hour + rng.randint(1, 3):02d}:00"
        fmt = rng.choice(("online", "onsite", "hybrid"))
        text = w.text(topic)
        lines = [
            f"- id: {eid}",
            f"  title: {_q(title)}",
            f"  start: {_q(start)}",
            f"  end: {_q(end)}",
            f"  format: {fmt}",
        ]
        if fmt != "online":
            lines.append(f"  location: {_q(f'Rathaus {city}, Marktplatz 1, {city}')}")
        if rng.random() < 0.5:
            lines.append(f"  registration: https://anmeldung.beispiel.de/{eid}")
        lines += _list("communities", w.some(community_ids, 1, 3), "  ")
        lines += _list("organizers", rng.sample(_ORGS, rng.randint(1, 2)), "  ")
        lines += [f"  summary: {_q(text.summary)}", _block("description", text.body, "  ")]
        lines += _list("tags", w.tags(topic_tag), "  ")
        lines += _list("regions", _regions(eid), "  ")
        if "T" in start:
            lines += _series(eid, day, start, end)
        roll = rng.random()
        if roll < 0.04:
            lines.append("  status: cancelled")
        elif roll < 0.07:
            lines.append("  status: postponed")
        elif day < REFERENCE_DATE and rng.random() < 0.3:
            lines.append(f"  recording: https://video.beispiel.de/{eid}")
            lines.append(f"  documentation: https://doku.beispiel.de/{eid}")
        blocks.append("\n".join(lines))
    return ids, blocks


def _news(
    w: _Writer, n: int, community_ids: list[str], event_ids: list[str]
) -> Iterator[tuple[str, str, bool]]:
    rng = w.rng
    seen: set[str] = set()
    for _ in range(n):
        topic, topic_tag = rng.choice(_TOPICS)
        org = rng.choice(_ORGS)
        day = REFERENCE_DATE - timedelta(days=rng.randint(0, 6 * 365))
        title = f"{org} {rng.choice(_NEWS_VERBS)} {topic}"
        slug = _unique(f"{day.isoformat()}-{urls.slugify(title, 50)}", seen)
        stamp = (
            day.isoformat()
            if rng.random() < 0.7
            else (f"{day.isoformat()}T{rng.randint(8, 18):02d}:{rng.choice(('00', '15', '30'))}")
        )
        text = w.text(topic)
        lines = ["---", f"title: {_q(title)}", f"date: {_q(stamp)}", f"summary: {_q(text.summary)}"]
        lines += _list("tags", w.tags(topic_tag), "")
        lines += _list("communities", w.some(community_ids, 0, 2), "")
        lines += _list("events", w.some(event_ids, 0, 2), "")
        if rng.random() < 0.5:
            lines += [
                "source:",
                f"  name: {_q(org)}",
                f"  url: https://{urls.slugify(org, _SLUG_LIMIT)}.beispiel.de/meldungen",
            ]
        if rng.random() < 0.08:
            deadline = day + timedelta(days=rng.randint(14, 120))
            lines.append(f"deadline: {_q(deadline.isoformat())}")
        draft = rng.random() < 0.03
        if draft:
            lines.append("draft: true")
        lines += ["---", text.body]
        yield slug, "\n".join(lines), draft


def generate_project(target_dir: Path | str, total_items: int, seed: int = 1) -> dict[str, int]:
    """Write a synthetic content set of ``total_items`` items into ``target_dir``.

    Writes ``data/communities.yaml``, ``data/events.yaml`` and ``content/news/*.md`` and
    returns the counts (``communities``, ``events``, ``news`` including ``drafts``, and
    ``total``). Refuses to write over existing content. The same seed gives the same bytes.
    """
    target = Path(target_dir)
    data, news_dir = target / "data", target / "content" / "news"
    existing = [data / "communities.yaml", data / "events.yaml"]
    if any(p.exists() for p in existing) or (news_dir.is_dir() and any(news_dir.glob("*.md"))):
        raise FileExistsError(f"{target} already holds content; use an empty directory")
    counts = split_counts(total_items)
    writer = _Writer(seed)
    community_ids, community_blocks = _communities(writer, counts["communities"])
    event_ids, event_blocks = _events(writer, counts["events"], community_ids)
    data.mkdir(parents=True, exist_ok=True)
    news_dir.mkdir(parents=True, exist_ok=True)
    header = "# Synthetic content (devtools.synthetic, seed {seed})\n"
    for path, blocks in ((existing[0], community_blocks), (existing[1], event_blocks)):
        body = "\n\n".join(blocks) + "\n" if blocks else "[]\n"
        path.write_text(header.format(seed=seed) + body, encoding="utf-8")
    drafts = 0
    for slug, text, draft in _news(writer, counts["news"], community_ids, event_ids):
        (news_dir / f"{slug}.md").write_text(text, encoding="utf-8")
        drafts += draft
    return {**counts, "drafts": drafts, "total": total_items}


def write_portal_project(
    target_dir: Path | str, total_items: int, seed: int = 1, source: Path | str | None = None
) -> dict[str, int]:
    """A complete portal project: the real one's configuration and pages, synthetic content.

    Copies ``source`` (default: this repository) without its content, code and tooling
    (``data/``, everything in ``content/news/``, ``plugins/``, ``tests/`` …) and then calls
    :func:`generate_project`. Returns its counts.
    """
    src = Path(source) if source is not None else project_root()
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    news = src / "content" / "news"
    for entry in sorted(src.iterdir()):
        if entry.name in _NOT_COPIED or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            shutil.copytree(
                entry,
                target / entry.name,
                ignore=lambda d, names: [
                    n
                    for n in names
                    if n == "__pycache__" or Path(d) == news  # generated below
                ],
            )
        else:
            shutil.copy2(entry, target / entry.name)
    return generate_project(target, total_items, seed)


def project_root() -> Path:
    """The repository these tools belong to."""
    return Path(__file__).resolve().parents[1]


# --- the floor ----------------------------------------------------------------------------


def _floor_page(w: _Writer, number: int) -> str:
    topic, _tag = w.rng.choice(_TOPICS)
    title = f"{w.rng.choice(_EVENT_KINDS)} {topic} {number}"
    text = w.text(topic)
    return f"# {title}\n\n{text.summary}\n\n{text.body}"


def _mapping_get(node: MappingNode, key: str) -> Node | None:
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            found: Node = v
            return found
    return None


def _mapping_set(node: MappingNode, key: str, value: Node | None) -> None:
    """Replace (or with ``None`` remove) ``key``; append it when missing."""
    for i, (k, _v) in enumerate(node.value):
        if isinstance(k, ScalarNode) and k.value == key:
            if value is None:
                del node.value[i]
            else:
                node.value[i] = (k, value)
            return
    if value is not None:
        node.value.append((_scalar(key), value))


def _scalar(value: str) -> ScalarNode:
    return ScalarNode("tag:yaml.org,2002:str", value)


def _is_our_plugin(node: Node) -> bool:
    if isinstance(node, ScalarNode):
        return bool(node.value == PLUGIN_NAME)
    return isinstance(node, MappingNode) and any(
        isinstance(k, ScalarNode) and k.value == PLUGIN_NAME for k, _v in node.value
    )


def _nav_files(node: Node) -> Iterator[str]:
    """Markdown files a nav refers to (external links and sections' titles skipped)."""
    if isinstance(node, ScalarNode):
        if node.value.endswith(".md") and "://" not in node.value:
            yield node.value
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _nav_files(item)
    elif isinstance(node, MappingNode):
        for _k, v in node.value:
            yield from _nav_files(v)


@dataclass(frozen=True)
class FloorConfig:
    """The floor's ``mkdocs.yml`` text and what it needs from the real project."""

    text: str
    nav_files: list[str]
    real_docs_dir: Path


def floor_config(source_config: Path, docs_dir: str = "docs") -> FloorConfig:
    """The real ``mkdocs.yml`` rewritten for the floor.

    Works on the YAML node tree, so custom tags (``!ENV``, ``!!python/name:``) survive
    unchanged. Drops the ``oss-portal`` plugin and ``watch``, points ``docs_dir`` at
    ``docs_dir``, resolves ``theme.custom_dir`` and ``hooks`` against the real project and,
    when the real config has no nav, adds one with just the home page.
    """
    root = yaml.compose(source_config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        raise ValueError(f"{source_config}: not a mapping")
    base = source_config.resolve().parent
    real_docs = _mapping_get(root, "docs_dir")
    real_docs_dir = base / (real_docs.value if isinstance(real_docs, ScalarNode) else "docs")
    plugins = _mapping_get(root, "plugins")
    if isinstance(plugins, SequenceNode):
        plugins.value = [p for p in plugins.value if not _is_our_plugin(p)]
    elif isinstance(plugins, MappingNode):
        plugins.value = [(k, v) for k, v in plugins.value if not _is_our_plugin(k)]
    _mapping_set(root, "docs_dir", _scalar(docs_dir))
    _mapping_set(root, "watch", None)
    theme = _mapping_get(root, "theme")
    if isinstance(theme, MappingNode):
        custom = _mapping_get(theme, "custom_dir")
        if isinstance(custom, ScalarNode) and not custom.tag.startswith("!"):
            _mapping_set(theme, "custom_dir", _scalar(str(base / custom.value)))
    hooks = _mapping_get(root, "hooks")
    if isinstance(hooks, SequenceNode):
        for item in hooks.value:
            if isinstance(item, ScalarNode):
                item.value = str(base / item.value)
    nav = _mapping_get(root, "nav")
    if nav is None:
        # Without a nav MkDocs lists every page in it: the O(n) nav the floor must avoid.
        nav = SequenceNode("tag:yaml.org,2002:seq", [_scalar("index.md")])
        _mapping_set(root, "nav", nav)
    text: str = yaml.serialize(root, Dumper=yaml.SafeDumper, allow_unicode=True)
    return FloorConfig(text, sorted(set(_nav_files(nav))), real_docs_dir)


def write_floor_project(
    target_dir: Path | str, n_pages: int, seed: int = 1, config: Path | str | None = None
) -> Path:
    """Write the floor: plain MkDocs + Material with ``n_pages`` pages of ~150 words.

    The pages live under ``docs/seiten/`` and are not listed in the nav. ``mkdocs.yml`` is
    the real one (``config``, default: this repository's) minus the ``oss-portal`` plugin;
    every page its nav names gets a placeholder of the same length, and the real docs
    directory's non-Markdown files (stylesheets, images) are copied. Returns the path of
    the floor's ``mkdocs.yml``.
    """
    source = Path(config) if config is not None else project_root() / "mkdocs.yml"
    target = Path(target_dir)
    docs = target / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    floor = floor_config(source)
    real_docs = floor.real_docs_dir
    if real_docs.is_dir():
        for path in sorted(real_docs.rglob("*")):
            if path.is_file() and path.suffix != ".md":
                dest = docs / path.relative_to(real_docs)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
    writer = _Writer(seed)
    for name in floor.nav_files:
        page = docs / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_floor_page(writer, 0), encoding="utf-8")
    pages = docs / "seiten"
    pages.mkdir(exist_ok=True)
    width = len(str(n_pages))
    for number in range(1, n_pages + 1):
        (pages / f"seite-{number:0{width}d}.md").write_text(
            _floor_page(writer, number), encoding="utf-8"
        )
    config_path = target / "mkdocs.yml"
    config_path.write_text(floor.text, encoding="utf-8")
    return config_path

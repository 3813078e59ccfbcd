"""A small content tree for the writer tests (feeds, calendars, exports, JSON-LD).

It is loaded through the real ``ContentLoader``, so the writers see exactly what a build
sees. Dates straddle the DST change: 16:00 on 2023-01-11 is 15:00Z, 16:00 on 2023-07-11
is 14:00Z.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from textwrap import dedent

from oss_portal.core.catalog import Catalog
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import BERLIN

SITE_URL = "https://portal.example.org/oss/"
SITE_NAME = "OSS-Portal Test"
HOST = "portal.example.org"
#: An hour after the newest news item (news dated later would not be published yet) and
#: during the summer meeting, which is therefore still upcoming.
NOW = datetime(2023, 7, 11, 17, 0, tzinfo=BERLIN)

HOSTILE_TITLE = "<script>alert(1)</script> & \x0b"
HOSTILE_MARKDOWN = dedent("""\
    Harmlos [klick](javascript:alert(1)) und <a href="JaVaScRiPt:alert(2)">zwei</a>.

    <script>alert(3)</script><img src="x.png" onerror="alert(4)">
    <iframe src="https://evil.example/"></iframe>

    Ende mit \x0b Steuerzeichen, den Verweisen &#1; und &#xFFFE; und </script> im Text,
    auch in <a href="https://x.example/&#1;" title="&#x7F;">Adressen</a>.
    """)

COMMUNITIES = """\
- id: alpha
  name: "Alpha-Netzwerk"
  kind: network
  summary: Ein Netzwerk für Verwaltungen.
  description: |
    Mehr in der [Dokumentation](https://alpha.example/doku) und auf der
    [Terminseite](/events/).

    - erster Punkt
    - zweiter Punkt
  organizers: [ZenDiS, {name: KGSt, url: "https://www.kgst.de"}]
  since: "2021-03"
  level: bund
  website: https://alpha.example
  contact:
    email: kontakt@alpha.example
    url: https://alpha.example/kontakt
  membership:
    mode: application
    deadline: "2023-02-01"
    seats: 20
  tags: [kommunen, governance]
- id: beta
  name: Beta-Runde
  kind: community
  summary: Eine Runde.
  level: kommune
- id: gamma
  name: Gamma-Initiative
  kind: initiative
  summary: Ohne Termine und ohne Nachrichten.
  level: land
  status: inactive
"""

EVENTS = """\
- id: winter-meeting
  title: Wintertreffen
  start: "2023-01-11T16:00"
  end: "2023-01-11T17:00"
  format: online
  registration: https://reg.example/winter
  communities: [alpha]
  organizers:
    - name: Free Software Foundation Europe
      url: https://fsfe.org
  summary: Eine Stunde online, in der Winterzeit.
  description: |
    Ablauf:

    1. Begrüßung
    2. Vorträge mit [Folien](https://slides.example/winter)
  tags: [kommunen]
- id: summer-meeting
  title: Sommertreffen
  start: "2023-07-11T16:00"
  end: "2023-07-11T18:30"
  format: onsite
  location: "Rathaus, Friedensplatz 1, 44135 Dortmund"
  communities: [alpha, beta]
  summary: Vor Ort, in der Sommerzeit.
  tags: [governance]
  recording: https://video.example/sommer
- id: conference-cancelled
  title: Abgesagte Konferenz
  start: "2023-09-05"
  end: "2023-09-06"
  format: hybrid
  location: Berlin
  communities: [beta]
  summary: Zwei Tage, abgesagt.
  status: cancelled
- id: postponed-day
  title: Verschobener Tag
  start: "2024-03-01"
  format: online
  summary: Ein Tag, verschoben.
  status: postponed
- id: open-end
  title: Offenes Ende
  start: "2024-05-02T10:00"
  format: online
  summary: Beginn ohne Ende.
"""

NEWS = {
    "2023-01-11-winter.md": """\
---
title: Winter-Nachricht
date: "2023-01-11T16:00"
summary: Um 16 Uhr Winterzeit veröffentlicht.
tags: [kommunen]
communities: [alpha]
events: [winter-meeting]
source:
  name: KGSt
  url: https://www.kgst.de
---
Ein Absatz mit [relativem Link](../2023-07-11-summer/) und **Betonung**.

## Zwischentitel
""",
    "2023-07-11-summer.md": """\
---
title: Sommer-Nachricht
date: "2023-07-11T16:00"
summary: Um 16 Uhr Sommerzeit veröffentlicht.
tags: [governance, kommunen]
communities: [alpha, beta]
deadline: "2023-07-31"
---
Text im Sommer.
""",
    "2022-05-01-date-only.md": """\
---
title: Nur ein Datum
date: "2022-05-01"
summary: Ohne Uhrzeit.
---
Kurz.
""",
    "2023-08-01-draft.md": """\
---
title: Entwurf
date: "2023-08-01"
summary: Darf nirgends erscheinen.
tags: [kommunen]
communities: [alpha]
draft: true
---
Geheim.
""",
}

DRAFT_SLUG = "2023-08-01-draft"


#: The tag list: names with characters that feeds, calendars and pages must escape.
TAGS = """\
- id: bulk
  name: Meldungen in Mengen
- id: governance
  name: Steuerung
- id: kommunen
  name: 'Kommunen & "Kreise" <vor Ort>'
"""


def write_site(root: Path, extra_news: int = 0) -> Path:
    """Write the content tree under ``root`` (plus ``extra_news`` dated news items)."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "content" / "news").mkdir(parents=True, exist_ok=True)
    (root / "data" / "communities.yaml").write_text(COMMUNITIES, encoding="utf-8")
    (root / "data" / "events.yaml").write_text(EVENTS, encoding="utf-8")
    (root / "data" / "tags.yaml").write_text(TAGS, encoding="utf-8")
    for name, text in NEWS.items():
        (root / "content" / "news" / name).write_text(text, encoding="utf-8")
    for i in range(extra_news):
        day = f"2021-{1 + i // 28:02d}-{1 + i % 28:02d}"
        (root / "content" / "news" / f"{day}-bulk-{i}.md").write_text(
            f'---\ntitle: "Meldung {i}"\ndate: "{day}T09:30"\nsummary: Nummer {i}.\n'
            f"tags: [bulk]\n---\nText {i}.\n",
            encoding="utf-8",
        )
    return root


def load_site(root: Path) -> Catalog:
    """Load the tree written by :func:`write_site`; fails the test on content errors."""
    catalog, errors = ContentLoader(ContentPaths(root)).load(NOW)
    assert errors == [], [str(e) for e in errors]
    return catalog


def hostile(catalog: Catalog) -> Catalog:
    """The catalog with script tags, ``javascript:`` links, an XML-illegal control
    character and references to XML-illegal characters in titles and texts, as if they
    had slipped past validation."""
    return Catalog(
        communities=[
            c.model_copy(
                update={
                    "name": HOSTILE_TITLE,
                    "summary": HOSTILE_TITLE,
                    "description": HOSTILE_MARKDOWN,
                }
            )
            for c in catalog.communities
        ],
        events=[
            e.model_copy(
                update={
                    "title": HOSTILE_TITLE,
                    "summary": HOSTILE_TITLE,
                    "description": HOSTILE_MARKDOWN,
                    "location": HOSTILE_TITLE,
                    "registration": "https://x.example/anmeldung\x0b",
                }
            )
            for e in catalog.events
        ],
        news=[
            n.model_copy(
                update={"title": HOSTILE_TITLE, "summary": HOSTILE_TITLE, "body": HOSTILE_MARKDOWN}
            )
            for n in catalog.news
        ],
        drafts=list(catalog.drafts),
        now=catalog.now,
        tag_info={
            tag: info.model_copy(update={"name": HOSTILE_TITLE})
            for tag, info in catalog.tag_info.items()
        },
    )

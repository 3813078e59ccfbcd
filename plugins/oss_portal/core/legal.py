"""Operator data for the legal pages (Impressum, Datenschutz, Barrierefreiheit).

A deploying administration fills ``extra.legal`` in ``mkdocs.yml`` once. Values still in
square brackets (``[Name der Behörde]``) are placeholders: the build warns about each, so
``mkdocs build --strict`` refuses to publish them. ``demo: true`` marks complete example
data (as shipped in this repository): the pages then carry a visible notice instead.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .models import Email, WebUrl

_PLACEHOLDER = re.compile(r"\[[^\]]+\]")


class _Legal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(_Legal):
    """A postal address."""

    street: str
    postal_code: str
    city: str


class Person(_Legal):
    """A role with an organisational contact (no private data)."""

    name: str
    email: Email | None = None
    phone: str | None = Field(None, description="Zentrale Rufnummer, keine Durchwahl einer Person")
    address: Address | None = None


class EnforcementBody(_Legal):
    """Where readers turn when feedback on accessibility is not answered."""

    name: str
    url: WebUrl
    email: Email | None = None
    address: Address | None = None


class Accessibility(_Legal):
    """Data of the accessibility statement (BITV 2.0)."""

    status: str = Field(
        "teilweise vereinbar",
        description="vollständig vereinbar, teilweise vereinbar oder nicht vereinbar",
    )
    statement_date: str
    last_review: str
    method: str = "Selbstbewertung"
    known_issues: list[str] = Field(default_factory=list)
    feedback_email: Email
    enforcement_body: EnforcementBody


class LegalInfo(_Legal):
    """Everything the legal pages need about who runs the site."""

    demo: bool = False
    operator: str
    address: Address
    email: Email
    phone: str | None = None
    representative: str = Field(description="Vertretungsberechtigte Person oder Stelle")
    responsible_for_content: str = Field(description="Verantwortlich nach § 18 Abs. 2 MStV")
    vat_id: str | None = None
    supervisory_authority: str | None = None
    data_protection_officer: Person
    data_protection_authority: EnforcementBody
    hosting: str = Field(description="Wer die Website technisch bereitstellt")
    accessibility: Accessibility


def parse_legal(raw: Any) -> tuple[LegalInfo | None, list[str]]:
    """Validate ``extra.legal``; returns the info or readable error lines."""
    if raw is None:
        return None, [
            "mkdocs.yml: extra.legal fehlt – ohne Betreiberangaben gibt es kein "
            "Impressum, keine Datenschutzerklärung und keine Erklärung zur "
            "Barrierefreiheit (Vorlage: README, Abschnitt Betrieb)"
        ]
    try:
        return LegalInfo.model_validate(raw), []
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in error["loc"])
            message = "Pflichtfeld fehlt" if error["type"] == "missing" else error["msg"]
            lines.append(f"mkdocs.yml: extra.legal.{where}: {message}")
        return None, lines


def placeholders(raw: Any, prefix: str = "extra.legal") -> list[str]:
    """Dotted paths of every value still written as ``[Platzhalter]``."""
    found: list[str] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            found.extend(placeholders(value, f"{prefix}.{key}"))
    elif isinstance(raw, list):
        for index, value in enumerate(raw):
            found.extend(placeholders(value, f"{prefix}[{index}]"))
    elif isinstance(raw, str) and _PLACEHOLDER.search(raw):
        found.append(f"{prefix}: '{raw}'")
    return found


def publish_problems(raw: Any, info: LegalInfo | None) -> list[str]:
    """Why the legal data may not go live: example data (``demo: true``) or placeholders.

    The build of the site that is published (``OSS_PORTAL_PUBLISH=1``, set by the pipeline
    on the default branch) stops on these; previews and local builds only show a notice.
    """
    problems = [
        f"mkdocs.yml: {found} ist noch ein Platzhalter – die Website wird so nicht "
        "veröffentlicht; bitte die echten Angaben der betreibenden Stelle eintragen"
        for found in placeholders(raw)
    ]
    if info is not None and info.demo:
        problems.append(
            "mkdocs.yml: extra.legal.demo: true – die Rechtsseiten zeigen Beispieldaten, die "
            "Website wird so nicht veröffentlicht; bitte die Angaben der betreibenden Stelle "
            "eintragen und die Zeile 'demo: true' löschen (CONTRIBUTING.md › Betrieb)"
        )
    return problems

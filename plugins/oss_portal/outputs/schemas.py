"""JSON Schemas for contributors' editors, generated from the models.

``schemas/community.schema.json``, ``schemas/event.schema.json`` and
``schemas/tag.schema.json`` describe the YAML lists in ``data/``;
``schemas/news.schema.json`` the front matter of a news article. The YAML language server
(VS Code, the GitLab web IDE) reads them through the modelines at the top of each data
file and through ``.vscode/settings.json``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..core.models import Community, Event, NewsFrontMatter, Tag

SCHEMA_BASE = "https://json-schema.org/draft/2020-12/schema"


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def _list_schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    item = _model_schema(model)
    defs = item.pop("$defs", {})
    defs[model.__name__] = item
    schema: dict[str, Any] = {
        "$schema": SCHEMA_BASE,
        "title": title,
        "description": description,
        "type": "array",
        "items": {"$ref": f"#/$defs/{model.__name__}"},
        "$defs": dict(sorted(defs.items())),
    }
    return schema


def resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A property's schema as one mapping: a ``null`` alternative dropped (optional
    fields), a ``$ref`` followed into ``defs``; the property's own keys (title,
    description, default) win over those of what it refers to."""
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(options) == 1:
            own = {k: v for k, v in schema.items() if k != "anyOf"}
            return {**resolve(options[0], defs), **own}
    ref = schema.get("$ref")
    if isinstance(ref, str):
        own = {k: v for k, v in schema.items() if k != "$ref"}
        return {**defs[ref.rsplit("/", 1)[-1]], **own}
    return schema


def content_schemas() -> dict[str, dict[str, Any]]:
    """The editor schemas by file name (made once; treat the schemas as read-only)."""
    return dict(_content_schemas())


@functools.cache
def _content_schemas() -> dict[str, dict[str, Any]]:
    news = _model_schema(NewsFrontMatter)
    news = {"$schema": SCHEMA_BASE, **news, "title": "Nachricht (Kopfbereich)"}
    return {
        "community.schema.json": _list_schema(
            Community, "Communities", "Inhalt von data/communities.yaml: eine Liste von Communities"
        ),
        "event.schema.json": _list_schema(
            Event, "Veranstaltungen", "Inhalt von data/events.yaml: eine Liste von Veranstaltungen"
        ),
        "news.schema.json": news,
        "tag.schema.json": _list_schema(
            Tag, "Schlagwörter", "Inhalt von data/tags.yaml: eine Liste von Schlagwörtern"
        ),
    }


#: Where the site publishes the editor schemas (the form "Eintrag vorschlagen" embeds them).
SITE_DIR = "schemas/"


def iter_content_schemas() -> Iterator[tuple[str, bytes]]:
    """The editor schemas as the site publishes them: ``(site path, bytes)``."""
    for name, schema in content_schemas().items():
        yield f"{SITE_DIR}{name}", render(schema).encode("utf-8")


def render(schema: dict[str, Any]) -> str:
    """Serialise a schema the way it is committed (stable, diff-friendly)."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(folder: Path, check: bool = False) -> list[str]:
    """Write the schemas (or with ``check`` only compare); return the names that differ."""
    changed = []
    for name, schema in content_schemas().items():
        target = folder / name
        text = render(schema)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            changed.append(name)
            if not check:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return changed

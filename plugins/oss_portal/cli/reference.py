"""``oss-portal reference``: print the field reference, or keep CONTRIBUTING.md's copy current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..outputs.reference import CONTRIBUTING, field_reference_markdown, replace_block


def _reference(args: argparse.Namespace) -> int:
    target = Path(args.project_dir).resolve() / CONTRIBUTING
    block = field_reference_markdown()
    if not (args.write or args.check):
        sys.stdout.write(block)
        return 0
    try:
        current = target.read_text(encoding="utf-8")
        updated = replace_block(current, block)
    except (OSError, ValueError) as exc:
        print(f"{CONTRIBUTING}: {exc}", file=sys.stderr)
        return 2
    if updated == current:
        return 0
    if args.check:
        print(
            f"{CONTRIBUTING}: Feldreferenz ist veraltet – bitte 'oss-portal reference --write' "
            "ausführen",
            file=sys.stderr,
        )
        return 1
    target.write_text(updated, encoding="utf-8")
    print(f"{CONTRIBUTING}: Feldreferenz aktualisiert")
    return 0


def register(sub: Any) -> None:
    """Add the ``reference`` command to the CLI."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "reference",
        help="Feldreferenz aus den Modellen erzeugen",
        description="Gibt die Feldreferenz als Markdown aus oder schreibt sie in CONTRIBUTING.md.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--write",
        action="store_true",
        help=f"in {CONTRIBUTING} zwischen den Markierungen einsetzen",
    )
    mode.add_argument(
        "--check",
        action="store_true",
        help=f"nur prüfen, ob {CONTRIBUTING} aktuell ist (Exit-Code 1, wenn nicht)",
    )
    parser.set_defaults(func=_reference)

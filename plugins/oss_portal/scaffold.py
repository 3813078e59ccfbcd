"""``oss-portal new community|event|news``: write a valid, commented skeleton."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the ``new`` command to the CLI."""
    parser: argparse.ArgumentParser = sub.add_parser("new", help="neuen Eintrag anlegen")
    parser.set_defaults(func=lambda args: 2)

"""argparse in German: usage, section titles, ``-h`` and the common error messages.

argparse writes its own words in English (through gettext, for which Python ships no
German catalogue); contributors read German everywhere else, so the parser says them in
German, too.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

#: argparse's error messages and their German form (patterns over the English text).
_ERRORS = (
    (r"the following arguments are required: (.*)", r"Es fehlen Angaben: \1"),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        r"\1: \2 gibt es nicht – möglich sind \3",
    ),
    (r"argument (\S+): expected one argument", r"\1: Hier fehlt der Wert"),
    (r"unrecognized arguments: (.*)", r"Unbekannte Angaben: \1"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"\1: \3 ist kein gültiger Wert"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 und \2 gehen nicht zusammen"),
)


class GermanHelpFormatter(argparse.HelpFormatter):
    """Help with a German usage line."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Aufruf: " if prefix is None else prefix)


class GermanArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words are German (sub-commands inherit it)."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", GermanHelpFormatter)
        kwargs["add_help"] = False  # German -h below
        super().__init__(*args, **kwargs)
        self._positionals.title = "Befehle"
        self._optionals.title = "Optionen"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="diese Hilfe zeigen"
            )

    def error(self, message: str) -> NoReturn:
        for pattern, german in _ERRORS:
            message = re.sub(pattern, german, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Fehler: {message}\n")

"""Command line: ``oss-portal validate | schema | new | apply | reference``.

Exit codes: 0 all good, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import format_json, format_junit, format_text
from ..core.loading import ContentLoader, ContentPaths, build_time, content_files, scheduled_report
from .german import GermanArgumentParser

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


def _validate(args: argparse.Namespace) -> int:
    project = Path(args.project_dir).resolve()
    if not project.is_dir():
        print(f"oss-portal: Projektordner '{args.project_dir}' gibt es nicht", file=sys.stderr)
        return EXIT_USAGE
    paths = ContentPaths(project)
    catalog, errors = ContentLoader(paths).load(build_time(), freeze=True)  # one-shot
    if args.format == "json":
        report = format_json(errors)
    elif args.format == "junit":
        report = format_junit(errors, content_files(paths))
    else:
        report = format_text(errors)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(report + "\n", encoding="utf-8")
        if errors:
            print(format_text(errors), file=sys.stderr)
    else:
        stream = sys.stdout if not errors or args.format != "text" else sys.stderr
        print(report, file=stream)
    if catalog.scheduled and args.format == "text":
        print(scheduled_report(catalog))
    return EXIT_CONTENT if errors else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from ..outputs.schemas import write_schemas

    changed = write_schemas(Path(args.project_dir).resolve() / "schemas", check=args.check)
    if args.check and changed:
        print(
            "Veraltete Schemas: " + ", ".join(changed) + " – bitte 'oss-portal schema' ausführen",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the documentation and tests)."""
    parser = GermanArgumentParser(
        prog="oss-portal", description="Inhalte des Open-Source-Portals prüfen und anlegen."
    )
    parser.add_argument(
        "--project-dir", default=".", metavar="ORDNER", help="Projektordner (Standard: .)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    # Also accepted after the command: `oss-portal validate --project-dir X`.
    common = GermanArgumentParser(add_help=False)
    common.add_argument("--project-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    validate = sub.add_parser("validate", help="alle Inhalte prüfen", parents=[common])
    validate.add_argument("--format", choices=("text", "json", "junit"), default="text")
    validate.add_argument(
        "--output", "-o", metavar="DATEI", help="Bericht in diese Datei schreiben"
    )
    validate.set_defaults(func=_validate)

    schema = sub.add_parser(
        "schema", help="JSON-Schemas unter schemas/ neu schreiben", parents=[common]
    )
    schema.add_argument("--check", action="store_true", help="nur prüfen, ob sie aktuell sind")
    schema.set_defaults(func=_schema)

    # Further commands live in their own modules; each adds its subparser and handler.
    from . import apply, reference, scaffold

    scaffold.register(sub)
    apply.register(sub)
    reference.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

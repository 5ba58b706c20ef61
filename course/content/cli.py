"""`flask content check`: every content problem at once, and each lesson's reading level."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .checks import CheckReport, check_course

content_cli = AppGroup("content", help="Check the course content in CONTENT_DIR.")
_HEADER = ("module", "lesson", "FK", "SMOG", "words", "minutes")


@content_cli.command("check")
def check_command() -> None:
    """Check CONTENT_DIR; print reading levels, errors and warnings; exit 1 on any error."""
    # Read the files again rather than use app.extensions: this reports every problem,
    # including the editorial ones that do not stop the app from starting.
    report = check_course(current_app.config["CONTENT_DIR"])
    click.echo(format_report(report))
    if report.errors:
        sys.exit(1)


def format_report(report: CheckReport) -> str:
    """The report as plain text: a table of lessons, then errors and warnings, then a total."""
    rows = [_HEADER] + [
        (l.module_id, l.lesson_id, f"{l.flesch_kincaid:.1f}", f"{l.smog:.1f}", str(l.words), str(l.minutes))
        for l in report.lesson_levels
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    for label, problems in (("ERROR", report.errors), ("warning", report.warnings)):
        if problems:
            lines += ["", *(f"{label}: {p}" for p in problems)]
    lines += ["", f"{len(report.errors)} errors, {len(report.warnings)} warnings, "
                  f"{len(report.lesson_levels)} lessons"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m course.content.cli [DIR]`: the same check without the app (broken content stops it starting)."""
    args = sys.argv[1:] if argv is None else argv
    report = check_course(args[0] if args else "modules")
    print(format_report(report))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

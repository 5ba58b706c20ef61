"""`flask content check`: every content problem at once, each lesson's reading level, each quiz's test-wise scores."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
from flask import current_app
from flask.cli import AppGroup

from . import spanish
from .checks import CheckReport, check_course
from .quiz_rules import QuizLevel
from .testwise import MARGIN, STRATEGIES

content_cli = AppGroup("content", help="Check the course content in CONTENT_DIR.")
_HEADER = ("module", "lesson", "FK", "SMOG", "words", "minutes")
_QUIZ_HEADER = ("module", "items", "chance", *STRATEGIES, "key longest", "FK", "SMOG")


@content_cli.command("check")
def check_command() -> None:
    """Check CONTENT_DIR; print reading levels, errors and warnings; exit 1 on any error."""
    # Read the files again rather than use app.extensions: this reports every problem,
    # including the editorial ones that do not stop the app from starting.
    report = check_course(current_app.config["CONTENT_DIR"])
    click.echo(format_report(report))
    if report.errors:
        sys.exit(1)


def _table(rows: Sequence[tuple[str, ...]], left: int) -> list[str]:
    """Rows as aligned text: the first `left` columns to the left, the others to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i < left else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def _quiz_row(level: QuizLevel) -> tuple[str, ...]:
    s = level.scores
    if s is None:
        return (
            level.module_id,
            "0",
            "-",
            *("-" for _ in STRATEGIES),
            "-",
            f"{level.flesch_kincaid:.1f}",
            f"{level.smog:.1f}",
        )
    items = f"{s.items}" + (f" (+{s.skipped} multi)" if s.skipped else "")
    return (
        level.module_id,
        items,
        f"{s.chance:.2f}",
        *(f"{s.scores[name]:.2f}" for name in STRATEGIES),
        f"{s.key_longest} ({s.key_longest_by_chance:.1f})",
        f"{level.flesch_kincaid:.1f}",
        f"{level.smog:.1f}",
    )


def format_report(report: CheckReport) -> str:
    """The report as plain text: tables of lessons and quizzes, then errors and warnings, then a total."""
    rows = [_HEADER] + [
        (lv.module_id, lv.lesson_id, f"{lv.flesch_kincaid:.1f}", f"{lv.smog:.1f}", str(lv.words), str(lv.minutes))
        for lv in report.lesson_levels
    ]
    lines = _table(rows, 2)
    if report.quiz_levels:
        lines += [
            "",
            f"Quizzes: test-wise scores over single-answer and true/false items (multiple-select items "
            f"skipped); each must be at most chance + {MARGIN:.2f}. Key longest: how often the key is "
            "the longest choice (expected by chance).",
        ]
        lines += _table([_QUIZ_HEADER] + [_quiz_row(level) for level in report.quiz_levels], 1)
    lines += _translated_levels(report)
    for label, problems in (("ERROR", report.errors), ("warning", report.warnings)):
        if problems:
            lines += ["", *(f"{label}: {p}" for p in problems)]
    lines += [
        "",
        f"{len(report.errors)} errors, {len(report.warnings)} warnings, "
        f"{len(report.lesson_levels)} lessons, {len(report.quiz_levels)} quizzes",
    ]
    return "\n".join(lines)


def _translated_levels(report: CheckReport) -> list[str]:
    """Each Spanish lesson's reading level as the check measured it (spanish.py); none when the course has none."""
    if not report.translated_levels:
        return []
    rows = [("module", "lesson", "Fernández-Huerta", "INFLESZ", "words", "reviewed")]
    rows += [
        (
            t.module_id,
            t.lesson_id,
            f"{t.level.fernandez_huerta:.1f}",
            f"{t.level.szigriszt_pazos:.1f}",
            str(t.level.words),
            "yes" if t.reviewed else "no",
        )
        for t in report.translated_levels
    ]
    note = f"Spanish lessons: Fernández-Huerta at least {spanish.MIN_FERNANDEZ_HUERTA:.0f} (grade 6–8)."
    return ["", note, *_table(rows, 2)]


def main(argv: list[str] | None = None) -> int:
    """`python -m course.content.cli [DIR]`: the same check without the app (broken content stops it starting)."""
    args = sys.argv[1:] if argv is None else argv
    report = check_course(args[0] if args else "modules")
    print(format_report(report))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""The course content: `modules/` read once at start-up into immutable objects.

`init_app` loads CONTENT_DIR and refuses to start on structural problems;
views call `get_course()`. `flask content check` (cli.py) runs every check.
"""

from __future__ import annotations

from flask import Flask, current_app

from .checks import CheckReport, check_course, load_course
from .fields import ContentError, Problem
from .model import Choice, Course, Lesson, Misconception, Module, Question, Quiz

__all__ = [
    "CheckReport",
    "Choice",
    "ContentError",
    "Course",
    "Lesson",
    "Misconception",
    "Module",
    "Problem",
    "Question",
    "Quiz",
    "check_course",
    "get_course",
    "init_app",
    "load_course",
]


def init_app(app: Flask) -> None:
    """Load CONTENT_DIR into `app.extensions["course"]`; raises ContentError naming file and field."""
    app.extensions["course"] = load_course(app.config["CONTENT_DIR"])


def get_course() -> Course:
    """The course loaded for the current app."""
    return current_app.extensions["course"]

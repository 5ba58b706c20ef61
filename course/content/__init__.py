"""The course content: `modules/` (and imported course packs) read into immutable objects.

`init_app` loads CONTENT_DIR and refuses to start on structural problems;
views call `get_course()`. `flask content check` (cli.py) runs every check.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context

from ..i18n import current_language
from .checks import CheckReport, check_course, load_course
from .fields import ContentError, Problem
from .model import Choice, Course, Lesson, Library, Misconception, Module, Question, Quiz

__all__ = [
    "CheckReport",
    "Choice",
    "ContentError",
    "Course",
    "Lesson",
    "Library",
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
    """Load CONTENT_DIR into `app.extensions["course"]`; raises ContentError naming file and field.

    services/course_library.py adds the imported courses beside it.
    """
    app.extensions["course"] = Library.of((load_course(app.config["CONTENT_DIR"]),))


def get_course() -> Library:
    """Every course the app serves, seen together (lookups by id span them all); `.courses` one by one.

    In a request, in the request's language (i18n): the same ids, structure and answer keys, with the
    translated text of each course offered in it.
    """
    library: Library = current_app.extensions["course"]
    if library.by_language and has_request_context():
        return library.in_language(current_language())
    return library

"""The courses the app serves: the built-in course (CONTENT_DIR) and each imported course's newest version.

Each app node keeps its library in memory (`app.extensions["course"]`, read by `get_course()`).
A node notices a version stored by another node within CONTENT_REFRESH_SECONDS, at the cost of
one small query; the node that stores a version reloads at once (`reload`). A stored version is
unpacked once into PACK_CACHE_DIR, under its checksum, and read by the same loader as modules/.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from .. import content
from ..content import ContentError, Course, load_course
from ..content.checks import clashes_with
from ..content.model import Library
from ..content.packs import PackError, read_pack, unpack_to
from ..extensions import db
from ..models import CourseVersion


@dataclass
class _State:
    builtin: Course
    newest_version_id: int | None = None
    checked_at: float = float("-inf")


def init_app(app: Flask) -> None:
    """Serve the built-in course now; the imported ones join at the first request (the database may not exist yet)."""
    content.init_app(app)
    app.extensions["course_library"] = _State(app.extensions["course"].default)
    app.before_request(_refresh_if_stale)


def _refresh_if_stale() -> None:
    state: _State = current_app.extensions["course_library"]
    if time.monotonic() - state.checked_at < current_app.config["CONTENT_REFRESH_SECONDS"]:
        return
    try:
        reload(only_if_changed=True)
    except SQLAlchemyError:  # the database is down: the help and safety pages must still be served
        db.session.rollback()
        state.checked_at = time.monotonic()
        current_app.logger.exception("could not look for newer course versions; serving the courses already loaded")


def reload(only_if_changed: bool = False) -> Library:
    """Read the newest version of every stored course and serve them beside the built-in one."""
    state: _State = current_app.extensions["course_library"]
    newest = db.session.scalar(select(func.max(CourseVersion.id)))
    state.checked_at = time.monotonic()
    if only_if_changed and newest == state.newest_version_id:
        return current_app.extensions["course"]
    courses: list[Course] = [state.builtin]
    for version in newest_versions():
        course = _load(version, courses)
        if course is not None:
            courses.append(course)
    library = Library.of(tuple(courses))
    current_app.extensions["course"] = library
    state.newest_version_id = newest
    return library


def newest_versions() -> list[CourseVersion]:
    """The newest version of each stored course, in the order the courses were first stored."""
    ids = db.session.execute(
        select(func.min(CourseVersion.id), func.max(CourseVersion.id)).group_by(CourseVersion.course_id)
    ).all()
    newest = [last for _, last in sorted(ids)]
    versions = {v.id: v for v in db.session.scalars(select(CourseVersion).where(CourseVersion.id.in_(newest)))}
    return [versions[i] for i in newest]


def _load(version: CourseVersion, served: list[Course]) -> Course | None:
    """The stored version as a Course; None, and an error in the log, if it can no longer be served.

    A version passed every check when it was stored; a later change (a new rule, a module added to
    modules/ with an id the pack uses) could still break it. The other courses go on being served.
    """
    folder = Path(current_app.config["PACK_CACHE_DIR"]) / version.sha256
    try:
        if not folder.is_dir():
            _unpack_once(version.pack, folder)
        course = load_course(folder)
    except (ContentError, PackError) as error:
        current_app.logger.error("course %s version %s not served: %s", version.course_id, version.number, error)
        return None
    clashes = clashes_with(course, served)
    if clashes:
        current_app.logger.error(
            "course %s version %s not served: %s", version.course_id, version.number, "; ".join(map(str, clashes))
        )
        return None
    return course


def _unpack_once(pack: bytes, folder: Path) -> None:
    """Unpack into a temporary folder, then rename: another worker may be doing the same."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=folder.parent))
    unpack_to(read_pack(io.BytesIO(pack)), staging)
    try:
        staging.rename(folder)
    except OSError:  # another worker got there first: its copy holds the same files
        shutil.rmtree(staging, ignore_errors=True)

"""Course packs in and out: a zipped course folder becomes a new version of its course, and any course zips back.

An import is refused, naming every problem, when the zip is unsafe (content/packs.py), when the
course has anything the content check calls an error, when it has no course.yaml, when it would
replace the built-in course, or when one of its ids is already used by another course (records
name content by id alone). Importing the pack that is already a course's newest version stores
nothing. Every stored version is audited with who imported it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from ..content import Course, Problem, get_course
from ..content.checks import clashes_with
from ..content.packs import PackError, check_pack, pack_files, read_pack, zipped
from ..extensions import db
from ..models import CourseVersion, User
from . import audit

# The audit action of each way a version is stored.
PUBLISHED_BY = {"import": audit.COURSE_IMPORTED, "authoring": audit.COURSE_PUBLISHED, "return": audit.COURSE_RETURNED}


class PackRefused(Exception):
    """The pack cannot be imported; `problems` says every reason, each naming its file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("the pack was refused:\n" + "\n".join(self.problems))


@dataclass(frozen=True)
class Imported:
    """What an import stored: the version, and whether it is new (False: the same pack was already the newest)."""

    version: CourseVersion
    new: bool


def import_pack(data: bytes, by: User | None) -> Imported:
    """Store the pack as its course's next version (in the caller's transaction). :raise PackRefused:"""
    try:
        files = read_pack(io.BytesIO(data))
    except PackError as exc:
        raise PackRefused(list(exc.problems)) from exc
    findings = check_files(files)
    if findings.errors:
        raise PackRefused([str(problem) for problem in findings.errors])
    assert findings.course is not None  # no errors: it loaded
    return store_version(files, findings.course, "import", by)


def newest_version(course_id: str) -> CourseVersion | None:
    """The course's newest stored version, or None."""
    return db.session.scalar(
        select(CourseVersion).where(CourseVersion.course_id == course_id).order_by(CourseVersion.number.desc()).limit(1)
    )


def store_version(
    files: Mapping[str, bytes], course: Course, source: str, by: User | None, reviewed_by: User | None = None
) -> Imported:
    """Store checked files as the course's next version and audit it; nothing when they are its newest already."""
    pack = zipped(files)
    sha256 = hashlib.sha256(pack).hexdigest()
    newest = newest_version(course.id)
    if newest is not None and newest.sha256 == sha256:
        return Imported(newest, False)
    version = CourseVersion(
        course_id=course.id,
        number=(newest.number + 1) if newest else 1,
        title=course.title,
        pack=pack,
        sha256=sha256,
        source=source,
        created_by_id=by.id if by else None,
        reviewed_by_id=reviewed_by.id if reviewed_by else None,
    )
    db.session.add(version)
    db.session.flush()
    detail = f"{course.id} version {version.number}: {len(course.modules)} modules, sha256 {sha256[:12]}"
    audit.record(PUBLISHED_BY[source], by if reviewed_by is None else reviewed_by, detail=detail)
    return Imported(version, True)


@dataclass(frozen=True)
class Findings:
    """What the content check says about a course's files: errors refuse them, warnings do not."""

    course: Course | None  # None when there are errors
    errors: list[Problem]
    warnings: list[Problem]


def check_files(files: Mapping[str, bytes]) -> Findings:
    """Check a course's files as `flask content check` checks modules/, and against the other courses' ids."""
    if "course.yaml" not in files:
        return Findings(
            None, [Problem("course.yaml", "", "missing file (a pack names its course: id, title and summary)")], []
        )
    report = check_pack(files)
    course = report.course
    assert course is not None  # read_course always returns a course, problems or not
    errors = list(report.errors)
    library = get_course()
    if course.id == library.default.id:
        errors.insert(
            0, Problem("course.yaml", "id", f'"{course.id}" is the built-in course, which is edited in its own folder')
        )
    errors += clashes_with(course, (c for c in library.courses if c.id != course.id))
    return Findings(None if errors else course, errors, list(report.warnings))


def export_pack(course_id: str) -> bytes:
    """The course as a pack: the built-in one zipped from its folder, an imported one as stored. :raise LookupError:"""
    library = get_course()
    if library.course(course_id) is None:
        raise LookupError(f'no course "{course_id}"')
    if course_id == library.default.id:
        return zipped(pack_files(Path(current_app.config["CONTENT_DIR"])))
    newest = newest_version(course_id)
    assert newest is not None  # a course of the library that is not the built-in one is stored
    return newest.pack


def versions_by_course() -> dict[str, list[CourseVersion]]:
    """Course id → its stored versions, newest first (the pack bytes are not loaded)."""
    versions: dict[str, list[CourseVersion]] = {}
    query = (
        select(CourseVersion)
        .options(defer(CourseVersion.pack), joinedload(CourseVersion.created_by), joinedload(CourseVersion.reviewed_by))
        .order_by(CourseVersion.course_id, CourseVersion.number.desc())
    )
    for version in db.session.scalars(query):
        versions.setdefault(version.course_id, []).append(version)
    return versions

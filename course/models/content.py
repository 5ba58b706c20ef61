"""Content kept in the database: quiz snapshots that past attempts were made on, and imported courses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import Base, UTCDateTime, utcnow


class QuizSnapshot(Base):
    """A module's quiz (questions, choices, feedback, keys) as it was on one content version.

    Written once, when the first attempt on that version starts; never changed. A review of an
    older attempt is built from it, so it shows what the learner saw.
    """

    __tablename__ = "quiz_snapshot"

    module_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_version: Mapped[str] = mapped_column(String(64), primary_key=True)
    # course.content.snapshot.quiz_snapshot(module): {"format": 1, "questions": [...], "pretest": [...]}
    content: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CourseVersion(Base):
    """One published version of a course other than the built-in one: its whole pack, kept for good.

    `pack` is the course folder as a deterministic zip (content/packs.py); the library serves each
    course's newest version (services/course_library.py). Versions are never changed or deleted:
    attempts keep pointing at the module versions they were made on.
    """

    __tablename__ = "course_version"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the course
    title: Mapped[str] = mapped_column(String(200))
    pack: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))  # how it came: "import", "authoring" or "return"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The clinical reviewer who approved an authored version (not its author); None for an import.
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class CourseDraft(Base):
    """A course being edited in the browser: every file of its folder, as text, until a reviewer publishes it.

    One draft per course at a time. It starts from the course's newest version (or from nothing,
    for a new course); publishing turns it into the next CourseVersion and removes it.
    """

    __tablename__ = "course_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64), unique=True)
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("course_version.id", ondelete="SET NULL"))
    files: Mapped[dict] = mapped_column(JSON)  # path in the course folder -> text
    editor_ids: Mapped[list] = mapped_column(JSON)  # everyone who changed it: none of them may approve it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # sent for review; an edit takes it back
    review_note: Mapped[str] = mapped_column(String(2000), default="")  # what the reviewer asked to change

    base_version: Mapped[CourseVersion | None] = relationship()

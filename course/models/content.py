"""Snapshots of the course content that past attempts were made on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

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

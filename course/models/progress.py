"""A learner's progress. Content is referred to by its stable id and version, never copied."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..i18n import lazy_gettext as _l
from .base import Base, UTCDateTime, utcnow

PRETEST = "pretest"
QUIZ = "quiz"
ATTEMPT_KINDS = (PRETEST, QUIZ)
# How sure a learner is of an answer: asked under each question, optional.
SURE, THINK_SO, GUESSING = "sure", "think_so", "guessing"
# In the request's language (lazy: read when shown).
CONFIDENCE_LABELS = {SURE: _l("Sure"), THINK_SO: _l("I think so"), GUESSING: _l("Guessing")}


class LessonProgress(Base):
    """One learner's reading of one lesson."""

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("learner_id", "lesson_id"),
        Index("ix_lesson_progress_learner_module", "learner_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    lesson_id: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[str] = mapped_column(String(64))
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seconds_spent: Mapped[int] = mapped_column(Integer, default=0)


OPEN_ATTEMPT = text("submitted_at IS NULL")


class QuizAttempt(Base):
    """One sitting of a module's quiz or pre-test, with the exact order the learner was shown.

    A submitted pre-test with no score is a pre-test the learner chose to skip.
    """

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        # With submitted_at: "has this learner submitted a quiz in this module?" (the first-quiz mark,
        # inside every submit) is looked up here, not among every submitted attempt of the module.
        Index("ix_quiz_attempt_learner_module", "learner_id", "module_id", "kind", "submitted_at"),
        Index("ix_quiz_attempt_module_submitted", "module_id", "kind", "submitted_at"),
        # At most one open attempt per learner, module and kind, even with two tabs starting at once.
        Index(
            "uq_quiz_attempt_open",
            "learner_id",
            "module_id",
            "kind",
            unique=True,
            sqlite_where=OPEN_ATTEMPT,
            postgresql_where=OPEN_ATTEMPT,
        ),
        # Attempt ids appear in audit rows ("attempt 12 quiz ..."): never given twice, as user ids.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    content_version: Mapped[str] = mapped_column(String(64))
    # The language the learner took it in: staff see it, and item analysis can be split by it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # [{"question": id, "choices": [choice ids in the order shown]}, ...]
    layout: Mapped[list] = mapped_column(JSON)
    # Bumped by every saved draft; a submit carries the number it saw, so a stale tab is detected.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    # The score on the questions of the module's pre-test only (for a pre-test, its score): the
    # matched set that outcome reports compare before and after (docs/outcomes.md).
    pretest_items_score: Mapped[float | None] = mapped_column(Float)
    # The learner's first submitted quiz attempt in the module: the "after" of the outcome figures.
    first_quiz: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptAnswer.id"
    )


class AttemptAnswer(Base):
    """The learner's answer to one question of an attempt: a draft until the attempt is submitted."""

    __tablename__ = "attempt_answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        Index("ix_attempt_answer_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    # Sorted, comma-separated choice ids, so reports can group identical answers.
    choice_ids: Mapped[str] = mapped_column(String(255), default="")
    correct: Mapped[bool | None] = mapped_column(Boolean)
    credit: Mapped[float | None] = mapped_column(Float)
    # Comma-separated catalogue ids of the myths the picked choices stand for.
    misconception_ids: Mapped[str] = mapped_column(String(255), default="")
    # How sure the learner said they were (CONFIDENCE_LEVELS), or None when they did not say.
    confidence: Mapped[str | None] = mapped_column(String(10))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class UnsentAnswers(Base):
    """Quiz answers sent after the session had ended, kept until the same learner signs in on that browser.

    They stay on the server: the cookie holds only a random key (its SHA-256 is here), because a
    signed cookie is readable by whoever uses the browser next. Restored into the attempt's draft
    when its learner opens it again; dropped when someone else signs in, and after a day.
    """

    __tablename__ = "unsent_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True)
    # {"q-<question id>": [choice ids], ...} as the form sent them; checked when restored.
    fields: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

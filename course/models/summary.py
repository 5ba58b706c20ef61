"""The progress read model: per learner and module, the figures the staff reports read.

Derived, never edited by hand: services/progress_summary.py recomputes a row from the records
(lessons and attempts) in the same transaction as every event that changes them, and rebuilds
them all on demand (`flask progress rebuild`). The records stay the source of truth.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class ModuleSummary(Base):
    """One learner's figures in one module, for reports: a row once they completed a lesson or began an attempt."""

    __tablename__ = "module_summary"
    # On SQLite the rows are kept in primary-key order (learner, module): a cohort's totals read
    # each member's rows in place rather than through a separate index (~30% faster with 10,000).
    __table_args__ = {"sqlite_with_rowid": False}

    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lessons_done: Mapped[int] = mapped_column(Integer, default=0)
    attempts_begun: Mapped[int] = mapped_column(Integer, default=0)  # pre-tests (taken or skipped) and quizzes
    quizzes_submitted: Mapped[int] = mapped_column(Integer, default=0)
    quizzes_failed: Mapped[int] = mapped_column(Integer, default=0)
    best_score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pretest_score: Mapped[float | None] = mapped_column(Float)
    # The matched outcome pair (docs/outcomes.md): the pre-test, and the first quiz on the
    # pre-test's questions, with when that first quiz was submitted (programme date ranges).
    before_score: Mapped[float | None] = mapped_column(Float)
    after_score: Mapped[float | None] = mapped_column(Float)
    after_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong answers the learner was sure of, over their submitted quiz attempts.
    sure_but_wrong: Mapped[int] = mapped_column(Integer, default=0)
    # The latest lesson completed, attempt begun or attempt submitted.
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutcomeItem(Base):
    """One pre-test question a learner answered both on the pre-test and on their first quiz: right before, after.

    The programme's per-question outcome shares read these (docs/outcomes.md); a learner has rows
    in a module once both their pre-test and first quiz are submitted.
    """

    __tablename__ = "outcome_item"
    __table_args__ = {"sqlite_with_rowid": False}

    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    right_before: Mapped[bool] = mapped_column(Boolean)
    right_after: Mapped[bool] = mapped_column(Boolean)

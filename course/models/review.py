"""Spaced review: the questions a learner missed, asked again a day, three days and a week after the pass."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class ReviewItem(Base):
    """One question to review in one round; answered once, then kept as the record of that review.

    Reviews never change a quiz score or passing. A myth picked in a quiz counts as corrected only
    when a later review answers its question right (docs/outcomes.md).
    """

    __tablename__ = "review_item"
    __table_args__ = (Index("ix_review_item_learner_due", "learner_id", "answered_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column(Integer)  # 1, 2 or 3: about 1, 3 and 7 days after the pass
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # As on an attempt's answer: sorted, comma-separated choice ids; the grading; the myths picked.
    choice_ids: Mapped[str] = mapped_column(String(255), default="")
    correct: Mapped[bool | None] = mapped_column(Boolean)
    misconception_ids: Mapped[str] = mapped_column(String(255), default="")

"""Cohorts, their members, assignments and counselors' caseloads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Cohort(Base):
    """A group of learners run by one facilitator, joined with a code."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # None when joining is switched off; rotating replaces it and the old code stops working.
    join_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    members: Mapped[list[CohortMember]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class CohortMember(Base):
    """A learner's membership of a cohort; removal keeps the row (and the learner's progress)."""

    __tablename__ = "cohort_member"
    __table_args__ = (
        UniqueConstraint("cohort_id", "learner_id"),
        Index("ix_cohort_member_learner", "learner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(back_populates="members")


class Assignment(Base):
    """A module assigned to a whole cohort or to one learner, with an optional due date."""

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint("(cohort_id IS NULL) <> (learner_id IS NULL)", name="cohort_or_learner"),
        Index("ix_assignment_cohort_module", "cohort_id", "module_id"),
        Index("ix_assignment_learner_module", "learner_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(String(64))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Caseload(Base):
    """A counselor's right to see a learner, given one by one or through a whole cohort."""

    __tablename__ = "caseload"
    __table_args__ = (
        CheckConstraint("(cohort_id IS NULL) <> (learner_id IS NULL)", name="cohort_or_learner"),
        UniqueConstraint("counselor_id", "learner_id"),
        UniqueConstraint("counselor_id", "cohort_id"),
        Index("ix_caseload_learner", "learner_id"),
        Index("ix_caseload_cohort", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

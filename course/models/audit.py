"""The append-only audit trail. Ids are kept as plain numbers, so a deleted account leaves a pseudonym."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what to whose record, and when (UTC). Never holds passwords, tokens or answers."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject_time", "subject_id", "occurred_at"),
        Index("ix_audit_event_actor_time", "actor_id", "occurred_at"),
        Index("ix_audit_event_action_time", "action", "occurred_at"),
        # The admin's log: newest first, or a date range, with no other filter.
        Index("ix_audit_event_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    detail: Mapped[str] = mapped_column(String(255), default="")
    client: Mapped[str | None] = mapped_column(String(64))

"""People and their sign-in sessions."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

# The longest each may be: the columns, the forms and the accounts service all read these.
USERNAME_MAX_LENGTH = 40
DISPLAY_NAME_MAX_LENGTH = 80
EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a whole address


class User(UserMixin, Base):
    """One account: a learner, facilitator, counselor or admin. Learners need no email or real name."""

    __tablename__ = "user"
    # An id is never given twice (SQLite would reuse the highest id after a deletion): audit rows
    # keep a deleted account's id, and a new account must not inherit that trail.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX_LENGTH), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Staff permissions an admin grants on top of the role (access.AUTHOR, access.REVIEWER).
    can_author: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    can_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language this person chose for the site and course (i18n.LANGUAGES); None until they choose.
    language: Mapped[str | None] = mapped_column(String(8))

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The session this request was authenticated by; set by the session loader, never stored.
    current_session = None  # type: UserSession | None

    # UserMixin compares users by get_id(); rows are compared by identity, as SQLAlchemy does.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    def get_id(self) -> str | None:
        """Flask-Login keeps this in the cookie: the session's token, never the user id."""
        return self.current_session.token if self.current_session else None

    @property
    def name(self) -> str:
        """What the interface calls this person."""
        return self.display_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(Base):
    """A server-side session behind the cookie, so it can be ended everywhere at once."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_open", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="sessions")

    # The raw token exists only in the cookie and in memory during the request that made it.
    token = None  # type: str | None

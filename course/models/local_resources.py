"""The programme's own local resources: free naloxone, the clinic, local crisis and peer-support lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..i18n import lazy_gettext as _l
from .base import Base, UTCDateTime, utcnow

# Kinds of resource, with the words learners read.
NALOXONE = "naloxone"
CLINIC = "clinic"
CRISIS = "crisis"
PEER_SUPPORT = "peer_support"
OTHER = "other"
# In plain words, in the request's language (lazy: read when shown).
KIND_LABELS = {
    NALOXONE: _l("Free naloxone"),
    CLINIC: _l("Clinic"),
    CRISIS: _l("Crisis line"),
    PEER_SUPPORT: _l("Peer support"),
    OTHER: _l("Other help"),
}

# The longest each may be: the columns, the forms and the service all read these.
NAME_MAX_LENGTH = 120
DETAILS_MAX_LENGTH = 1000
PHONE_MAX_LENGTH = 30
URL_MAX_LENGTH = 500


class LocalResource(Base):
    """One place or line the programme itself points learners to, shown on the help page and in lessons."""

    __tablename__ = "local_resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    details: Mapped[str] = mapped_column(Text, default="")  # address, hours: shown escaped, line breaks kept
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX_LENGTH))  # as typed; see tel_href
    url: Mapped[str | None] = mapped_column(String(URL_MAX_LENGTH))  # https:// only
    position: Mapped[int] = mapped_column(Integer, index=True)  # 1, 2, ... in the order shown
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @property
    def kind_label(self) -> str:
        """The kind in plain words."""
        return str(KIND_LABELS.get(self.kind, KIND_LABELS[OTHER]))

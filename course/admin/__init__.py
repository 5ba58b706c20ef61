"""The admin area: accounts, caseloads, the audit log."""

from . import audit, caseload, outcomes  # noqa: F401  register their routes on bp
from .views import bp

__all__ = ["bp"]

"""The admin area: accounts, caseloads, the audit log, outcomes, courses, local resources."""

from . import audit, caseload, courses, outcomes, resources  # noqa: F401  register their routes on bp
from .views import bp

__all__ = ["bp"]

"""The counselor's area: the caseload and the records of the learners on it."""

from . import record_pages  # noqa: F401  registers the record routes on bp
from .views import bp

__all__ = ["bp"]

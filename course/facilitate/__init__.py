"""The facilitate area: cohorts, members, assignments and reports."""

from . import assignments, members, reports  # noqa: F401  registers their routes on bp
from .views import bp

__all__ = ["bp"]

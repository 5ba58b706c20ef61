"""The learner's area: lessons, quizzes, progress and their own data."""

from . import (
    quiz,  # noqa: F401  registers the quiz routes on bp
    records,  # noqa: F401
)
from .views import bp

__all__ = ["bp"]

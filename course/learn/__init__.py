"""The learner's area: lessons, quizzes, progress and their own data."""

from . import (
    my_record,  # noqa: F401
    quiz,  # noqa: F401  registers the quiz routes on bp
    review,  # noqa: F401  registers spaced review
)
from .views import bp

__all__ = ["bp"]

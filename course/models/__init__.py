"""Every model, importable as `from course.models import User`."""

from .accounts import User, UserSession
from .audit import AuditEvent
from .base import Base, utcnow
from .cohorts import Assignment, Caseload, Cohort, CohortMember
from .content import CourseDraft, CourseVersion, QuizSnapshot
from .local_resources import LocalResource
from .progress import (
    ATTEMPT_KINDS,
    CONFIDENCE_LABELS,
    GUESSING,
    PRETEST,
    QUIZ,
    SURE,
    THINK_SO,
    AttemptAnswer,
    LessonProgress,
    QuizAttempt,
    UnsentAnswers,
)
from .review import ReviewItem
from .summary import ModuleSummary, OutcomeItem

__all__ = [
    "ATTEMPT_KINDS",
    "CONFIDENCE_LABELS",
    "GUESSING",
    "PRETEST",
    "QUIZ",
    "SURE",
    "THINK_SO",
    "Assignment",
    "AttemptAnswer",
    "AuditEvent",
    "Base",
    "Caseload",
    "CourseDraft",
    "CourseVersion",
    "Cohort",
    "CohortMember",
    "LessonProgress",
    "LocalResource",
    "ModuleSummary",
    "OutcomeItem",
    "QuizAttempt",
    "QuizSnapshot",
    "ReviewItem",
    "UnsentAnswers",
    "User",
    "UserSession",
    "utcnow",
]

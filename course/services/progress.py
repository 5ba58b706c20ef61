"""A learner's progress: module status and unlocking, lesson completion, due dates, where to resume.

A module unlocks when the quizzes of all its prerequisites are passed; the best quiz attempt
decides passing. A module marked `always_open` (overdose and safety) is never locked: safety is
never gated. `unmet_prerequisites` is the one place that decides. The summary costs four queries,
whatever the learner has done, and covers one course or each course the learner has work in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, or_, select

from ..content import Course, Lesson, Library, Module
from ..database import upsert
from ..extensions import db
from ..i18n import gettext as _
from ..models import PRETEST, QUIZ, Assignment, CohortMember, LessonProgress, QuizAttempt, User, utcnow
from . import progress_summary
from .standing import (
    LOCKED,
    PASSED,
    STATUS_LABELS,
    course_percent,
    is_overdue,
    merge_due,
    module_status,
    unmet_prerequisites,
)

# A lesson left open longer than this counts for this long: the learner has stepped away.
MAX_LESSON_SECONDS = 30 * 60


@dataclass(frozen=True)
class ModuleProgress:
    """Where one learner stands in one module."""

    module: Module
    status: str
    completed_lessons: frozenset[str]
    quiz_scores: tuple[float, ...]
    best_score: float | None
    pretest_score: float | None
    pretest_offered: bool  # taken, skipped or open: it is not offered again
    pretest_items_first_quiz: float | None  # the first quiz's score on the pre-test's questions
    started: bool  # a lesson opened or a quiz attempt begun: too late for a pre-test
    open_quiz_id: int | None
    open_pretest_id: int | None
    due_at: datetime | None
    overdue: bool
    missing_prerequisites: tuple[Module, ...]

    @property
    def locked(self) -> bool:
        return self.status == LOCKED

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def pretest_open(self) -> bool:
        """The pre-test can still be taken: only before the module's first lesson and its quiz."""
        return not self.locked and not self.pretest_offered and not self.started

    @property
    def pretest_to_finish(self) -> int | None:
        """The open pre-test to go back to: only while the module is not started (else it is stale)."""
        return None if self.started else self.open_pretest_id

    @property
    def first_unread_lesson(self) -> Lesson | None:
        """The first lesson not yet marked complete."""
        return next((lesson for lesson in self.module.lessons if lesson.id not in self.completed_lessons), None)


@dataclass(frozen=True)
class Resume:
    """The exact place to continue: a lesson, an open quiz or pre-test, or a quiz to start."""

    label: str
    endpoint: str
    values: dict


@dataclass(frozen=True)
class CourseProgress:
    """A learner's progress through one course."""

    course: Course
    modules: tuple[ModuleProgress, ...]
    resume: Resume | None

    def of(self, module_id: str) -> ModuleProgress:
        return next(item for item in self.modules if item.module.id == module_id)

    @property
    def percent(self) -> int:
        """Share of lessons completed and quizzes passed, as a whole percentage."""
        return course_percent(
            (m.module for m in self.modules), (len(m.completed_lessons) + m.passed for m in self.modules)
        )

    @property
    def passed_count(self) -> int:
        return sum(m.passed for m in self.modules)


def due_dates(learner: User) -> dict[str, datetime | None]:
    """Module id → earliest due date of the learner's live assignments (direct or through a cohort)."""
    cohorts = select(CohortMember.cohort_id).where(
        CohortMember.learner_id == learner.id, CohortMember.removed_at.is_(None)
    )
    rows = db.session.execute(
        select(Assignment.module_id, Assignment.due_at).where(
            Assignment.withdrawn_at.is_(None),
            or_(Assignment.learner_id == learner.id, Assignment.cohort_id.in_(cohorts)),
        )
    ).all()
    dues: dict[str, datetime | None] = {}
    for module_id, due in rows:
        dues[module_id] = merge_due(dues.get(module_id), due)
    return dues


@dataclass(frozen=True)
class _LearnerFacts:
    """What one learner did, in every course: read in three queries, then split by course."""

    completed: dict[str, set[str]]  # module id → completed lesson ids
    opened: set[str]  # modules with a lesson opened
    attempts: list[Any]
    dues: dict[str, datetime | None]
    passed_ids: set[str]

    @property
    def module_ids(self) -> set[str]:
        """Every module the learner has work in: a lesson opened, an attempt begun, a live assignment."""
        return self.opened | {a.module_id for a in self.attempts} | set(self.dues)


def _learner_facts(learner: User) -> _LearnerFacts:
    completed: dict[str, set[str]] = {}
    opened: set[str] = set()
    for module_id, lesson_id, completed_at in db.session.execute(
        select(LessonProgress.module_id, LessonProgress.lesson_id, LessonProgress.completed_at).where(
            LessonProgress.learner_id == learner.id
        )
    ):
        opened.add(module_id)
        if completed_at is not None:
            completed.setdefault(module_id, set()).add(lesson_id)
    attempts = db.session.execute(
        select(
            QuizAttempt.id,
            QuizAttempt.module_id,
            QuizAttempt.kind,
            QuizAttempt.score,
            QuizAttempt.passed,
            QuizAttempt.submitted_at,
            QuizAttempt.pretest_items_score,
            QuizAttempt.first_quiz,
        )
        .where(QuizAttempt.learner_id == learner.id)
        .order_by(QuizAttempt.id)
    ).all()
    passed_ids = {a.module_id for a in attempts if a.kind == QUIZ and a.passed}
    return _LearnerFacts(completed, opened, list(attempts), due_dates(learner), passed_ids)


def course_progress(learner: User, course: Course) -> CourseProgress:
    """Summarise the learner's progress in every module of the course, in course order."""
    return _progress_in(course, _learner_facts(learner), utcnow())


def courses_progress(learner: User, library: Library) -> tuple[CourseProgress, ...]:
    """The learner's progress in each course they have work in; the built-in course always, first."""
    facts, now = _learner_facts(learner), utcnow()
    return tuple(_progress_in(course, facts, now) for course in library.courses_with(facts.module_ids))


def _progress_in(course: Course, facts: _LearnerFacts, now: datetime) -> CourseProgress:
    items = tuple(
        _module_progress(
            m,
            facts.completed.get(m.id, set()),
            [a for a in facts.attempts if a.module_id == m.id],
            facts.passed_ids,
            course,
            facts.dues.get(m.id),
            now,
            m.id in facts.opened,
        )
        for m in course.modules
    )
    return CourseProgress(course, items, _resume(items))


def _module_progress(module, completed, attempts, passed_ids, course, due, now, opened) -> ModuleProgress:
    quiz = [a for a in attempts if a.kind == QUIZ]
    pretests = [a for a in attempts if a.kind == PRETEST]
    scores = tuple(a.score for a in quiz if a.submitted_at is not None and a.score is not None)
    missing = unmet_prerequisites(module, passed_ids, course)
    status = module_status(bool(missing), module.id in passed_ids, bool(completed or attempts))
    return ModuleProgress(
        module=module,
        status=status,
        completed_lessons=frozenset(completed),
        quiz_scores=scores,
        best_score=max(scores) if scores else None,
        pretest_score=next((a.score for a in pretests if a.submitted_at is not None), None),
        pretest_offered=bool(pretests),
        pretest_items_first_quiz=next((a.pretest_items_score for a in quiz if a.first_quiz), None),
        started=opened or bool(quiz),
        open_quiz_id=next((a.id for a in quiz if a.submitted_at is None), None),
        open_pretest_id=next((a.id for a in pretests if a.submitted_at is None), None),
        due_at=due,
        overdue=is_overdue(due, status, now),
        missing_prerequisites=missing,
    )


def module_started(learner: User, module: Module) -> bool:
    """A lesson of the module opened or a quiz attempt begun: a pre-test would no longer measure "before"."""
    lesson = select(LessonProgress.id).where(
        LessonProgress.learner_id == learner.id, LessonProgress.module_id == module.id
    )
    quiz = select(QuizAttempt.id).where(
        QuizAttempt.learner_id == learner.id, QuizAttempt.module_id == module.id, QuizAttempt.kind == QUIZ
    )
    return bool(db.session.scalar(select(exists(lesson) | exists(quiz))))


def missing_prerequisites(learner: User, module: Module, course: Course) -> tuple[Module, ...]:
    """The same answer as `course_progress(...).of(module.id).missing_prerequisites`, in one small query.

    For a page that needs only whether the module is open (a lesson); none for a first module
    or an always-open one.
    """
    if not module.prerequisites or module.always_open:
        return ()
    passed_ids = set(
        db.session.scalars(
            select(QuizAttempt.module_id).where(
                QuizAttempt.learner_id == learner.id,
                QuizAttempt.kind == QUIZ,
                QuizAttempt.passed.is_(True),
                QuizAttempt.module_id.in_(module.prerequisites),
            )
        )
    )
    return unmet_prerequisites(module, passed_ids, course)


def _resume(items: tuple[ModuleProgress, ...]) -> Resume | None:
    current = next((m for m in items if not m.locked and not m.passed), None)
    if current is None:
        return None
    module = current.module
    if current.pretest_open:
        return Resume(_("Start “%(module)s”", module=module.title), "learn.module", {"module_id": module.id})
    if current.pretest_to_finish:
        return Resume(
            _("Finish the pre-test of “%(module)s”", module=module.title),
            "learn.attempt",
            {"attempt_id": current.pretest_to_finish},
        )
    if current.open_quiz_id:
        return Resume(
            _("Finish the quiz of “%(module)s”", module=module.title),
            "learn.attempt",
            {"attempt_id": current.open_quiz_id},
        )
    lesson = current.first_unread_lesson
    if lesson:
        return Resume(
            f"{module.title}: {lesson.title}", "learn.lesson", {"module_id": module.id, "lesson_id": lesson.id}
        )
    return Resume(_("Take the quiz of “%(module)s”", module=module.title), "learn.quiz", {"module_id": module.id})


# A lesson opened again within this long of its last recorded view is not written again: reading
# a page (a reload, Back, the next lesson and back) takes no write lock. complete_lesson counts
# the time since the last recorded view, so a completion after such an unrecorded re-open counts
# from the view before it: at most this much more than from the re-open, never past the cap.
VIEW_WRITE_INTERVAL = timedelta(minutes=5)

_LESSON_SEEN = select(LessonProgress.completed_at, LessonProgress.last_viewed_at).where(
    LessonProgress.learner_id == bindparam("learner_id"), LessonProgress.lesson_id == bindparam("lesson_id")
)


def lesson_seen(learner: User, lesson: Lesson) -> tuple[bool, bool]:
    """(done, due): whether the learner has completed the lesson, and whether this view is to be recorded.

    A read, in no write transaction. Due when the lesson has no row yet (the first open must be
    written before the page is served: it closes the pre-test, see `module_started`) or when its
    last recorded view is VIEW_WRITE_INTERVAL old; then `record_view` writes it.
    """
    row = db.session.execute(_LESSON_SEEN, {"learner_id": learner.id, "lesson_id": lesson.id}).one_or_none()
    if row is None:
        return False, True
    return row.completed_at is not None, utcnow() - row.last_viewed_at >= VIEW_WRITE_INTERVAL


@lru_cache(maxsize=2)
def _record_view_statement(dialect: str):
    """Built once per database kind: this write runs on a lesson's first open, then every few minutes."""
    values: dict[str, Any] = {
        name: bindparam(name) for name in ("learner_id", "module_id", "lesson_id", "content_version")
    }
    stmt = upsert(LessonProgress, dialect).values(
        **values, first_viewed_at=bindparam("now"), last_viewed_at=bindparam("now"), seconds_spent=0
    )
    return stmt.on_conflict_do_update(
        index_elements=["learner_id", "lesson_id"], set_={"last_viewed_at": stmt.excluded.last_viewed_at}
    ).returning(LessonProgress.completed_at)


def record_view(learner: User, module: Module, lesson: Lesson) -> bool:
    """Note that the learner opened a lesson (first and last viewed, content version); True when it is done.

    One statement, so the write lock is held for the shortest time: a second tab opening the same
    lesson at the same moment updates the one row. The lesson page calls it only when `lesson_seen`
    says the view is due.
    """
    stmt = _record_view_statement(db.session.get_bind().dialect.name)
    params = {
        "learner_id": learner.id,
        "module_id": module.id,
        "lesson_id": lesson.id,
        "content_version": module.version,
        "now": utcnow(),
    }
    return db.session.scalar(stmt, params) is not None


def complete_lesson(learner: User, module: Module, lesson: Lesson) -> None:
    """Mark a lesson complete, adding the time since it was opened (capped) to the time spent."""
    row = _lesson_row(learner, lesson)
    now = utcnow()
    if row is None:
        row = LessonProgress(
            learner_id=learner.id,
            module_id=module.id,
            lesson_id=lesson.id,
            content_version=module.version,
            first_viewed_at=now,
            last_viewed_at=now,
            seconds_spent=0,
        )
        db.session.add(row)
    row.seconds_spent = (row.seconds_spent or 0) + min(
        int((now - row.last_viewed_at).total_seconds()), MAX_LESSON_SECONDS
    )
    row.last_viewed_at = now
    row.content_version = module.version
    row.completed_at = row.completed_at or now
    progress_summary.refresh(learner.id, module.id)


def _lesson_row(learner: User, lesson: Lesson) -> LessonProgress | None:
    return db.session.scalar(
        select(LessonProgress).where(
            and_(LessonProgress.learner_id == learner.id, LessonProgress.lesson_id == lesson.id)
        )
    )

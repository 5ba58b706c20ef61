"""One learner's record as a counselor sees it, and the audit of every look at it.

Finding a learner goes through `access.can_view_learner`; the views log each look (RECORD_VIEWED)
and each refusal (ACCESS_DENIED) in a transaction of its own, before anything is shown.

"Corrected myth" rule (docs/counseling-and-audit.md): a misconception the learner picked is
corrected when, for every question in which they picked it, a later submitted attempt (quiz or
pre-test) answered that same question correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..access import can_view_learner
from ..content import Course, Library, Module
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import PRETEST, SURE, AttemptAnswer, LessonProgress, QuizAttempt, User
from . import attempts as attempt_service
from . import audit, own_record, progress, review, spaced_review
from .standing import whole_percent

RECORD_VIEW = "record"
KIND_LABELS = {PRETEST: _l("Pre-test"), "quiz": _l("Quiz")}


def find_learner(viewer: User, learner_id: int) -> User | None:
    """The learner with this id if `viewer` may see their record; None otherwise (absent or refused)."""
    learner = db.session.get(User, learner_id)
    if learner is None or not can_view_learner(viewer, learner):
        return None
    return learner


def log_denied(viewer: User, learner_id: int, view: str) -> None:
    """Audit a refused look (outcome "denied"); the caller commits it before the 404 is sent.

    An id that names no account gets no subject (the id asked for is in the detail): the account
    that gets that id later must not find someone's refused look in its record.
    """
    if db.session.get(User, learner_id) is None:
        audit.record(audit.ACCESS_DENIED, viewer, None, outcome="denied", detail=f"{view}, unknown id {learner_id}")
    else:
        audit.record(audit.ACCESS_DENIED, viewer, learner_id, outcome="denied", detail=view)


def log_view(viewer: User, learner: User, view: str) -> None:
    """Audit a look at the learner's record; the caller commits it before the page is rendered."""
    audit.record(audit.RECORD_VIEWED, viewer, learner.id, detail=view)


def attempt_detail(attempt: QuizAttempt) -> str:
    """How an attempt review is named in the audit log: ids only, never answers."""
    return f"attempt {attempt.id} {attempt.kind} {attempt.module_id}"


@dataclass(frozen=True)
class LessonDone:
    """A completed lesson, in course order."""

    module_title: str
    lesson_title: str
    completed_at: datetime


@dataclass(frozen=True)
class AttemptRow:
    """One quiz or pre-test attempt, numbered in the order it was started."""

    number: int
    id: int
    module_id: str
    module_title: str
    kind: str
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    language: str = "en"  # the language it was submitted in

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def reviewable(self) -> bool:
        """Submitted with answers (not a skipped pre-test, not still open)."""
        return self.submitted_at is not None and self.score is not None

    @property
    def percent(self) -> int | None:
        """The score as the whole percentage the pages show."""
        return whole_percent(self.score)

    @property
    def outcome(self) -> str:
        if self.submitted_at is None:
            return _("In progress")
        if self.score is None:
            return _("Skipped")
        if self.kind == PRETEST:
            return _("Before the lessons")
        return _("Passed") if self.passed else _("Not passed")


@dataclass(frozen=True)
class Myth:
    """A misconception the learner picked, with the catalogue's myth and fact, and whether it was corrected."""

    id: str
    myth: str
    fact: str
    times: int
    first_at: datetime
    last_at: datetime
    corrected: bool
    firmly_held: bool = False  # picked at least once while the learner said they were sure


@dataclass(frozen=True)
class LearnerRecord:
    """Everything the counselor's record page shows."""

    learner: User
    lessons: tuple[LessonDone, ...]
    attempts: tuple[AttemptRow, ...]
    modules: tuple[own_record.ModuleReport, ...]
    myths: tuple[Myth, ...]

    @property
    def scored_attempts(self) -> tuple[AttemptRow, ...]:
        """Attempts with a score, in time order: the timeline's points."""
        return tuple(sorted((a for a in self.attempts if a.reviewable), key=lambda a: (a.submitted_at, a.id)))


def _lessons(learner: User, course: Library) -> tuple[LessonDone, ...]:
    done: dict[str, datetime] = {
        lesson_id: at
        for lesson_id, at in db.session.execute(
            select(LessonProgress.lesson_id, LessonProgress.completed_at).where(
                LessonProgress.learner_id == learner.id, LessonProgress.completed_at.is_not(None)
            )
        )
        if at is not None  # as the query asks; this tells the type checker
    }
    return tuple(
        LessonDone(course.module_label(m.id), lesson.title, done[lesson.id])
        for m in course.modules
        for lesson in m.lessons
        if lesson.id in done
    )


def _attempts(learner: User, course: Library) -> tuple[AttemptRow, ...]:
    rows = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.learner_id == learner.id).order_by(QuizAttempt.started_at, QuizAttempt.id)
    )
    result = []
    for number, a in enumerate(rows, 1):
        result.append(
            AttemptRow(
                number,
                a.id,
                a.module_id,
                course.module_label(a.module_id),
                a.kind,
                a.started_at,
                a.submitted_at,
                a.score,
                a.passed,
                a.language,
            )
        )
    return tuple(result)


def myth_history(answers, course: Course, reviews=()) -> tuple[Myth, ...]:
    """Apply the "corrected myth" rule to submitted answers and spaced reviews, each in time order.

    `answers`: (submitted_at, attempt_id, question_id, correct, misconception_ids[, confidence]) rows
    of quizzes and pre-tests; `reviews`: (answered_at, item_id, question_id, correct, misconception_ids)
    of answered spaced reviews. A myth is corrected when every question it was picked in was later
    answered right in a spaced review: a right answer right after the quiz's feedback shows little.
    Myths still held come first, those picked while sure ("firmly held") first among them, then the
    corrected ones; newest first within each.
    """
    last_pick: dict[str, dict[str, tuple]] = {}  # myth → question → when last picked there
    last_right: dict[str, tuple] = {}  # question → when last answered right in a review
    seen: dict[str, list] = {}  # myth → [times, first, last]
    sure: set[str] = set()  # myths picked while the learner said they were sure
    events = [(row, False) for row in answers] + [((*row, None), True) for row in reviews]
    events.sort(key=lambda event: (event[0][0], event[1], event[0][1]))
    for (submitted_at, attempt_id, question_id, correct, misconception_ids, *confidence), is_review in events:
        when = (submitted_at, is_review, attempt_id)
        if correct and is_review:
            last_right[question_id] = when
        for myth_id in filter(None, (misconception_ids or "").split(",")):
            last_pick.setdefault(myth_id, {})[question_id] = when
            entry = seen.setdefault(myth_id, [0, submitted_at, submitted_at])
            entry[0] += 1
            entry[2] = submitted_at
            if confidence and confidence[0] == SURE:
                sure.add(myth_id)
    myths = []
    for myth_id, (times, first, last) in seen.items():
        corrected = all(q in last_right and last_right[q] > picked for q, picked in last_pick[myth_id].items())
        catalogued = course.misconception(myth_id)
        myths.append(
            Myth(
                myth_id,
                catalogued.myth if catalogued else _unknown_myth(myth_id),
                catalogued.fact if catalogued else "",
                times,
                first,
                last,
                corrected,
                myth_id in sure,
            )
        )
    myths.sort(key=lambda m: m.last_at, reverse=True)
    myths.sort(key=lambda m: (m.corrected, not m.firmly_held))
    return tuple(myths)


def _unknown_myth(myth_id: str) -> str:
    """How a myth id no longer in the catalogue is shown (in English outside a request, as every string)."""
    return _("(%(id)s: no longer in the catalogue)", id=myth_id)


def _myths(learner: User, course: Course) -> tuple[Myth, ...]:
    rows = db.session.execute(
        select(
            QuizAttempt.submitted_at,
            QuizAttempt.id,
            AttemptAnswer.question_id,
            AttemptAnswer.correct,
            AttemptAnswer.misconception_ids,
            AttemptAnswer.confidence,
        )
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(
            QuizAttempt.learner_id == learner.id, QuizAttempt.submitted_at.is_not(None), QuizAttempt.score.is_not(None)
        )
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id, AttemptAnswer.id)
    ).all()
    return myth_history(rows, course, spaced_review.answered_reviews(learner))


def learner_record(learner: User, course: Library) -> LearnerRecord:
    """Build the record page's content: lessons, attempts, before and after per module, misconceptions."""
    modules = own_record.progress_report(progress.courses_progress(learner, course))
    return LearnerRecord(
        learner, _lessons(learner, course), _attempts(learner, course), tuple(modules), _myths(learner, course)
    )


def find_attempt(learner: User, attempt_id: int) -> QuizAttempt | None:
    """The learner's submitted, scored attempt with this id; None for any other (open, skipped, someone else's)."""
    return db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.id == attempt_id,
            QuizAttempt.learner_id == learner.id,
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.score.is_not(None),
        )
    )


def attempt_review(attempt: QuizAttempt, module: Module) -> review.AttemptView:
    """The question-by-question review of a submitted attempt, as the learner saw it."""
    return review.attempt_view(attempt, module, attempt_service.saved_answers(attempt))

"""Sequencing: modules unlock when prerequisites' quizzes are passed; locked modules show nothing.

The real course's overdose and safety module is `always_open`: open to every learner from the start
(the tests marked real_course check it on modules/; the others run on the small test course).
"""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from course.extensions import db
from course.models import QUIZ, Assignment, LessonProgress, utcnow
from course.services import progress

from . import actions
from .factories import make_cohort
from .quiz_helpers import take


@pytest.mark.real_course  # about the real course's layout: its safety module is open from the start
def test_a_new_learner_can_open_only_the_first_module_and_the_safety_module(app, course, learner):
    summary = progress.course_progress(learner, course)
    assert [m.module.id for m in summary.modules if m.module.always_open] == ["overdose-safety"]
    assert [m.status for m in summary.modules] == ["available", "locked", "locked", "available", "locked"]
    assert summary.modules[1].missing_prerequisites == (course.modules[0],)
    assert summary.modules[3].missing_prerequisites == ()
    # The module after the safety module still waits for the safety quiz.
    assert summary.modules[4].missing_prerequisites == (course.modules[3],)
    assert summary.resume.endpoint == "learn.module" and summary.percent == 0


def test_passing_a_quiz_unlocks_the_next_module_and_failing_does_not(app, course, learner):
    first = course.modules[0]
    failed = take(learner, first, QUIZ, right=2)
    assert failed.passed is False and failed.score < first.pass_mark
    assert progress.course_progress(learner, course).modules[1].status == "locked"
    passed = take(learner, first, QUIZ)
    assert passed.passed is True and passed.score == 100.0
    summary = progress.course_progress(learner, course)
    assert [m.status for m in summary.modules[:2]] == ["passed", "available"]
    assert summary.modules[0].best_score == 100.0 and summary.modules[0].quiz_scores == (failed.score, 100.0)


def test_the_lesson_pages_lock_check_agrees_with_the_course_progress(app, course, learner):
    """The lesson page asks `missing_prerequisites`; every other page reads `course_progress`."""

    def both_agree():
        summary = progress.course_progress(learner, course)
        for module in course.modules:
            assert (
                progress.missing_prerequisites(learner, module, course) == summary.of(module.id).missing_prerequisites
            )

    both_agree()
    take(learner, course.modules[0], QUIZ, right=2)  # failed: still locked
    both_agree()
    take(learner, course.modules[0], QUIZ)
    both_agree()
    assert progress.missing_prerequisites(learner, course.modules[1], course) == ()


def test_the_best_attempt_decides_passing(app, course, learner):
    first = course.modules[0]
    take(learner, first, QUIZ)
    take(learner, first, QUIZ, right=0)
    assert progress.course_progress(learner, course).modules[0].passed


def test_the_pass_mark_is_the_modules_own(app, course, learner):
    first = course.modules[0]
    needed = -(-first.pass_mark * len(first.quiz.questions) // 100)  # questions needed, rounded up
    assert take(learner, first, QUIZ, right=needed).passed
    assert not take(learner, first, QUIZ, right=needed - 1).passed


def test_a_locked_modules_pages_say_why_and_show_none_of_its_content(browser, course, learner):
    second = course.modules[1]
    lesson = second.lessons[0]
    browser.login(learner.username)
    for url in (
        f"/learn/modules/{second.id}",
        f"/learn/modules/{second.id}/lessons/{lesson.id}",
        f"/learn/modules/{second.id}/quiz",
    ):
        response = browser.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 403, url
        assert "This module is not open yet" in page and course.modules[0].title.replace("'", "&#39;") in page
        assert lesson.title.replace("'", "&#39;") not in page and lesson.main_message[:40] not in page
    response = browser.post(f"/learn/modules/{second.id}/quiz/start", form_page="/learn/")
    assert response.status_code == 403
    response = browser.post(f"/learn/modules/{second.id}/lessons/{lesson.id}/complete", form_page="/learn/")
    assert response.status_code == 403
    assert db.session.scalar(select(LessonProgress.id)) is None


def test_unknown_modules_and_lessons_are_404(browser, course, learner):
    browser.login(learner.username)
    first = course.modules[0]
    assert browser.get("/learn/modules/no-such-module").status_code == 404
    assert browser.get(f"/learn/modules/{first.id}/lessons/no-such-lesson").status_code == 404
    other_modules_lesson = course.modules[1].lessons[0].id
    assert browser.get(f"/learn/modules/{first.id}/lessons/{other_modules_lesson}").status_code == 404


def test_reading_a_lesson_records_progress_and_complete_moves_on(browser, course, learner):
    first = course.modules[0]
    one, two = first.lessons[0], first.lessons[1]
    browser.login(learner.username)
    page = browser.get(f"/learn/modules/{first.id}/lessons/{one.id}").get_data(as_text=True)
    assert (
        one.main_message.replace("'", "&#39;") in page
        and "Sources" in page
        and f"Next: {two.title}".replace("'", "&#39;") in page
    )
    row = db.session.scalar(select(LessonProgress))
    assert row.lesson_id == one.id and row.completed_at is None and row.content_version == first.version
    response = browser.post(f"/learn/modules/{first.id}/lessons/{one.id}/complete", form_page="/learn/")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/lessons/{two.id}")
    row = db.session.scalar(select(LessonProgress))
    assert row.completed_at is not None and row.first_viewed_at <= row.completed_at
    assert '<span class="done">Done</span>' in browser.get(f"/learn/modules/{first.id}/lessons/{one.id}").get_data(
        as_text=True
    )
    assert '<span class="done">Done</span>' not in browser.get(f"/learn/modules/{first.id}/lessons/{two.id}").get_data(
        as_text=True
    )
    last = first.lessons[-1]
    response = browser.post(f"/learn/modules/{first.id}/lessons/{last.id}/complete", form_page="/learn/")
    assert response.headers["Location"].endswith(f"/learn/modules/{first.id}/quiz")


def test_time_spent_is_counted_and_capped(app, course, learner):
    first = course.modules[0]
    lesson = first.lessons[0]
    start = utcnow()
    with time_machine.travel(start, tick=False):
        actions.record_view(learner, first, lesson)
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        actions.complete_lesson(learner, first, lesson)
    assert db.session.scalar(select(LessonProgress.seconds_spent)) == 7 * 60
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        actions.complete_lesson(learner, first, lesson)
    assert db.session.scalar(select(LessonProgress.seconds_spent)) == 7 * 60 + progress.MAX_LESSON_SECONDS


def test_opening_a_lesson_again_keeps_one_row_and_its_first_view(app, course, learner):
    first = course.modules[0]
    lesson = first.lessons[0]
    start = utcnow()
    with time_machine.travel(start, tick=False):
        actions.record_view(learner, first, lesson)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        actions.record_view(learner, first, lesson)
    rows = db.session.scalars(select(LessonProgress)).all()
    assert len(rows) == 1
    assert rows[0].first_viewed_at == start and rows[0].last_viewed_at == start + timedelta(minutes=3)
    assert rows[0].seconds_spent == 0 and rows[0].completed_at is None


def _views(lesson):
    """(first viewed, last viewed, seconds spent, completed) of the lesson's one row, read afresh."""
    return db.session.execute(
        select(
            LessonProgress.first_viewed_at,
            LessonProgress.last_viewed_at,
            LessonProgress.seconds_spent,
            LessonProgress.completed_at,
        ).where(LessonProgress.lesson_id == lesson.id)
    ).one()


def test_the_lesson_page_writes_its_view_on_first_open_then_only_every_few_minutes(browser, course, learner):
    first = course.modules[0]
    lesson = first.lessons[0]
    page = f"/learn/modules/{first.id}/lessons/{lesson.id}"
    browser.login(learner.username)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        assert browser.get(page).status_code == 200
    version = db.session.scalar(select(LessonProgress.content_version))
    assert version == first.version and _views(lesson)[:2] == (start, start)
    within = start + progress.VIEW_WRITE_INTERVAL - timedelta(seconds=1)
    with time_machine.travel(within, tick=False):
        assert browser.get(page).status_code == 200  # a reload: nothing written
    assert _views(lesson)[:2] == (start, start)
    later = start + progress.VIEW_WRITE_INTERVAL
    with time_machine.travel(later, tick=False):
        assert browser.get(page).status_code == 200
    assert _views(lesson)[:2] == (start, later)
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1


def test_a_completion_after_a_reopen_counts_the_time_since_the_recorded_view(browser, course, learner):
    first = course.modules[0]
    lesson = first.lessons[0]
    page = f"/learn/modules/{first.id}/lessons/{lesson.id}"
    browser.login(learner.username)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        browser.get(page)
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        browser.get(page)  # reopened within the interval: the clock runs from the first open
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        assert browser.post(f"{page}/complete", form_page="/learn/").status_code == 303
    assert _views(lesson)[2] == 7 * 60
    # Back later (still signed in): that open is recorded, and the next completion counts from it.
    back = start + timedelta(minutes=7) + progress.VIEW_WRITE_INTERVAL + timedelta(minutes=1)
    with time_machine.travel(back, tick=False):
        assert '<span class="done">Done</span>' in browser.get(page).get_data(as_text=True)
    with time_machine.travel(back + timedelta(minutes=2), tick=False):
        browser.post(f"{page}/complete", form_page="/learn/")
    first_viewed, last_viewed, seconds, completed = _views(lesson)
    assert (first_viewed, seconds, completed) == (start, 9 * 60, start + timedelta(minutes=7))
    assert last_viewed == back + timedelta(minutes=2)


def test_resume_points_at_the_exact_next_step(app, course, learner):
    first = course.modules[0]
    actions.skip_pretest(learner, first)
    assert progress.course_progress(learner, course).resume.values == {
        "module_id": first.id,
        "lesson_id": first.lessons[0].id,
    }
    for lesson in first.lessons[:-1]:
        actions.complete_lesson(learner, first, lesson)
    assert progress.course_progress(learner, course).resume.values["lesson_id"] == first.lessons[-1].id
    attempt = actions.start_attempt(learner, first, QUIZ)
    assert progress.course_progress(learner, course).resume.values == {"attempt_id": attempt.id}


def test_due_dates_from_assignments_and_overdue(app, course, learner, facilitator):
    cohort = make_cohort(facilitator, members=(learner,))
    first, second = course.modules[0], course.modules[1]
    db.session.add_all(
        [
            Assignment(
                module_id=first.id,
                cohort_id=cohort.id,
                due_at=utcnow() - timedelta(days=1),
                assigned_by_id=facilitator.id,
            ),
            Assignment(
                module_id=second.id,
                learner_id=learner.id,
                due_at=utcnow() + timedelta(days=7),
                assigned_by_id=facilitator.id,
            ),
            Assignment(
                module_id=second.id, cohort_id=cohort.id, due_at=utcnow() + timedelta(days=3), withdrawn_at=utcnow()
            ),
        ]
    )
    db.session.commit()
    summary = progress.course_progress(learner, course)
    assert summary.modules[0].overdue and summary.modules[0].due_at < utcnow()
    assert not summary.modules[1].overdue and (summary.modules[1].due_at - utcnow()).days == 6
    take(learner, first, QUIZ)
    assert not progress.course_progress(learner, course).modules[0].overdue  # passed work is never overdue


def test_home_page_shows_status_due_dates_and_continue(browser, course, learner, facilitator):
    cohort = make_cohort(facilitator, members=(learner,), name="Tuesday group")
    db.session.add(Assignment(module_id=course.modules[0].id, cohort_id=cohort.id, due_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    browser.login(learner.username)
    page = browser.get("/learn/").get_data(as_text=True)
    assert (
        "Tuesday group" in page
        and "Overdue" in page
        and "Ready to start" in page
        and page.count("Locked") == len(course.modules) - 1
    )
    assert "Continue: Start" in page and "0% done" in page


@pytest.mark.real_course  # about the real course's safety module
def test_the_safety_module_is_open_from_the_start_on_every_page(browser, course, learner):
    safety = course.module("overdose-safety")
    assert safety.prerequisites and safety.always_open  # it has prerequisites, and they do not hold it back
    lesson = safety.lessons[0]
    browser.login(learner.username)
    home = browser.get("/learn/").get_data(as_text=True)
    assert f'href="/learn/modules/{safety.id}"' in home
    for url in (
        f"/learn/modules/{safety.id}",
        f"/learn/modules/{safety.id}/lessons/{lesson.id}",
        f"/learn/modules/{safety.id}/quiz",
    ):
        assert browser.get(url).status_code == 200, url
    page = browser.get(f"/learn/modules/{safety.id}/lessons/{lesson.id}").get_data(as_text=True)
    assert lesson.main_message[:40].replace("'", "&#39;") in page
    response = browser.post(f"/learn/modules/{safety.id}/lessons/{lesson.id}/complete", form_page="/learn/")
    assert response.status_code == 303
    assert db.session.scalar(select(LessonProgress.lesson_id)) == lesson.id
    passed = take(learner, safety, QUIZ)
    assert passed.passed and progress.course_progress(learner, course).of("recovery").status == "available"


@pytest.mark.real_course  # about the real course's safety module
def test_passing_the_module_before_it_does_not_announce_the_safety_module_as_newly_open(browser, course, learner):
    before = course.modules[2]
    assert course.modules[3].prerequisites == (before.id,)
    take(learner, course.modules[0], QUIZ)
    take(learner, course.modules[1], QUIZ)
    attempt = take(learner, before, QUIZ)
    browser.login(learner.username)
    page = browser.get(f"/learn/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "The next module is now open" not in page

"""A learner's record as their counselor sees it: lessons, attempts, reviews, gain, myths, timeline; and its audit."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from sqlalchemy import select

from course.content import get_course
from course.counsel.charts import timeline_chart
from course.database import write_transaction
from course.extensions import db
from course.models import PRETEST, QUIZ, AttemptAnswer, AuditEvent, QuizAttempt, utcnow
from course.services import audit, spaced_review
from course.services.counselor_record import learner_record, myth_history

from . import actions
from .counsel_helpers import counselor_with_cohort
from .factories import make_user
from .quiz_helpers import take, take_with


def text(html: str) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def table_rows(page: str, caption_id: str) -> list[list[str]]:
    """The body rows of the table with this caption id, as lists of cell texts."""
    table = re.search(rf'<caption id="{caption_id}">.*?</caption>(.*?)</table>', page, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [text(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.fixture
def story(course):
    """A learner who took the pre-test, read two lessons, failed the quiz, then passed it."""
    first = course.modules[0]
    learner = make_user("learner", display_name="Sam")
    counselor, _ = counselor_with_cohort(learner)
    pretest = take(learner, first, PRETEST, right=1)
    for lesson in first.lessons[:2]:
        actions.complete_lesson(learner, first, lesson)
    failed = take(learner, first, QUIZ, right=0)
    passed = take(learner, first, QUIZ)
    return dict(learner=learner, counselor=counselor, module=first, pretest=pretest, failed=failed, passed=passed)


@pytest.fixture
def counselor_browser(browser, story):
    browser.login(story["counselor"].username)
    return browser


def test_the_record_lists_lessons_done_with_their_dates(counselor_browser, story):
    page = counselor_browser.get(f"/counsel/learners/{story['learner'].id}").get_data(as_text=True)
    module = story["module"]
    done = table_rows(page, "lessons-caption")
    assert [row[:2] for row in done] == [[lesson.title, module.title] for lesson in module.lessons[:2]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[2]) for row in done)


def test_the_record_lists_every_attempt_with_scores_results_and_review_links(counselor_browser, story):
    learner = story["learner"]
    actions.skip_pretest(learner, get_course().modules[1])
    page = counselor_browser.get(f"/counsel/learners/{learner.id}").get_data(as_text=True)

    listed = table_rows(page, "attempts-caption")

    before = round(story["pretest"].score)
    assert [(row[0], row[2], row[4], row[5], row[6]) for row in listed] == [
        ("1", "Pre-test", "English", f"{before}%", "Before the lessons"),
        ("2", "Quiz", "English", "0%", "Not passed"),
        ("3", "Quiz", "English", "100%", "Passed"),
        ("4", "Pre-test", "English", "none", "Skipped"),
    ]
    for key in ("pretest", "failed", "passed"):
        assert f'href="/counsel/learners/{learner.id}/attempts/{story[key].id}"' in page
    assert listed[3][7] == "None to review"


def test_the_record_compares_the_pre_test_with_the_first_quiz_not_the_best(counselor_browser, story):
    page = counselor_browser.get(f"/counsel/learners/{story['learner'].id}").get_data(as_text=True)
    module = story["module"]
    before = round(story["pretest"].score)
    by_module = {row[0]: row[1:] for row in table_rows(page, "modules-caption")}
    assert by_module[module.title] == [
        f"2 of {len(module.lessons)}",
        "2",
        f"{before}%",
        "100%",
        f"−{before} points",  # the first quiz (all wrong) on the pre-test's questions, not the best
    ]
    assert by_module[get_course().modules[1].title][-1] == "no comparison yet"


def test_the_timeline_is_an_accessible_svg_with_the_same_numbers_in_text(counselor_browser, story):
    page = counselor_browser.get(f"/counsel/learners/{story['learner'].id}").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert '<title id="timeline-title">' in svg
    desc = unescape(re.search(r'<desc id="timeline-desc">(.*?)</desc>', svg, re.S).group(1))
    before = round(story["pretest"].score)
    assert "Attempt 1, " in desc and f": {before}%." in desc
    assert "Attempt 2" in desc and "0%, not passed" in desc and "100%, passed" in desc
    assert svg.count("<rect x=") - 1 == 1  # one pre-test square (plus the legend's)
    assert svg.count("<circle") - 2 == 2  # two quiz points (plus the legend's two)


def test_timeline_geometry_puts_points_in_order_and_scales_scores():
    when = datetime(2025, 3, 1, tzinfo=UTC)
    Row = type("Row", (), {})
    items = []
    for number, (kind, score, passed) in enumerate(
        [(PRETEST, 20.0, None), (QUIZ, 50.0, False), (QUIZ, 100.0, True)], 1
    ):
        row = Row()
        row.number, row.kind, row.score, row.passed, row.submitted_at = (
            number,
            kind,
            score,
            passed,
            when + timedelta(days=number),
        )
        items.append(row)
    chart = timeline_chart(items)
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert [p.shape for p in chart.points] == ["square", "open", "filled"]
    assert chart.points[2].y == chart.top and chart.points[1].y == (chart.top + chart.bottom) / 2
    assert [d[1] for d in chart.dates] == ["02 Mar 2025", "04 Mar 2025"]
    assert timeline_chart([]).points == ()


def test_an_attempt_review_shows_each_answer_the_right_one_and_the_myth_picked(counselor_browser, story, course):
    learner, failed, module = story["learner"], story["failed"], story["module"]
    page = counselor_browser.get(f"/counsel/learners/{learner.id}/attempts/{failed.id}").get_data(as_text=True)
    assert page.count('class="verdict verdict-wrong"') == len(failed.layout)
    first = module.question(failed.layout[0]["question"])
    wrong = next(c for c in first.choices if not c.correct)
    assert unescape(f"Their answer:</strong> {wrong.text}") in unescape(page)
    shown = [first.choice(choice_id) for choice_id in failed.layout[0]["choices"]]  # the order they saw
    right = "; ".join(c.text for c in shown if c.correct)
    assert unescape(f"Right answer:</strong> {right}") in unescape(page)
    first_wrong = [
        next(c for c in module.question(item["question"]).choices if not c.correct) for item in failed.layout
    ]
    myths = {course.misconception(c.misconception) for c in first_wrong if c.misconception}
    assert myths, "the fixture's wrong answers should reveal at least one myth"
    for myth in myths:
        assert f"Myth picked: {myth.myth} Fact: {myth.fact}" in text(page)


def test_looks_at_the_record_and_at_a_review_are_audited_without_answers(counselor_browser, story):
    learner, counselor, failed = story["learner"], story["counselor"], story["failed"]
    counselor_browser.get(f"/counsel/learners/{learner.id}")
    counselor_browser.get(f"/counsel/learners/{learner.id}/attempts/{failed.id}")

    views = events(audit.RECORD_VIEWED)

    assert [(e.actor_id, e.actor_role, e.subject_id, e.outcome) for e in views] == [
        (counselor.id, "counselor", learner.id, "ok")
    ] * 2
    assert views[0].detail == "record"
    assert views[1].detail == f"attempt {failed.id} quiz {failed.module_id}"
    answers = db.session.scalars(select(AttemptAnswer)).all()
    answered = {a.question_id for a in answers} | {c for a in answers for c in a.choice_ids.split(",")}
    for e in views:
        assert not set(e.detail.split()) & answered


def test_the_look_is_committed_before_the_page_is_built(counselor_browser, story, monkeypatch):
    # Logged in a transaction of its own, first: a failure while building the page cannot lose it.
    def broken(*args):
        raise RuntimeError("the page could not be built")

    monkeypatch.setattr("course.services.counselor_record.learner_record", broken)
    assert counselor_browser.get(f"/counsel/learners/{story['learner'].id}").status_code == 500
    assert [e.subject_id for e in events(audit.RECORD_VIEWED)] == [story["learner"].id]


def test_an_open_or_skipped_attempt_or_anothers_attempt_has_no_review(counselor_browser, story, course):
    learner = story["learner"]
    second = course.modules[1]
    actions.skip_pretest(learner, second)
    skipped = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.module_id == second.id))
    open_attempt = actions.start_attempt(learner, second, QUIZ)
    stranger = make_user("learner")
    theirs = take(stranger, story["module"], QUIZ)
    for attempt_id in (skipped, open_attempt.id, theirs.id, 999999):
        response = counselor_browser.get(f"/counsel/learners/{learner.id}/attempts/{attempt_id}")
        assert response.status_code == 404, attempt_id
    assert events(audit.RECORD_VIEWED) == []
    denied = events(audit.ACCESS_DENIED)
    assert [(e.subject_id, e.outcome, e.detail) for e in denied] == [
        (learner.id, "denied", f"attempt {i}") for i in (skipped, open_attempt.id, theirs.id, 999999)
    ]


# --- The "corrected myth" rule -------------------------------------------------------------------

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def answer(day: int, attempt: int, question: str, correct: bool, myths: str = ""):
    """A quiz or pre-test answer."""
    return (T0 + timedelta(days=day), attempt, question, correct, myths)


def reviewed(day: int, item: int, question: str, correct: bool, myths: str = ""):
    """A spaced review's answer."""
    return (T0 + timedelta(days=day), item, question, correct, myths)


def test_a_myth_is_corrected_when_a_later_spaced_review_answers_the_same_question_right(course):
    myth = next(iter(course.misconceptions))
    quiz_only = myth_history([answer(0, 1, "q1", False, myth), answer(1, 2, "q1", True)], course)
    assert [(m.id, m.times, m.corrected) for m in quiz_only] == [(myth, 1, False)]  # right just after the feedback
    history = myth_history([answer(0, 1, "q1", False, myth)], course, [reviewed(2, 1, "q1", True)])
    assert [(m.id, m.times, m.corrected) for m in history] == [(myth, 1, True)]
    assert history[0].myth == course.misconception(myth).myth and history[0].fact == course.misconception(myth).fact


def test_a_myth_is_still_held_when_picked_again_after_a_right_answer(course):
    myth = next(iter(course.misconceptions))
    history = myth_history(
        [answer(0, 1, "q1", False, myth), answer(1, 2, "q1", True), answer(2, 3, "q1", False, myth)], course
    )
    assert [(m.times, m.corrected) for m in history] == [(2, False)]


def test_a_myth_needs_every_question_it_was_picked_in_answered_right_later(course):
    myth = next(iter(course.misconceptions))
    rows = [answer(0, 1, "q1", False, myth), answer(0, 1, "q2", False, myth)]
    assert not myth_history(rows, course, [reviewed(1, 1, "q1", True)])[0].corrected
    assert myth_history(rows, course, [reviewed(1, 1, "q1", True), reviewed(2, 2, "q2", True)])[0].corrected


def test_a_right_answer_to_another_question_or_earlier_does_not_correct_a_myth(course):
    myth = next(iter(course.misconceptions))
    rows = [answer(0, 1, "q1", True), answer(1, 2, "q1", False, myth), answer(2, 3, "q2", True)]
    assert not myth_history(rows, course)[0].corrected


def test_myths_still_held_come_first_and_unknown_ids_are_named(course):
    known = list(course.misconceptions)[:2]
    history = myth_history(
        [
            answer(0, 1, "q1", False, known[0]),
            answer(1, 2, "q2", False, known[1]),
            answer(3, 4, "q3", False, "gone-myth"),
        ],
        course,
        [reviewed(2, 1, "q1", True)],
    )
    assert [(m.id, m.corrected) for m in history] == [("gone-myth", False), (known[1], False), (known[0], True)]
    assert "no longer in the catalogue" in history[0].myth


def test_the_record_page_shows_myths_corrected_by_the_spaced_reviews_not_by_the_pass(counselor_browser, story, course):
    learner, module = story["learner"], story["module"]
    # The fixture's learner picked wrong answers in the pre-test and a failed quiz, then passed
    # with every answer right: still held, until the reviews a day and more later answer them right.
    record = learner_record(learner, course)
    assert record.myths and not any(m.corrected for m in record.myths)
    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        while due := spaced_review.next_set(learner, course):
            with write_transaction():
                spaced_review.record_answers(due, {e.item.id: e.question.correct_ids for e in due})
    record = learner_record(learner, course)
    assert record.myths and all(m.corrected for m in record.myths)

    other = make_user("learner")
    counselor, _ = counselor_with_cohort(other)

    def with_myth(question):
        tagged = [c for c in question.choices if c.misconception]
        return {tagged[0].id} if tagged else question.correct_ids

    take_with(other, module, QUIZ, with_myth)
    expected = {
        c.misconception
        for q in module.quiz.questions
        for c in q.choices
        if c.misconception and c == next(x for x in q.choices if x.misconception)
    }
    held = learner_record(other, course).myths
    assert {m.id for m in held} == expected and not any(m.corrected for m in held)

    counselor_browser.logout()
    counselor_browser.login(counselor.username)
    page = counselor_browser.get(f"/counsel/learners/{other.id}").get_data(as_text=True)
    listed = table_rows(page, "myths-caption")
    assert {row[0] for row in listed} == {course.misconception(m).myth for m in expected}
    assert {row[4] for row in listed} == {"Still held"}
    facts = {course.misconception(m).myth: course.misconception(m).fact for m in expected}
    assert all(row[1] == facts[row[0]] for row in listed)

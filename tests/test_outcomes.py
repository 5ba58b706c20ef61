"""A valid before-and-after measure: the pre-test only before the lessons, "I don't know" counted as
not known, the pre-test's review without the answers the quiz asks again, the first quiz on the
same questions as "after", and the cohort's paired figures (docs/outcomes.md)."""

from __future__ import annotations

import re

import pytest
from scipy import stats
from sqlalchemy import select

from course.extensions import db
from course.models import PRETEST, QUIZ, QuizAttempt
from course.services import attempts, cohort_totals, grading
from course.services.paired_outcomes import MIN_PAIRED, PairedSums, _t_quantile, summarise
from course.services.t_quantiles import LARGE_DF, T_975

from . import actions
from .factories import make_cohort, make_user
from .quiz_helpers import form, right_answer, start_quiz, take, wrong_answer

# --- The statistics -------------------------------------------------------------------------------


def sums_of(before: list[float], after: list[float]) -> PairedSums:
    differences = [post - pre for pre, post in zip(before, after, strict=True)]
    return PairedSums(len(before), sum(before), sum(after), sum(differences), sum(d * d for d in differences))


def test_the_figures_match_a_paired_t_test_worked_by_hand_and_by_scipy():
    before, after = [40.0, 50.0, 60.0, 70.0, 80.0], [60.0, 60.0, 80.0, 90.0, 85.0]
    figures = summarise(sums_of(before, after))
    assert figures is not None
    # Differences 20, 10, 20, 20, 5: mean 15, standard deviation √50.
    assert (figures.n, figures.mean_pre, figures.mean_post, figures.mean_difference) == (5, 60.0, 75.0, 15.0)
    assert figures.cohens_d == pytest.approx(15 / 50**0.5)
    assert figures.normalized_gain == pytest.approx(15 / 40)
    assert (figures.ci_low, figures.ci_high) == (pytest.approx(6.2202, abs=1e-3), pytest.approx(23.7798, abs=1e-3))
    interval = stats.ttest_rel(after, before).confidence_interval(0.95)
    assert (figures.ci_low, figures.ci_high) == (pytest.approx(interval.low), pytest.approx(interval.high))


def test_the_t_quantiles_are_scipys_for_any_group_size():
    assert [round(v, 12) for v in T_975] == [round(float(stats.t.ppf(0.975, df)), 12) for df in range(1, 1001)]
    assert [(df, round(v, 12)) for df, v in LARGE_DF] == [
        (df, round(float(stats.t.ppf(0.975, df)), 12)) for df, _ in LARGE_DF
    ]
    assert _t_quantile(0.95, 4) == pytest.approx(2.776445105)
    for df in (1001, 1234, 4321, 9999, 12345, 77777, 250000, 10**7):
        assert _t_quantile(0.95, df) == pytest.approx(float(stats.t.ppf(0.975, df)), abs=1e-7), df


def test_the_t_quantile_refuses_what_the_table_cannot_answer():
    with pytest.raises(ValueError):
        _t_quantile(0.95, 0)
    with pytest.raises(ValueError):
        _t_quantile(0.99, 10)


def test_the_submit_service_refuses_answers_graded_with_questions_missing(learner, module):
    attempt = actions.start_attempt(learner, module, QUIZ)
    first = attempt.layout[0]["question"]
    graded = attempts.grade_answers(attempt, {first: right_answer(module.question(first))}, module)
    assert graded.missing == tuple(range(2, len(attempt.layout) + 1))
    with pytest.raises(attempts.Incomplete) as refused:
        attempts.submit(attempt, graded, attempt.sequence)
    assert refused.value.positions == list(graded.missing)
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is None


def test_no_figures_under_five_pairs_and_no_effect_size_without_spread():
    assert MIN_PAIRED == 5
    assert summarise(sums_of([10.0] * 4, [20.0] * 4)) is None
    same = summarise(sums_of([100.0] * 5, [100.0] * 5))
    assert same is not None and same.cohens_d is None and same.normalized_gain is None
    assert (same.ci_low, same.ci_high) == (0.0, 0.0)


# --- The pre-test: before the lessons, "I don't know", a review without the answers --------------


def test_the_pretest_offers_i_dont_know_counted_as_not_known(signed_in, learner, module):
    attempt = start_quiz(signed_in, module, PRETEST)
    assert all(item["choices"][-1] == grading.DONT_KNOW for item in attempt.layout)
    page = signed_in.get(f"/learn/attempts/{attempt.id}").get_data(as_text=True)
    assert page.count("I don&#39;t know") == len(attempt.layout)
    first, *others = (item["question"] for item in attempt.layout)
    answers = {first: right_answer(module.question(first))} | {q: frozenset({grading.DONT_KNOW}) for q in others}
    response = signed_in.post(f"/learn/attempts/{attempt.id}/submit", form(answers, attempt.sequence))
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.score == stored.pretest_items_score == pytest.approx(100 / len(attempt.layout), abs=0.1)
    assert {a.question_id: (a.choice_ids, a.correct, a.credit) for a in stored.answers if a.question_id != first} == {
        q: (grading.DONT_KNOW, False, 0.0) for q in others
    }


def test_the_pretest_review_says_how_it_went_but_not_the_answers_the_quiz_asks_again(signed_in, learner, module):
    attempt = start_quiz(signed_in, module, PRETEST)
    first, second, *rest = (module.question(item["question"]) for item in attempt.layout)
    answers = {first.id: right_answer(first), second.id: wrong_answer(second)}
    answers |= {q.id: frozenset({grading.DONT_KNOW}) for q in rest}
    signed_in.post(f"/learn/attempts/{attempt.id}/submit", form(answers, attempt.sequence))
    page = signed_in.get(f"/learn/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "How you did, question by question" in page
    assert page.count("verdict-right") == 1 and page.count("verdict-wrong") == 1
    assert page.count("You did not know yet") == len(rest)
    assert "Right answer:" not in page and "Why:" not in page
    for question in (first, second, *rest):
        assert question.explanation not in page
        assert all(choice.feedback not in page for choice in question.choices)


def test_the_pretest_is_offered_only_before_the_first_lesson(signed_in, learner, module):
    page = signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    assert "Take the pre-test" in page
    signed_in.get(f"/learn/modules/{module.id}/lessons/{module.lessons[0].id}")
    page = signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    assert "Take the pre-test" not in page
    response = signed_in.post(
        f"/learn/modules/{module.id}/pretest/start",
        form_page=f"/learn/modules/{module.id}/lessons/{module.lessons[0].id}",
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/learn/modules/{module.id}")
    assert db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.kind == PRETEST)) is None
    page = signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    assert "no longer offered" in page


def test_a_pretest_sent_after_the_lessons_were_opened_is_closed_without_a_score(signed_in, learner, module):
    attempt = start_quiz(signed_in, module, PRETEST)
    assert "Finish the pre-test" in signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    signed_in.get(f"/learn/modules/{module.id}/lessons/{module.lessons[0].id}")  # another tab: the first lesson
    assert "Finish the pre-test" not in signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    answers = {item["question"]: right_answer(module.question(item["question"])) for item in attempt.layout}
    response = signed_in.post(f"/learn/attempts/{attempt.id}/submit", form(answers, attempt.sequence))
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.submitted_at is not None and stored.score is None and stored.pretest_items_score is None
    page = signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    assert "closed without a score" in page


# --- After: the first quiz, on the pre-test's questions ---------------------------------------------


def test_only_the_first_quiz_is_after_and_it_is_scored_on_the_pretests_questions(learner, module):
    pretest_ids = {q.id for q in module.pretest.questions}
    attempt = actions.start_attempt(learner, module, QUIZ)
    # Right on every question except the pre-test's: 0% on them, whatever the whole score.
    answers = {
        item["question"]: (wrong_answer if item["question"] in pretest_ids else right_answer)(
            module.question(item["question"])
        )
        for item in attempt.layout
    }
    actions.submit(attempt, answers, attempt.sequence, module)
    second = take(learner, module, QUIZ)
    db.session.expire_all()
    first = db.session.get(QuizAttempt, attempt.id)
    share = 100 * (len(module.quiz.questions) - len(pretest_ids)) / len(module.quiz.questions)
    assert (first.first_quiz, first.pretest_items_score, first.score) == (True, 0.0, pytest.approx(share, abs=0.1))
    assert (second.first_quiz, second.pretest_items_score, second.score) == (False, 100.0, 100.0)


@pytest.fixture
def paired_cohort(facilitator, module):
    """Six learners: pre-test with 0–5 of 5 right, then a first quiz with every pre-test question right."""
    learners = [make_user("learner", password_hash="x") for _ in range(6)]
    for right, learner in enumerate(learners):
        take(learner, module, PRETEST, right=right)
        take(learner, module, QUIZ)
    unpaired = make_user("learner", password_hash="x")
    take(unpaired, module, QUIZ)  # skipped the pre-test: not counted
    return make_cohort(facilitator, members=(*learners, unpaired))


def test_the_cohort_figures_pair_each_pretest_with_the_first_quiz(paired_cohort, course, module):
    total = cohort_totals.cohort_totals(paired_cohort, course)[0]
    n = len(module.pretest.questions)
    before = [100 * min(right, n) / n for right in range(6)]
    expected = summarise(sums_of(before, [100.0] * 6))
    assert total.paired == 6 and total.outcome == expected


def test_the_cohort_page_shows_the_figures_in_a_table(browser, facilitator, paired_cohort, course, module):
    browser.login(facilitator.username)
    page = browser.get(f"/facilitate/cohorts/{paired_cohort.id}").get_data(as_text=True)
    figures = cohort_totals.cohort_totals(paired_cohort, course)[0].outcome
    row = re.search(
        rf"<th scope=\"row\">{re.escape(module.title)}</th>(.*?)</tr>", page.split('id="outcomes"')[1], re.S
    )
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]
    assert cells[:3] == ["6", f"{figures.mean_pre:.1f}%", "100.0%"]
    assert cells[3] == f"+{figures.mean_difference:.1f} (+{figures.ci_low:.1f} to +{figures.ci_high:.1f})"
    assert cells[4:] == [f"{figures.cohens_d:.2f}", f"{figures.normalized_gain:.2f}"]
    assert "How these figures are worked out" in page
    second = course.modules[1].title
    assert re.search(rf"{re.escape(second)}</th>\s*<td>0</td>\s*<td colspan=\"5\">Not shown: fewer than 5", page)

"""How sure a learner is of each answer: asked under every question (optional), stored with the answer,
shown in the review; the counselor sees myths picked while sure first, the facilitator the share of
wrong answers given while sure."""

from __future__ import annotations

import re

from sqlalchemy import select

from course.extensions import db
from course.models import GUESSING, QUIZ, SURE, THINK_SO, AttemptAnswer, QuizAttempt
from course.services import item_analysis

from . import actions
from .counsel_helpers import counselor_with_cohort
from .factories import make_cohort, make_user
from .quiz_helpers import answers, form, right_answer, start_quiz
from .support import sign_in


def myth_choice(module):
    """A quiz question with a wrong choice tagged with a myth, and that choice."""
    return next((q, c) for q in module.quiz.questions for c in q.choices if c.misconception and not c.correct)


def test_every_question_asks_how_sure_and_the_answer_is_kept_with_the_draft_and_the_submit(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    page = signed_in.get(url).get_data(as_text=True)
    assert page.count("How sure are you?") == len(attempt.layout)
    assert page.count('type="radio" name="c-') == 3 * len(attempt.layout)
    first, second = (item["question"] for item in attempt.layout[:2])
    chosen = answers(attempt, module)
    draft = {**form({first: chosen[first]}, 0), f"c-{first}": SURE, f"c-{second}": GUESSING}
    assert signed_in.post(f"{url}/draft", draft).status_code == 303
    page = signed_in.get(url).get_data(as_text=True)
    assert re.search(rf'name="c-{first}" value="{SURE}"\s+id="[^"]+"\s+checked', page)
    assert re.search(rf'name="c-{second}" value="{GUESSING}"\s+id="[^"]+"\s+checked', page)

    sent = {**form(chosen, 1), f"c-{first}": THINK_SO}
    assert signed_in.post(f"{url}/submit", sent).status_code == 303
    stored = dict(db.session.execute(select(AttemptAnswer.question_id, AttemptAnswer.confidence)).all())
    assert stored[first] == THINK_SO and stored[second] is None  # the submit is what counts, as for answers
    review = signed_in.get(f"{url}/result").get_data(as_text=True)
    assert review.count("How sure you were: I think so") == 1


def test_an_unknown_confidence_is_refused_and_changes_nothing(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    first = attempt.layout[0]["question"]
    response = signed_in.post(f"{url}/draft", {**form(answers(attempt, module), 0), f"c-{first}": "certain"})
    assert response.status_code == 400
    assert "is not one offered" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).sequence == 0
    assert db.session.scalar(select(AttemptAnswer.id)) is None


def _take_with_myth(learner, module, confidence: str) -> None:
    """Submit a quiz right but for one question, answered with a myth's choice at this confidence."""
    question, myth = myth_choice(module)
    attempt = actions.start_attempt(learner, module, QUIZ)
    chosen = {item["question"]: right_answer(module.question(item["question"])) for item in attempt.layout}
    chosen[question.id] = frozenset({myth.id})
    actions.submit(attempt, chosen, attempt.sequence, module, {question.id: confidence})


def test_the_counselor_sees_myths_picked_while_sure_first_as_firmly_held(browser, course):
    learner = make_user("learner", display_name="Sam")
    counselor, _ = counselor_with_cohort(learner)
    first, second = course.modules[:2]
    _take_with_myth(learner, first, SURE)
    _take_with_myth(learner, second, GUESSING)  # the newer: it would come first without the rule

    sign_in(browser, counselor)
    page = browser.get(f"/counsel/learners/{learner.id}").get_data(as_text=True)
    table = page.split('id="myths-caption"')[1].split("</table>")[0]
    found = re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    rows = [(name, "Firmly held" in cells) for name, cells in found]
    assert rows == [
        (course.misconception(myth_choice(first)[1].misconception).myth, True),
        (course.misconception(myth_choice(second)[1].misconception).myth, False),
    ]


def test_the_item_analysis_shows_the_share_of_wrong_answers_given_while_sure(facilitator, course, module):
    question, myth = myth_choice(module)
    learners = [make_user("learner", password_hash="x") for _ in range(4)]
    cohort = make_cohort(facilitator, members=tuple(learners))
    for n, learner in enumerate(learners):
        attempt = actions.start_attempt(learner, module, QUIZ)
        chosen = {item["question"]: right_answer(module.question(item["question"])) for item in attempt.layout}
        chosen[question.id] = frozenset({myth.id}) if n < 3 else right_answer(question)
        sure = {question.id: SURE if n < 2 else THINK_SO}
        actions.submit(attempt, chosen, attempt.sequence, module, sure)
    row = next(r for r in item_analysis.item_analysis(cohort, [module], course) if r.question.id == question.id)
    assert (row.wrong, row.wrong_while_sure, row.share_wrong_while_sure) == (3, 2, 67)

"""The quiz: layout per attempt, drafts that survive everything, submits that happen exactly once."""

import random
import re
from datetime import timedelta

import pytest
import time_machine
from markupsafe import escape
from sqlalchemy import func, select

from course.content import get_course
from course.extensions import db
from course.models import PRETEST, QUIZ, AttemptAnswer, QuizAttempt, utcnow
from course.services import attempts, progress

from . import actions, quiz_helpers
from .factories import make_user
from .quiz_helpers import start_quiz


def graded_attempts():
    return db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None)))


def test_an_attempt_stores_the_shuffled_order_shown_and_the_content_version(app, module, learner):
    one = actions.start_attempt(learner, module, QUIZ, random.Random(1))
    assert one.content_version == module.version
    assert sorted(item["question"] for item in one.layout) == sorted(q.id for q in module.quiz.questions)
    for item in one.layout:
        assert sorted(item["choices"]) == sorted(c.id for c in module.question(item["question"]).choices)
    actions.submit(one, quiz_helpers.answers(one, module), one.sequence, module)
    two = actions.start_attempt(learner, module, QUIZ, random.Random(2))
    assert two.id != one.id and two.layout != one.layout


def test_submit_replaces_the_drafts_with_graded_answers_seen_at_once(app, module, learner):
    attempt = actions.start_attempt(learner, module, QUIZ, random.Random(3))
    final = quiz_helpers.answers(attempt, module, right=len(attempt.layout) - 1)
    first_question = attempt.layout[0]["question"]
    draft = {first_question: quiz_helpers.wrong_answer(module.question(first_question))}
    sequence = actions.save_draft(attempt, draft, attempt.sequence)
    assert len(attempt.answers) == 1  # the draft is loaded in this session

    actions.submit(attempt, final, sequence, module)

    stored = {row.question_id: row for row in attempt.answers}
    assert {qid: frozenset(row.choice_ids.split(",")) for qid, row in stored.items()} == final
    assert stored[first_question].correct is True and stored[first_question].credit == 1
    assert sum(row.correct is False for row in stored.values()) == 1
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == len(attempt.layout)
    assert attempt.score == round(100 * (len(attempt.layout) - 1) / len(attempt.layout), 1)


def test_the_quiz_page_shows_questions_in_the_stored_order(signed_in, module):
    attempt = start_quiz(signed_in, module)
    page = signed_in.get(f"/learn/attempts/{attempt.id}").get_data(as_text=True)
    shown = re.findall(r'name="q-([^"]+)" value="([^"]+)"', page)
    expected = [(item["question"], choice) for item in attempt.layout for choice in item["choices"]]
    assert shown == expected


def test_starting_twice_resumes_the_open_attempt(signed_in, module):
    first = start_quiz(signed_in, module)
    second = start_quiz(signed_in, module)
    assert first.id == second.id
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_a_draft_survives_a_reload_and_a_new_login(signed_in, module, learner):
    attempt = start_quiz(signed_in, module)
    chosen = quiz_helpers.answers(attempt, module, right=3)
    partial = dict(list(chosen.items())[:4])
    url = f"/learn/attempts/{attempt.id}"
    response = signed_in.post(f"{url}/draft", quiz_helpers.form(partial, 0), form_page=url)
    assert response.status_code == 303
    signed_in.logout()
    signed_in.login(learner.username)
    page = signed_in.get(url).get_data(as_text=True)
    checked = set(re.findall(r'name="q-([^"]+)" value="([^"]+)"\s+id="[^"]+"\s+checked', page))
    assert checked == {(qid, cid) for qid, ids in partial.items() for cid in ids}
    assert "4 answered so far" in page


def test_the_autosave_answers_json_with_the_new_sequence(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    one = dict(list(quiz_helpers.answers(attempt, module).items())[:1])
    response = signed_in.post(
        f"{url}/draft", quiz_helpers.form(one, 0), form_page=url, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and response.get_json() == {"saved": True, "sequence": 1}
    response = signed_in.post(
        f"{url}/draft", quiz_helpers.form(one, 1), form_page=url, headers={"Accept": "application/json"}
    )
    assert response.get_json()["sequence"] == 2


def test_answers_sent_after_the_session_expired_are_kept_through_sign_in(signed_in, module, learner):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    token = signed_in.token(url)
    chosen = dict(list(quiz_helpers.answers(attempt, module).items())[:5])
    with time_machine.travel(utcnow() + timedelta(minutes=45)):
        response = signed_in.client.post(f"{url}/submit", data={**quiz_helpers.form(chosen, 0), "csrf_token": token})
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
        login = signed_in.post(
            f"/auth/login?next={url}",
            {"username": learner.username, "password": "correct horse battery staple"},
            form_page="/auth/login",
        )
        assert login.headers["Location"] == url
        page = signed_in.get(url).get_data(as_text=True)
    assert "the answers you sent then are saved" in page
    assert attempts.saved_answers(db.session.get(QuizAttempt, attempt.id)) == chosen
    assert graded_attempts() == 0


def test_submit_grades_once_and_a_double_submit_shows_the_first_result(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    data = quiz_helpers.form(quiz_helpers.answers(attempt, module, right=4), 0)
    first = signed_in.post(f"{url}/submit", data, form_page=url)
    assert first.status_code == 303 and first.headers["Location"] == f"{url}/result"
    again = signed_in.post(f"{url}/submit", data, form_page=f"{url}/result")  # double click / back button
    assert again.status_code == 303 and again.headers["Location"] == f"{url}/result"
    assert "already submitted" in signed_in.get(f"{url}/result").get_data(as_text=True)
    assert graded_attempts() == 1
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == len(module.quiz.questions)
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.score == round(100 * 4 / len(module.quiz.questions), 1) and stored.passed is False


def test_a_second_tab_cannot_overwrite_or_resubmit(signed_in, new_browser, module, learner):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    tab_b = new_browser()
    tab_b.login(learner.username)
    token_b = tab_b.token(url)
    right, wrong = quiz_helpers.answers(attempt, module), quiz_helpers.answers(attempt, module, right=0)
    signed_in.post(f"{url}/draft", quiz_helpers.form(right, 0), form_page=url)
    stale = tab_b.client.post(f"{url}/draft", data={**quiz_helpers.form(wrong, 0), "csrf_token": token_b})
    assert stale.status_code == 409 and "changed in another tab" in stale.get_data(as_text=True)
    assert attempts.saved_answers(db.session.get(QuizAttempt, attempt.id)) == right
    signed_in.post(f"{url}/submit", quiz_helpers.form(right, 1), form_page=url)
    late = tab_b.client.post(f"{url}/submit", data={**quiz_helpers.form(wrong, 0), "csrf_token": token_b})
    assert late.status_code == 303 and late.headers["Location"] == f"{url}/result"
    assert graded_attempts() == 1 and db.session.get(QuizAttempt, attempt.id).score == 100.0


def test_an_autosave_racing_the_submit_click_is_not_a_conflict(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    chosen = quiz_helpers.answers(attempt, module)
    signed_in.post(f"{url}/draft", quiz_helpers.form(chosen, 0), form_page=url)  # autosave landed first
    response = signed_in.post(f"{url}/submit", quiz_helpers.form(chosen, 0), form_page=url)  # page still says 0
    assert response.status_code == 303 and graded_attempts() == 1


def test_submitting_with_unanswered_questions_names_them_and_keeps_the_rest(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    chosen = quiz_helpers.answers(attempt, module)
    del chosen[attempt.layout[1]["question"]], chosen[attempt.layout[4]["question"]]
    response = signed_in.post(f"{url}/submit", quiz_helpers.form(chosen, 0), form_page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not answered yet: question 2, 5" in page
    assert 'aria-describedby="unanswered-2"' in page
    assert graded_attempts() == 0
    assert attempts.saved_answers(db.session.get(QuizAttempt, attempt.id)) == chosen


def test_another_learners_attempt_is_404_and_untouched(app, module, new_browser, learner):
    owner = make_user("learner")
    attempt = actions.start_attempt(owner, module, QUIZ)
    intruder = new_browser()
    intruder.login(learner.username)
    url = f"/learn/attempts/{attempt.id}"
    data = quiz_helpers.form(quiz_helpers.answers(attempt, module), 0)
    assert intruder.get(url).status_code == 404
    assert intruder.get(f"{url}/result").status_code == 404
    assert intruder.post(f"{url}/draft", data, form_page="/learn/").status_code == 404
    assert intruder.post(f"{url}/submit", data, form_page="/learn/").status_code == 404
    assert intruder.get("/learn/attempts/999999").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 0 and graded_attempts() == 0


@pytest.mark.parametrize("tamper", ["choice-from-elsewhere", "two-radios", "unknown-question"])
def test_forged_answers_are_refused_with_a_message_and_change_nothing(signed_in, module, tamper):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    data = quiz_helpers.form(quiz_helpers.answers(attempt, module), 0)
    single = next(item for item in attempt.layout if module.question(item["question"]).type == "single")
    if tamper == "choice-from-elsewhere":
        data[f"q-{single['question']}"] = ["not-a-choice"]
    elif tamper == "two-radios":
        data[f"q-{single['question']}"] = single["choices"][:2]
    else:
        data["q-some-other-question"] = ["a"]
    response = signed_in.post(f"{url}/submit", data, form_page=url)
    if tamper == "unknown-question":  # ignored: only the questions shown count
        assert response.status_code == 303 and graded_attempts() == 1
        return
    assert response.status_code == 400
    assert re.search(r"not a choice|not one of|only one", response.get_data(as_text=True))
    assert graded_attempts() == 0 and db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 0


def test_the_review_explains_every_question(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    chosen = quiz_helpers.answers(attempt, module, right=5)
    signed_in.post(f"{url}/submit", quiz_helpers.form(chosen, 0), form_page=url)
    page = signed_in.get(f"{url}/result").get_data(as_text=True)

    def unescape(text):
        return str(escape(text))

    assert page.count('class="review card"') == len(module.quiz.questions)
    assert "You need 80% to pass" in page
    for n, item in enumerate(attempt.layout):
        question = module.question(item["question"])
        picked = question.choice(next(iter(chosen[question.id])))
        assert unescape(question.explanation) in page and unescape(question.source) in page
        assert unescape(picked.feedback) in page
        if n >= 5:
            assert unescape(next(c for c in question.choices if c.correct).text) in page


def test_passing_through_the_pages_opens_the_next_module(signed_in, module):
    attempt = start_quiz(signed_in, module)
    url = f"/learn/attempts/{attempt.id}"
    signed_in.post(f"{url}/submit", quiz_helpers.form(quiz_helpers.answers(attempt, module), 0), form_page=url)
    page = signed_in.get(f"{url}/result").get_data(as_text=True)
    following = get_course().modules[1]
    assert "You passed" in page and f'href="/learn/modules/{following.id}"' in page
    assert signed_in.get(f"/learn/modules/{following.id}").status_code == 200


def test_the_pretest_is_offered_once_and_does_not_count_for_passing(signed_in, module, learner):
    page = signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    assert "Before you start: a short pre-test" in page
    attempt = start_quiz(signed_in, module, "pretest")
    assert attempt.kind == PRETEST and len(attempt.layout) == len(module.pretest.questions)
    url = f"/learn/attempts/{attempt.id}"
    signed_in.post(f"{url}/submit", quiz_helpers.form(quiz_helpers.answers(attempt, module), 0), form_page=url)
    assert db.session.get(QuizAttempt, attempt.id).passed is None
    assert "a short pre-test" not in signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    again = signed_in.post(f"/learn/modules/{module.id}/pretest/start", form_page=f"/learn/modules/{module.id}")
    assert again.headers["Location"] == f"/learn/modules/{module.id}"
    summary = progress.course_progress(learner, get_course())
    assert summary.modules[0].pretest_score == 100.0 and summary.modules[1].locked


def test_skipping_the_pretest_goes_to_the_first_lesson_and_is_remembered(signed_in, module, learner):
    response = signed_in.post(f"/learn/modules/{module.id}/pretest/skip", form_page=f"/learn/modules/{module.id}")
    assert response.headers["Location"].endswith(f"/lessons/{module.lessons[0].id}")
    signed_in.post(f"/learn/modules/{module.id}/pretest/skip", form_page=f"/learn/modules/{module.id}")
    rows = db.session.scalars(select(QuizAttempt)).all()
    assert len(rows) == 1 and rows[0].kind == PRETEST and rows[0].score is None
    assert "a short pre-test" not in signed_in.get(f"/learn/modules/{module.id}").get_data(as_text=True)

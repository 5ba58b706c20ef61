"""The cohort progress table (statuses as the learner sees them, totals, gain, sort, paging) and item analysis."""

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from course.extensions import db
from course.models import PRETEST, Assignment, CohortMember, utcnow
from course.services import cohort_progress, cohort_sorting, cohort_totals, item_analysis, progress, standing

from .facilitate_helpers import add_attempt, all_right, bulk_learners, bulk_progress, complete_lessons, pass_module
from .factories import make_cohort, make_user


@pytest.fixture
def signed_in_as():
    return "facilitator"


@pytest.fixture
def varied(facilitator, course):
    """Five members at different places, one removed member, a past and a future due date."""
    m1, m2 = course.modules[:2]
    fresh, reading, passed_one, passed_two, removed = (
        make_user(username=f"{n}-learner") for n in ("a", "b", "c", "d", "e")
    )
    cohort = make_cohort(facilitator, members=(fresh, reading, passed_one, passed_two, removed))
    complete_lessons(reading, m1, 2)
    add_attempt(reading, m1, PRETEST, score=40.0)
    add_attempt(passed_one, m1, PRETEST, score=50.0)
    add_attempt(passed_one, m1, score=60.0)
    pass_module(passed_one, m1, 90.0)
    add_attempt(passed_one, m2, score=50.0)
    pass_module(passed_two, m1, 100.0)
    pass_module(passed_two, m2, 85.0)
    pass_module(removed, m1, 10.0)
    now = utcnow()
    db.session.add_all(
        [
            Assignment(
                module_id=m1.id, cohort_id=cohort.id, due_at=now - timedelta(days=1), assigned_by_id=facilitator.id
            ),
            Assignment(
                module_id=m2.id,
                learner_id=reading.id,
                due_at=now - timedelta(hours=1),
                assigned_by_id=facilitator.id,
            ),
            Assignment(
                module_id=m2.id, cohort_id=cohort.id, due_at=now + timedelta(days=7), assigned_by_id=facilitator.id
            ),
        ]
    )
    db.session.execute(
        CohortMember.__table__.update().where(CohortMember.learner_id == removed.id).values(removed_at=now)
    )
    db.session.commit()
    return cohort, dict(fresh=fresh, reading=reading, passed_one=passed_one, passed_two=passed_two, removed=removed)


def test_each_cell_matches_what_the_learner_sees(varied, course):
    cohort, people = varied
    report = cohort_progress.progress_page(cohort, course)
    rows = {row.username: row for row in report.rows}
    assert sorted(rows) == sorted(p.username for name, p in people.items() if name != "removed")
    for name, learner in people.items():
        if name == "removed":
            continue
        own = progress.course_progress(learner, course)
        row = rows[learner.username]
        assert row.percent == own.percent, name
        for cell, mine in zip(row.cells, own.modules, strict=True):
            assert (cell.status, cell.best_score, cell.pretest_score, cell.due_at, cell.overdue, cell.lessons_done) == (
                mine.status,
                mine.best_score,
                mine.pretest_score,
                mine.due_at,
                mine.overdue,
                len(mine.completed_lessons),
            ), (name, mine.module.id)
    fresh = rows[people["fresh"].username]
    assert [c.status for c in fresh.cells] == [standing.AVAILABLE, standing.LOCKED]
    assert fresh.cells[0].overdue  # the cohort's module 1 was due yesterday
    assert rows[people["reading"].username].cells[1].overdue  # due to them alone an hour ago
    assert not rows[people["passed_two"].username].cells[0].overdue  # passed: never overdue


def test_cohort_totals_and_the_paired_count(varied, course):
    cohort, _ = varied
    m1, m2 = cohort_totals.cohort_totals(cohort, course)[:2]
    assert (m1.passed, m1.scored, m1.average_best) == (2, 2, pytest.approx(95.0))  # the removed member's 10 is left out
    assert (m2.passed, m2.scored, m2.average_best) == (1, 2, pytest.approx(67.5))
    # Only passed_one has both a pre-test and a quiz in module 1: too few for figures.
    assert (m1.paired, m1.outcome) == (1, None)
    assert (m2.paired, m2.outcome) == (0, None)


def test_the_cohort_page_shows_the_table_totals_and_gain(signed_in, varied, course):
    cohort, people = varied
    response = signed_in.get(f"/facilitate/cohorts/{cohort.id}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<title>Cohort · Pathways</title>" in text
    assert '<caption id="progress-caption">Progress by learner and module, sorted by username' in text
    assert '<th scope="col" aria-sort="ascending">' in text
    assert "Overdue" in text and "Best 90%" in text and "In progress" in text and "Ready to start" in text
    assert "Passed (whole cohort)" in text and "2 of 4" in text
    assert "Not shown: fewer than 5 learners took both the pre-test and the quiz (1 so far)" in text
    assert people["removed"].username not in text
    for module in course.modules:
        assert f'/facilitate/cohorts/{cohort.id}/modules/{module.id}"' in text


def shown_cells(text):
    """Username -> the text of each module's cell, as the page shows it."""
    body = text.split("<tbody>")[1].split("</tbody>")[0]
    rows = {}
    for row in body.split("<tr>")[1:]:
        name = re.search(r'<th scope="row">([^<]+)', row).group(1)
        cells = re.findall(r'<td class="cell-[a-z_]+">(.*?)</td>', row, re.S)
        rows[name] = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
    return rows


def test_each_row_on_the_page_shows_its_own_cells(signed_in, varied, course):
    """Cells alike are drawn once a page (facilitate/reports.drawn_once); every learner still sees their own."""
    cohort, people = varied
    shown = shown_cells(signed_in.get(f"/facilitate/cohorts/{cohort.id}").get_data(as_text=True))
    report = cohort_progress.progress_page(cohort, course)
    for row in report.rows:
        expected = []
        for cell in row.cells:
            words = [str(cell.status_label)]
            if cell.best_percent is not None:
                words.append(f"Best {cell.best_percent}%")
            if cell.overdue:
                words.append("Overdue")
            elif cell.due_at and cell.status != standing.PASSED:
                words.append(f"Due {cell.due_at:%d %b}")
            expected.append(" ".join(words))
        assert shown[row.username] == expected, row.username
    # Both locked in module 2, one overdue (due to them alone an hour ago) and one due next week: drawn apart.
    fresh, reading = shown[people["fresh"].username][1], shown[people["reading"].username][1]
    assert fresh.startswith("Locked Due ") and reading == "Locked Overdue"


def order(text):
    return re.findall(r'<th scope="row">([^<]+)', text.split('id="progress-caption"')[1].split("</tbody>")[0])


def test_sorting_by_name_progress_and_module_score(signed_in, varied, course):
    cohort, people = varied
    url = f"/facilitate/cohorts/{cohort.id}"
    names = {p.username: n for n, p in people.items()}
    assert [names[u] for u in order(signed_in.get(url).get_data(as_text=True))] == [
        "fresh",
        "reading",
        "passed_one",
        "passed_two",
    ]
    assert [names[u] for u in order(signed_in.get(f"{url}?sort=-name").get_data(as_text=True))] == [
        "passed_two",
        "passed_one",
        "reading",
        "fresh",
    ]
    # Progress counts steps, as the learner's "% done": two lessons read equal two modules passed (ties by name).
    assert [names[u] for u in order(signed_in.get(f"{url}?sort=-progress").get_data(as_text=True))] == [
        "reading",
        "passed_two",
        "passed_one",
        "fresh",
    ]
    assert [names[u] for u in order(signed_in.get(f"{url}?sort=progress").get_data(as_text=True))] == [
        "fresh",
        "passed_one",
        "reading",
        "passed_two",
    ]
    by_m2 = signed_in.get(f"{url}?sort=-module:{course.modules[1].id}").get_data(as_text=True)
    assert [names[u] for u in order(by_m2)][:2] == ["passed_two", "passed_one"]  # 85 then 50; no score last
    assert '<th scope="col" aria-sort="descending">' in by_m2


@pytest.mark.parametrize(
    "sort", ["password", "module:no-such", "-", "--name", "name; DROP TABLE user", "module:", "username"]
)
def test_an_unknown_sort_falls_back_to_the_name(signed_in, varied, sort):
    cohort, _ = varied
    response = signed_in.get(f"/facilitate/cohorts/{cohort.id}", query_string={"sort": sort})
    assert response.status_code == 200
    assert "sorted by username" in response.get_data(as_text=True)


def test_large_cohorts_are_paged_by_fifty_and_keep_their_sort(signed_in, facilitator, course):
    cohort = make_cohort(facilitator)
    ids = bulk_learners(cohort, 120)
    bulk_progress(ids, course.modules[0])
    url = f"/facilitate/cohorts/{cohort.id}"
    first = signed_in.get(f"{url}?sort=-progress").get_data(as_text=True)
    assert len(order(first)) == 50 and "page 1 of 3" in first
    assert f'href="{url}?page=2&amp;sort=-progress"' in first or f'href="{url}?sort=-progress&amp;page=2"' in first
    last = signed_in.get(f"{url}?page=3").get_data(as_text=True)
    assert len(order(last)) == 20
    assert order(signed_in.get(f"{url}?page=999").get_data(as_text=True)) == order(last)
    assert signed_in.get(f"{url}?page=-4").status_code == 200 and signed_in.get(f"{url}?page=x").status_code == 200
    assert "2 of 120" not in first  # totals count the whole cohort
    totals = cohort_totals.cohort_totals(cohort, course)[0]
    assert totals.passed == sum(1 for n in range(120) if 50 + n % 50 >= course.modules[0].pass_mark)


def test_sorting_by_a_module_score_orders_the_whole_cohort_not_just_a_page(facilitator, course):
    cohort = make_cohort(facilitator)
    ids = bulk_learners(cohort, 60)
    bulk_progress(ids, course.modules[0])
    sort = cohort_sorting.parse_sort(f"-module:{course.modules[0].id}", course)
    page = cohort_progress.progress_page(cohort, course, sort, 1)
    scores = [row.cells[0].best_score for row in page.rows]
    assert scores == sorted(scores, reverse=True) and scores[0] == 99.0


# Item analysis --------------------------------------------------------------------------------


@pytest.fixture
def answered(facilitator, course):
    module = course.modules[0]
    pretest = {q.id for q in module.pretest.questions}
    # A question of the quiz and the pre-test with both a myth and another wrong choice.
    question = next(
        q
        for q in module.quiz.questions
        if q.id in pretest and {c.misconception is not None for c in q.choices if not c.correct} == {True, False}
    )
    myth_choice = next(c for c in question.choices if c.misconception)
    other_wrong = next(c for c in question.choices if not c.correct and not c.misconception)
    right = all_right(module)
    a, b, c, d = (make_user() for _ in range(4))
    cohort = make_cohort(facilitator, members=(a, b, c, d))
    add_attempt(a, module, answers=right)
    add_attempt(b, module, answers={**right, question.id: frozenset({myth_choice.id})})
    add_attempt(b, module, answers=right)  # a later attempt after the feedback does not count
    add_attempt(c, module, answers={**right, question.id: frozenset({myth_choice.id})})
    add_attempt(d, module, answers={**right, question.id: frozenset({other_wrong.id})})
    pretest = {
        qid: frozenset({next(ch.id for ch in module.question(qid).choices if not ch.correct)})
        for qid in [q.id for q in module.pretest.questions]
    }
    add_attempt(a, module, PRETEST, answers=pretest)
    add_attempt(b, module, PRETEST, answers={**pretest, question.id: question.correct_ids})
    return cohort, module, question, myth_choice


def test_item_analysis_counts_first_attempts_and_names_the_most_chosen_myth(answered, course):
    cohort, module, question, myth_choice = answered
    items = {item.question.id: item for item in item_analysis.item_analysis(cohort, [module], course)}
    assert len(items) == len(module.quiz.questions)
    item = items[question.id]
    assert (item.answered, item.correct, item.share_correct) == (4, 1, 25)
    assert item.top_wrong == myth_choice and item.top_wrong_count == 2
    assert item.myth == course.misconception(myth_choice.misconception)
    assert (item.pretest_answered, item.pretest_correct, item.pretest_share_correct) == (2, 1, 50)
    untouched = items[next(q.id for q in module.quiz.questions if q.id != question.id)]
    assert untouched.share_correct == 100 and untouched.top_wrong is None and untouched.myth is None
    assert item_analysis.first_attempt_counts(cohort, [module]) == {module.id: 4}


def test_the_item_analysis_page(signed_in, answered, course):
    cohort, module, question, myth_choice = answered
    response = signed_in.get(f"/facilitate/cohorts/{cohort.id}/modules/{module.id}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "4 learners in this cohort took the quiz" in text
    assert str(escape(course.misconception(myth_choice.misconception).myth)) in text
    assert str(escape(myth_choice.text)) in text and "chosen 2 times" in text and "1 of 4" in text
    assert signed_in.get(f"/facilitate/cohorts/{cohort.id}/modules/no-such-module").status_code == 404

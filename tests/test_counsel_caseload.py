"""The counselor's caseload list: numbers per learner, filters, paging, and a constant query count."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import event, update

from course.extensions import db
from course.models import PRETEST, QUIZ, SURE, User, utcnow
from course.services import caseload, progress

from . import actions
from .counsel_helpers import assign, bulk_caseload, counselor_with_cohort
from .factories import attach_counselor, make_cohort, make_user
from .quiz_helpers import answers, take

ROW = re.compile(r'<tr>\s*<th scope="row"><a href="/counsel/learners/(\d+)">([^<]*)</a></th>(.*?)</tr>', re.S)


def rows(page: str) -> dict[str, list[str]]:
    """Learner name → the text of the other cells in the caseload table."""
    return {
        unescape(name): [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)
        ]
        for _, name, cells in ROW.findall(page)
    }


def set_last_active(user: User, days_ago: float | None, created_days_ago: float = 0) -> None:
    now = utcnow()
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            last_active_at=None if days_ago is None else now - timedelta(days=days_ago),
            created_at=now - timedelta(days=created_days_ago),
        )
    )
    db.session.commit()


def caseload_page(browser, counselor, query: str = "") -> str:
    """The caseload page as `counselor` sees it (signing in on first use)."""
    if browser.get("/counsel/").status_code != 200:
        browser.login(counselor.username)
    response = browser.get(f"/counsel/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_learner_shows_modules_passed_lessons_done_overdue_and_last_active(browser, course):
    first, second = course.modules[0], course.modules[1]
    busy, idle = make_user("learner", display_name="Robin"), make_user("learner")
    counselor, cohort = counselor_with_cohort(busy, idle)
    for lesson in first.lessons[:2]:
        actions.complete_lesson(busy, first, lesson)
    take(busy, first, PRETEST, right=1)
    failed = actions.start_attempt(busy, first, QUIZ)
    two_wrong = answers(failed, first, len(first.quiz.questions) - 2)
    actions.submit(failed, two_wrong, failed.sequence, first, dict.fromkeys(two_wrong, SURE))  # wrong but sure
    take(busy, first, QUIZ)  # passed
    assign(second.id, cohort=cohort, due_in_days=-2)  # overdue for both
    assign(first.id, cohort=cohort, due_in_days=-2)  # passed by Robin: overdue only for the other
    set_last_active(busy, 0.5)
    lessons_total = sum(len(m.lessons) for m in course.modules)

    table = rows(caseload_page(browser, counselor))

    when = busy.last_active_at.strftime("%Y-%m-%d %H:%M")
    modules_total = len(course.modules)
    assert table["Robin"] == [f"1 of {modules_total}", f"2 of {lessons_total}", "1 overdue", when, "None", "2"]
    assert table[idle.username] == [
        f"0 of {modules_total}",
        f"0 of {lessons_total}",
        "2 overdue",
        "Not yet",
        "None",
        "0",
    ]


def test_the_numbers_agree_with_the_learners_own_progress(app, course):
    first, second = course.modules[0], course.modules[1]
    learner = make_user("learner")
    counselor, cohort = counselor_with_cohort(learner)
    actions.complete_lesson(learner, first, first.lessons[0])
    take(learner, first, QUIZ, right=0)
    take(learner, first, QUIZ)
    assign(second.id, learner=learner, due_in_days=-1)
    assign(second.id, cohort=cohort, due_in_days=-3)  # the same module twice counts once
    unhurried = make_user("learner")  # on the caseload alone, outside the cohort
    attach_counselor(counselor, learner=unhurried)
    assign(first.id, learner=unhurried, due_in_days=3)  # not yet due
    assign(second.id, learner=unhurried, due_in_days=-3, withdrawn=True)

    rows = {row.learner.id: row for row in caseload.caseload_page(counselor, course, caseload.CaseloadFilter()).rows}
    row, own = rows[learner.id], progress.course_progress(learner, course)
    assert row.modules_passed == own.passed_count == 1
    assert row.lessons_done == sum(len(m.completed_lessons) for m in own.modules) == 1
    assert row.overdue == sum(m.overdue for m in own.modules) == 1
    row, own = rows[unhurried.id], progress.course_progress(unhurried, course)
    assert row.overdue == sum(m.overdue for m in own.modules) == 0


def test_behind_shows_only_learners_with_overdue_work(browser, course):
    first, second = course.modules[0], course.modules[1]
    late, passed_anyway, not_due, withdrawn, none = (make_user("learner") for _ in range(5))
    counselor, _ = counselor_with_cohort(late, passed_anyway, not_due, withdrawn, none)
    assign(second.id, learner=late)
    assign(first.id, learner=passed_anyway)
    take(passed_anyway, first, QUIZ)
    assign(first.id, learner=not_due, due_in_days=2)
    assign(first.id, learner=withdrawn, withdrawn=True)

    table = rows(caseload_page(browser, counselor, "?behind=y"))

    assert set(table) == {late.username}
    assert "1 learner match these filters" in caseload_page(browser, counselor, "?behind=y")


@pytest.mark.parametrize(
    "days, expected",
    [
        (7, {"ten", "twenty", "forty", "never-old"}),
        (14, {"twenty", "forty", "never-old"}),
        (30, {"forty", "never-old"}),
    ],
)
def test_inactive_for_n_days(browser, days, expected):
    people = {
        name: make_user("learner", username=name)
        for name in ("three", "ten", "twenty", "forty", "never-old", "never-new")
    }
    counselor, _ = counselor_with_cohort(*people.values())
    for name, ago in (("three", 3), ("ten", 10), ("twenty", 20), ("forty", 40)):
        set_last_active(people[name], ago, created_days_ago=100)
    set_last_active(people["never-old"], None, created_days_ago=45)  # joined long ago, never came back
    set_last_active(people["never-new"], None, created_days_ago=1)  # joined yesterday

    assert set(rows(caseload_page(browser, counselor, f"?inactive={days}"))) == expected


def test_failed_twice_means_two_fails_in_one_module_and_no_pass_since(browser, course):
    first, second = course.modules[0], course.modules[1]
    stuck, recovered, once, spread = (make_user("learner") for _ in range(4))
    counselor, _ = counselor_with_cohort(stuck, recovered, once, spread)
    for learner in (stuck, recovered):
        take(learner, first, QUIZ, right=0)
        take(learner, first, QUIZ, right=0)
    take(recovered, first, QUIZ)
    take(once, first, QUIZ, right=0)
    take(spread, first, QUIZ, right=0)
    take(spread, second, QUIZ, right=0)
    take(stuck, first, PRETEST, right=0)  # pre-tests never count as failures

    table = rows(caseload_page(browser, counselor, "?failed_twice=y"))

    assert set(table) == {stuck.username}
    assert table[stuck.username][-2] == first.title


def test_filters_combine_and_an_unknown_inactive_value_is_refused_not_applied(browser, course):
    first = course.modules[0]
    both, only_behind = make_user("learner"), make_user("learner")
    counselor, _ = counselor_with_cohort(both, only_behind)
    for learner in (both, only_behind):
        assign(first.id, learner=learner)
    take(both, first, QUIZ, right=0)
    take(both, first, QUIZ, right=0)

    assert set(rows(caseload_page(browser, counselor, "?behind=y&failed_twice=y"))) == {both.username}
    for unknown in ("3", "%20", "%0D%0A"):  # a blank one used to be a 500
        page = caseload_page(browser, counselor, f"?inactive={unknown}")
        assert "Inactive for: Not a valid choice." in page and 'class="error-summary"' in page
        assert set(rows(page)) == {both.username, only_behind.username}


def test_the_list_is_paged_and_pager_links_keep_the_filters(browser, course):
    counselor = make_user("counselor")
    bulk_caseload(counselor, 30, "paged", course)

    first_page = caseload_page(browser, counselor, "?behind=y")
    assert len(rows(first_page)) == caseload.PER_PAGE
    assert "30 learners match these filters" in first_page
    assert 'href="/counsel/?page=2&amp;behind=y"' in first_page
    second_page = browser.get("/counsel/?page=2&behind=y").get_data(as_text=True)
    assert len(rows(second_page)) == 30 - caseload.PER_PAGE
    assert not set(rows(first_page)) & set(rows(second_page))


def test_an_empty_caseload_says_so(browser, counselor):
    assert "No learners are on your caseload yet" in caseload_page(browser, counselor)


def test_the_list_shows_every_way_onto_the_caseload_once(browser):
    direct_and_cohort, direct, other = (make_user("learner") for _ in range(3))
    counselor = make_user("counselor")
    attach_counselor(counselor, cohort=make_cohort(members=(direct_and_cohort,)))
    attach_counselor(counselor, learner=direct_and_cohort)
    attach_counselor(counselor, learner=direct)
    make_cohort(members=(other,))

    page = caseload_page(browser, counselor)

    assert sorted(name for _, name, _ in ROW.findall(page)) == sorted([direct_and_cohort.username, direct.username])


def _statements(app, browser, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = browser.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("query", ["", "?behind=y&failed_twice=y&inactive=7"])
def test_the_caseload_page_costs_the_same_statements_for_10_and_300_learners(app, new_browser, course, query):
    counts = {}
    for size in (10, 300):
        counselor = make_user("counselor")
        bulk_caseload(counselor, size, f"bulk{size}", course)
        browser = new_browser()
        browser.login(counselor.username)
        browser.get(f"/counsel/{query}")  # warm up: anything done once per session is not counted
        counts[size] = _statements(app, browser, f"/counsel/{query}")
        assert rows(browser.get(f"/counsel/{query}").get_data(as_text=True))
    assert counts[10] == counts[300]
    assert counts[10] <= 12


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999999"])
def test_odd_page_numbers_never_break_the_list(browser, page):
    learner = make_user("learner")
    counselor, _ = counselor_with_cohort(learner)
    text = caseload_page(browser, counselor, f"?page={page}")
    assert "1 learner on your caseload" in text

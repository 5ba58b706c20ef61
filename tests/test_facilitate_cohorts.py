"""Cohorts: the home list, creating, renaming, archiving and restoring, and the join code."""

import re

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import Cohort, CohortMember, User, utcnow
from course.services import accounts, cohorts

from .facilitate_helpers import HOME, snapshot
from .factories import make_cohort, make_user


@pytest.fixture
def signed_in_as():
    return "facilitator"


def page(browser, url):
    response = browser.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_home_lists_own_current_cohorts_with_member_counts_and_links(signed_in, facilitator):
    mine = make_cohort(facilitator, members=(make_user(), make_user()), name="Tuesday group")
    make_cohort(facilitator, name="Old group", archived_at=utcnow())
    make_cohort(make_user("facilitator"), members=(make_user(),), name="Someone else's group")
    text = page(signed_in, HOME)
    assert "<title>Cohorts · Pathways</title>" in text
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a href=\"/facilitate/cohorts/(\d+)\">Tuesday group</a></th>\s*<td>(\d+)</td>", text
    )
    assert row and int(row.group(1)) == mine.id and row.group(2) == "2"
    assert mine.join_code in text and f"/facilitate/cohorts/{mine.id}/settings" in text
    assert "Someone else" not in text
    main, archived = text.split("Archived cohorts")
    assert "Old group" not in main and "Old group" in archived


def test_creating_a_cohort_gives_it_an_unguessable_join_code_and_shows_it(signed_in, facilitator):
    response = signed_in.post("/facilitate/cohorts", {"name": "  Thursday   morning  "}, form_page=HOME)
    assert response.status_code == 303
    cohort = db.session.scalar(select(Cohort))
    assert cohort.name == "Thursday morning" and cohort.facilitator_id == facilitator.id
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", cohort.join_code)
    assert response.headers["Location"] == f"/facilitate/cohorts/{cohort.id}/settings"
    text = page(signed_in, response.headers["Location"])
    assert f"<code>{cohort.join_code}</code>" in text
    assert f'href="http://localhost/auth/join/{cohort.join_code}"' in text
    assert "<title>Cohort · Pathways</title>" in text


def test_join_codes_differ():
    assert len({cohorts.new_join_code() for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Enter a name for the cohort."),
        ("   ", "Enter a name for the cohort."),
        ("x" * 121, "Use at most 120 characters."),
    ],
)
def test_a_bad_cohort_name_is_refused_with_a_message_and_nothing_changes(signed_in, name, message):
    before = snapshot()
    response = signed_in.post("/facilitate/cohorts", {"name": name}, form_page=HOME)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text and 'class="error-summary"' in text and 'aria-invalid="true"' in text
    assert snapshot() == before


def test_renaming(signed_in, facilitator):
    cohort = make_cohort(facilitator, name="Before")
    url = f"/facilitate/cohorts/{cohort.id}"
    assert signed_in.post(f"{url}/rename", {"name": "After"}, form_page=f"{url}/settings").status_code == 303
    assert db.session.get(Cohort, cohort.id).name == "After"
    before = snapshot()
    response = signed_in.post(f"{url}/rename", {"name": "y" * 500}, form_page=f"{url}/settings")
    assert response.status_code == 422 and "Use at most 120 characters." in response.get_data(as_text=True)
    assert snapshot() == before


def join(browser, code):
    return browser.post(
        "/auth/join",
        {
            "code": code,
            "username": f"joiner-{code[:4].lower()}",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )


def test_the_join_code_works_until_it_is_rotated(signed_in, new_browser, facilitator):
    cohort = make_cohort(facilitator)
    old = cohort.join_code
    assert join(new_browser(), old).status_code == 302
    url = f"/facilitate/cohorts/{cohort.id}"
    assert signed_in.post(f"{url}/join-code/rotate", form_page=f"{url}/settings").status_code == 303
    new = db.session.get(Cohort, cohort.id).join_code
    assert new and new != old
    assert accounts.find_cohort_by_code(old) is None
    assert accounts.find_cohort_by_code(new).id == cohort.id
    refused = join(new_browser(), old)
    assert refused.status_code == 200 and "That join code is not valid" in refused.get_data(as_text=True)
    assert new in page(signed_in, f"{url}/settings") and old not in page(signed_in, f"{url}/settings")


def test_joining_can_be_switched_off_and_on_again(signed_in, facilitator):
    cohort = make_cohort(facilitator)
    old = cohort.join_code
    url = f"/facilitate/cohorts/{cohort.id}"
    signed_in.post(f"{url}/join-code/off", form_page=f"{url}/settings")
    assert db.session.get(Cohort, cohort.id).join_code is None
    assert accounts.find_cohort_by_code(old) is None
    assert "Joining is off" in page(signed_in, f"{url}/settings")
    signed_in.post(f"{url}/join-code/on", form_page=f"{url}/settings")
    new = db.session.get(Cohort, cohort.id).join_code
    assert new and new != old and accounts.find_cohort_by_code(new).id == cohort.id


def test_archiving_drops_the_cohort_from_the_list_stops_the_code_and_keeps_members(signed_in, facilitator, learner):
    cohort = make_cohort(facilitator, members=(learner,), name="Spring group")
    code = cohort.join_code
    url = f"/facilitate/cohorts/{cohort.id}"
    response = signed_in.post(f"{url}/archive", form_page=f"{url}/settings")
    assert response.status_code == 303 and response.headers["Location"] == HOME
    archived = db.session.get(Cohort, cohort.id)
    assert archived.archived_at is not None and archived.join_code is None
    assert accounts.find_cohort_by_code(code) is None
    main, rest = page(signed_in, HOME).split("Archived cohorts")
    assert "Spring group" not in main and "Spring group" in rest
    # Reports stay readable; changes are refused.
    assert "Archived on" in page(signed_in, url)
    assert signed_in.get(f"{url}/settings").status_code == 404
    assert signed_in.get(f"{url}/assignments").status_code == 404
    before = snapshot()
    assert signed_in.post(f"{url}/join-code/on", form_page=HOME).status_code == 404
    assert signed_in.post(f"{url}/rename", {"name": "New"}, form_page=HOME).status_code == 404
    assert snapshot() == before
    assert (
        db.session.scalar(select(func.count()).select_from(CohortMember).where(CohortMember.removed_at.is_(None))) == 1
    )


def test_restoring_brings_an_archived_cohort_back_with_joining_off(signed_in, facilitator):
    cohort = make_cohort(facilitator, name="Back again")
    url = f"/facilitate/cohorts/{cohort.id}"
    signed_in.post(f"{url}/archive", form_page=f"{url}/settings")
    assert signed_in.post(f"{url}/restore", form_page=HOME).status_code == 303
    restored = db.session.get(Cohort, cohort.id)
    assert restored.archived_at is None and restored.join_code is None
    assert "Archived cohorts" not in page(signed_in, HOME)
    assert signed_in.get(f"{url}/settings").status_code == 200


def test_a_learner_who_joins_appears_on_the_member_list(signed_in, new_browser, facilitator):
    cohort = make_cohort(facilitator)
    join(new_browser(), cohort.join_code)
    user = db.session.scalar(select(User).where(User.role == "learner"))
    assert user.username in page(signed_in, f"/facilitate/cohorts/{cohort.id}/members")

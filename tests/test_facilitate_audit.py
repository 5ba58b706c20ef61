"""A facilitator's progress table and its CSV show each learner's results: each learner shown gets an
audit row (one statement for all of them), and sees the facilitator in "who has seen your record"."""

from sqlalchemy import select

from course.extensions import db
from course.models import AuditEvent, CohortMember, User, utcnow
from course.paging import PER_PAGE
from course.services import audit

from .facilitate_helpers import StatementCounter, bulk_learners, bulk_progress, pass_module
from .factories import make_cohort, make_user


def looks(action: str) -> list[tuple]:
    """(actor, subject, detail) of every event with this action that names a learner, in id order."""
    return db.session.execute(
        select(AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.detail)
        .where(AuditEvent.action == action, AuditEvent.subject_id.is_not(None))
        .order_by(AuditEvent.id)
    ).all()


def export(browser, cohort, what):
    return browser.post(
        f"/facilitate/cohorts/{cohort.id}/export/{what}.csv", form_page=f"/facilitate/cohorts/{cohort.id}"
    )


def test_each_learner_on_the_page_shown_gets_one_audit_row(browser, facilitator):
    cohort = make_cohort(facilitator)
    ids = bulk_learners(cohort, PER_PAGE + 5)
    browser.login(facilitator.username)
    with StatementCounter() as counter:
        assert browser.get(f"/facilitate/cohorts/{cohort.id}").status_code == 200
    first_page = looks(audit.RECORD_VIEWED)
    assert first_page == [(facilitator.id, i, f"cohort {cohort.id} progress") for i in ids[:PER_PAGE]]
    assert sum(s.lstrip().upper().startswith("INSERT") for s in counter.statements) == 1
    browser.get(f"/facilitate/cohorts/{cohort.id}?page=2")
    assert [subject for _, subject, _ in looks(audit.RECORD_VIEWED)[PER_PAGE:]] == ids[PER_PAGE:]


def test_the_learner_sees_the_facilitators_look_and_download_in_my_data(
    browser, new_browser, facilitator, learner, course
):
    facilitator.display_name = "Group Lead"
    db.session.commit()
    cohort = make_cohort(facilitator, members=(learner,))
    pass_module(learner, course.modules[0], 90.0)
    staff = new_browser()
    staff.login(facilitator.username)
    assert "90" in staff.get(f"/facilitate/cohorts/{cohort.id}").get_data(as_text=True)
    assert export(staff, cohort, "progress").status_code == 200

    browser.login(learner.username)
    data = browser.get("/learn/data").get_data(as_text=True)
    assert "<td>Group Lead</td><td>Looked at your record</td>" in data
    assert "<td>Group Lead</td><td>Exported your record</td>" in data
    log = browser.get("/learn/data/access-log").get_data(as_text=True)
    assert (
        "<td>Group Lead</td><td>Facilitator</td><td>Your progress and scores, in your group&#39;s progress table</td>"
        in log
    )
    assert "in your group&#39;s progress table (downloaded)</td>" in log


def test_the_progress_export_audits_every_current_member_in_one_statement(browser, facilitator, course):
    cohort = make_cohort(facilitator)
    ids = bulk_learners(cohort, 30)
    bulk_progress(ids, course.modules[0])
    removed = make_user("learner")
    db.session.add(CohortMember(cohort_id=cohort.id, learner_id=removed.id, removed_at=utcnow()))
    db.session.commit()
    browser.login(facilitator.username)
    inserts = []
    for size in (30, 60):
        if size == 60:
            bulk_learners(cohort, 30)
        token = browser.token(f"/facilitate/cohorts/{cohort.id}")
        with StatementCounter() as counter:
            response = browser.client.post(
                f"/facilitate/cohorts/{cohort.id}/export/progress.csv", data={"csrf_token": token}
            )
            assert response.status_code == 200
        inserts.append(sum(s.lstrip().upper().startswith("INSERT") for s in counter.statements))
    assert inserts == [2, 2]  # the export's own event, and one INSERT ... SELECT for its learners
    exported = looks(audit.RECORD_EXPORTED)
    assert len({subject for _, subject, _ in exported[:30]}) == 30
    members = set(
        db.session.scalars(
            select(CohortMember.learner_id).where(
                CohortMember.cohort_id == cohort.id, CohortMember.removed_at.is_(None)
            )
        )
    )
    assert len(exported) == 30 + 60 and {subject for _, subject, _ in exported} == members
    assert removed.id not in members
    assert {(actor, detail) for actor, _, detail in exported} == {(facilitator.id, f"cohort {cohort.id} progress csv")}
    assert db.session.scalar(select(User.username).where(User.id == ids[0])) in response.get_data(as_text=True)


def test_the_item_analysis_shows_no_learner_and_names_none(browser, facilitator, learner):
    cohort = make_cohort(facilitator, members=(learner,))
    browser.login(facilitator.username)
    assert export(browser, cohort, "items").status_code == 200
    assert looks(audit.RECORD_EXPORTED) == []

"""Authoring in the browser: permissions, drafts checked on every save, review by someone else, versions.

The course written here is the second test course (tests/fixtures/packs/rest-course), put into a
draft file by file as an author would, then changed through the editors.
"""

from __future__ import annotations

import re

import pytest
import yaml
from sqlalchemy import func, select, update

from course.content import get_course
from course.content.writer import read_lesson
from course.database import write_transaction
from course.extensions import db
from course.models import AuditEvent, CourseDraft, CourseVersion
from course.services import accounts, audit, authoring, course_library

from .factories import make_user
from .quiz_helpers import take
from .support import Browser, sign_in
from .test_several_courses import REST, import_rest

LESSON = "01-rest/lessons/01-why-sleep.md"
EDIT_LESSON = "/author/courses/rest-course/draft/01-rest/lessons/01-why-sleep.md"


@pytest.fixture
def author():
    return make_user("facilitator", can_author=True)


@pytest.fixture
def reviewer():
    return make_user("counselor", can_review=True)


def written_draft(author) -> CourseDraft:
    """A new course "rest-course" with every file of the fixture saved into its draft."""
    with write_transaction():
        draft = authoring.new_course("rest-course", "Rest and recovery for carers", "For families.", author)
        for path in sorted(p.relative_to(REST).as_posix() for p in REST.rglob("*") if p.is_file()):
            authoring.save_file(draft, path, (REST / path).read_text(encoding="utf-8"), author)
    return draft


def submitted(author) -> CourseDraft:
    draft = written_draft(author)
    with write_transaction():
        authoring.submit(draft, author)
    return draft


def versions() -> int:
    return db.session.scalar(select(func.count(CourseVersion.id)))


# --- permissions ------------------------------------------------------------------------------


def test_an_admin_grants_the_author_and_reviewer_permissions(app, browser):
    admin, staff = make_user("admin"), make_user("facilitator")
    sign_in(browser, admin)
    page = f"/admin/users/{staff.id}"
    assert "Content permissions" in browser.get(page).get_data(as_text=True)
    response = browser.post(f"{page}/permissions", {"can_author": "y", "can_review": "y"}, form_page=page)
    assert response.status_code == 302
    db.session.refresh(staff)
    assert staff.can_author and staff.can_review
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.PERMISSIONS_CHANGED)).one()
    assert (event.actor_id, event.subject_id, event.detail) == (admin.id, staff.id, "author, reviewer")


def test_a_learner_cannot_be_made_an_author(app):
    learner, admin = make_user(), make_user("admin")
    with pytest.raises(accounts.AccountError), write_transaction():
        accounts.set_permissions(learner, True, False, admin)


@pytest.mark.parametrize("role", ["learner", "facilitator", "counselor", "admin"])
def test_without_a_permission_the_authoring_pages_are_refused(app, browser, role):
    sign_in(browser, make_user(role))
    assert browser.get("/author/").status_code == 403


def test_a_learner_row_marked_author_still_gets_nothing(app, browser):
    sign_in(browser, make_user("learner", can_author=True))
    assert browser.get("/author/").status_code == 403


# --- drafts and the check ---------------------------------------------------------------------


def test_a_new_course_starts_as_a_draft_and_is_not_served(app, browser, author):
    sign_in(browser, author)
    response = browser.post(
        "/author/courses", {"course_id": "rest-course", "title": "Rest", "summary": ""}, form_page="/author/"
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/courses/rest-course/draft")
    page = browser.get("/author/courses/rest-course/draft").get_data(as_text=True)
    assert "course.yaml: no module folders" not in page  # the folder check names the temporary folder
    assert "Problem:" in page  # no modules yet: the check says so
    assert get_course().course("rest-course") is None


def test_the_lesson_editor_shows_each_finding_beside_its_field_and_a_fix_clears_it(app, browser, author):
    written_draft(author)
    sign_in(browser, author)
    form = lesson_fields(browser)
    form["sources"] = ""
    form["body"] += "\nSome people call them junkies.\n"
    assert browser.post(EDIT_LESSON, form).status_code == 303
    page = browser.get(EDIT_LESSON).get_data(as_text=True)
    sources_error = re.search(r'id="sources-error">(.*?)</p>', page, re.DOTALL)
    assert sources_error and "Check: missing" in sources_error.group(1)
    assert 'aria-describedby="sources-hint sources-error"' in page or 'aria-describedby="sources-error"' in page
    body_error = re.search(r'id="body-error">(.*?)</p>', page, re.DOTALL)
    assert body_error and "junkies" in body_error.group(1)

    form["sources"] = "Fixture Sleep Society. Sleep Basics: A Guide. 2024."
    form["body"] = form["body"].replace("\nSome people call them junkies.\n", "")
    browser.post(EDIT_LESSON, form)
    page = browser.get(EDIT_LESSON).get_data(as_text=True)
    assert 'id="sources-error"' not in page and 'id="body-error"' not in page


def lesson_fields(browser: Browser) -> dict:
    """The lesson editor's fields as the page fills them in."""
    page = browser.get(EDIT_LESSON).get_data(as_text=True)
    value = {
        name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
        for name in ("title", "minutes", "last_reviewed", "corrects")
    }
    fields = {name: (m.group(1) if m else "") for name, m in value.items()}
    for name in ("main_message", "sources", "body"):
        match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.DOTALL)
        fields[name] = match.group(1).replace("&#39;", "'").replace("&amp;", "&") if match else ""
    return fields


def test_the_preview_renders_as_learners_see_it_with_raw_html_shown_as_text(app, browser, author):
    written_draft(author)
    sign_in(browser, author)
    form = lesson_fields(browser) | {"action": "preview"}
    form["body"] = "## A section\n\n<script>alert(1)</script> **bold**\n\n## Summary\n\nDone.\n"
    response = browser.post(EDIT_LESSON, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <strong>bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert '<article class="lesson">' in page and "Lesson 1 of 2" in page
    assert db.session.scalar(select(CourseDraft)).files[LESSON] == (REST / LESSON).read_text()  # not saved


def test_the_quiz_item_editor_shows_myth_findings_beside_the_choice(app, browser, author):
    written_draft(author)
    sign_in(browser, author)
    url = "/author/courses/rest-course/draft/01-rest/questions/rc-nap"
    page = browser.get(url).get_data(as_text=True)
    assert 'value="It will fully make up for the lost night."' in page
    data = {
        "type": "single",
        "prompt": "Jo slept four hours and plans a short nap. What will the nap do?",
        "explanation": "A short nap can help you feel alert, but it does not give the body time for all its work.",
        "source": "Fixture Sleep Society. Sleep Basics: A Guide. 2024.",
    }
    rows = [
        ("a", "It will help a little, but it will not replace a night of sleep.", True, "Right. A nap helps.", ""),
        ("b", "It will fully make up for the lost night.", False, "Not so. A nap is short.", "rc-naps-replace-sleep"),
        ("c", "It will make Jo more tired than before.", False, "Not quite. A nap can help.", ""),
    ]
    for i, (cid, text, right, feedback, myth) in enumerate(rows):
        data |= {f"choices-{i}-id": cid, f"choices-{i}-text": text, f"choices-{i}-feedback": feedback}
        data |= {f"choices-{i}-misconception": myth} | ({f"choices-{i}-correct": "y"} if right else {})
    assert browser.post(url, data).status_code == 303
    page = browser.get(url).get_data(as_text=True)
    feedback_error = re.search(r'id="choices-1-feedback-error">(.*?)</p>', page, re.DOTALL)
    assert feedback_error and "must name it as a myth" in feedback_error.group(1)
    data["choices-1-feedback"] = "This is a myth. A nap cannot replace a night of sleep."
    data["choices-1-misconception"] = ""  # called a myth, but not tagged with one
    browser.post(url, data)
    page = browser.get(url).get_data(as_text=True)
    tag_error = re.search(r'id="choices-1-misconception-error">(.*?)</p>', page, re.DOTALL)
    assert tag_error and "tag it with the misconception it reveals" in tag_error.group(1)
    data["choices-1-misconception"] = "rc-naps-replace-sleep"
    browser.post(url, data)
    page = browser.get(url).get_data(as_text=True)
    assert 'id="choices-1-feedback-error"' not in page and 'id="choices-1-misconception-error"' not in page


def test_a_draft_with_problems_cannot_be_sent_for_review(app, author):
    draft = written_draft(author)
    with write_transaction():
        authoring.save_file(draft, LESSON, (REST / LESSON).read_text().replace("sources:", "old_sources:"), author)
    with pytest.raises(authoring.AuthoringError, match="Fix the"), write_transaction():
        authoring.submit(draft, author)


# --- review and publishing --------------------------------------------------------------------


def test_only_a_reviewer_who_changed_nothing_approves(app, author, reviewer):
    draft = submitted(author)
    author.can_review = True  # an author who is also a reviewer
    with pytest.raises(authoring.AuthoringError, match="did not make it"), write_transaction():
        authoring.approve(draft, author)
    reviewer.can_author = True  # a reviewer who edits the draft becomes one of its authors
    with write_transaction():
        authoring.save_file(draft, LESSON, draft.files[LESSON] + "\nMore.\n", reviewer)
        authoring.submit(draft, reviewer)
    with pytest.raises(authoring.AuthoringError, match="did not make it"), write_transaction():
        authoring.approve(draft, reviewer)
    assert versions() == 0
    other = make_user("admin", can_review=True)
    with write_transaction():
        assert authoring.approve(draft, other).number == 1


def test_a_reviewer_approves_and_learners_get_the_new_course(app, browser, author, reviewer):
    submitted(author)
    sign_in(browser, reviewer)
    review = browser.get("/author/courses/rest-course/review").get_data(as_text=True)
    assert "Approve and publish" in review and "<h3>01-rest/lessons/01-why-sleep.md</h3>" in review
    response = browser.post(
        "/author/courses/rest-course/review/approve", form_page="/author/courses/rest-course/review"
    )
    assert response.status_code == 303
    version = db.session.scalars(select(CourseVersion)).one()
    assert (version.number, version.source, version.created_by_id, version.reviewed_by_id) == (
        1,
        "authoring",
        author.id,
        reviewer.id,
    )
    assert db.session.scalar(select(func.count(CourseDraft.id))) == 0
    assert get_course().course("rest-course").title == "Rest and recovery for carers"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.COURSE_PUBLISHED)).one()
    assert event.actor_id == reviewer.id and event.detail.startswith("rest-course version 1")


def test_a_reviewer_can_send_a_draft_back_with_a_note(app, browser, author, reviewer):
    submitted(author)
    sign_in(browser, reviewer)
    url = "/author/courses/rest-course/review"
    browser.post(f"{url}/changes", {"note": "Cite the 2024 guide in lesson 2."}, form_page=url)
    draft = db.session.scalars(select(CourseDraft)).one()
    assert draft.submitted_at is None and draft.review_note == "Cite the 2024 guide in lesson 2."
    author_page = sign_in(Browser(app.test_client()), author).get("/author/courses/rest-course/draft")
    assert "Cite the 2024 guide in lesson 2." in author_page.get_data(as_text=True)


def publish(draft, reviewer) -> CourseVersion:
    with write_transaction():
        version = authoring.approve(draft, reviewer)
    course_library.reload()
    return version


def test_versions_are_kept_compared_and_an_earlier_one_served_again(app, browser, author, reviewer, learner):
    first = publish(submitted(author), reviewer)
    module = get_course().module("rest-module")
    attempt = take(learner, module)
    old_prompt = module.question("rc-nap").prompt
    with write_transaction():
        draft = authoring.start_draft("rest-course", author)
        changed = draft.files[LESSON].replace("## What sleep does", "## What sleep does for you")
        authoring.save_file(draft, LESSON, changed, author)
        quiz = draft.files["01-rest/quiz.yaml"].replace(old_prompt, "Jo slept four hours. What will a short nap do?")
        authoring.save_file(draft, "01-rest/quiz.yaml", quiz, author)
        authoring.submit(draft, author)
    second = publish(draft, reviewer)
    assert (first.number, second.number) == (1, 2)
    assert "What sleep does for you" in get_course().lesson("rc-why-sleep").html
    result = sign_in(Browser(app.test_client()), learner).get(f"/learn/attempts/{attempt.id}/result")
    page = result.get_data(as_text=True)  # reviewed as it was asked, not as version 2 asks it
    assert old_prompt in page and "What will a short nap do?" not in page

    sign_in(browser, reviewer)
    page = browser.get("/author/courses/rest-course/versions?a=1&b=2").get_data(as_text=True)
    assert '<del><span class="visually-hidden">Removed: </span>-## What sleep does</del>' in page
    assert "+## What sleep does for you" in page
    response = browser.post(
        "/author/courses/rest-course/versions/1/return", form_page="/author/courses/rest-course/versions"
    )
    assert response.status_code == 303
    third = db.session.scalars(select(CourseVersion).order_by(CourseVersion.number.desc())).first()
    assert (third.number, third.source, third.sha256) == (3, "return", first.sha256)
    assert "What sleep does for you" not in get_course().lesson("rc-why-sleep").html
    db.session.refresh(attempt)
    assert attempt.content_version == module.version  # the attempt keeps the version it was taken on


def test_an_import_beside_authoring_keeps_ids_unique(app, author):
    import_rest()
    with pytest.raises(authoring.AuthoringError, match="already a course"), write_transaction():
        authoring.new_course("rest-course", "Again", "", author)


def test_the_built_in_course_is_not_edited_here(app, author):
    with pytest.raises(authoring.AuthoringError, match="modules/"), write_transaction():
        authoring.start_draft("course", author)


def test_a_save_keeps_another_authors_save_of_another_file(app, author):
    """Another node saved course.yaml after this request read the draft: saving a lesson keeps it."""
    draft = written_draft(author)
    draft.files  # loaded in this session, as a request reads it before its write  # noqa: B018
    renamed = "id: rest-course\ntitle: Rest for families\nsummary: For families.\n"
    with db.engine.begin() as other_node:
        other_node.execute(
            update(CourseDraft).where(CourseDraft.id == draft.id).values(files={**draft.files, "course.yaml": renamed})
        )
    with write_transaction():
        authoring.save_file(draft, LESSON, draft.files[LESSON] + "\nMore.\n", author)
    db.session.expire_all()
    saved = db.session.scalars(select(CourseDraft)).one().files
    assert saved["course.yaml"] == renamed and saved[LESSON].endswith("More.\n")


# --- the whole flow through the pages (the browser test runs it in chromium, outside coverage) ----


def test_an_author_writes_a_course_through_the_pages_and_a_reviewer_publishes_it(app, browser, author, reviewer):
    sign_in(browser, author)
    assert "Start a new course" in browser.get("/author/").get_data(as_text=True)
    browser.post("/author/courses", {"course_id": "carers", "title": "Carers", "summary": "For families."}, "/author/")
    draft_url = "/author/courses/carers/draft"

    def save_file(path: str, text: str):
        url = f"{draft_url}/file?path={path}"
        assert browser.get(url).status_code == 200
        return browser.post(url, {"text": text})

    assert save_file("misconceptions.yaml", (REST / "misconceptions.yaml").read_text()).status_code == 303
    added = browser.post(f"{draft_url}/modules", {"item_id": "rest-module", "title": "Rest"}, draft_url)
    assert added.headers["Location"].endswith("/draft/file?path=01-rest-module/module.yaml")
    save_file("01-rest-module/module.yaml", (REST / "01-rest/module.yaml").read_text())
    for name in ("01-why-sleep.md", "02-better-sleep.md"):
        text = (REST / "01-rest/lessons" / name).read_text()
        header, body = read_lesson(text)
        added = browser.post(f"{draft_url}/01-rest-module/lessons", {"item_id": header["id"], "title": "x"}, draft_url)
        editor = added.headers["Location"]
        fields = {
            "title": header["title"],
            "minutes": header["minutes"],
            "main_message": header["main_message"],
            "last_reviewed": header["last_reviewed"].isoformat(),
            "sources": "\n".join(header["sources"]),
            "corrects": ", ".join(header.get("corrects", [])),
            "body": body,
        }
        assert browser.post(editor, fields).status_code == 303
    for question in yaml.safe_load((REST / "01-rest/quiz.yaml").read_text())["questions"]:
        added = browser.post(
            f"{draft_url}/01-rest-module/questions", {"item_id": question["id"], "type": question["type"]}, draft_url
        )
        data = {k: question[k] for k in ("type", "prompt", "explanation", "source")}
        for i, c in enumerate(question["choices"]):
            data |= {f"choices-{i}-text": c["text"], f"choices-{i}-feedback": c["feedback"]}
            data |= {f"choices-{i}-misconception": c.get("misconception") or ""}
            data |= {f"choices-{i}-correct": "y"} if c["correct"] else {}
        assert browser.post(added.headers["Location"], data).status_code == 303
    save_file("01-rest-module/pretest.yaml", (REST / "01-rest/pretest.yaml").read_text())
    page = browser.get(draft_url).get_data(as_text=True)
    assert "No problems: this draft can be sent for review." in page
    assert browser.post(f"{draft_url}/submit", form_page=draft_url).status_code == 303

    staff = sign_in(Browser(app.test_client()), reviewer)
    review = "/author/courses/carers/review"
    assert staff.post(f"{review}/approve", form_page=review).status_code == 303
    assert get_course().course("carers").module("rest-module").lessons[1].id == "rc-better-sleep"
    versions = staff.get("/author/courses/carers/versions").get_data(as_text=True)
    assert "Authored" in versions and reviewer.username in versions


def test_refusals_go_back_with_a_message_and_change_nothing(app, browser, author):
    written_draft(author)
    sign_in(browser, author)
    draft_url = "/author/courses/rest-course/draft"
    for url, data in (
        (f"{draft_url}/modules", {"item_id": "Not A Slug"}),
        (f"{draft_url}/99-nowhere/lessons", {"item_id": "new-lesson"}),
        (f"{draft_url}/01-rest/questions", {"item_id": "rc-nap", "type": "single"}),
        (f"{draft_url}/01-rest/lessons", {"item_id": ""}),
    ):
        before = dict(db.session.scalars(select(CourseDraft)).one().files)
        response = browser.post(url, data, draft_url)
        assert response.status_code == 303 and response.headers["Location"].endswith(draft_url), url
        db.session.expire_all()
        assert db.session.scalars(select(CourseDraft)).one().files == before
    assert browser.get(f"{draft_url}/file?path=../../etc/passwd").status_code == 404
    assert browser.get(f"{draft_url}/01-rest/lessons/99-none.md").status_code == 404
    assert browser.get(f"{draft_url}/01-rest/questions/none").status_code == 404
    assert browser.get("/author/courses/nothing/draft").status_code == 404
    already = browser.post("/author/courses", {"course_id": "rest-course", "title": "Again"}, "/author/")
    assert already.status_code == 303 and "There is already a course" in browser.get("/author/").get_data(as_text=True)


def test_a_draft_can_be_discarded_and_a_published_course_edited_again(app, browser, author, reviewer):
    publish(submitted(author), reviewer)
    sign_in(browser, author)
    assert "Edit this course" in browser.get("/author/").get_data(as_text=True)
    started = browser.post("/author/courses/rest-course/draft/start", form_page="/author/")
    assert started.headers["Location"].endswith("/author/courses/rest-course/draft")
    assert db.session.scalars(select(CourseDraft)).one().base_version_id is not None
    discarded = browser.post("/author/courses/rest-course/draft/discard", form_page="/author/courses/rest-course/draft")
    assert discarded.status_code == 303 and db.session.scalar(select(func.count(CourseDraft.id))) == 0
    assert get_course().course("rest-course") is not None  # what learners see is unchanged
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.DRAFT_DISCARDED)).one()
    assert event.actor_id == author.id


def test_a_reviewer_cannot_approve_what_was_not_sent_or_serve_a_version_that_does_not_exist(
    app, browser, author, reviewer
):
    written_draft(author)
    sign_in(browser, reviewer)
    review = "/author/courses/rest-course/review"
    assert "has not been sent for review" in browser.get(review).get_data(as_text=True)
    browser.post(f"{review}/approve", form_page=review)
    assert versions() == 0
    browser.post(f"{review}/changes", {"note": ""}, review)
    assert db.session.scalars(select(CourseDraft)).one().review_note == ""
    assert browser.get("/author/courses/rest-course/versions").status_code == 404

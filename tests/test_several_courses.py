"""Several courses: a pack imported beside the built-in course, assigned, taken, and reported by course.

The second course is tests/fixtures/packs/rest-course (one module, two lessons, ten items, its
own ids). The built-in course is the small test course.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from course import create_app
from course.content import get_course, packs
from course.content.packs import pack_files
from course.database import write_transaction
from course.extensions import db
from course.models import AuditEvent, CourseVersion, QuizAttempt
from course.services import audit, course_library, course_packs

from .factories import attach_counselor, make_cohort, make_user
from .quiz_helpers import take
from .support import SMALL_COURSE, Browser, sign_in

PACKS = Path(__file__).resolve().parent / "fixtures" / "packs"
REST = PACKS / "rest-course"


def zipped(folder: Path, **replace: bytes) -> bytes:
    """The folder as a pack, with some files replaced or added."""
    return packs.zipped({**pack_files(folder), **replace})


def import_rest(by=None) -> CourseVersion:
    with write_transaction():
        imported = course_packs.import_pack(zipped(REST), by)
    course_library.reload()
    return imported.version


def stored() -> int:
    return db.session.scalar(select(func.count(CourseVersion.id)))


def refusal(data: bytes) -> list[str]:
    with pytest.raises(course_packs.PackRefused) as refused, write_transaction():
        course_packs.import_pack(data, None)
    assert stored() == 0  # a refused pack stores nothing
    return list(refused.value.problems)


# --- import, export, refusals ---------------------------------------------------------------


def test_an_imported_pack_is_served_beside_the_built_in_course(app):
    version = import_rest()
    library = get_course()
    assert [c.id for c in library.courses] == ["course", "rest-course"]
    assert (version.course_id, version.number, version.title) == ("rest-course", 1, "Rest and recovery for carers")
    assert library.course_of("rest-module").title == "Rest and recovery for carers"
    assert library.course_of("first-module") is library.default
    assert library.module("rest-module").lessons[0].id == "rc-why-sleep"
    assert library.module_label("rest-module") == "Rest for carers (Rest and recovery for carers)"
    assert library.module_label("first-module") == "Sleep and rest (The course)"


def test_importing_the_same_pack_again_stores_nothing_and_a_changed_one_is_the_next_version(app):
    import_rest()
    with write_transaction():
        again = course_packs.import_pack(zipped(REST), None)
    assert not again.new and stored() == 1
    lesson = "01-rest/lessons/01-why-sleep.md"
    changed = (REST / lesson).read_bytes().replace(b"## What sleep does", b"## What sleep does for you")
    with write_transaction():
        second = course_packs.import_pack(zipped(REST, **{lesson: changed}), None)
    course_library.reload()
    assert second.new and second.version.number == 2
    assert "What sleep does for you" in get_course().lesson("rc-why-sleep").html
    assert [c.id for c in get_course().courses] == ["course", "rest-course"]  # one course, newest version


def test_import_then_export_then_import_gives_the_same_pack(app):
    import_rest()
    exported = course_packs.export_pack("rest-course")
    assert exported == zipped(REST)
    with write_transaction():
        assert not course_packs.import_pack(exported, None).new


def test_the_built_in_course_exports_as_its_folder(app):
    with zipfile.ZipFile(io.BytesIO(course_packs.export_pack("course"))) as pack:
        names = pack.namelist()
    assert "misconceptions.yaml" in names and "01-first/quiz.yaml" in names
    with pytest.raises(LookupError):
        course_packs.export_pack("no-such-course")


def test_a_pack_reusing_the_built_in_courses_ids_is_refused_naming_each(app):
    course_file = b"id: copy-course\ntitle: A copy\nsummary: The same ids again.\n"
    problems = refusal(zipped(SMALL_COURSE, **{"course.yaml": course_file}))
    assert 'module id "first-module" is already used by the course "The course"' in "\n".join(problems)
    assert any(p.startswith("01-first/lessons/01-why-sleep.md: id: lesson id") for p in problems)
    assert any('question id "fm-nap"' in p for p in problems)


def test_a_pack_cannot_replace_the_built_in_course(app):
    own = b"id: course\ntitle: Replaced\n"
    problems = refusal(zipped(REST, **{"course.yaml": own}))
    assert problems[0] == 'course.yaml: id: "course" is the built-in course, which is edited in its own folder'


def test_a_pack_without_course_yaml_is_refused(app):
    files = pack_files(REST)
    del files["course.yaml"]
    assert refusal(packs.zipped(files)) == [
        "course.yaml: missing file (a pack names its course: id, title and summary)"
    ]


def test_a_pack_with_content_problems_is_refused_naming_file_and_field(app):
    quiz = (
        (REST / "01-rest/quiz.yaml")
        .read_bytes()
        .replace(b"misconception: rc-naps-replace-sleep", b"misconception: nowhere")
    )
    problems = refusal(zipped(REST, **{"01-rest/quiz.yaml": quiz}))
    assert 'unknown misconception "nowhere"' in "\n".join(problems)
    assert all(p.startswith("01-rest/quiz.yaml") for p in problems if "nowhere" in p)


def test_an_unsafe_zip_is_refused(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as pack:
        pack.writestr("../escape.yaml", "id: x")
    assert any("escape.yaml" in p for p in refusal(out.getvalue()))
    assert refusal(b"not a zip at all")


# --- the command line -----------------------------------------------------------------------


def test_flask_content_import_and_export(app, runner, tmp_path):
    pack = tmp_path / "rest.zip"
    pack.write_bytes(zipped(REST))
    result = runner.invoke(args=["content", "import", str(pack)])
    assert result.exit_code == 0, result.output
    assert 'Imported "Rest and recovery for carers" (rest-course) as version 1.' in result.output
    again = runner.invoke(args=["content", "import", str(pack)])
    assert "nothing stored" in again.output and stored() == 1
    out = tmp_path / "out.zip"
    assert runner.invoke(args=["content", "export", "rest-course", str(out)]).exit_code == 0
    assert out.read_bytes() == pack.read_bytes()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.COURSE_IMPORTED)).one()
    assert event.actor_id is None and event.detail.startswith("rest-course version 1: 1 modules")


def test_flask_content_import_names_each_problem_and_exits_1(app, runner, tmp_path):
    pack = tmp_path / "bad.zip"
    pack.write_bytes(zipped(REST, **{"course.yaml": b"title: No id\n"}))
    result = runner.invoke(args=["content", "import", str(pack)])
    assert result.exit_code == 1
    assert "course.yaml: id: missing" in result.output
    assert stored() == 0


# --- the admin's page -----------------------------------------------------------------------


def upload(browser: Browser, data: bytes, name: str = "rest.zip"):
    return browser.post(
        "/admin/courses/import",
        {"pack": (io.BytesIO(data), name)},
        form_page="/admin/courses",
        content_type="multipart/form-data",
    )


def test_an_admin_imports_a_pack_from_the_courses_page(app, browser):
    admin = make_user("admin")
    sign_in(browser, admin)
    response = upload(browser, zipped(REST))
    assert response.status_code == 303
    page = browser.get("/admin/courses").get_data(as_text=True)
    assert "Imported “Rest and recovery for carers” as version 1." in page
    assert "Versions of Rest and recovery for carers" in page and admin.username in page
    download = browser.get("/admin/courses/rest-course/pack.zip")
    assert download.mimetype == "application/zip" and download.data == zipped(REST)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.COURSE_IMPORTED)).one()
    assert event.actor_id == admin.id


def test_a_refused_upload_lists_every_problem_and_stores_nothing(app, browser):
    sign_in(browser, make_user("admin"))
    response = upload(browser, zipped(REST, **{"course.yaml": b"title: No id\n"}))
    assert response.status_code == 422
    assert "The pack was not imported." in response.get_data(as_text=True)
    assert "course.yaml: id: missing" in response.get_data(as_text=True)
    assert upload(browser, b"PK not really", "x.txt").status_code == 422  # not a .zip: the form says so
    assert stored() == 0


def test_a_pack_larger_than_the_form_limit_of_other_pages_can_be_uploaded(app, browser):
    sign_in(browser, make_user("admin"))
    padding = b"# " + b"x" * 100 + b"\n"
    notes = {"01-rest/notes.txt": padding * 900}  # ~90 KB, over the 64 KiB every other form allows
    data = zipped(REST, **notes)
    big = io.BytesIO()
    # Stored, not deflated, so the body is large.
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as pack, zipfile.ZipFile(io.BytesIO(data)) as source:
        for name in source.namelist():
            pack.writestr(name, source.read(name))
    assert len(big.getvalue()) > 64 * 1024
    response = upload(browser, big.getvalue())
    assert response.status_code == 303
    assert get_course().course("rest-course") is not None  # stored, and read back to be served


@pytest.mark.parametrize("role", ["learner", "facilitator", "counselor"])
def test_only_admins_reach_the_courses_pages(app, browser, role):
    sign_in(browser, make_user(role))
    assert browser.get("/admin/courses").status_code == 403
    assert browser.get("/admin/courses/course/pack.zip").status_code == 403


# --- learners, facilitators and counselors --------------------------------------------------


def test_a_learner_sees_a_second_course_once_it_is_assigned_and_takes_it(app, browser, facilitator):
    import_rest()
    learner = make_user()
    cohort = make_cohort(facilitator, members=(learner,))
    sign_in(browser, learner)
    home = browser.get("/learn/").get_data(as_text=True)
    assert "Rest and recovery for carers" not in home  # no work in it yet
    staff = sign_in(Browser(app.test_client()), facilitator)
    form = f"/facilitate/cohorts/{cohort.id}/assignments"
    page = staff.get(form).get_data(as_text=True)
    assert "<legend>Rest and recovery for carers</legend>" in page and "<legend>The course</legend>" in page
    assert staff.post(form, {"modules": ["rest-module"], "who": "cohort", "due": ""}).status_code == 303

    home = browser.get("/learn/").get_data(as_text=True)
    assert '<h2 id="course-course">The course</h2>' in home
    assert '<h2 id="course-rest-course">Rest and recovery for carers</h2>' in home
    rest = get_course().module("rest-module")
    for lesson in rest.lessons:
        url = f"/learn/modules/rest-module/lessons/{lesson.id}"
        assert browser.get(url).status_code == 200
        assert browser.post(f"{url}/complete", form_page=url).status_code == 303
    attempt = take(learner, rest, right=len(rest.quiz))
    assert attempt.passed

    progress = browser.get("/learn/progress").get_data(as_text=True)
    assert '<th scope="col">Course</th>' in progress and "<td>Rest and recovery for carers</td>" in progress
    report = staff.get(f"/facilitate/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Rest for carers (Rest and recovery for carers)" in report
    assert "Sleep and rest (The course)" in report


def test_the_cohort_report_shows_only_the_courses_it_uses(app, browser, facilitator):
    import_rest()
    cohort = make_cohort(facilitator, members=(make_user(),))
    page = sign_in(browser, facilitator).get(f"/facilitate/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Rest for carers" not in page  # nothing of the second course assigned here
    assert "Sleep and rest" in page and "(The course)" not in page


def test_the_counselors_record_names_the_course_of_each_module(app, browser):
    import_rest()
    learner, counselor = make_user(), make_user("counselor")
    attach_counselor(counselor, learner=learner)
    take(learner, get_course().module("rest-module"))
    record = sign_in(browser, counselor).get(f"/counsel/learners/{learner.id}").get_data(as_text=True)
    assert '<th scope="col">Course</th>' in record and "<td>Rest and recovery for carers</td>" in record


def test_the_first_courses_attempts_are_untouched_by_an_import(app, learner):
    first = get_course().modules[0]
    before = take(learner, first, right=len(first.quiz))
    version = before.content_version
    import_rest()
    db.session.expire_all()
    again = db.session.get(QuizAttempt, before.id)
    assert (again.content_version, again.score, again.passed) == (version, 100.0, True)
    assert get_course().module(first.id).version == version


# --- several app nodes ----------------------------------------------------------------------


def test_another_node_serves_an_imported_course_after_its_refresh_interval(app, tmp_path):
    other = create_app({**app.config, "CONTENT_REFRESH_SECONDS": 0})  # the same database
    import_rest()
    with other.app_context():
        assert [c.id for c in get_course().courses] == ["course"]  # before any request
        client = other.test_client()
        client.get("/healthz")
        assert [c.id for c in get_course().courses] == ["course", "rest-course"]
        db.session.remove()
        db.engine.dispose()


def test_the_help_and_safety_pages_do_not_need_the_database_to_look_for_courses(app, tmp_path):
    """The look for newer course versions fails quietly when the database is down: safety is never gated."""
    down = create_app(
        {
            **app.config,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'nowhere.sqlite3'}",
            "CONTENT_REFRESH_SECONDS": 0,
        }
    )
    client = down.test_client()
    for url in ("/safety", "/help"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "1-800-662-4357" in response.get_data(as_text=True)


def _store_as_is(files: dict[str, bytes], course_id: str = "rest-course") -> None:
    """A version written straight to the table, as if it had passed checks that have since changed."""
    pack = packs.zipped(files)
    with write_transaction():
        db.session.add(
            CourseVersion(
                course_id=course_id,
                number=1,
                title="As stored",
                pack=pack,
                sha256=hashlib.sha256(pack).hexdigest(),
                source="import",
            )
        )


@pytest.fixture
def app_log(app):
    """What the app logs during the test. Attached to the app's own logger, which alembic's fileConfig
    (tests/test_migrations.py runs migrations in this process) may have disabled for the session."""
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    was_disabled, app.logger.disabled = app.logger.disabled, False
    app.logger.addHandler(handler)
    yield records
    app.logger.removeHandler(handler)
    app.logger.disabled = was_disabled


def test_a_stored_version_that_no_longer_loads_is_left_out_and_logged(app, app_log):
    files = pack_files(REST)
    files["01-rest/quiz.yaml"] = b"questions: [not, a, question]\n"  # a structural error today
    _store_as_is(files)
    library = course_library.reload()
    assert [c.id for c in library.courses] == ["course"]  # the others go on being served
    assert any("course rest-course version 1 not served" in line for line in app_log)


def test_a_stored_version_whose_ids_are_now_taken_is_left_out(app, app_log):
    files = pack_files(SMALL_COURSE) | {"course.yaml": b"id: copy\ntitle: A copy\n"}  # the built-in course's ids
    _store_as_is(files, "copy")
    assert [c.id for c in course_library.reload().courses] == ["course"]
    assert any('module id "first-module" is already used' in line for line in app_log)


def test_the_admin_is_told_when_an_upload_is_already_the_newest_version(app, browser):
    sign_in(browser, make_user("admin"))
    upload(browser, zipped(REST))
    again = upload(browser, zipped(REST))
    assert again.status_code == 303
    assert "version 1 is already this pack; nothing changed." in browser.get("/admin/courses").get_data(as_text=True)
    assert browser.get("/admin/courses/no-such-course/pack.zip").status_code == 404

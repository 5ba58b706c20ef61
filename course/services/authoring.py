"""Authoring in the browser: a draft per course, edited file by file, checked on every save, published on review.

A draft holds every file of the course folder as text (the folder format stays the source of
truth). Authors change lessons and quiz items through forms (author/editing.py, which writes the
files through content/writer.py); every save is checked like an import. A draft is sent for review, and a clinical
reviewer who changed none of it approves it: that stores the next CourseVersion, which learners
get. Any earlier version can be made the newest again (a new version). Every publish and return is
audited with who and what.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass

from ..access import AUTHOR, REVIEWER, has_permission
from ..content import get_course, writer
from ..content.fields import SLUG
from ..content.packs import read_pack
from ..content.writer import yaml_text
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import ngettext
from ..models import CourseDraft, CourseVersion, User, utcnow
from . import audit
from .course_packs import Findings, check_files, newest_version, store_version

MODULE_FOLDER = re.compile(r"[0-9]{2}-[a-z0-9-]+")


class AuthoringError(ValueError):
    """An authoring action was refused; the message is safe to show."""


def _text_files(pack: bytes) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in read_pack(io.BytesIO(pack)).items()}


def open_drafts() -> list[CourseDraft]:
    """Every open draft, by course id."""
    return list(db.session.scalars(db.select(CourseDraft).order_by(CourseDraft.course_id)))


def editable_as_text(path: str) -> bool:
    """The files edited as a whole text: course.yaml, the myths, a module's metadata and pre-test.

    Lessons and quiz items have their own editors (author/editing.py).
    """
    return path in ("course.yaml", "misconceptions.yaml") or (
        _valid_path(path) and path.endswith(("/module.yaml", "/pretest.yaml"))
    )


def draft_of(course_id: str) -> CourseDraft | None:
    """The course's open draft, or None."""
    return db.session.scalar(db.select(CourseDraft).where(CourseDraft.course_id == course_id))


def start_draft(course_id: str, by: User) -> CourseDraft:
    """The course's open draft, or a new one copied from its newest version. :raise AuthoringError:"""
    _require(by, AUTHOR)
    draft = draft_of(course_id)
    if draft is not None:
        return draft
    base = newest_version(course_id)
    if base is None:
        raise AuthoringError(
            _("Only imported or authored courses are edited here; the built-in course is edited in modules/.")
        )
    draft = CourseDraft(
        course_id=course_id, base_version_id=base.id, files=_text_files(base.pack), editor_ids=[], created_by_id=by.id
    )
    db.session.add(draft)
    db.session.flush()
    return draft


def new_course(course_id: str, title: str, summary: str, by: User) -> CourseDraft:
    """A draft of a course that does not exist yet: its course.yaml and an empty catalogue of myths."""
    _require(by, AUTHOR)
    _require_slug(course_id)
    if get_course().course(course_id) is not None or draft_of(course_id) is not None:
        raise AuthoringError(_('There is already a course "%(id)s".', id=course_id))
    files = {
        "course.yaml": yaml_text({"id": course_id, "title": title, "summary": summary}),
        "misconceptions.yaml": "[]\n",
    }
    draft = CourseDraft(course_id=course_id, files=files, editor_ids=[by.id], created_by_id=by.id)
    db.session.add(draft)
    db.session.flush()
    audit.record(audit.DRAFT_SAVED, by, detail=f"{course_id}: new course")
    return draft


def save_file(draft: CourseDraft, path: str, text: str, by: User) -> None:
    """Put one file into the draft (a change takes a sent draft back from review)."""
    _require(by, AUTHOR)
    if not _valid_path(path):
        raise AuthoringError(_("%(file)s: not a file a course holds.", file=path))
    # Read the draft again inside this write (locked on PostgreSQL): another author's save of
    # another file, since the page was loaded, is kept rather than written over.
    db.session.refresh(draft, with_for_update=True)
    files = dict(draft.files)
    if files.get(path) == text:
        return
    files[path] = text
    draft.files = files
    if by.id not in draft.editor_ids:
        draft.editor_ids = [*draft.editor_ids, by.id]
    draft.updated_at = utcnow()
    draft.submitted_at = None
    db.session.flush()  # on the row now: the next save in this transaction reads it back
    audit.record(audit.DRAFT_SAVED, by, detail=f"{draft.course_id}: {path}"[:255])


def _valid_path(path: str) -> bool:
    if path in ("course.yaml", "misconceptions.yaml"):
        return True
    parts = path.split("/")
    if not parts or not MODULE_FOLDER.fullmatch(parts[0]):
        return False
    if len(parts) == 2:
        return parts[1] in ("module.yaml", "quiz.yaml", "pretest.yaml")
    return len(parts) == 3 and parts[1] == "lessons" and re.fullmatch(r"[0-9]{2}-[a-z0-9-]+\.md", parts[2]) is not None


def findings(draft: CourseDraft) -> Findings:
    """The content check of the draft as it is now."""
    return check_files({name: text.encode("utf-8") for name, text in draft.files.items()})


def submit(draft: CourseDraft, by: User) -> None:
    """Send the draft for review. :raise AuthoringError: while the check finds errors."""
    _require(by, AUTHOR)
    errors = findings(draft).errors
    if errors:
        raise AuthoringError(
            ngettext(
                "Fix the %(num)d problem the check found first.",
                "Fix the %(num)d problems the check found first.",
                len(errors),
            )
        )
    draft.submitted_at = utcnow()
    draft.review_note = ""
    audit.record(audit.DRAFT_SUBMITTED, by, detail=draft.course_id)


def ask_for_changes(draft: CourseDraft, note: str, by: User) -> None:
    """The reviewer sends the draft back to its authors with what to change."""
    _require_reviewer_of(draft, by)
    draft.submitted_at = None
    draft.review_note = note.strip()[:2000]
    audit.record(audit.DRAFT_RETURNED, by, detail=draft.course_id)


def approve(draft: CourseDraft, by: User) -> CourseVersion:
    """Publish the draft as the course's next version and close it. :raise AuthoringError:"""
    _require_reviewer_of(draft, by)
    checked = findings(draft)
    if checked.errors or checked.course is None:
        raise AuthoringError(_("The check finds problems in this draft; ask its authors to fix them."))
    files = {name: text.encode("utf-8") for name, text in draft.files.items()}
    author = db.session.get(User, draft.created_by_id) if draft.created_by_id else None
    stored = store_version(files, checked.course, "authoring", author, reviewed_by=by)
    db.session.delete(draft)
    return stored.version


def _require_reviewer_of(draft: CourseDraft, by: User) -> None:
    _require(by, REVIEWER)
    if by.id in draft.editor_ids or by.id == draft.created_by_id:
        raise AuthoringError(_("A change is approved by a reviewer who did not make it."))
    if draft.submitted_at is None:
        raise AuthoringError(_("This draft has not been sent for review (or was changed since)."))


def discard(draft: CourseDraft, by: User) -> None:
    """Throw the draft away; the published course stays as it is."""
    _require(by, AUTHOR)
    audit.record(audit.DRAFT_DISCARDED, by, detail=draft.course_id)
    db.session.delete(draft)


def return_to(course_id: str, number: int, by: User) -> CourseVersion:
    """Make an earlier version the newest again, as a new version (it was reviewed when first published)."""
    _require(by, REVIEWER)
    old = version(course_id, number)
    if old is None:
        raise AuthoringError(_("There is no version %(number)s of this course.", number=number))
    files = read_pack(io.BytesIO(old.pack))
    checked = check_files(files)
    if checked.errors or checked.course is None:
        raise AuthoringError(
            _("Version %(number)s no longer passes the check: %(problem)s", number=number, problem=checked.errors[0])
        )
    return store_version(files, checked.course, "return", by).version


def _require(user: User, permission: str) -> None:
    if not has_permission(user, permission):
        raise AuthoringError(_("You do not have the permission for this."))


@dataclass(frozen=True)
class FileDiff:
    """One file that differs between two versions: its unified diff, line by line."""

    path: str
    lines: tuple[str, ...]


def diff(before: dict[str, str], after: dict[str, str]) -> list[FileDiff]:
    """Every file added, removed or changed from `before` to `after`, as unified diffs."""
    changed = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path, ""), after.get(path, "")
        if old == new:
            continue
        lines = difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"before/{path}", f"after/{path}", lineterm="", n=2
        )
        changed.append(FileDiff(path, tuple(lines)[2:]))  # the two header lines repeat the path
    return changed


def version_files(version: CourseVersion | None) -> dict[str, str]:
    """The version's files as text (none for no version)."""
    return _text_files(version.pack) if version is not None else {}


@dataclass(frozen=True)
class LessonEntry:
    name: str  # the file name in lessons/
    id: str
    title: str


@dataclass(frozen=True)
class ModuleOutline:
    """One module of a draft, as its files say: for the draft's page and its editors."""

    folder: str
    id: str
    title: str
    lessons: tuple[LessonEntry, ...]
    questions: tuple[tuple[str, str], ...]  # (id, question)


def outline(files: dict[str, str]) -> list[ModuleOutline]:
    """The draft's modules in folder order, with their lessons and quiz items (whatever the check says)."""
    folders = sorted({path.split("/")[0] for path in files if "/" in path})
    modules = []
    for folder in folders:
        header = writer.read_mapping(files.get(f"{folder}/module.yaml", ""))
        lessons = tuple(
            LessonEntry(path.rsplit("/", 1)[1], str(h.get("id", "")), str(h.get("title", "")))
            for path in sorted(files)
            if path.startswith(f"{folder}/lessons/")
            for h in (writer.read_lesson(files[path])[0],)
        )
        questions = tuple(
            (str(q.get("id", "")), str(q.get("prompt", "")))
            for q in writer.read_questions(files.get(f"{folder}/quiz.yaml", ""))
        )
        modules.append(
            ModuleOutline(folder, str(header.get("id", "")), str(header.get("title", "")), lessons, questions)
        )
    return modules


def add_module(draft: CourseDraft, module_id: str, title: str, by: User) -> str:
    """A new module folder after the others: module.yaml, an empty quiz and pre-test. Returns the folder."""
    _require_slug(module_id)
    taken = outline(draft.files)
    if any(m.id == module_id for m in taken):
        raise AuthoringError(_('There is already a module "%(id)s".', id=module_id))
    folder = f"{len(taken) + 1:02d}-{module_id}"
    header = {"id": module_id, "title": title, "summary": "", "objectives": [], "prerequisites": [], "pass_mark": 80}
    save_file(draft, f"{folder}/module.yaml", yaml_text(header | {"minutes": 20}), by)
    save_file(draft, f"{folder}/quiz.yaml", yaml_text({"questions": []}), by)
    save_file(draft, f"{folder}/pretest.yaml", yaml_text({"questions": []}), by)
    return folder


def add_lesson(draft: CourseDraft, folder: str, lesson_id: str, title: str, by: User) -> str:
    """A new lesson at the end of the module. Returns its file name."""
    _require_slug(lesson_id)
    modules = outline(draft.files)
    module = _module(modules, folder)
    if any(lesson.id == lesson_id for m in modules for lesson in m.lessons):
        raise AuthoringError(_('There is already a lesson "%(id)s".', id=lesson_id))
    name = f"{len(module.lessons) + 1:02d}-{lesson_id}.md"
    header = {"id": lesson_id, "title": title, "minutes": 5, "main_message": "", "sources": []}
    save_file(draft, f"{folder}/lessons/{name}", writer.lesson_text(header, "## Summary\n"), by)
    return name


def add_question(draft: CourseDraft, folder: str, question_id: str, kind: str, by: User) -> None:
    """A new quiz item at the end of the module's quiz, to be written in its editor."""
    _require_slug(question_id)
    modules = outline(draft.files)
    _module(modules, folder)
    if any(q_id == question_id for m in modules for q_id, _ in m.questions):
        raise AuthoringError(_('There is already a question "%(id)s".', id=question_id))
    path = f"{folder}/quiz.yaml"
    question = {"id": question_id, "type": kind, "prompt": "", "choices": [], "explanation": "", "source": ""}
    save_file(draft, path, writer.with_question(draft.files.get(path, ""), question), by)


def _module(modules: list[ModuleOutline], folder: str) -> ModuleOutline:
    module = next((m for m in modules if m.folder == folder), None)
    if module is None:
        raise AuthoringError(_("There is no such module in this draft."))
    return module


def _require_slug(value: str) -> None:
    if not SLUG.fullmatch(value or ""):
        raise AuthoringError(_("An id is lowercase letters, digits and single hyphens, like why-sleep."))


def version(course_id: str, number: int) -> CourseVersion | None:
    """The course's version with this number, or None."""
    return db.session.scalar(
        db.select(CourseVersion).where(CourseVersion.course_id == course_id, CourseVersion.number == number)
    )

"""Versioned content: an attempt made on one edition of a quiz is shown, after the content has
changed, with the questions, choices and feedback the learner saw and the grading stored then."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from flask import current_app
from flask_migrate import upgrade
from markupsafe import escape
from sqlalchemy import create_engine, func, select, text

from course import create_app
from course.config import TestConfig
from course.content import get_course, load_course
from course.content.loader import read_quiz
from course.content.model import Module, Quiz
from course.content.snapshot import quiz_snapshot
from course.extensions import db
from course.models import QUIZ, QuizAttempt, QuizSnapshot

from . import actions, quiz_helpers
from .facilitate_helpers import password_hash
from .factories import attach_counselor, make_user
from .support import REAL_COURSE, Browser, IsolatedClient, old_schema_user

ROOT = Path(__file__).resolve().parent.parent
FIRST_EDITION_JSON = ROOT / "migrations" / "versions" / "0005_first_edition_quizzes.json"
NEW_STEM = "Edited stem: which of these is now the keyed answer?"
NEW_CHOICE = "Edited choice text that the learner never saw."


def edited_copy(tmp_path: Path, module: Module, question_id: str, source: Path | None = None) -> Path:
    """A copy of the course in `source` (default: the app's) with one question's stem, key and keyed choice changed."""
    source = source or Path(current_app.config["CONTENT_DIR"])
    content = Path(shutil.copytree(source, tmp_path / "edition-2"))
    path = content / module.folder / "quiz.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = next(q for q in data["questions"] if q["id"] == question_id)
    item["prompt"] = NEW_STEM
    old_key = next(c for c in item["choices"] if c["correct"])
    new_key = next(c for c in item["choices"] if not c["correct"])
    old_key.update(correct=False, text=NEW_CHOICE)
    new_key.update(correct=True)
    new_key.pop("misconception", None)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return content


@pytest.fixture
def app_on(app):
    """Make a second app on the same database (no reset), reading another content folder: a redeploy."""
    made = []

    def redeploy(content_dir: Path):
        settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "CONTENT_DIR": str(content_dir)}
        later = create_app(type("Redeployed", (TestConfig,), settings))
        later.test_client_class = IsolatedClient
        made.append(later)
        return later

    yield redeploy
    for later in made:
        with later.app_context():
            db.session.remove()
            db.engine.dispose()


def login(app, username: str):
    """A browser signed in to `app`."""
    browser = Browser(app.test_client())
    assert browser.login(username).status_code == 302
    return browser


def single_question(module: Module, attempt: QuizAttempt):
    """The first single-answer question of the attempt."""
    return next(
        module.question(item["question"])
        for item in attempt.layout
        if module.question(item["question"]).type == "single"
    )


def test_a_past_attempt_shows_what_the_learner_saw_and_its_stored_result_after_the_content_changes(
    app_on, module, learner, counselor, tmp_path
):
    attempt = actions.start_attempt(learner, module, QUIZ)
    edited = single_question(module, attempt)
    old_key = next(c for c in edited.choices if c.correct)
    actions.submit(attempt, quiz_helpers.answers(attempt, module), attempt.sequence, module)
    attach_counselor(counselor, learner=learner)

    later = app_on(edited_copy(tmp_path, module, edited.id))
    with later.app_context():
        now = get_course().module(module.id)
        assert now.version != module.version and now.question(edited.id).prompt == NEW_STEM
        assert next(c for c in now.question(edited.id).choices if c.correct).id != old_key.id
    pages = {
        "learner": login(later, learner.username).get(f"/learn/attempts/{attempt.id}/result"),
        "counselor": login(later, counselor.username).get(f"/counsel/learners/{learner.id}/attempts/{attempt.id}"),
    }
    for who, response in pages.items():
        page = response.get_data(as_text=True)
        assert response.status_code == 200, who
        assert str(escape(edited.prompt)) in page and NEW_STEM not in page, who
        assert str(escape(old_key.text)) in page and NEW_CHOICE not in page, who
        assert str(escape(old_key.feedback)) in page, who
        # Graded as stored: every answer was right then, so no question says "Not right" now.
        assert page.count('class="verdict verdict-right"') == len(attempt.layout), who
        assert "verdict-wrong" not in page, who
    assert "100%" in pages["learner"].get_data(as_text=True)


def test_an_attempt_left_open_across_the_change_is_shown_and_graded_as_it_started(app_on, module, learner, tmp_path):
    attempt = actions.start_attempt(learner, module, QUIZ)
    edited = single_question(module, attempt)
    answers = quiz_helpers.answers(attempt, module)  # right by the first edition's keys
    later = app_on(edited_copy(tmp_path, module, edited.id))
    browser = login(later, learner.username)
    page = browser.get(f"/learn/attempts/{attempt.id}").get_data(as_text=True)
    assert str(escape(edited.prompt)) in page and NEW_STEM not in page
    sequence = db.session.scalar(select(QuizAttempt.sequence).where(QuizAttempt.id == attempt.id))
    response = browser.post(
        f"/learn/attempts/{attempt.id}/submit",
        quiz_helpers.form(answers, sequence),
        form_page=f"/learn/attempts/{attempt.id}",
    )
    assert response.status_code == 303
    stored = db.session.execute(
        select(QuizAttempt.score, QuizAttempt.pretest_items_score, QuizAttempt.first_quiz).where(
            QuizAttempt.id == attempt.id
        )
    ).one()
    # Scored, and on the pre-test's questions, by the version it started on (its snapshot).
    assert tuple(stored) == (100.0, 100.0, True)


def test_one_snapshot_is_stored_per_module_version(app_on, module, learner, tmp_path):
    first = actions.start_attempt(learner, module, QUIZ)
    actions.submit(first, quiz_helpers.answers(first, module), first.sequence, module)
    actions.start_attempt(make_user("learner"), module, QUIZ)
    rows = db.session.execute(select(QuizSnapshot.module_id, QuizSnapshot.content_version)).all()
    assert rows == [(module.id, module.version)]
    assert db.session.get(QuizSnapshot, (module.id, module.version)).content == json.loads(
        json.dumps(quiz_snapshot(module))
    )
    later = app_on(edited_copy(tmp_path, module, single_question(module, first).id))
    with later.app_context():
        changed = get_course().module(module.id)
        actions.start_attempt(db.session.merge(learner), changed, QUIZ)
        db.session.remove()
    db.session.rollback()  # end this session's read, to see what the other app wrote
    versions = db.session.scalars(select(QuizSnapshot.content_version).order_by(QuizSnapshot.created_at)).all()
    assert sorted(versions) == sorted([module.version, changed.version])


def test_the_frozen_first_edition_is_the_first_editions_quizzes():
    frozen = json.loads(FIRST_EDITION_JSON.read_text(encoding="utf-8"))["modules"]
    fixture = ROOT / "tests" / "fixtures" / "first-edition"
    folders = sorted(p for p in fixture.iterdir() if p.is_dir())
    assert list(frozen) == [f.name[3:] for f in folders]
    for folder in folders:
        quiz = read_quiz(folder, folder.name[3:], [])
        module = Module(folder.name[3:], folder.name, "", "", (), (), 80, 0, (), quiz, Quiz(), "")
        expected = quiz_snapshot(module)
        assert frozen[module.id]["questions"] == expected["questions"], module.id
        assert len(frozen[module.id]["version"]) == 16


def test_the_migration_backfills_first_edition_snapshots_for_existing_attempts(tmp_path):
    """An attempt on the first edition, in a database from before 0005, keeps its review after the upgrade."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    frozen = json.loads(FIRST_EDITION_JSON.read_text(encoding="utf-8"))["modules"]
    first_version = frozen["reward-system"]["version"]
    old_question = frozen["reward-system"]["questions"][0]
    # About the real course: its first edition is what migration 0005 froze.
    content = edited_copy(tmp_path, load_course(REAL_COURSE).modules[0], old_question["id"], REAL_COURSE)
    app = create_app(type("Old", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": str(content)}))
    app.test_client_class = IsolatedClient
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0003")
        learner = old_schema_user("old-learner", password_hash=password_hash())
        db.session.commit()
        key = next(c["id"] for c in old_question["choices"] if c["correct"])
        layout = [{"question": old_question["id"], "choices": [c["id"] for c in old_question["choices"]]}]
        engine = db.engine
        with engine.begin() as connection:
            for version in (first_version, "0123456789abcdef"):  # the first edition, and a version it has no copy of
                connection.execute(
                    text(
                        "INSERT INTO quiz_attempt (learner_id, module_id, kind, content_version, layout, sequence, "
                        "started_at, submitted_at, score, passed) VALUES (:learner, 'reward-system', 'quiz', :version, "
                        ":layout, 1, '2026-11-30 10:00:00.000000', '2026-11-30 10:05:00.000000', 100.0, 1)"
                    ),
                    {"learner": learner.id, "version": version, "layout": json.dumps(layout)},
                )
                attempt_id = connection.execute(text("SELECT max(id) FROM quiz_attempt")).scalar()
                connection.execute(
                    text(
                        "INSERT INTO attempt_answer (attempt_id, question_id, choice_ids, correct, credit, "
                        "misconception_ids, saved_at) VALUES (:attempt, :question, :key, 1, 1.0, '', "
                        "'2026-11-30 10:05:00.000000')"
                    ),
                    {"attempt": attempt_id, "question": old_question["id"], "key": key},
                )
        upgrade(directory=directory)
        rows = db.session.execute(select(QuizSnapshot.module_id, QuizSnapshot.content_version)).all()
        assert rows == [("reward-system", first_version)]
        stored = db.session.get(QuizSnapshot, ("reward-system", first_version)).content
        assert stored["questions"] == frozen["reward-system"]["questions"]
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 2
        username = learner.username
        first_attempt = db.session.scalar(select(func.min(QuizAttempt.id)))
        db.session.remove()
        page = login(app, username).get(f"/learn/attempts/{first_attempt}/result").get_data(as_text=True)
        assert str(escape(old_question["prompt"])) in page and NEW_STEM not in page
        assert 'class="verdict verdict-right"' in page
        db.session.remove()
        db.engine.dispose()
    create_engine(url).dispose()

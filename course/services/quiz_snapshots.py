"""The quiz an attempt was made on: today's content, or the stored snapshot of an older version.

A snapshot of each module's quiz is stored once per content version, when the first attempt on
that version starts (insert-if-absent in the caller's transaction; once a later start finds it
stored, that is remembered per process, so it then costs no statement). An attempt whose version
is no longer the current one is shown, and graded if still open, with the questions of its own version.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flask import current_app
from sqlalchemy import bindparam, select

from ..content import Module, Question
from ..content.snapshot import quiz_snapshot, snapshot_questions
from ..database import upsert
from ..extensions import db
from ..models import QuizAttempt, QuizSnapshot, utcnow

_STORED, _LOADED, _PRETESTS = "quiz_snapshots_stored", "quiz_snapshots_loaded", "quiz_snapshots_pretests"
_STORED_VERSION = select(QuizSnapshot.module_id).where(
    QuizSnapshot.module_id == bindparam("module_id"), QuizSnapshot.content_version == bindparam("content_version")
)


def _remembered(name: str):
    """A per-app (so per-process) memo: the app's content and database are fixed for its life."""
    return current_app.extensions.setdefault(name, {})


def store_snapshot(module: Module) -> None:
    """Store the module's current quiz under its version, unless it already is (caller's transaction).

    The snapshot is the English text, whatever language the learner reads: a version's record.
    """
    module = _english(module)
    stored = _remembered(_STORED)
    key = (module.id, module.version)
    if key in stored:
        return
    # Remembered only once found stored: an insert of this transaction may yet be rolled back.
    if db.session.scalar(_STORED_VERSION, {"module_id": module.id, "content_version": module.version}):
        stored[key] = True
        return
    dialect = db.session.get_bind().dialect.name
    stmt = (
        upsert(QuizSnapshot, dialect)
        .values(
            module_id=module.id,
            content_version=module.version,
            content=quiz_snapshot(module),
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["module_id", "content_version"])
    )
    db.session.execute(stmt)


def questions_for(attempt: QuizAttempt, module: Module) -> Mapping[str, Question]:
    """Question id → Question as the attempt's learner saw it.

    Today's quiz when the attempt was made on the current version; otherwise the stored snapshot
    of its version; today's quiz again when no snapshot of that version was ever stored.
    """
    if attempt.content_version == module.version:
        return _current(module)
    loaded = _remembered(_LOADED)
    key = (attempt.module_id, attempt.content_version)
    if key not in loaded:
        content = _stored_content(attempt)
        if content is None:
            return _current(module)  # not remembered: a snapshot may still be backfilled
        loaded[key] = MappingProxyType(snapshot_questions(content, module.id))
    return loaded[key]


def pretest_ids_for(attempt: QuizAttempt, module: Module) -> frozenset[str]:
    """The ids of the pre-test's questions in the attempt's content version (the matched set)."""
    today = frozenset(q.id for q in module.pretest.questions)
    if attempt.content_version == module.version:
        return today
    pretests = _remembered(_PRETESTS)
    key = (attempt.module_id, attempt.content_version)
    if key not in pretests:
        content = _stored_content(attempt)
        if content is None:
            return today  # as for the questions: today's, until a snapshot is stored
        pretests[key] = frozenset(content.get("pretest", ()))
    return pretests[key]


def _stored_content(attempt: QuizAttempt) -> dict | None:
    """The stored snapshot of the attempt's module and content version, if there is one."""
    return db.session.scalar(
        select(QuizSnapshot.content).where(
            QuizSnapshot.module_id == attempt.module_id, QuizSnapshot.content_version == attempt.content_version
        )
    )


def _english(module: Module) -> Module:
    """The module as the English library has it (a translated module has the same id and version)."""
    if module.language == "en":
        return module
    return current_app.extensions["course"].module(module.id) or module


def _current(module: Module) -> Mapping[str, Question]:
    loaded = _remembered(_LOADED)
    key = (module.id, module.version, module.language)  # each language's text of the same version
    if key not in loaded:
        loaded[key] = MappingProxyType({q.id: q for q in module.quiz.questions})
    return loaded[key]

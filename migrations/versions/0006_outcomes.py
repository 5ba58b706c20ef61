"""Outcomes: the matched before/after scores, and how sure a learner was of each answer.

1. quiz_attempt.pretest_items_score: an attempt's score on the questions of its module's pre-test
   only (a pre-test's own score), so "before" and "after" are scored on the same items.
2. quiz_attempt.first_quiz: the learner's first submitted quiz attempt in a module, the "after".
3. attempt_answer.confidence: sure / think_so / guessing, or none.
4. ix_quiz_attempt_learner_module gains submitted_at, so the first-quiz check inside each submit
   uses it rather than scanning the module's submitted attempts.

Existing attempts are backfilled: pre-tests take their score; submitted quiz attempts are scored
on the pre-test questions of their own content version (from its quiz snapshot; an attempt on a
version without a snapshot keeps none); the first of each learner's quiz attempts in a module is
marked.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

attempt = sa.table(
    "quiz_attempt",
    sa.column("id"),
    sa.column("learner_id"),
    sa.column("module_id"),
    sa.column("kind"),
    sa.column("content_version"),
    sa.column("submitted_at"),
    sa.column("score"),
    sa.column("pretest_items_score"),
    sa.column("first_quiz"),
)
answer = sa.table("attempt_answer", sa.column("attempt_id"), sa.column("question_id"), sa.column("credit"))
snapshot = sa.table(
    "quiz_snapshot", sa.column("module_id"), sa.column("content_version"), sa.column("content", sa.JSON)
)


def upgrade():
    op.add_column("quiz_attempt", sa.Column("pretest_items_score", sa.Float(), nullable=True))
    op.add_column("quiz_attempt", sa.Column("first_quiz", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("attempt_answer", sa.Column("confidence", sa.String(length=10), nullable=True))
    op.drop_index("ix_quiz_attempt_learner_module", table_name="quiz_attempt")
    op.create_index(
        "ix_quiz_attempt_learner_module", "quiz_attempt", ["learner_id", "module_id", "kind", "submitted_at"]
    )
    backfill(op.get_bind())


def backfill(connection) -> None:
    """Matched scores and first-quiz marks for the attempts made before this revision."""
    submitted = attempt.c.submitted_at.is_not(None)
    connection.execute(
        attempt.update().where(attempt.c.kind == "pretest", submitted).values(pretest_items_score=attempt.c.score)
    )
    firsts = (
        sa.select(sa.func.min(attempt.c.id))
        .where(attempt.c.kind == "quiz", submitted)
        .group_by(attempt.c.learner_id, attempt.c.module_id)
    )
    connection.execute(attempt.update().where(attempt.c.id.in_(firsts)).values(first_quiz=True))
    pretest_ids = {
        (module_id, version): set(content.get("pretest", ()))
        for module_id, version, content in connection.execute(sa.select(snapshot))
    }
    quizzes = connection.execute(
        sa.select(attempt.c.id, attempt.c.module_id, attempt.c.content_version).where(
            attempt.c.kind == "quiz", submitted, attempt.c.score.is_not(None)
        )
    ).all()
    for attempt_id, module_id, version in quizzes:
        items = pretest_ids.get((module_id, version))
        if not items:
            continue
        credits = [
            credit or 0.0
            for question_id, credit in connection.execute(
                sa.select(answer.c.question_id, answer.c.credit).where(answer.c.attempt_id == attempt_id)
            )
            if question_id in items
        ]
        if credits:
            score = round(100 * sum(credits) / len(credits), 1)
            connection.execute(attempt.update().where(attempt.c.id == attempt_id).values(pretest_items_score=score))


def downgrade():
    op.drop_index("ix_quiz_attempt_learner_module", table_name="quiz_attempt")
    op.create_index("ix_quiz_attempt_learner_module", "quiz_attempt", ["learner_id", "module_id", "kind"])
    with op.batch_alter_table("attempt_answer") as batch:
        batch.drop_column("confidence")
    with op.batch_alter_table("quiz_attempt", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("first_quiz")
        batch.drop_column("pretest_items_score")

"""The progress read model: module_summary, one row per learner and module, and outcome_item, per
pre-test question answered before and after; both filled from the records.

The fill is a frozen copy, in SQL, of services/progress_summary.rebuild at this revision (a later
change to the service must not change what this revision does); tests/test_migrations.py checks
that it gives what the service's rebuild gives.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO module_summary (learner_id, module_id, lessons_done, attempts_begun, quizzes_submitted,
    quizzes_failed, best_score, passed, pretest_score, before_score, after_score, after_at,
    sure_but_wrong, last_activity_at)
SELECT k.learner_id, k.module_id, COALESCE(l.n, 0), COALESCE(a.begun, 0), COALESCE(a.submitted, 0),
    COALESCE(a.failed, 0), a.best, COALESCE(a.passed, 0) = 1, a.pretest, a.before_score, a.after_score,
    a.after_at, COALESCE(s.n, 0),
    CASE WHEN a.last IS NULL THEN l.last WHEN l.last IS NULL OR a.last > l.last THEN a.last ELSE l.last END
FROM (
    SELECT learner_id, module_id FROM lesson_progress WHERE completed_at IS NOT NULL
    UNION SELECT learner_id, module_id FROM quiz_attempt
) AS k
LEFT JOIN (
    SELECT learner_id, module_id, COUNT(*) AS n, MAX(completed_at) AS last
    FROM lesson_progress WHERE completed_at IS NOT NULL GROUP BY learner_id, module_id
) AS l ON l.learner_id = k.learner_id AND l.module_id = k.module_id
LEFT JOIN (
    SELECT learner_id, module_id, COUNT(*) AS begun,
        SUM(CASE WHEN kind = 'quiz' AND submitted_at IS NOT NULL THEN 1 ELSE 0 END) AS submitted,
        SUM(CASE WHEN kind = 'quiz' AND passed = false THEN 1 ELSE 0 END) AS failed,
        MAX(CASE WHEN kind = 'quiz' AND submitted_at IS NOT NULL THEN score END) AS best,
        MAX(CASE WHEN kind = 'quiz' AND passed = true THEN 1 ELSE 0 END) AS passed,
        MAX(CASE WHEN kind = 'pretest' AND submitted_at IS NOT NULL THEN score END) AS pretest,
        MAX(CASE WHEN kind = 'pretest' AND submitted_at IS NOT NULL THEN pretest_items_score END) AS before_score,
        MAX(CASE WHEN first_quiz = true THEN pretest_items_score END) AS after_score,
        MAX(CASE WHEN first_quiz = true THEN submitted_at END) AS after_at,
        MAX(COALESCE(submitted_at, started_at)) AS last
    FROM quiz_attempt GROUP BY learner_id, module_id
) AS a ON a.learner_id = k.learner_id AND a.module_id = k.module_id
LEFT JOIN (
    SELECT q.learner_id, q.module_id, COUNT(*) AS n
    FROM attempt_answer AS w JOIN quiz_attempt AS q ON q.id = w.attempt_id
    WHERE q.kind = 'quiz' AND q.submitted_at IS NOT NULL AND w.confidence = 'sure' AND w.correct = false
    GROUP BY q.learner_id, q.module_id
) AS s ON s.learner_id = k.learner_id AND s.module_id = k.module_id
"""

FILL_ITEMS = """
INSERT INTO outcome_item (learner_id, module_id, question_id, right_before, right_after)
SELECT b.learner_id, b.module_id, ba.question_id, COALESCE(ba.correct, false), COALESCE(aa.correct, false)
FROM quiz_attempt AS b
JOIN attempt_answer AS ba ON ba.attempt_id = b.id
JOIN quiz_attempt AS a ON a.learner_id = b.learner_id AND a.module_id = b.module_id
    AND a.first_quiz = true AND a.pretest_items_score IS NOT NULL
JOIN attempt_answer AS aa ON aa.attempt_id = a.id AND aa.question_id = ba.question_id
WHERE b.kind = 'pretest' AND b.submitted_at IS NOT NULL AND b.pretest_items_score IS NOT NULL
"""


def upgrade():
    op.create_table(
        "module_summary",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=64), nullable=False),
        sa.Column("lessons_done", sa.Integer(), nullable=False),
        sa.Column("attempts_begun", sa.Integer(), nullable=False),
        sa.Column("quizzes_submitted", sa.Integer(), nullable=False),
        sa.Column("quizzes_failed", sa.Integer(), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pretest_score", sa.Float(), nullable=True),
        sa.Column("before_score", sa.Float(), nullable=True),
        sa.Column("after_score", sa.Float(), nullable=True),
        sa.Column("after_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sure_but_wrong", sa.Integer(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["user.id"], name=op.f("fk_module_summary_learner_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("learner_id", "module_id", name=op.f("pk_module_summary")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "outcome_item",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("right_before", sa.Boolean(), nullable=False),
        sa.Column("right_after", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["user.id"], name=op.f("fk_outcome_item_learner_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("learner_id", "module_id", "question_id", name=op.f("pk_outcome_item")),
        sqlite_with_rowid=False,
    )
    op.execute(FILL)
    op.execute(FILL_ITEMS)


def downgrade():
    op.drop_table("outcome_item")
    op.drop_table("module_summary")

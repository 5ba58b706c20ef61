"""Record keeping: ids never given twice; quiz answers sent after sign-out kept on the server.

1. Account and attempt ids are never given twice: SQLite AUTOINCREMENT on user and quiz_attempt.
   Without it SQLite hands the highest id out again after that row is deleted, and the audit rows
   that kept the deleted account's id would name the next account. PostgreSQL sequences never go
   back, so nothing changes there. The tables are rebuilt (batch mode); migrations/env.py switches
   SQLite's foreign keys off for the rebuild (dropping the old `user` table would otherwise
   cascade) and checks them afterwards.
2. unsent_answers: quiz answers sent after the session ended, kept on the server (the cookie holds
   only a random key) until the same learner signs in again.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEVER_REUSED = ("user", "quiz_attempt")


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in NEVER_REUSED:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def upgrade():
    _rebuild(autoincrement=True)
    op.create_table(
        "unsent_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempt.id"],
            name=op.f("fk_unsent_answers_attempt_id_quiz_attempt"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsent_answers")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_unsent_answers_key_hash")),
    )
    with op.batch_alter_table("unsent_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unsent_answers_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_unsent_answers_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("unsent_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unsent_answers_created_at"))
        batch_op.drop_index(batch_op.f("ix_unsent_answers_attempt_id"))
    op.drop_table("unsent_answers")
    _rebuild(autoincrement=False)

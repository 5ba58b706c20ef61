"""Spaced review: the questions a learner missed, asked again about 1, 3 and 7 days after the pass.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("choice_ids", sa.String(length=255), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("misconception_ids", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["user.id"], name=op.f("fk_review_item_learner_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_item")),
    )
    op.create_index("ix_review_item_learner_due", "review_item", ["learner_id", "answered_at", "due_at"])


def downgrade():
    op.drop_index("ix_review_item_learner_due", table_name="review_item")
    op.drop_table("review_item")

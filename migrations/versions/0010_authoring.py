"""Authoring in the browser: the author and clinical reviewer permissions, and drafts.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # ADD COLUMN, not a batch: on SQLite a batch copies the table and would lose its AUTOINCREMENT.
    op.add_column("user", sa.Column("can_author", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("user", sa.Column("can_review", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "course_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=64), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("editor_ids", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["course_version.id"],
            name=op.f("fk_course_draft_base_version_id_course_version"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_course_draft_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_draft")),
        sa.UniqueConstraint("course_id", name=op.f("uq_course_draft_course_id")),
    )


def downgrade():
    op.drop_table("course_draft")
    op.drop_column("user", "can_review")
    op.drop_column("user", "can_author")

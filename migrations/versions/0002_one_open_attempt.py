"""At most one open attempt per learner, module and kind.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN = sa.text("submitted_at IS NULL")


def upgrade():
    op.create_index(
        "uq_quiz_attempt_open",
        "quiz_attempt",
        ["learner_id", "module_id", "kind"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade():
    op.drop_index("uq_quiz_attempt_open", table_name="quiz_attempt")

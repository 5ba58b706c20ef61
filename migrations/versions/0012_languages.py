"""Languages: the one each person chose (user.language) and the one each attempt was taken in.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("quiz_attempt", sa.Column("language", sa.String(length=8), server_default="en", nullable=False))


def downgrade():
    with op.batch_alter_table("quiz_attempt") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("language")

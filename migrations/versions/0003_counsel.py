"""The admin's audit log lists events newest first and by date range: index the time.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_event_occurred_at", "audit_event", ["occurred_at"])


def downgrade():
    op.drop_index("ix_audit_event_occurred_at", table_name="audit_event")

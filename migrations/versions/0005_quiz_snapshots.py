"""Quiz snapshots per module and content version, so past attempts show what the learner saw.

Backfills the first edition's quizzes (0005_first_edition_quizzes.json, generated from modules/
at commit 6a1f100) for the module versions that existing attempts were made on. Attempts on
other versions keep being shown with today's content, as before.

Revision ID: 0005
Revises: 0004
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FIRST_EDITION = Path(__file__).with_name("0005_first_edition_quizzes.json")


def upgrade():
    snapshot = op.create_table(
        "quiz_snapshot",
        sa.Column("module_id", sa.String(length=64), nullable=False),
        sa.Column("content_version", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("module_id", "content_version", name=op.f("pk_quiz_snapshot")),
    )
    backfill_first_edition(op.get_bind(), snapshot)


def backfill_first_edition(connection, snapshot) -> None:
    """One snapshot for each first-edition module version that an existing attempt was made on."""
    modules = json.loads(FIRST_EDITION.read_text(encoding="utf-8"))["modules"]
    attempt = sa.table("quiz_attempt", sa.column("module_id"), sa.column("content_version"))
    used = set(connection.execute(sa.select(attempt.c.module_id, attempt.c.content_version).distinct()))
    now = datetime.now(UTC)
    rows = [
        {
            "module_id": module_id,
            "content_version": data["version"],
            "created_at": now,
            "content": {key: data[key] for key in ("format", "questions", "pretest")},
        }
        for module_id, data in modules.items()
        if (module_id, data["version"]) in used
    ]
    if rows:
        op.bulk_insert(snapshot, rows)


def downgrade():
    op.drop_table("quiz_snapshot")

"""Account and attempt ids are never given twice: SQLite AUTOINCREMENT on user and quiz_attempt.

Without it SQLite hands the highest id out again after that row is deleted, and the audit rows
that kept the deleted account's id would name the next account. PostgreSQL sequences never go
back, so nothing changes there.

The tables are rebuilt (batch mode); migrations/env.py switches SQLite's foreign keys off for
the rebuild (dropping the old `user` table would otherwise cascade) and checks them afterwards.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TABLES = ('user', 'quiz_attempt')


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}):
            pass


def upgrade():
    _rebuild(autoincrement=True)


def downgrade():
    _rebuild(autoincrement=False)

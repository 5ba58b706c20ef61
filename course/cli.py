"""`flask` commands: set up a developer's database, create users, rebuild the progress summary, course packs.

The content check itself (`flask content check`) lives in content/cli.py; importing and
exporting packs need the database, so they join its group here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from .access import ADMIN, COUNSELOR, FACILITATOR, LEARNER, ROLES
from .content.cli import content_cli
from .database import write_transaction
from .extensions import db
from .models import Caseload, CohortMember, User
from .services import accounts, cohorts, course_library, course_packs, progress_summary
from .services.passwords import one_time_password

users_cli = AppGroup("users", help="Manage accounts.")
progress_cli = AppGroup("progress", help="The progress read model the staff reports read.")
DEMO_FILE = "demo-accounts.txt"
DEMO_ACCOUNTS = (
    ("demo-admin", ADMIN, "Demo Admin"),
    ("demo-facilitator", FACILITATOR, "Demo Facilitator"),
    ("demo-counselor", COUNSELOR, "Demo Counselor"),
    ("demo-learner-1", LEARNER, ""),
    ("demo-learner-2", LEARNER, ""),
)


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--display-name", default="")
@click.option("--email", default=None)
def create_user_command(username: str, role: str, display_name: str, email: str | None) -> None:
    """Create an account and print its one-time password (to be changed at first sign-in)."""
    try:
        with write_transaction():
            user, password = accounts.create_with_one_time_password(username, role, display_name, email)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {role} {user.username!r}. One-time password: {password}")


def _create_demo_data() -> list[tuple[str, str, str]]:
    """Demo accounts, a cohort the counselor is attached to, an author, a reviewer; (username, role, password)."""
    created, by_role = [], dict[str, list[User]]()
    with write_transaction():
        for username, role, name in DEMO_ACCOUNTS:
            password = one_time_password()
            user = accounts.create_user(username, password, role, name)
            by_role.setdefault(role, []).append(user)
            created.append((username, role, password))
        cohort = cohorts.create_cohort("Demo cohort", by_role[FACILITATOR][0])
        for learner in by_role[LEARNER]:
            db.session.add(CohortMember(cohort_id=cohort.id, learner_id=learner.id))
        db.session.add(
            Caseload(counselor_id=by_role[COUNSELOR][0].id, cohort_id=cohort.id, created_by_id=by_role[ADMIN][0].id)
        )
        # Authoring can be tried at once: the facilitator writes, the counselor reviews (docs/authoring.md).
        by_role[FACILITATOR][0].can_author = True
        by_role[COUNSELOR][0].can_review = True
        # The second learner reads Spanish: both languages side by side in the demo cohort (docs/translations.md).
        by_role[LEARNER][1].language = "es"
    return created


@progress_cli.command("rebuild")
def rebuild_progress_command() -> None:
    """Recompute every learner's figures per module from the records (docs/performance.md)."""
    with write_transaction():
        rows = progress_summary.rebuild()
    click.echo(f"Rebuilt the progress summary: {rows} learner-module rows.")


@content_cli.command("import")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_pack_command(pack: Path) -> None:
    """Check PACK (a zipped course folder) and store it as its course's next version.

    A refused pack stores nothing; every problem is named and the exit status is 1.
    """
    try:
        with write_transaction():
            imported = course_packs.import_pack(pack.read_bytes(), by=None)
    except course_packs.PackRefused as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    version = imported.version
    if imported.new:
        click.echo(f'Imported "{version.title}" ({version.course_id}) as version {version.number}.')
    else:
        click.echo(
            f'"{version.title}" ({version.course_id}) is already this pack (version {version.number}); nothing stored.'
        )


@content_cli.command("export")
@click.argument("course_id")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export_pack_command(course_id: str, out: Path) -> None:
    """Write the course COURSE_ID (its newest version) to OUT as a pack."""
    course_library.reload()
    try:
        out.write_bytes(course_packs.export_pack(course_id))
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {out}.")


@click.command("setup-dev")
def setup_dev_command() -> None:
    """Create or upgrade the database; on a new one, add demo accounts. Never in production."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("setup-dev creates demo accounts and is refused in production.")
    if "migrate" not in current_app.extensions:
        raise click.ClickException("DB_MIGRATIONS=0 leaves Flask-Migrate out; unset it to create the database.")
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    demo_file = Path(current_app.instance_path) / DEMO_FILE
    if not db.session.scalar(select(func.count()).select_from(User)):
        lines = [f"{role:<12} {username:<18} {password}" for username, role, password in _create_demo_data()]
        demo_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(demo_file, 0o600)
    if demo_file.exists():
        click.echo("Demo accounts (role, username, password) — for this machine only:")
        click.echo(demo_file.read_text(encoding="utf-8"))
    click.echo("Open http://127.0.0.1:5000 and sign in.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(users_cli)
    app.cli.add_command(progress_cli)
    app.cli.add_command(setup_dev_command)
    app.cli.add_command(content_cli)

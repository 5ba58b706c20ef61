"""The seeded world the no-5xx fuzz tests run in: a person signed in per role, rows to point at, the checks.

Between examples the world goes back to its seeded state only when a request changed it, so most
examples (refusals) cost one request and one read of every table.

What a refused request may change (everything else must stay exactly as it was):
- the audit log (refusals are audited on purpose: failed sign-ins, denied looks at a record);
- `user.last_active_at`, `user.updated_at` and `user_session.last_seen_at` (activity times);
- rate-limit counters (kept outside the database, and reset before every example);
- on a quiz submit refused as incomplete (422), the answers sent, which are kept as the draft
  ("nothing a learner did is ever lost").
"""

from __future__ import annotations

import io
import logging
import re
import traceback
from urllib.parse import quote

from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from course.content import get_course
from course.extensions import db, limiter
from course.models import QUIZ, Assignment, utcnow

from . import actions, factories
from .fuzz_support import ANONYMOUS, EVERYONE, USERNAMES, FilePart, Probe, Ref
from .quiz_helpers import take
from .support import Browser

IGNORED_TABLES = {"audit_event"}
IGNORED_COLUMNS = {"user": {"last_active_at", "updated_at"}, "user_session": {"last_seen_at"}}
KEPT_ON_REFUSAL = {("learn.submit", 422): {"attempt_answer", "quiz_attempt"}}
ERROR_MARKS = (b'class="error-message"', b"flash flash-error", b'class="error-summary"')
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?(\w+)>")


class World:
    """One app and database, seeded once: a learner in a facilitator's cohort on a counselor's caseload, an admin."""

    def __init__(self, app: Flask):
        self.app = app
        self.endpoints = {
            (rule.rule, method): rule.endpoint for rule in app.url_map.iter_rules() for method in rule.methods
        }
        self.ids = self._seed()
        self.clients, self.cookies, self.tokens = {}, {}, {}
        for role in EVERYONE:
            self._sign_in(role)
        self.rows = self._all_rows()
        self.baseline = self.fingerprint()
        self.errors = _ErrorLog()
        # A migration test earlier in the run calls logging's fileConfig (migrations/env.py), which
        # disables every logger that exists then, the app's included.
        app.logger.disabled = False
        app.logger.addHandler(self.errors)

    # --- seeding ---

    def _seed(self) -> dict[str, int | str]:
        module = get_course().modules[0]
        people = {role: factories.make_user(role, username=username) for role, username in USERNAMES.items()}
        cohort = factories.make_cohort(people["facilitator"], members=(people["learner"],))
        link = factories.attach_counselor(people["counselor"], cohort=cohort)
        assignment = Assignment(
            module_id=module.id, cohort_id=cohort.id, assigned_by_id=people["facilitator"].id, due_at=utcnow()
        )
        db.session.add(assignment)
        db.session.commit()
        submitted = take(people["learner"], module, QUIZ, right=0)
        opened = actions.start_attempt(people["learner"], module, QUIZ)
        db.session.commit()
        self.people = {role: user.username for role, user in people.items()}
        return {
            **{role: user.id for role, user in people.items()},
            "cohort": cohort.id,
            "join_code": cohort.join_code,
            "caseload_link": link.id,
            "assignment": assignment.id,
            "submitted_attempt": submitted.id,
            "open_attempt": opened.id,
        }

    def _sign_in(self, role: str) -> None:
        """A client per role, signed in, with the CSRF token its pages carry (valid for the whole session)."""
        browser = Browser(self.app.test_client())
        if role != ANONYMOUS:
            assert browser.login(self.people[role]).status_code == 302
        self.tokens[role] = browser.token("/auth/login" if role == ANONYMOUS else "/auth/password")
        self.clients[role] = browser.client
        self.cookies[role] = browser.client.get_cookie(self.app.config["SESSION_COOKIE_NAME"]).value

    # --- the data, and going back to the seeded state ---

    def fingerprint(self) -> dict[str, list[tuple]]:
        """Every row of every table, less the audit log and activity times (see the module docstring)."""
        result = {}
        for table in db.metadata.sorted_tables:
            if table.name in IGNORED_TABLES:
                continue
            columns = [c for c in table.columns if c.name not in IGNORED_COLUMNS.get(table.name, ())]
            result[table.name] = [
                tuple(row) for row in db.session.execute(select(*columns).order_by(*table.primary_key.columns))
            ]
        db.session.rollback()
        return result

    def _all_rows(self) -> dict[str, list[dict]]:
        rows = {
            table.name: [dict(row._mapping) for row in db.session.execute(select(table))]
            for table in db.metadata.sorted_tables
        }
        db.session.rollback()
        return rows

    def restore(self) -> None:
        """Put every table back as seeded (ids included), in one transaction."""
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            for table in db.metadata.sorted_tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
        db.session.expire_all()

    # --- sending a probe ---

    def url(self, probe: Probe) -> str:
        """The probe's rule with its path values filled in (a `Ref` becomes the seeded row's id)."""
        values = dict(probe.path)

        def segment(match: re.Match) -> str:
            value = values[match.group(1)]
            value = str(self.ids[value.name]) if isinstance(value, Ref) else value
            return quote(value, safe="%")  # a "%00" stays a raw escape: the segment decodes to NUL

        return _ARGUMENT.sub(segment, probe.rule)

    def send(self, probe: Probe):
        """Send the probe as its role's browser would: its session cookie, and a valid CSRF token on a POST."""
        client = self.clients[probe.role]
        client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[probe.role])
        limiter.reset()
        options = {
            "method": probe.method,
            "query_string": MultiDict(list(probe.query)),
            "headers": {"Accept": probe.accept},
        }
        if probe.raw_body is not None:
            options["data"] = f"csrf_token={self.tokens[probe.role]}&".encode() + probe.raw_body
            options["content_type"] = "application/x-www-form-urlencoded"
        elif probe.method == "POST":
            form = MultiDict([("csrf_token", self.tokens[probe.role])])
            for key, value in probe.form:
                form.add(
                    key,
                    (io.BytesIO(value.content), value.filename, value.content_type)
                    if isinstance(value, FilePart)
                    else value,
                )
            options["data"] = form
            if probe.multipart:
                options["content_type"] = "multipart/form-data"
        return client.open(self.url(probe), **options)

    # --- the property ---

    def check(self, probe: Probe) -> None:
        """No 5xx; a refused request changes nothing but what the module docstring allows."""
        self.errors.clear()
        response = self.send(probe)
        assert response.status_code < 500, (
            f"{response.status_code} for {probe}\nURL {self.url(probe)}\n{self.errors.text()}"
        )
        after = self.fingerprint()
        if after == self.baseline:
            return
        if self.refused(probe, response):
            changed = {name for name, rows in after.items() if rows != self.baseline[name]}
            endpoint = self.endpoints[(probe.rule, probe.method)]
            allowed = KEPT_ON_REFUSAL.get((endpoint, response.status_code), set())
            assert changed <= allowed, f"refused ({response.status_code}) but changed {sorted(changed)}: {probe}"
        self.restore()

    def refused(self, probe: Probe, response) -> bool:
        """A 4xx, a page shown again with an error, a redirect carrying an error message, or sign-in asked for."""
        if 400 <= response.status_code < 500 or any(mark in response.get_data() for mark in ERROR_MARKS):
            return True
        if response.status_code in (301, 302, 303):
            if probe.role == ANONYMOUS and response.location.startswith("/auth/login"):
                return True
            with self.clients[probe.role].session_transaction() as session:
                return any(category == "error" for category, _ in session.get("_flashes", []))
        return False


class _ErrorLog(logging.Handler):
    """Keeps the tracebacks the app logs for a 500, to show them when the property fails."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def clear(self) -> None:
        self.records.clear()

    def text(self) -> str:
        return "\n".join(
            record.getMessage() + "\n" + "".join(traceback.format_exception(*record.exc_info))
            if record.exc_info
            else record.getMessage()
            for record in self.records
        )

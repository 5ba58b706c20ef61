"""Forms of the admin area: accounts, caseloads, the audit log's filters, course packs, local resources."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from ..access import ROLE_LABELS, STAFF_ROLES
from ..forms import USERNAME_ATTRS, at_most, date_field, username_field
from ..models.accounts import DISPLAY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH
from ..models.local_resources import (
    DETAILS_MAX_LENGTH,
    KIND_LABELS,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    URL_MAX_LENGTH,
)
from ..services import audit, caseload_links, local_resources, resource_links
from ..services.programme_outcomes import DateRange


def action_label(action: str) -> str:
    """How the audit log names an action: "record_viewed" reads "Record viewed"."""
    return action.replace("_", " ").capitalize()


STAFF_ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES]


class CreateStaffForm(FlaskForm):
    """Create a facilitator, counselor or admin account; a one-time password is shown once."""

    username = username_field("Username", "Enter a username.", render_kw={"autocomplete": "off", **USERNAME_ATTRS})
    display_name = StringField("Name shown to others", validators=[Optional(), at_most(DISPLAY_NAME_MAX_LENGTH)])
    email = EmailField(
        "Email (optional)",
        validators=[Optional(), Email("Enter a valid email address."), at_most(EMAIL_MAX_LENGTH)],
    )
    role = SelectField("Role", choices=STAFF_ROLE_CHOICES, validators=[DataRequired("Choose a role.")])


class RoleForm(FlaskForm):
    """Change a staff account's role."""

    role = SelectField("New role", choices=STAFF_ROLE_CHOICES, validators=[DataRequired("Choose a role.")])


class PermissionsForm(FlaskForm):
    """Grant a staff account the author or clinical-reviewer permission (docs/authoring.md)."""

    can_author = BooleanField("Author: may edit courses in the browser and send them for review")
    can_review = BooleanField("Clinical reviewer: may approve other people's changes, which publishes them")


class AttachCohortForm(FlaskForm):
    """Put a whole cohort on a counselor's caseload; the view fills in the cohorts to choose from."""

    cohort = SelectField("Cohort", coerce=int, validators=[DataRequired("Choose a cohort.")], validate_choice=True)


def cohort_form(**kwargs) -> AttachCohortForm:
    """The attach-a-cohort form with today's cohorts to choose from."""
    form = AttachCohortForm(**kwargs)
    form.cohort.choices = [SelectChoice(c.id, c.name) for c in caseload_links.attachable_cohorts()]
    return form


class AttachLearnerForm(FlaskForm):
    """Put one learner, found by username, on a counselor's caseload."""

    username = username_field(
        "Learner's username", "Enter the learner's username.", render_kw={"autocomplete": "off", **USERNAME_ATTRS}
    )


class AuditFilterForm(FlaskForm):
    """The audit log's filters: a GET form read from the query string (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    # The empty choice means "any"; no Optional(): it would clear the "Not a valid choice" error of a blank " ".
    action = SelectField(
        "Action",
        default="",
        choices=[SelectChoice("", "Any action")] + [SelectChoice(a, action_label(a)) for a in audit.ACTIONS],
    )
    actor = username_field("Done by (username or account number)")
    subject = username_field("About (username or account number)")
    since = date_field("From (a date, UTC)")
    until = date_field("To (a date, UTC, included)")

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be on or after the start date.")

    def to_filter(self) -> audit.EventFilter:
        """The filter these fields ask for, leaving out any field that is not valid."""

        def ok(field):
            return field.data if field.data and not field.errors else None

        return audit.EventFilter(
            action=ok(self.action),
            actor=(ok(self.actor) or "").strip() or None,
            subject=(ok(self.subject) or "").strip() or None,
            since=ok(self.since),
            until=ok(self.until),
        )

    def query_args(self) -> dict:
        """The valid filters as query-string values, for the pager's links."""
        flt = self.to_filter()
        args = {
            "action": flt.action,
            "actor": flt.actor,
            "subject": flt.subject,
            "since": flt.since.isoformat() if flt.since else None,
            "until": flt.until.isoformat() if flt.until else None,
        }
        return {key: value for key, value in args.items() if value}


class OutcomesRangeForm(FlaskForm):
    """The programme outcomes' date range: a GET form read from the query string (it changes nothing)."""

    class Meta:
        csrf = False

    since = date_field("From (a date, UTC)", "Pairs whose first quiz was on or after this day.")
    until = date_field("To (a date, UTC, included)")

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be on or after the start date.")

    def to_range(self) -> DateRange:
        """The range these fields ask for, leaving out any field that is not valid."""
        return DateRange(
            since=self.since.data if not self.since.errors else None,
            until=self.until.data if not self.until.errors and not self.errors.get("until") else None,
        )


class ImportPackForm(FlaskForm):
    """Upload a course pack (a zipped course folder) to check and store as its course's next version."""

    pack = FileField(
        "Course pack (.zip)",
        validators=[
            FileRequired("Choose a .zip file to import."),
            FileAllowed(["zip"], "A course pack is a .zip file."),
        ],
    )


def _service_rule(check):
    """A validator that asks the local resources service's rule (`check` returns a problem or None)."""

    def validate(form, field) -> None:
        if field.data and (problem := check(field.data.strip())):
            raise ValidationError(problem)

    return validate


class ResourceForm(FlaskForm):
    """Add or edit one of the programme's own resources; the links are checked by the service's rules."""

    kind = SelectField(
        "Kind",
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired("Choose a kind.")],
    )
    name = StringField(
        "Name", validators=[DataRequired("Enter a name."), at_most(NAME_MAX_LENGTH)], render_kw={"autocomplete": "off"}
    )
    details = TextAreaField(
        "Details (optional)",
        validators=[Optional(), at_most(DETAILS_MAX_LENGTH)],
        description="Address, opening hours, who it is for. Line breaks are kept.",
        render_kw={"rows": 4},
    )
    phone = StringField(
        "Phone (optional)",
        validators=[Optional(), at_most(PHONE_MAX_LENGTH), _service_rule(resource_links.phone_problem)],
        description="Digits, with an optional + at the start; spaces, dashes, dots and brackets are fine. "
        "Short lines such as 988 or 211 are fine too.",
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    url = StringField(
        "Web address (optional)",
        validators=[Optional(), at_most(URL_MAX_LENGTH), _service_rule(resource_links.url_problem)],
        description="Starts with https://, for example https://example.org/naloxone.",
        render_kw={"type": "url", "autocomplete": "off", "spellcheck": "false"},
    )

    def to_fields(self) -> local_resources.ResourceFields:
        """The typed values for the service."""
        return local_resources.ResourceFields(
            kind=self.kind.data or "",
            name=self.name.data or "",
            details=self.details.data or "",
            phone=self.phone.data or "",
            url=self.url.data or "",
        )

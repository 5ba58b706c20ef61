"""Forms of the admin area: accounts, caseloads, the audit log's filters, course packs, local resources."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from ..access import ROLE_LABELS, STAFF_ROLES
from ..forms import USERNAME_ATTRS, at_most, date_field, username_field
from ..i18n import lazy_gettext as _l
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
    """How the audit log names an action, in the page's language: "record_viewed" reads "Record viewed".

    An action no longer listed (an old row) is named from its own spelling, untranslated.
    """
    label = audit.ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ").capitalize()


STAFF_ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES]


class CreateStaffForm(FlaskForm):
    """Create a facilitator, counselor or admin account; a one-time password is shown once."""

    username = username_field(
        _l("Username"), _l("Enter a username."), render_kw={"autocomplete": "off", **USERNAME_ATTRS}
    )
    display_name = StringField(_l("Name shown to others"), validators=[Optional(), at_most(DISPLAY_NAME_MAX_LENGTH)])
    email = EmailField(
        _l("Email (optional)"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), at_most(EMAIL_MAX_LENGTH)],
    )
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES, validators=[DataRequired(_l("Choose a role."))])


class RoleForm(FlaskForm):
    """Change a staff account's role."""

    role = SelectField(_l("New role"), choices=STAFF_ROLE_CHOICES, validators=[DataRequired(_l("Choose a role."))])


class PermissionsForm(FlaskForm):
    """Grant a staff account the author or clinical-reviewer permission (docs/authoring.md)."""

    can_author = BooleanField(_l("Author: may edit courses in the browser and send them for review"))
    can_review = BooleanField(_l("Clinical reviewer: may approve other people's changes, which publishes them"))


class AttachCohortForm(FlaskForm):
    """Put a whole cohort on a counselor's caseload; the view fills in the cohorts to choose from."""

    cohort = SelectField(
        _l("Cohort"), coerce=int, validators=[DataRequired(_l("Choose a cohort."))], validate_choice=True
    )


def cohort_form(**kwargs) -> AttachCohortForm:
    """The attach-a-cohort form with today's cohorts to choose from."""
    form = AttachCohortForm(**kwargs)
    form.cohort.choices = [SelectChoice(c.id, c.name) for c in caseload_links.attachable_cohorts()]
    return form


class AttachLearnerForm(FlaskForm):
    """Put one learner, found by username, on a counselor's caseload."""

    username = username_field(
        _l("Learner's username"),
        _l("Enter the learner's username."),
        render_kw={"autocomplete": "off", **USERNAME_ATTRS},
    )


class AuditFilterForm(FlaskForm):
    """The audit log's filters: a GET form read from the query string (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    # The empty choice means "any"; no Optional(): it would clear the "Not a valid choice" error of a blank " ".
    action = SelectField(
        _l("Action"),
        default="",
        choices=[SelectChoice("", _l("Any action"))] + [SelectChoice(a, audit.ACTION_LABELS[a]) for a in audit.ACTIONS],
    )
    actor = username_field(_l("Done by (username or account number)"))
    subject = username_field(_l("About (username or account number)"))
    since = date_field(_l("From (a date, UTC)"))
    until = date_field(_l("To (a date, UTC, included)"))

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

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

    since = date_field(_l("From (a date, UTC)"), _l("Pairs whose first quiz was on or after this day."))
    until = date_field(_l("To (a date, UTC, included)"))

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def to_range(self) -> DateRange:
        """The range these fields ask for, leaving out any field that is not valid."""
        return DateRange(
            since=self.since.data if not self.since.errors else None,
            until=self.until.data if not self.until.errors and not self.errors.get("until") else None,
        )


class ImportPackForm(FlaskForm):
    """Upload a course pack (a zipped course folder) to check and store as its course's next version."""

    pack = FileField(
        _l("Course pack (.zip)"),
        validators=[
            FileRequired(_l("Choose a .zip file to import.")),
            FileAllowed(["zip"], _l("A course pack is a .zip file.")),
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
        _l("Kind"),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(_l("Choose a kind."))],
    )
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name.")), at_most(NAME_MAX_LENGTH)],
        render_kw={"autocomplete": "off"},
    )
    details = TextAreaField(
        _l("Details (optional)"),
        validators=[Optional(), at_most(DETAILS_MAX_LENGTH)],
        description=_l("Address, opening hours, who it is for. Line breaks are kept."),
        render_kw={"rows": 4},
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Optional(), at_most(PHONE_MAX_LENGTH), _service_rule(resource_links.phone_problem)],
        description=_l(
            "Digits, with an optional + at the start; spaces, dashes, dots and brackets are fine. "
            "Short lines such as 988 or 211 are fine too."
        ),
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    url = StringField(
        _l("Web address (optional)"),
        validators=[Optional(), at_most(URL_MAX_LENGTH), _service_rule(resource_links.url_problem)],
        description=_l("Starts with https://, for example https://example.org/naloxone."),
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

"""Forms of the facilitator's area. Rules (names, members, due dates) are checked by services/cohorts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import date_field
from ..i18n import lazy_gettext as _l
from ..services.cohorts import NAME_MAX_LENGTH

EVERYONE, CHOSEN = "cohort", "members"
DUE_HINT = _l("Optional. Learners see it on their home page. It means by the end of that day (UTC).")


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; the service checks the values, so a forged one gets a clear message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, validate_choice=False, **kwargs)


def due_field(label: str | None = None) -> DateField:
    """A date input for a due date; empty means no due date."""
    return date_field(label or _l("Due date"), DUE_HINT)


class CohortNameForm(FlaskForm):
    """Name a new cohort, or rename one."""

    name = StringField(
        _l("Cohort name"),
        validators=[
            DataRequired(_l("Enter a name for the cohort.")),
            # WTForms fills in %(max)d.
            Length(max=NAME_MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
        description=_l("Learners in the cohort see this name. For example: Tuesday evening group."),
        render_kw={"maxlength": NAME_MAX_LENGTH, "autocomplete": "off"},
    )


class AssignForm(FlaskForm):
    """Assign modules to the whole cohort or to chosen members, with an optional due date."""

    modules = CheckboxesField(_l("Modules"))
    who = RadioField(
        _l("Assign to"),
        default=EVERYONE,
        validate_choice=False,
        choices=[
            SelectChoice(EVERYONE, _l("Everyone in the cohort, including people who join later")),
            SelectChoice(CHOSEN, _l("Only the members I choose")),
        ],
        validators=[AnyOf([EVERYONE, CHOSEN], message=_l("Choose everyone or chosen members."))],
    )
    learners = CheckboxesField(_l("Members"))
    usernames = TextAreaField(
        _l("Usernames"),
        validators=[Length(max=8000, message=_l("That list is too long."))],
        description=_l("Separate usernames with commas, spaces or new lines."),
        render_kw={"autocapitalize": "none", "spellcheck": "false", "rows": 3},
    )
    due = due_field()


class DueDateForm(FlaskForm):
    """Change an assignment's due date, or clear it."""

    due = due_field(_l("New due date"))

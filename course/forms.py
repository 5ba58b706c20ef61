"""Form pieces shared by every area."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .i18n import gettext as _
from .i18n import lazy_gettext as _l
from .models.accounts import USERNAME_MAX_LENGTH
from .services.passwords import MAX_LENGTH, MIN_LENGTH

# Dates a person may type: wide enough for any real use, narrow enough that a day added or the
# time of day never leaves the range Python and the databases can hold (9999-12-31 + 1 day did).
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2999, 12, 31)
DATE_FORMAT_MESSAGE = _l("Enter the date as year-month-day, for example 2030-06-30.")

# Browsers and password managers read these to offer the right help.
NEW_PASSWORD_ATTRS = {"autocomplete": "new-password", "minlength": MIN_LENGTH, "maxlength": MAX_LENGTH}
USERNAME_ATTRS = {"autocapitalize": "none", "spellcheck": "false"}


def at_most(limit: int) -> Length:
    """A length limit whose message says the limit."""
    return Length(max=limit, message=_l("Use at most %(limit)s characters.", limit=limit))


def username_field(label: str, required: str | None = None, **kwargs) -> StringField:
    """A username: required with this message (or optional), as long as the accounts allow."""
    presence = DataRequired(required) if required else Optional()
    return StringField(label, validators=[presence, at_most(USERNAME_MAX_LENGTH)], **kwargs)


def current_password_field(label: str, required: str) -> PasswordField:
    """The person's current password, to check; longer than any password allowed is refused at once."""
    return PasswordField(
        label, validators=[DataRequired(required), at_most(MAX_LENGTH)], render_kw={"autocomplete": "current-password"}
    )


def _date_in_range(form, field) -> None:
    if field.data is not None and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.", first=EARLIEST_DATE.year, last=LATEST_DATE.year)
        )


def date_field(label: str, description: str = "") -> DateField:
    """An optional date typed as year-month-day; an impossible or far-off date is a field error."""
    return DateField(
        label,
        validators=[Optional(), _date_in_range],
        format="%Y-%m-%d",
        invalid_value_message=DATE_FORMAT_MESSAGE,
        description=description,
    )


def new_password_field(label: str = _l("New password")) -> PasswordField:
    """A password field for a new password: the policy itself is checked by the accounts service."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a password.")),
            at_most(MAX_LENGTH),
        ],
        render_kw=NEW_PASSWORD_ATTRS,
        description=_l(
            "At least %(min)s characters. A few words in a row are easy to remember and hard to guess.", min=MIN_LENGTH
        ),
    )


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token is needed."""

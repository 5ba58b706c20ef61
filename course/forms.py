"""Form pieces shared by every area."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, PasswordField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .services.passwords import MAX_LENGTH

# Dates a person may type: wide enough for any real use, narrow enough that a day added or the
# time of day never leaves the range Python and the databases can hold (9999-12-31 + 1 day did).
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2999, 12, 31)
DATE_FORMAT_MESSAGE = "Enter the date as year-month-day, for example 2030-06-30."

# Browsers and password managers read these to offer the right help.
NEW_PASSWORD_ATTRS = {"autocomplete": "new-password", "minlength": 12, "maxlength": MAX_LENGTH}


def _date_in_range(form, field) -> None:
    if field.data is not None and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise ValidationError(f"Enter a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.")


def date_field(label: str, description: str = "") -> DateField:
    """An optional date typed as year-month-day; an impossible or far-off date is a field error."""
    return DateField(
        label,
        validators=[Optional(), _date_in_range],
        format="%Y-%m-%d",
        invalid_value_message=DATE_FORMAT_MESSAGE,
        description=description,
    )


def new_password_field(label: str = "New password") -> PasswordField:
    """A password field for a new password: the policy itself is checked by the accounts service."""
    return PasswordField(
        label,
        validators=[
            DataRequired("Enter a password."),
            Length(max=MAX_LENGTH, message=f"Use at most {MAX_LENGTH} characters."),
        ],
        render_kw=NEW_PASSWORD_ATTRS,
        description="At least 12 characters. A few words in a row are easy to remember and hard to guess.",
    )

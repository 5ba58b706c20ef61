"""Forms for managing accounts."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..access import ROLE_LABELS, STAFF_ROLES

STAFF_ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES]


class CreateStaffForm(FlaskForm):
    """Create a facilitator, counselor or admin account; a one-time password is shown once."""

    username = StringField("Username", validators=[DataRequired("Enter a username."), Length(max=40, message="Use at most 40 characters.")],
                           render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    display_name = StringField("Name shown to others", validators=[Optional(), Length(max=80, message="Use at most 80 characters.")])
    email = EmailField("Email (optional)", validators=[Optional(), Email("Enter a valid email address."), Length(max=254)])
    role = SelectField("Role", choices=STAFF_ROLE_CHOICES, validators=[DataRequired("Choose a role.")])


class RoleForm(FlaskForm):
    """Change a staff account's role."""

    role = SelectField("New role", choices=STAFF_ROLE_CHOICES, validators=[DataRequired("Choose a role.")])


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token is needed."""

"""Forms for signing in, joining with a code and changing a password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import USERNAME_ATTRS, current_password_field, new_password_field, username_field


class LoginForm(FlaskForm):
    """Sign in with username and password."""

    username = username_field(
        "Username", "Enter your username.", render_kw={"autocomplete": "username", **USERNAME_ATTRS}
    )
    password = current_password_field("Password", "Enter your password.")


class JoinForm(FlaskForm):
    """Create a learner account with a cohort's join code: no email, no real name."""

    code = StringField(
        "Join code",
        validators=[DataRequired("Enter the join code from your group."), Length(max=32)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    username = username_field(
        "Choose a username",
        "Choose a username.",
        render_kw={"autocomplete": "username", **USERNAME_ATTRS},
        description="It does not need to be your real name. Others in your group may see it.",
    )
    password = new_password_field("Choose a password")
    confirm = PasswordField(
        "Type the password again",
        validators=[DataRequired("Type the password again."), EqualTo("password", "The two passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    """Change a password; the current one is required."""

    current = current_password_field("Current password", "Enter your current password.")
    password = new_password_field()
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("password", "The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )

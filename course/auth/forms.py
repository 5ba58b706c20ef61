"""Forms for signing in, joining with a code and changing a password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import USERNAME_ATTRS, current_password_field, new_password_field, username_field
from ..i18n import lazy_gettext as _l


class LoginForm(FlaskForm):
    """Sign in with username and password."""

    username = username_field(
        _l("Username"), _l("Enter your username."), render_kw={"autocomplete": "username", **USERNAME_ATTRS}
    )
    password = current_password_field(_l("Password"), _l("Enter your password."))


class JoinForm(FlaskForm):
    """Create a learner account with a cohort's join code: no email, no real name."""

    code = StringField(
        _l("Join code"),
        validators=[DataRequired(_l("Enter the join code from your group.")), Length(max=32)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    username = username_field(
        _l("Choose a username"),
        _l("Choose a username."),
        render_kw={"autocomplete": "username", **USERNAME_ATTRS},
        description=_l("It does not need to be your real name. Others in your group may see it."),
    )
    password = new_password_field(_l("Choose a password"))
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    """Change a password; the current one is required."""

    current = current_password_field(_l("Current password"), _l("Enter your current password."))
    password = new_password_field()
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

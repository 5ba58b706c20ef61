"""Forms of the learner's area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class DeleteAccountForm(FlaskForm):
    """Confirm deleting one's own account by typing the username and the current password."""

    username = StringField(
        "Your username",
        validators=[DataRequired("Type your username."), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Type your password."), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )

    def __init__(self, expected_username: str, **kwargs):
        super().__init__(**kwargs)
        self.username.description = f"Type {expected_username} to confirm."

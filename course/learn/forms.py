"""Forms of the learner's area."""

from __future__ import annotations

from flask_wtf import FlaskForm

from ..forms import USERNAME_ATTRS, current_password_field, username_field


class DeleteAccountForm(FlaskForm):
    """Confirm deleting one's own account by typing the username and the current password."""

    username = username_field(
        "Your username", "Type your username.", render_kw={"autocomplete": "off", **USERNAME_ATTRS}
    )
    password = current_password_field("Your password", "Type your password.")

    def __init__(self, expected_username: str, **kwargs):
        super().__init__(**kwargs)
        self.username.description = f"Type {expected_username} to confirm."

"""Form pieces shared by every area."""
from __future__ import annotations

from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from .services.passwords import MAX_LENGTH

# Browsers and password managers read these to offer the right help.
NEW_PASSWORD_ATTRS = {"autocomplete": "new-password", "minlength": 12, "maxlength": MAX_LENGTH}


def new_password_field(label: str = "New password") -> PasswordField:
    """A password field for a new password: the policy itself is checked by the accounts service."""
    return PasswordField(
        label,
        validators=[DataRequired("Enter a password."), Length(max=MAX_LENGTH, message=f"Use at most {MAX_LENGTH} characters.")],
        render_kw=NEW_PASSWORD_ATTRS,
        description="At least 12 characters. A few words in a row are easy to remember and hard to guess.",
    )

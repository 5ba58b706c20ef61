"""Forms of the learner's area."""

from __future__ import annotations

from flask_wtf import FlaskForm

from ..forms import USERNAME_ATTRS, current_password_field, username_field
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l


class DeleteAccountForm(FlaskForm):
    """Confirm deleting one's own account by typing the username and the current password."""

    username = username_field(
        _l("Your username"), _l("Type your username."), render_kw={"autocomplete": "off", **USERNAME_ATTRS}
    )
    password = current_password_field(_l("Your password"), _l("Type your password."))

    def __init__(self, expected_username: str, **kwargs):
        super().__init__(**kwargs)
        self.username.description = _("Type %(username)s to confirm.", username=expected_username)

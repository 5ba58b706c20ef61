"""Forms of the counselor's area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField

from ..i18n import lazy_gettext as _l
from ..services.caseload import INACTIVE_DAYS, CaseloadFilter


class CaseloadFilterForm(FlaskForm):
    """The caseload's filters: a GET form (no CSRF token: it changes nothing), read from the query string."""

    class Meta:
        csrf = False

    behind = BooleanField(_l("Behind on assignments (work past its due date)"))
    failed_twice = BooleanField(_l("Failed a module's quiz twice or more, not passed since"))
    # The empty choice means "any"; no Optional(): it would clear the "Not a valid choice" error of a blank " ".
    inactive = SelectField(
        _l("Inactive for"),
        default="",
        choices=[SelectChoice("", _l("Any time"))]
        + [SelectChoice(str(n), _l("%(num)d days or more", num=n)) for n in INACTIVE_DAYS],
    )

    def to_filter(self) -> CaseloadFilter:
        """The filter these fields ask for; an invalid `inactive` value is left out (and shown as an error)."""
        inactive = self.inactive.data if self.inactive.data and not self.inactive.errors else None
        return CaseloadFilter(
            behind=bool(self.behind.data),
            failed_twice=bool(self.failed_twice.data),
            inactive_days=int(inactive) if inactive else None,
        )

    def query_args(self) -> dict:
        """The filters as query-string values, for the pager's links."""
        flt = self.to_filter()
        args = {
            "behind": "y" if flt.behind else None,
            "failed_twice": "y" if flt.failed_twice else None,
            "inactive": flt.inactive_days,
        }
        return {key: value for key, value in args.items() if value}

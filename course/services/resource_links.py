"""The link rules of the programme's local resources, in one place: what phone and web address may be stored.

A phone is what a phone could dial (shown as typed, dialled through a tel: link of only + and digits);
a web address is https:// with a host, no credentials and nothing a browser might read another way.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l

PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 3, 15  # 988 or 211 … the longest international number (E.164)
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 .()\-]+")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
# Nothing a browser might read as a separator or that would need escaping in an address.
_URL_REFUSED = re.compile(r"[\s\x00-\x1f\x7f\\\"<>`]")

PHONE_MESSAGE = _l(
    "Enter a phone number: %(min)s to %(max)s digits, with an optional + at the start "
    "and spaces, dashes, dots or brackets between them (for example 988 or (555) 010-0199).",
    min=PHONE_DIGITS_MIN,
    max=PHONE_DIGITS_MAX,
)
URL_MESSAGE = _l(
    "Enter a web address that starts with https:// and names a site, for example https://example.org/naloxone."
)


def phone_problem(phone: str) -> str | None:
    """What is wrong with a phone number as typed, or None when it is plausible."""
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE_CHARACTERS.fullmatch(phone) or not PHONE_DIGITS_MIN <= digits <= PHONE_DIGITS_MAX:
        return str(PHONE_MESSAGE)
    return None


def tel_href(phone: str) -> str:
    """The tel: link for a checked phone number: a leading + if typed, then only the digits."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"tel:{'+' if phone.startswith('+') else ''}{digits}"


def url_problem(url: str) -> str | None:
    """What is wrong with a web address, or None for https:// with a host (no credentials, no spaces)."""
    if _URL_REFUSED.search(url) or not url.lower().startswith("https://"):
        return str(URL_MESSAGE)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number in range
    except ValueError:
        return str(URL_MESSAGE)
    if "@" in parts.netloc:
        return _("Leave the user name and password out of the web address.")
    if not parts.hostname or not _HOST.fullmatch(parts.hostname):
        return str(URL_MESSAGE)
    return None

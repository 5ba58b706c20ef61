"""Where a form may send a person back to: only a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only a path on this site may be a redirect target (after sign-in, after the language switch); none with
    control characters.

    (A CR/LF in a Location header is refused by Werkzeug: it was a 500 just after signing in.)
    """
    if not target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target

"""The page number of every paged list, read from the query string in one place."""

from __future__ import annotations

from flask import request

# A page number is clamped: a huge one would be a huge OFFSET, which the database refuses
# (SQLite and PostgreSQL both stop at 64-bit integers) instead of an empty page.
MAX_PAGE = 100_000


def requested_page() -> int:
    """The `page` query value, kept between 1 and MAX_PAGE; a missing or non-numeric value is page 1."""
    value = request.args.get("page", type=int)
    return min(max(value or 1, 1), MAX_PAGE)

"""A bare "hello" endpoint for bench/: the same app and server, no database, no template.

Registered only when BENCH_HELLO is set (bench/run.py sets it), so it never exists otherwise.
"""

from __future__ import annotations

from flask import Blueprint

from .access import public

bp = Blueprint("bench_hello", __name__)


@bp.route("/bench/hello")
@public
def hello():
    """The floor the lesson page is compared with: the whole request path, no work."""
    return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}

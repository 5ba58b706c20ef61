"""Signing in and out, joining with a code, changing a password."""

from .views import bp

__all__ = ["bp"]

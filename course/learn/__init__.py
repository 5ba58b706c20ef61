"""The learn area."""
from .views import bp

__all__ = ["bp"]

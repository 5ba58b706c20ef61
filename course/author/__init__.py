"""The authoring area: courses edited in the browser, checked on every save, published by a clinical reviewer."""

from . import publishing  # noqa: F401  registers its routes on bp
from .views import bp

__all__ = ["bp"]

"""Entry point for any WSGI server: `gunicorn wsgi:app`."""

from course import create_app

app = create_app()

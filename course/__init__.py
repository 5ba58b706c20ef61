"""The course engine: create_app builds the Flask application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from .config import PROJECT_ROOT, Config, check_production_safety
from .models.base import MAX_ID
from .requests import CourseRequest


def create_app(config: type | dict[str, Any] | None = None) -> Flask:
    """Build the app: config → extensions → content → blueprints → errors → CLI."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    _configure(app, config)
    _init_extensions(app)
    _init_content(app)
    _register_blueprints(app)
    _register_hooks(app)
    return app


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route stops at the largest INTEGER id: a forged huge id is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _configure(app: Flask, config: type | dict[str, Any] | None) -> None:
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    check_production_safety(app.config)
    app.request_class = CourseRequest
    app.url_map.converters["int"] = DatabaseId
    Path(app.instance_path).mkdir(exist_ok=True)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    from . import database, i18n
    from .extensions import csrf, db, limiter, login_manager

    database.init_app(app)
    if app.config["DB_MIGRATIONS"]:  # `flask db`; a server leaves out alembic (~11 MiB a worker)
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from .auth import session_loader  # noqa: F401  registers the user loader


def _init_content(app: Flask) -> None:
    from .services import course_library

    course_library.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .author import bp as author_bp
    from .counsel import bp as counsel_bp
    from .facilitate import bp as facilitate_bp
    from .learn import bp as learn_bp
    from .pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(learn_bp, url_prefix="/learn")
    app.register_blueprint(facilitate_bp, url_prefix="/facilitate")
    app.register_blueprint(counsel_bp, url_prefix="/counsel")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(author_bp, url_prefix="/author")
    if app.config.get("BENCH_HELLO"):  # bench/ only: a bare endpoint to compare pages with
        from .bench_hello import bp as bench_hello_bp

        app.register_blueprint(bench_hello_bp)


def _register_hooks(app: Flask) -> None:
    from . import cli, errors, security
    from .access import deny_unmarked_views, public

    public(app.view_functions["static"])
    app.before_request(deny_unmarked_views)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

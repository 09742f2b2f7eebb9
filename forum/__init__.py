"""Subtext: a discussion forum for film theories and symbolism."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from config import SECRET_KEY_HINT, from_environment
from forum.extensions import csrf, db, login_manager, migrate


def create_app(config: type | None = None) -> Flask:
    """The app, configured by `config` (default: from the environment, see config.py)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config or from_environment())
    _instance_defaults(app)
    for ext in (db, login_manager, csrf):
        ext.init_app(app)
    migrations = str(Path(app.root_path).parent / "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)

    from forum import api, cli, errors, health, limits, pagecache, security, sqlcount, web

    errors.init_app(app)
    limits.init_app(app)
    pagecache.init_app(app)
    security.init_app(app)
    health.init_app(app)
    sqlcount.init_app(app)
    web.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app


def _instance_defaults(app: Flask) -> None:
    """A SQLite database and a generated SECRET_KEY in the instance folder, unless given.
    In production the key must come from the environment, the same on every node."""
    if app.config.get("PRODUCTION") and not app.config.get("SECRET_KEY"):
        raise RuntimeError(f"SUBTEXT_ENV=production needs SECRET_KEY. {SECRET_KEY_HINT}")
    if app.config.get("SQLALCHEMY_DATABASE_URI") and app.config.get("SECRET_KEY"):
        return
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "subtext.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config.get("SECRET_KEY"):
        key_file = Path(app.instance_path) / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()

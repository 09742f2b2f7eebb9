"""`make serve`: check the production settings, bring the database up to date, then hand
the process to gunicorn (gunicorn.conf.py reads WORKERS, THREADS and BIND). Never Flask's
development server. Run as `python -m forum.serve`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from config import from_environment, production_problems

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ["-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "forum:create_app()"]


def main() -> int:
    config = from_environment()
    production = getattr(config, "PRODUCTION", False)
    errors, warnings = production_problems(config) if production else ([], [])
    for message in warnings:
        print(f"warning: {message}", file=sys.stderr)
    if errors:
        print("Subtext can't serve in production yet:", file=sys.stderr)
        for message in errors:
            print(f"  - {message}", file=sys.stderr)
        return 2
    _migrate(config)
    os.chdir(ROOT)
    os.execv(sys.executable, [sys.executable, *GUNICORN])  # nosec B606


def _migrate(config) -> None:
    """What `make run` does first: every migration, so the schema matches the code."""
    from flask_migrate import upgrade

    from forum import create_app

    app = create_app(config)
    with app.app_context():
        upgrade()
        from forum.extensions import db

        db.engine.dispose()  # no connection is carried into gunicorn's workers


if __name__ == "__main__":
    sys.exit(main())

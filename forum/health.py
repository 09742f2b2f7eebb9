"""`GET /healthz` for load balancers (API.md): 200 when the database answers and Redis
(if configured) answers, else 503 naming the failing check. Cheap: one `SELECT 1` and one
PING, no session, no rate limit, never cached."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db, limiter

bp = Blueprint("health", __name__)
TIMEOUT = 1.0  # seconds a check may take before it counts as failing


@bp.get("/healthz")
@limiter.exempt
def healthz():
    checks = {"database": _database(), "redis": _redis()}
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return body, 200 if healthy else 503, {"Cache-Control": "no-store"}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("Health check: the database does not answer", exc_info=True)
        return "unreachable"
    finally:
        db.session.remove()
    return "ok"


def _redis() -> str:
    client = current_app.extensions.get("health_redis")
    if client is None:
        return "not configured"
    try:
        client.ping()
    except Exception:  # redis-py raises ConnectionError, TimeoutError, ResponseError, ...
        current_app.logger.warning("Health check: Redis does not answer", exc_info=True)
        return "unreachable"
    return "ok"


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        app.extensions["health_redis"] = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
        )
    app.register_blueprint(bp)

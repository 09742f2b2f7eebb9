"""Rate limits, named once and applied by the web site and the JSON API alike.

Each limit is a decorator for a view (`@limits.login`, `@limits.reply`, ...). Counters are
shared by scope, so a reply through the site and one through the API count together.
They live in the limiter's storage: in-process memory by default, Redis when REDIS_URL is
set (then every process and machine counts together). Over a limit, the request gets 429
with `Retry-After` in seconds, answered by forum/errors.py (API.md's JSON for /api/ paths);
a site form marked with `web.submit.keeps_form` is shown again instead, text kept.

Numbers follow Discourse's defaults: an account younger than a day gets tighter limits.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.errors import wants_json
from forum.extensions import limiter
from forum.models import utcnow

# Failed log-ins (web form and API tokens): from one address, and at one account.
LOGIN_PER_ADDRESS = "6 per minute;30 per hour"
LOGIN_PER_ACCOUNT = "6 per minute;20 per hour"
# Sign-up attempts, and accounts actually created, from one address.
SIGNUP_ATTEMPTS_PER_ADDRESS = "10 per hour"
SIGNUPS_PER_ADDRESS = "3 per day"
# Password-reset requests, from one address and for one e-mail address.
RESET_PER_ADDRESS = "5 per hour"
RESET_PER_EMAIL = "3 per hour"
# Per user; the second value is for accounts younger than NEW_ACCOUNT_AGE.
THREADS, THREADS_NEW = "1 per 15 seconds", "1 per 2 minutes;3 per day"
REPLIES, REPLIES_NEW = "1 per 5 seconds", "1 per 30 seconds;10 per day"
VOTES, VOTES_NEW = "30 per minute;500 per day", "10 per minute;100 per day"
REPORTS, REPORTS_NEW = "10 per hour;50 per day", "3 per hour;10 per day"
NEW_ACCOUNT_AGE = timedelta(days=1)

MESSAGE = "You're going too fast. Please wait a little and try again."


# --- whose attempts count together -------------------------------------------------------


def address_key() -> str:
    """The client's address (behind TRUSTED_PROXIES reverse proxies, the forwarded one)."""
    return f"address:{get_remote_address()}"


def _field(name: str) -> str:
    """A field of the submitted form or JSON body, trimmed and lower-cased."""
    value = request.form.get(name)
    if value is None:
        body = request.get_json(silent=True)
        value = body.get(name) if isinstance(body, dict) else None
    return str(value or "").strip().lower()[:254]


def account_key() -> str:
    return f"account:{_field('username')}"


def email_key() -> str:
    return f"email:{_field('email')}"


def _acting_user():
    """The API's caller (`g.api_user`, set from a bearer token or the session before the
    view runs), else the site's signed-in user, else None."""
    user = g.get("api_user")
    if user is None and current_user.is_authenticated:
        user = current_user
    return user


def user_key() -> str:
    user = _acting_user()
    return f"user:{user.id}" if user is not None else address_key()


def _anonymous() -> bool:
    return _acting_user() is None


def is_new_account() -> bool:
    """The acting user's account is younger than a day."""
    user = _acting_user()
    return user is not None and user.created_at > utcnow() - NEW_ACCOUNT_AGE


def _by_age(established: str, new: str) -> Callable[[], str]:
    return lambda: new if is_new_account() else established


# --- which answers count -----------------------------------------------------------------


def _failed(response: Response) -> bool:
    return response.status_code >= 400


def _succeeded(response: Response) -> bool:
    return response.status_code < 400


# --- the named limits: decorators for views (web and API) ---------------------------------


def _all(*decorators: Callable) -> Callable:
    def apply(view: Callable) -> Callable:
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return apply


def _shared(limit, scope: str, key_func: Callable[[], str], **kw) -> Callable:
    counted = limiter.shared_limit(
        limit, scope, key_func=key_func, methods=["POST"], error_message=MESSAGE, **kw
    )

    def apply(view: Callable) -> Callable:
        limited = counted(view)

        @wraps(limited)  # keeps the limiter's mark: stacked limits are checked once
        def checked(*args, **kwargs):
            try:
                return limited(*args, **kwargs)
            except RateLimitExceeded as err:
                if not getattr(view, "keeps_form", False) or wants_json():
                    raise
                log_breach(err)  # a site form: shown again, text kept, with the wait
                g.slow_down = seconds = retry_after()
                response = make_response(view(*args, **kwargs))
                response.headers["Retry-After"] = str(seconds)
                return response

        return checked

    return apply


login = _all(
    _shared(LOGIN_PER_ADDRESS, "login-address", address_key, deduct_when=_failed),
    _shared(LOGIN_PER_ACCOUNT, "login-account", account_key, deduct_when=_failed),
)
"""Failed log-ins, per address and per account: the log-in form and POST /api/v1/tokens."""

signup = _all(
    _shared(SIGNUP_ATTEMPTS_PER_ADDRESS, "signup-address", address_key),
    _shared(SIGNUPS_PER_ADDRESS, "signups-address", address_key, deduct_when=_succeeded),
)
"""Sign-up attempts and created accounts per address: the form and POST /api/v1/users."""

password_reset = _all(
    _shared(RESET_PER_ADDRESS, "reset-address", address_key),
    _shared(RESET_PER_EMAIL, "reset-email", email_key),
)
"""Requests for a password-reset mail, per address and per e-mail address."""

start_thread = _shared(
    _by_age(THREADS, THREADS_NEW), "start-thread", user_key,
    exempt_when=_anonymous, deduct_when=_succeeded,
)  # fmt: skip
"""Threads started per user (tighter on an account's first day)."""

reply = _shared(
    _by_age(REPLIES, REPLIES_NEW), "reply", user_key,
    exempt_when=_anonymous, deduct_when=_succeeded,
)  # fmt: skip
"""Replies per user (tighter on an account's first day)."""

vote = _shared(
    _by_age(VOTES, VOTES_NEW), "vote", user_key, exempt_when=_anonymous, deduct_when=_succeeded
)
"""Votes (and retractions) per user, on threads and replies together."""

report = _shared(
    _by_age(REPORTS, REPORTS_NEW), "report", user_key,
    exempt_when=_anonymous, deduct_when=_succeeded,
)  # fmt: skip
"""Reports filed per user (tighter on an account's first day): the form and POST /reports."""


# --- the 429 answer ----------------------------------------------------------------------


def retry_after() -> int:
    """Seconds until the limit this request broke lets one more through."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.window[0] - time.time()))


def slow_down_message(seconds: int) -> str:
    return f"{MESSAGE} (try again in {seconds} s)"


def log_breach(err: RateLimitExceeded) -> None:
    current_app.logger.info("Rate limit %s hit by %s on %s", err.description,
                            get_remote_address(), request.path)  # fmt: skip


def init_app(app: Flask) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    limiter.init_app(app)

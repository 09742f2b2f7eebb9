"""Rate limits, named once and applied by the web site and the JSON API alike.

Each limit is a decorator for a view (`@limits.login`, `@limits.reply`, ...). Counters are
shared by scope, so a reply through the site and one through the API count together.
They live in the limiter's storage: in-process memory by default, Redis when REDIS_URL is
set (then every process and machine counts together). Over a limit, the request gets 429
with `Retry-After` in seconds, answered by forum/errors.py (API.md's JSON for /api/ paths);
a site form marked with `web.submit.keeps_form` is shown again instead, text kept.

The numbers are settings (config.py, each overridable by an environment variable of the
same name); they follow Discourse's defaults: a new account gets tighter limits.
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

from forum import submitted
from forum.errors import wants_json
from forum.extensions import limiter
from forum.models import utcnow

MESSAGE = "You're going too fast. Please wait a little and try again."


# --- whose attempts count together -------------------------------------------------------


def address_key() -> str:
    """The client's address (behind TRUSTED_PROXIES reverse proxies, the forwarded one)."""
    return f"address:{get_remote_address()}"


def _field(name: str) -> str:
    """A field of the body, read as the view will read it, trimmed and lower-cased."""
    return str(submitted.field(name) or "").strip().lower()[:254]


def account_key() -> str:
    return f"account:{_field('username')}"


def account_address_key() -> str:
    return f"{account_key()}/{address_key()}"


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
    """The acting user's account is younger than RATELIMIT_NEW_ACCOUNT_HOURS."""
    user = _acting_user()
    young = timedelta(hours=current_app.config["RATELIMIT_NEW_ACCOUNT_HOURS"])
    return user is not None and user.created_at > utcnow() - young


def _setting(name: str) -> Callable[[], str]:
    """A limit read from the configuration at each request (config.py, environment)."""
    return lambda: current_app.config[name]


def _by_age(setting: str) -> Callable[[], str]:
    """`setting` for established accounts, `setting_NEW` for new ones."""
    return lambda: current_app.config[f"{setting}_NEW" if is_new_account() else setting]


# --- addresses an account logged in from --------------------------------------------------


def _known_key(username: str) -> str:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return f"{prefix}/known-address/{username.strip().lower()}/{address_key()}"


def remember_address(username: str) -> None:
    """Note that this account logged in from this address (kept in the limiter's storage,
    shared by every process, for RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS)."""
    if not limiter.enabled:
        return
    days = current_app.config["RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS"]
    try:
        limiter.limiter.storage.incr(
            _known_key(username), int(timedelta(days=days).total_seconds())
        )
    except Exception:  # noqa: BLE001 - storage down: the limits still count, the address is forgotten
        current_app.logger.warning("Could not note a known log-in address", exc_info=True)


def _from_known_address() -> bool:
    """The account named in this log-in logged in from this address before."""
    username = _field("username")
    if not username:
        return False
    try:
        return limiter.limiter.storage.get(_known_key(username)) > 0
    except Exception:  # noqa: BLE001 - storage down: treat the address as a stranger's
        current_app.logger.warning("Could not read known log-in addresses", exc_info=True)
        return False


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


def _shared(
    limit, scope: str, key_func: Callable[[], str], methods: tuple = ("POST",), **kw
) -> Callable:
    counted = limiter.shared_limit(
        limit, scope, key_func=key_func, methods=list(methods), error_message=MESSAGE, **kw
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
    _shared(
        _setting("RATELIMIT_LOGIN_PER_ADDRESS"), "login-address", address_key, deduct_when=_failed
    ),
    _shared(
        _setting("RATELIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS"),
        "login-account-address",
        account_address_key,
        deduct_when=_failed,
    ),
    _shared(
        _setting("RATELIMIT_LOGIN_PER_ACCOUNT"),
        "login-account",
        account_key,
        deduct_when=_failed,
        exempt_when=_from_known_address,
    ),
)
"""Failed log-ins: the log-in form and POST /api/v1/tokens. Per address, per account and
address, and (higher) per account from addresses it never logged in from; the views call
`remember_address` on success."""

current_password = _shared(
    _setting("RATELIMIT_CURRENT_PASSWORD"),
    "current-password",
    user_key,
    deduct_when=lambda response: bool(g.get("wrong_password")),
)
"""Wrong current passwords per user: the change-password and change-e-mail forms (the
views call `count_wrong_password`)."""

signup = _all(
    _shared(_setting("RATELIMIT_SIGNUP_ATTEMPTS_PER_ADDRESS"), "signup-address", address_key),
    _shared(
        _setting("RATELIMIT_SIGNUPS_PER_ADDRESS"),
        "signups-address",
        address_key,
        deduct_when=_succeeded,
    ),
)
"""Sign-up attempts and created accounts per address: the form and POST /api/v1/users."""

password_reset = _all(
    _shared(_setting("RATELIMIT_RESET_PER_ADDRESS"), "reset-address", address_key),
    _shared(_setting("RATELIMIT_RESET_PER_EMAIL"), "reset-email", email_key),
)
"""Requests for a password-reset mail, per address and per e-mail address."""

start_thread = _shared(
    _by_age("RATELIMIT_THREADS"),
    "start-thread",
    user_key,
    exempt_when=_anonymous,
    deduct_when=_succeeded,
)
"""Threads started per user (tighter on an account's first day)."""

edit_thread = _shared(
    _by_age("RATELIMIT_THREADS"),
    "start-thread",
    user_key,
    methods=("POST", "PATCH"),
    exempt_when=_anonymous,
    deduct_when=_succeeded,
)
"""Thread edits count with threads started: each keeps a revision and renders again."""

reply = _shared(
    _by_age("RATELIMIT_REPLIES"),
    "reply",
    user_key,
    exempt_when=_anonymous,
    deduct_when=_succeeded,
)
"""Replies per user (tighter on an account's first day)."""

edit_reply = _shared(
    _by_age("RATELIMIT_REPLIES"),
    "reply",
    user_key,
    methods=("POST", "PATCH"),
    exempt_when=_anonymous,
    deduct_when=_succeeded,
)
"""Reply edits count with replies: each keeps a revision and renders again."""

vote = _shared(
    _by_age("RATELIMIT_VOTES"), "vote", user_key, exempt_when=_anonymous, deduct_when=_succeeded
)
"""Votes (and retractions) per user, on threads and replies together."""

report = _shared(
    _by_age("RATELIMIT_REPORTS"),
    "report",
    user_key,
    exempt_when=_anonymous,
    deduct_when=_succeeded,
)
"""Reports filed per user (tighter on an account's first day): the form and POST /reports."""

preview = _shared(_setting("RATELIMIT_PREVIEW"), "preview", user_key)
"""Previews per user (or address): each renders up to 40,000 characters of Markdown. The
site's Preview buttons and POST /preview."""

search = _shared(_setting("RATELIMIT_SEARCH"), "search", user_key, methods=("GET",))
"""Searches per user, or per address when signed out (RATELIMIT_SEARCH): the page and
GET /search. Each is a full-text query over every board."""


def count_wrong_password() -> None:
    """This request's current password was wrong: `current_password` counts it."""
    g.wrong_password = True


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
    current_app.logger.info(
        "Rate limit %s hit by %s on %s", err.description, get_remote_address(), request.path
    )


def init_app(app: Flask) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    limiter.init_app(app)

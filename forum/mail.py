"""Sending e-mail through SMTP, configured from the environment (MAIL_* in config.py).

Mail goes out on a background thread, so a request takes as long whether or not it sent
one (a password-reset request must not tell who has an account). Without MAIL_SERVER the
mail is written to the log instead, so a development server works with no mail set up.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from email.message import EmailMessage
from logging import Logger

from flask import current_app


def send_mail(
    to: str, subject: str, body: str, headers: dict | None = None, wait: bool = False
) -> None:
    """Send a mail on a background thread; `wait` for it (a CLI command that exits next)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        current_app.logger.warning("MAIL_SERVER is not set; this mail was not sent:\n%s", message)
        return
    settings = {key: config.get(key) for key in _SETTINGS}
    thread = threading.Thread(
        target=_deliver, args=(message, settings, current_app.logger), daemon=True
    )
    thread.start()
    if wait:
        thread.join()


_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_TIMEOUT",
)


def _deliver(message: EmailMessage, settings: dict, logger: Logger) -> None:
    try:
        with smtplib.SMTP(
            settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=settings["MAIL_TIMEOUT"]
        ) as smtp:
            if settings["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if settings["MAIL_USERNAME"]:
                smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send the mail %r to %s", message["Subject"], message["To"])

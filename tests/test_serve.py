"""`make serve`: production settings that say what is missing, gunicorn settings from the
environment, and never the development server."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import config
from forum import create_app

ROOT = Path(__file__).resolve().parent.parent


def _production(**settings) -> type[config.ProductionConfig]:
    return type("Production", (config.ProductionConfig,), settings)


@pytest.mark.parametrize(
    ("secret", "problem"),
    [(None, "SECRET_KEY is not set"), ("short", "SECRET_KEY is shorter than 32 characters")],
)
def test_production_refuses_to_serve_without_a_real_secret_key(secret, problem):
    errors, _ = config.production_problems(_production(SECRET_KEY=secret))
    assert len(errors) == 1 and errors[0].startswith(problem)
    assert "export SECRET_KEY=" in errors[0]  # and says how to make one


def test_production_with_everything_set_has_nothing_to_say():
    ready = _production(
        SECRET_KEY="k" * 64,
        SQLALCHEMY_DATABASE_URI="postgresql://db/x",
        REDIS_URL="redis://r",
        BASE_URL="https://x",
        MAIL_SERVER="smtp",
    )
    assert config.production_problems(ready) == ([], [])
    warned = config.production_problems(_production(SECRET_KEY="k" * 64))[1]
    assert [w.split()[0] for w in warned] == [
        "DATABASE_URL",
        "REDIS_URL",
        "BASE_URL",
        "MAIL_SERVER",
    ]


def test_the_app_itself_will_not_start_in_production_without_a_secret_key(tmp_path):
    settings = _production(SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match="SUBTEXT_ENV=production needs SECRET_KEY"):
        create_app(settings)


def test_make_serve_from_a_clean_checkout_says_what_to_set_and_serves_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env |= {"SUBTEXT_ENV": "production", "BIND": "127.0.0.1:1"}
    done = subprocess.run(
        [sys.executable, "-m", "forum.serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "can't serve in production yet" in done.stderr
    assert "SECRET_KEY is not set" in done.stderr
    assert "warning: DATABASE_URL is not set" in done.stderr
    assert "gunicorn" not in done.stderr.lower()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"WORKERS": "3", "THREADS": "4", "BIND": "0.0.0.0:8000"},
            {"workers": 3, "threads": 4, "worker_class": "gthread", "bind": "0.0.0.0:8000"},
        ),
        (
            {"HOST": "127.0.0.1", "PORT": "5005", "THREADS": "1"},
            {"threads": 1, "worker_class": "sync", "bind": "127.0.0.1:5005"},
        ),
    ],
)
def test_gunicorn_takes_its_settings_from_the_environment(monkeypatch, env, expected):
    for name in ("WORKERS", "THREADS", "BIND", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert {name: settings[name] for name in expected} == expected
    assert settings["workers"] >= 2

"""The yardstick: a bare Flask "hello world", served by gunicorn from the same venv with the
same settings as the forum, in the same `make bench` run."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"

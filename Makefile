# Subtext. `make run` serves the forum for development, `make serve` for production (gunicorn);
# `make test` runs every test; `make bench` measures the served forum (QUICK=1: a few minutes).
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app forum
HOST   ?= 127.0.0.1
PORT   ?= 5000
export HOST PORT

.PHONY: run serve test lint bench screenshots clean
.DEFAULT_GOAL := run

$(VENV)/.stamp: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[postgres,redis]'
	touch $@

$(VENV)/.dev-stamp: $(VENV)/.stamp pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.stamp
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Subtext is at http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production: gunicorn (WORKERS, THREADS, BIND; see gunicorn.conf.py), SUBTEXT_ENV=production
# unless set otherwise, migrations first. It says what to set if something is missing.
serve: $(VENV)/.stamp
	SUBTEXT_ENV=$${SUBTEXT_ENV:-production} $(PY) -m forum.serve

lint: $(VENV)/.dev-stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r forum config.py --severity-level high -q
	$(VENV)/bin/lint-imports --no-cache

# The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set, each
# spread over one pytest-xdist worker per core (a database of its own each: see conftest).
XDIST ?= -n auto --dist loadgroup
test: lint node_modules/.stamp
	env -u TEST_DATABASE_URL $(PY) -m pytest $(XDIST)
	if [ -n "$$TEST_DATABASE_URL" ]; then $(PY) -m pytest $(XDIST); fi

# The served forum under wrk (Debian's `wrk`), beside a bare Flask hello-world; writes
# bench/results.{json,md,png}. QUICK=1: small data, short runs. BENCH_DATABASE_URL: PostgreSQL.
bench: $(VENV)/.dev-stamp
	BENCH_QUICK=$(QUICK) $(PY) -m bench

# The README's pictures: the main pages in both themes and at 360 px, drawn by the browser
# tests' machinery (tests/browser/site.py) in Debian's Chromium, into docs/screenshots/.
screenshots: $(VENV)/.dev-stamp node_modules/.stamp
	env -u TEST_DATABASE_URL SCREENSHOTS=docs/screenshots $(PY) -m pytest -q -p no:randomly tests/browser/test_screenshots.py

clean:
	rm -rf $(VENV) instance test-results

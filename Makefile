# tinnhiem: `make run` serves the app with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
STAMP := $(VENV)/.installed
# Development default for manage.py, tests and lint (also the settings' own default).
# `make run` serves with DEBUG off (below).
export DEBUG ?= true

.PHONY: install run test test-faults bench bench-close screenshots document-images lint format migrations-check messages clean

install: $(STAMP)

# Re-installs only when a requirements file changed. XStatic-Bootstrap ships only an sdist whose
# build needs setuptools and wheel, so those are pinned here and the build uses them directly.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check setuptools==80.9.0 wheel==0.45.1
	$(PIP) install --quiet --disable-pip-version-check --no-build-isolation -r requirements-dev.txt
	touch $(STAMP)

# The audit chain's key (required with DEBUG off) is kept in var/ like the secret key, and every
# step below signs and verifies with it: migrate, the demo data and the server.
run: export AUDIT_KEY_FILE ?= var/audit_key
run: install
	@mkdir -p var
	@test -s $(AUDIT_KEY_FILE) || (umask 077; $(PY) -c "import secrets; print(secrets.token_urlsafe(48))" > $(AUDIT_KEY_FILE))
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo
	@# gunicorn.conf.py's when_ready prints where to go once the server listens.
	@test -s var/secret_key || (umask 077; $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	DEBUG=false SECRET_KEY_FILE=var/secret_key ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1} \
		$(VENV)/bin/gunicorn tinnhiem.wsgi -c gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

test: install
	$(VENV)/bin/pytest

# The server killed mid-stream (SIGKILL): real gunicorn, a fresh database. Not in `make test`.
test-faults: install
	$(VENV)/bin/pytest -m faults tests/faults

# The browser tests, saving their pictures into docs/screenshots/ for the README.
screenshots: install
	E2E_SCREENSHOTS=1 $(VENV)/bin/pytest tests/e2e

# One example of every document (minutes per regime and procedure, the documents after the count,
# both paper ballot forms, the slips) as PNG page images in docs/documents/, from a throwaway
# SQLite database; needs pdftoppm (poppler-utils).
document-images: install
	$(PY) bin/document-images

# Load, tally and document timings against real gunicorns (on PostgreSQL also two behind
# Debian's nginx, which it starts itself); writes docs/benchmarks.md. About 15 minutes;
# BENCH_CASTS=300 for a quick run, the other knobs are in bench/run.py.
bench: install
	$(PY) bench/run.py

# How long closing a session blocks other sessions voting on the same PostgreSQL (VACUUM FULL).
bench-close: install
	$(PY) bench/close_compaction.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	bin/audit-deps

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext; the compiled .mo files are committed so installs do not.
messages: install
	$(PY) manage.py makemessages -l vi --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

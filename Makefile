# glasoterapi.no — `make run` to serve the site locally, `make test` for the suite.
# Only python3 (3.11 or newer) and make are assumed; the HTML check and Lighthouse
# also need npm and Java (without them the HTML test skips locally, and make bench
# reports Lighthouse as not measured).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PYTEST_ARGS ?=
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint serve bench drills install install-dev install-checks prepare lock clean

help:
	@echo "make run    install, migrate, load demo content and serve http://127.0.0.1:8000"
	@echo "make test   install test tools and run lint and the whole test suite"
	@echo "make serve  the production-like stack locally (gunicorn, DEBUG=False)"
	@echo "make bench  benchmark that stack with wrk (~3 min); writes bench/RESULTS.md"
	@echo "make drills load and fault drills on PostgreSQL (~2 min; needs DATABASE_URL);"
	@echo "            DRILLS=\"load mail db worker job proxy\" picks some; writes drills/RESULTS.md"
	@echo "make lock   re-resolve requirements*.lock from pyproject.toml"
	@echo "make install-checks  npm ci: the HTML checker and Lighthouse (needs npm, Java)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed: make PYTHON=python3.12 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamps make a second run skip the install unless a lock file changed.
$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The HTML checker (vnu-jar, run with Java) and Lighthouse, exactly as locked, for the
# test suite and `make bench`. --ignore-scripts: vnu-jar's postinstall would download
# a Java runtime; we use the machine's (Java 11+). Without npm this is skipped, and
# the tests that need it skip locally (and fail in CI).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the HTML check and Lighthouse are not installed"; fi

install-checks: node_modules/.installed

prepare: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput --verbosity 0

# `make run PORT=8765` serves elsewhere; links in the mails follow (SITE_URL).
PORT ?= 8000
run: prepare
	@echo ""
	@echo "  glasoterapi.no runs at http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	@echo "  Staff user for /admin/:  $(PY) manage.py createsuperuser"
	@echo ""
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

test: lint install-checks
	$(PY) -m pytest $(PYTEST_ARGS)

# Production-like: gunicorn, DEBUG=False, whitenoise, on plain HTTP at 127.0.0.1,
# with a demo business identity (production has no default; `check --deploy`).
SERVE_ENV := DEBUG=False ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY=$${SECRET_KEY:-local-serve-$$(cat $(VENV)/.serve-secret)} \
	SECURE_SSL_REDIRECT=False SECURE_HSTS_SECONDS=0 \
	BUSINESS_LEGAL_NAME="Glasoterapi Demo AS" BUSINESS_ORGNR=123456785 \
	BUSINESS_ADDRESS="Eksempelveien 1, 0150 Oslo" BUSINESS_PHONE="+47 12 34 56 78" \
	BUSINESS_EMAIL=post@glasoterapi.no \
	PRIVACY_EMAIL_PROVIDER="Demo E-post AS, Norge" \
	PRIVACY_ACCOUNTING_SYSTEM="Demo Regnskap AS, Norge" \
	PRIVACY_ERASURE_JOURNAL=$${PRIVACY_ERASURE_JOURNAL:-$(CURDIR)/erasure-journal.jsonl}

$(VENV)/.serve-secret: | $(PY)
	$(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

serve: prepare $(VENV)/.serve-secret
	$(SERVE_ENV) $(VENV)/bin/gunicorn -c glasoterapi/gunicorn.conf.py

# Its own temporary database and static files: never the developer's db.sqlite3.
bench: install install-checks
	$(PY) bench/run.py

# Scratch databases next to DATABASE_URL's (dropped afterwards), never its own data.
DRILLS ?=
drills: install-dev
	$(PY) -m drills $(DRILLS)

lock: install-dev
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes --extra dev -o requirements-dev.lock

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache

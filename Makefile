# Two commands set everything up on a fresh machine with Python 3.11+: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Tests never need a real secret; production refuses to start without DJANGO_SECRET_KEY.
TEST_ENV := DJANGO_SECRET_KEY=test-only-not-a-secret

.PHONY: run test lint format migrations-check messages demo reset bench browser-tools

# The browser tests' quality gates (axe-core, vnu.jar) come from the npm registry, pinned by
# tests/browser/package-lock.json. --ignore-scripts: vnu-jar's install script would download
# a Java runtime; the machine's java is used instead. Without npm the gates are skipped
# (failed in CI); Chromium itself comes from Debian (apt-get install chromium, see .ci/run).
BROWSER_TOOLS := tests/browser/node_modules/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=on $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=on $(PY) manage.py load_demo
	@echo ""
	@echo "  Create an account for the workspace and the admin:"
	@echo "    DJANGO_DEBUG=on $(PY) manage.py createsuperuser"
	@echo "  (or an official: add the user to the group ward_officials in /admin/)"
	@echo ""
	DJANGO_DEBUG=on $(PY) manage.py runserver 127.0.0.1:8000

$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		if (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); then \
			touch $(BROWSER_TOOLS); \
		elif [ -n "$$CI" ]; then \
			echo "npm ci in tests/browser failed" >&2; exit 1; \
		else \
			echo "npm ci in tests/browser failed: the browser quality gates will be skipped"; \
		fi; \
	else \
		echo "npm not found: the browser quality gates (axe-core, vnu.jar) will be skipped"; \
	fi

browser-tools: $(BROWSER_TOOLS)

test: $(STAMP) $(BROWSER_TOOLS)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

migrations-check: $(STAMP)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate and compile the English catalogue (source strings are Vietnamese).
messages: $(STAMP)
	$(TEST_ENV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench
	$(TEST_ENV) $(PY) manage.py compilemessages -l en --ignore=.venv

# The benchmark (bench/README.md): PostgreSQL, gunicorn, wrk. Not part of `make test`.
# Seeds BENCH_DATABASE_URL at province scale first if it holds no benchmark data. bench/run.py
# runs everything under bench.settings (the site's settings plus the bench app and the floor).
BENCH_DATABASE_URL ?= postgres://root@127.0.0.1:5432/bench_province
bench: $(STAMP)
	$(PY) bench/run.py --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)

# Throw away the local SQLite database and load the demo again.
reset: $(STAMP)
	rm -f db.sqlite3
	DJANGO_DEBUG=on $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=on $(PY) manage.py load_demo

# Two commands set everything up on a fresh machine with Python 3.11+: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What is installed comes from the locks (exact versions with hashes); the project itself is
# installed without dependencies. `make lock` regenerates them after pyproject.toml changes.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-test
PIP_TOOLS := pip-tools==7.7.0
LOCK_VENV := .venv-lock
# Tests never need a real secret; production refuses to start without DJANGO_SECRET_KEY.
TEST_ENV := DJANGO_SECRET_KEY=test-only-not-a-secret

.PHONY: lock run test lint format migrations-check messages demo reset bench browser-tools

# The browser tests' quality gates (axe-core, vnu.jar) come from the npm registry, pinned by
# tests/browser/package-lock.json. --ignore-scripts: vnu-jar's install script would download
# a Java runtime; the machine's java is used instead. Without npm the gates are skipped
# (failed in CI); Chromium itself comes from Debian (apt-get install chromium, see .ci/run).
BROWSER_TOOLS := tests/browser/node_modules/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.lock pyproject.toml setup.py | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

$(STAMP): requirements-test.lock pyproject.toml setup.py | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP) $(RUN_STAMP)

# Regenerate both locks from pyproject.toml (the newest versions its ranges allow), with hashes.
# The tool lives in its own venv so that it never changes what the project runs with.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet '$(PIP_TOOLS)'; }
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links \
		--extra sentry --extra s3 -o requirements.lock pyproject.toml
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links \
		--extra sentry --extra s3 --extra test -o requirements-test.lock pyproject.toml

run: $(RUN_STAMP)
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

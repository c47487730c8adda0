# Laurel: `make demo` to try it, `make test` to check it, `make bench` to measure it.
# `make lint`: ruff, migrations, the import contract and mypy; `make check`: lint, then the suite
# without the browser tests.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
LINT_STAMP  := $(VENV)/.installed-lint

.PHONY: demo test check install serve migrate seed lint bench faults clean e2e-deps pdf-deps

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,demo]"
	touch $(STAMP)

install: $(STAMP)

$(LINT_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,demo,lint]"
	touch $(LINT_STAMP)

$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,demo,bench]"
	touch $(BENCH_STAMP)

# Its own database on the PostgreSQL server at 127.0.0.1:5432 (created and dropped by the run);
# BENCH_SCALE=small for a check in under a minute. Figures go to bench/results/latest.json.
bench: $(BENCH_STAMP)
	$(PY) -m bench

# The fault run (bench/faults.py, about 2 minutes): a PostgreSQL cluster of its own (never the
# server on 5432), gunicorn on 127.0.0.1, a reviewer's day under load while PostgreSQL restarts,
# a worker is killed and the evidence storage refuses writes; exits 1 if anything is lost,
# doubled or half-written, or audit_verify fails.
faults: $(BENCH_STAMP)
	$(PY) -m bench faults

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py audit_keygen --if-missing
	$(PY) manage.py seed_demo

# The demo serves with two-factor authentication not required (LAUREL_REQUIRE_2FA=0; every page
# says so in red): the demo's signer, secretary, inspector and admin log in with the password.
demo: seed
	@echo "Serving Laurel on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	@echo "DEMO: two-factor authentication is NOT required (LAUREL_REQUIRE_2FA=0). Never in production."
	LAUREL_REQUIRE_2FA=0 $(PY) manage.py runserver 127.0.0.1:8000

# The end-to-end tests drive Debian's Chromium (Playwright never downloads a browser here).
e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the end-to-end tests (Debian package)"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The decision and certificate PDFs (WeasyPrint) draw text with Pango (Debian package).
pdf-deps:
	@ldconfig -p | grep -q 'libpango-1.0.so' || { \
	  echo "Installing Pango for the PDF documents (Debian package)"; \
	  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

test: install e2e-deps pdf-deps
	$(PY) -m pytest

# The layers and the modules mypy checks are in pyproject.toml ([tool.importlinter], [tool.mypy]).
lint: $(LINT_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The fast suite: everything but the browser tests (tests/e2e), after the linters.
check: lint pdf-deps
	$(PY) -m pytest --ignore=tests/e2e

clean:
	rm -rf $(VENV) db.sqlite3 var .pytest_cache .mypy_cache .import_linter_cache

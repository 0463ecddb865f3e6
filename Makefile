# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

# The first interpreter that is Python 3.12 or newer (Django 6 needs it).
PYTHON := $(shell for candidate in python3 python3.13 python3.12; do \
	command -v $$candidate >/dev/null 2>&1 && \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && \
	{ echo $$candidate; break; }; done)

.PHONY: run test lint fixtures bench clean check-python

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed (tried python3, python3.13, python3.12)." >&2; \
		echo "Install it, or with pyenv run 'pyenv install 3.12' in this folder." >&2; \
		exit 1; \
	fi

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	@echo "== Installing the Python packages into $(VENV) (once; 20 s to a few minutes, by the connection)"
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# Each long step says first what it does and how long it takes on the 2-core development machine (README).
run: $(VENV)/.installed-runtime
	@echo "== Database tables and the source documents (a few seconds)"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_documents
	@echo "== The HPO catalogue, about 12,000 diseases (first start: about a minute, 77 s on a busy machine; later starts: seconds)"
	$(BIN)/python manage.py import_hpo --skip-current
	@echo "== The open disease data: Orphanet, Disease Ontology, Mondo (first start: under a minute, 43 s on a busy machine; later: seconds)"
	$(BIN)/python manage.py import_open_data --skip-current
	@echo "== Static files, compressed (a few seconds)"
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "== Serving on http://127.0.0.1:$(PORT)/ (Ctrl+C stops)"
	PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py gard.wsgi

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

fixtures: $(VENV)/.installed-runtime
	$(BIN)/python manage.py build_fixtures

# fixtures/open_data/ from a data folder laid out as shared/data (../shared/data by default; SOURCE=… for another).
.PHONY: open-data
open-data: $(VENV)/.installed-runtime
	$(BIN)/python manage.py build_open_data $(if $(SOURCE),--source $(SOURCE))

bench: $(VENV)/.installed-runtime
	$(BIN)/python bench/benchmark.py

# gunicorn under wrk on 127.0.0.1: cached pages, a static file, a trivial view (about 5 minutes).
.PHONY: load
load: $(VENV)/.installed-runtime
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# The symptom finder on 500 simulated patients, with two baselines, and its speed (a few minutes).
# Reads the catalogue `make run` imported (db.sqlite3, or DATABASE_URL / SQLITE_PATH).
.PHONY: finder-bench
finder-bench: $(VENV)/.installed-runtime
	$(BIN)/python bench/finder_quality.py

# Search as families type it (bench/family_queries*.tsv): top 1 and top 3 by kind, and search speed.
# Reads the catalogue `make run` imported (db.sqlite3, or DATABASE_URL / SQLITE_PATH).
.PHONY: search-bench
search-bench: $(VENV)/.installed-runtime
	$(BIN)/python bench/family_search.py

# hpo3 in its own environment (its module is also named pyhpo): bench/hpo3_ranks.py, the baseline of bench/finder_cases.py.
HPO3_VENV := .venv-hpo3

$(HPO3_VENV)/.installed: | check-python
	$(PYTHON) -m venv $(HPO3_VENV)
	$(HPO3_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HPO3_VENV)/bin/pip install --quiet hpo3==1.5.1
	touch $@

# The symptom finder on published patient cases (../shared/data/phenopackets), with hpo3 as a baseline.
.PHONY: finder-cases
finder-cases: $(VENV)/.installed-runtime $(HPO3_VENV)/.installed
	$(BIN)/python bench/finder_cases.py

# Lighthouse, the Nu HTML Checker and pa11y on ten pages of the site built with the sample catalogue (a
# temporary SQLite, never db.sqlite3), at 375 px and on a desktop; reports in build/audit/ (about 6 minutes).
# Needs Node.js 20 or newer, npm, Java and Chromium (Debian: nodejs npm default-jre-headless chromium); the tools' exact
# versions are in bench/audit/package-lock.json. Their install scripts only download browsers and Java: skipped.
AUDIT_TOOLS := bench/audit/node_modules

$(AUDIT_TOOLS)/.installed: bench/audit/package.json bench/audit/package-lock.json
	@node -e 'process.exit(parseInt(process.versions.node) < 20 ? 1 : 0)' 2>/dev/null || { \
		echo "error: the audit needs Node.js 20 or newer (pa11y 9), and npm; found: $$(node --version 2>&1)" >&2; exit 1; }
	@echo "== Installing the audit's tools into $(AUDIT_TOOLS) (once; about a minute)"
	cd bench/audit && PUPPETEER_SKIP_DOWNLOAD=true npm ci --ignore-scripts --no-audit --no-fund
	touch $@

.PHONY: audit
audit: $(VENV)/.installed-runtime $(AUDIT_TOOLS)/.installed
	$(BIN)/python bench/site_audit.py

# Lighthouse's mobile performance on the heaviest disease pages, 5 runs each, medians (about 10 minutes).
# Reads the catalogue `make run` imported; uses the Lighthouse that `make audit` installs.
.PHONY: phone-bench
phone-bench: $(VENV)/.installed-runtime $(AUDIT_TOOLS)/.installed
	$(BIN)/python bench/phone_pages.py

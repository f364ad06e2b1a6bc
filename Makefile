# The README's commands. Every target installs what it needs first and is quick the second time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install migrate demo bench messages catalogues

run: install migrate ## Install, migrate, load the guides and serve on http://127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install migrate ## Create the demo user (demo / acupressure-demo) with 130 sessions (10 in a finished experiment), then serve
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Tests run in parallel, one pytest-xdist worker per core (each its own database and live server).
# --dist worksteal: an idle worker takes queued tests from a busy one, so the long browser crawls
# (English and Spanish) do not leave one worker finishing alone.
PYTEST_WORKERS ?= auto

test: install ## Run the whole test suite in parallel (browser tests need /usr/bin/chromium)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install ## Check style and formatting with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

install: $(VENV)/.installed node_modules/.installed catalogues

# The translations (locale/<language>/LC_MESSAGES/django.po), compiled with polib: no gettext needed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
catalogues: $(CATALOGUES)

locale/%.mo: locale/%.po $(VENV)/.installed
	$(BIN)/python manage.py compile_catalogues

# Collect every marked string (templates, Python, and the JavaScript's strings, which live in
# acupressure/js_strings.py) into each language's catalogue. Needs GNU gettext (apt install gettext).
messages: install ## Update locale/*/LC_MESSAGES/django.po from the marked strings (needs gettext)
	$(BIN)/python manage.py makemessages --all --add-location=file --extension=html,txt,py,svg --ignore=node_modules --ignore=tests --ignore=benchmarks --ignore=staticfiles --ignore=build

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

migrate: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_guides

bench: install ## Measure pages in process and over HTTP on SQLite and PostgreSQL (benchmarks/results.md)
	$(BIN)/python -m benchmarks

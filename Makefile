# The README's two commands are `make run` and `make test`; everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
RUNTIME_APT := libharfbuzz-subset0 fonts-noto-cjk
TEST_APT := chromium poppler-utils zbar-tools gettext
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: run test worker beat lint bench venv deps dev-deps apt-runtime apt-test migrate demo messages clean

$(PY):
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || ! $(PYTHON) -c "import ensurepip" >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3.11-venv; \
	  else echo "Install the venv module: sudo apt-get install python3.11-venv"; exit 1; fi; fi
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

venv: $(PY)

$(VENV)/.deps: requirements.txt | $(PY)
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q -r requirements-dev.txt
	@touch $(VENV)/.deps $@

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Debian packages: installed when missing and running as root; otherwise the exact command is printed.
define apt_ensure
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages; run: sudo apt-get install -y$$missing"; fi; fi
endef

apt-runtime:
	$(call apt_ensure,$(RUNTIME_APT))

apt-test:
	$(call apt_ensure,$(RUNTIME_APT) $(TEST_APT))

migrate: deps
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

run: apt-runtime deps demo
	@echo "Serving http://$(HOST):$(PORT)/  (demo logins are listed above)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: apt-test dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=lms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=lms.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

worker: deps
	$(VENV)/bin/celery -A lms worker --loglevel=info --concurrency=$${CONCURRENCY:-2}

beat: deps
	$(VENV)/bin/celery -A lms beat --loglevel=info

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint

bench: dev-deps
	$(PY) -m bench $(if $(QUICK),--quick,)

# Regenerate the Chinese catalogue from the code and the fragments in locale/fragments, then compile it.
messages: dev-deps
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=media
	$(PY) scripts/fill_translations.py
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv --ignore=bench

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .test-media .pytest_cache

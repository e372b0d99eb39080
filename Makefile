# The two commands: `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
NPM_STAMP := node_modules/.package-lock.json

.PHONY: run test setup messages translations static lint screenshots bench clean

run: setup ## set up, start services, migrate, seed the demo district, serve
	$(BIN)/python scripts/portal.py run

test: setup ## set up the same way and run the whole suite
	$(BIN)/python scripts/portal.py test

setup: $(STAMP) $(NPM_STAMP) messages static

# Browser libraries (ECharts) are installed from package-lock.json, never committed; npm ci
# runs again whenever node_modules is missing or the lock file changed.
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,embedded]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

messages: $(STAMP)
	$(BIN)/django-admin compilemessages -v 0 --ignore=.venv --ignore=.data --ignore=node_modules

translations: $(STAMP) ## refresh locale/en/LC_MESSAGES/django.po from the code
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py makemessages -l en \
	  --no-location --ignore=.venv --ignore=.data --ignore=node_modules --ignore=tests --ignore=docs

static: $(STAMP) $(NPM_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py collectstatic --noinput -v 0

lint: setup ## what CI checks besides the tests
	$(MAKE) --no-print-directory translations >/dev/null
	$(BIN)/python scripts/check_translations.py
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/architecture_diagram.py --check
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python scripts/portal.py manage makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_DEBUG=false \
	  DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=portal.example.org \
	  PERSONAL_DATA_KEY=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  $(BIN)/python scripts/portal.py manage check --deploy --fail-level WARNING

screenshots: setup ## regenerate docs/screenshots/ with the browser (needs a CJK font)
	@fc-list :lang=zh 2>/dev/null | grep -q . || (command -v apt-get >/dev/null && \
	  { apt-get install -y fonts-noto-cjk >/dev/null 2>&1 || sudo -n apt-get install -y fonts-noto-cjk >/dev/null; }) || \
	  { echo "a Chinese font is needed for the screenshots (Debian: apt-get install fonts-noto-cjk)"; exit 1; }
	$(BIN)/python scripts/portal.py screenshots

# Benchmarks at district scale (docs/performance.md). wrk drives the load from its own process;
# BENCH_ARGS="--scale 0.01" for a quick run, "--seconds 20" for longer rows.
BENCH_ARGS ?=
bench: setup
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && \
	  { apt-get install -y wrk >/dev/null 2>&1 || sudo -n apt-get install -y wrk >/dev/null; }) || \
	  { echo "wrk is needed (Debian: apt-get install wrk)"; exit 1; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .data/staticfiles

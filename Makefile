# Baken: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
MANAGE := $(BIN)/python manage.py

.PHONY: run worker test lint format serve install clean-db translations messages types schemas contract

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-test.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed translations

# --- translations of Baken's own admin texts (cms/locale/; see cms/catalogues.py) -----------------
# The .mo files are committed and compiled in Python (polib): no gettext tools needed. They are
# rebuilt whenever their .po file changes, so run, test and serve always use the current texts.
TRANSLATION_LANGUAGES := nl fr
MO_FILES := $(foreach language,$(TRANSLATION_LANGUAGES),cms/locale/$(language)/LC_MESSAGES/django.mo)

translations: $(MO_FILES)

cms/locale/%/LC_MESSAGES/django.mo: cms/locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=baken.settings.dev $(MANAGE) compile_translations

# `make messages`: extract new or changed texts from cms/ into the .po files (this step needs GNU
# gettext: apt-get install gettext), then translate them there and compile.
messages: $(VENV)/.installed
	@command -v xgettext >/dev/null && command -v msgmerge >/dev/null || { \
		echo "make messages: extracting texts needs GNU gettext (xgettext, msgmerge), e.g. apt-get install gettext." >&2; \
		echo "  Compiling them (make translations, manage.py compile_translations) does not." >&2; \
		exit 2; \
	}
	cd cms && DJANGO_SETTINGS_MODULE=baken.settings.dev ../$(BIN)/python ../manage.py makemessages \
		$(foreach language,$(TRANSLATION_LANGUAGES),-l $(language)) --add-location file --no-obsolete \
		-i "demo/content/*" -i "migrations/*"
	@echo "Translate the new or changed entries in cms/locale/*/LC_MESSAGES/django.po (and remove 'fuzzy'),"
	@echo "then run: make translations"

# The reference campaign page (reference-site/), on an origin of its own: the next port.
REFERENCE_PORT ?= $(shell echo $$(( $(PORT) + 1 )))

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_dev_admin --base-url http://127.0.0.1:$(PORT)
	$(MANAGE) ensure_reference_channel --origin http://127.0.0.1:$(REFERENCE_PORT)
	@echo "Serving Baken on http://127.0.0.1:$(PORT)/ (admin: /admin/, API: /api/v1/), webhook worker beside it"
	@$(MANAGE) webhook_worker & worker=$$!; \
		$(BIN)/python reference-site/serve.py --port $(REFERENCE_PORT) --api http://127.0.0.1:$(PORT) & site=$$!; \
		trap 'kill $$worker $$site 2>/dev/null; wait $$worker $$site 2>/dev/null' EXIT INT TERM; \
		BAKEN_PREVIEW_CLIENT_URLS=default=http://127.0.0.1:$(REFERENCE_PORT)/ $(MANAGE) runserver 127.0.0.1:$(PORT)

# `make worker`: the webhook worker alone (production runs it as a service; docs/webhooks.md).
worker: install
	$(MANAGE) webhook_worker

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy api cms/opening_hours.py
	DJANGO_SETTINGS_MODULE=baken.settings.test $(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `make types`: the TypeScript declarations of the public objects, from the OpenAPI document
# (api/embed/baken-api.d.ts; needs npm; tests/test_embed_module.py checks they are current).
OPENAPI_TYPESCRIPT := openapi-typescript@7.13.0
types: install
	npx --yes $(OPENAPI_TYPESCRIPT) tests/snapshots/openapi.json -o api/embed/baken-api.d.ts

# `make schemas`: the published JSON Schemas (schemas/v1/*.json, served at /api/v1/schemas/) from
# the serializers' OpenAPI document (api/json_schemas/; tests/test_json_schemas.py checks they are
# current). `manage.py export_schemas --check` only checks.
schemas: install
	DJANGO_SETTINGS_MODULE=baken.settings.dev $(MANAGE) export_schemas

# `make contract`: after changing the API contract (api/serializers.py, a view's declared
# responses, api/schema.py), regenerate everything derived from it: the OpenAPI snapshot, the
# JSON Schemas and the TypeScript declarations (needs npm). Then review the diff and commit it.
contract: install
	BAKEN_UPDATE_SNAPSHOTS=1 $(BIN)/pytest -q tests/test_openapi_snapshot.py
	$(MAKE) schemas types

clean-db:
	rm -f db.sqlite3

# --- production server, benchmark, load test (docs/performance.md) --------------------------------
# `make serve`: gunicorn with the production settings, $(SERVE_WORKERS) workers (2 × CPUs + 1) of
# 4 threads each (SERVE_THREADS to change), configured by baken/gunicorn_conf.py (threaded workers:
# clients pausing between requests hold no worker; docs/performance.md);
# static files collected and served by whitenoise. Configuration comes from the environment only:
# DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and WAGTAILADMIN_BASE_URL
# (plus the optional ones in baken/settings/). Behind a TLS proxy, which must set X-Forwarded-Proto;
# to try it over plain HTTP on this machine, also set DJANGO_SECURE_SSL_REDIRECT=false.
SERVE_SETTINGS ?= baken.settings.production
SERVE_WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
SERVE_COLLECTSTATIC ?= 1
SERVE_REQUIRED_ENV := DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS DATABASE_URL REDIS_URL WAGTAILADMIN_BASE_URL
GUNICORN_ARGS ?=

.PHONY: bench loadtest

serve: install
	@missing=""; for name in $(SERVE_REQUIRED_ENV); do \
		[ -n "$$(printenv $$name)" ] || missing="$$missing $$name"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make serve: missing environment variable(s):$$missing" >&2; \
		echo "  The production server reads its configuration from the environment, e.g." >&2; \
		echo "  DATABASE_URL=postgres://USER@HOST:5432/DB REDIS_URL=redis://HOST:6379/0" >&2; \
		echo "  DJANGO_ALLOWED_HOSTS=api.example.org WAGTAILADMIN_BASE_URL=https://api.example.org" >&2; \
		echo "  DJANGO_SECRET_KEY=<a long random string>   (see docs/performance.md)" >&2; \
		exit 2; \
	fi
	@if [ "$(SERVE_COLLECTSTATIC)" != 0 ]; then \
		DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(MANAGE) collectstatic --noinput --verbosity 0; \
	fi
	@out=$$(DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(MANAGE) migrate --check --noinput 2>&1) || { \
		if echo "$$out" | grep -q "Error"; then \
			echo "$$out" | tail -n 3 >&2; \
			echo "make serve: cannot check the database at DATABASE_URL (see above)." >&2; \
		else \
			echo "make serve: the database has unapplied migrations; run:" >&2; \
			echo "  DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(MANAGE) migrate" >&2; \
		fi; \
		exit 2; \
	}
	@echo "Serving Baken ($(SERVE_SETTINGS), $(SERVE_WORKERS) workers$(if $(SERVE_THREADS), × $(SERVE_THREADS) threads)) on http://$(HOST):$(PORT)/"
	@exec env DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/gunicorn baken.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(SERVE_WORKERS) $(if $(SERVE_THREADS),--threads $(SERVE_THREADS)) \
		--config python:baken.gunicorn_conf \
		--error-logfile - --log-level info $(GUNICORN_ARGS)

# `make bench`: seeded benchmark against Wagtail API v2 and the stack's ceiling; results in
# bench/results/. Knobs: BENCH_SIZES ("100 1000 10000"), BENCH_N (1000), BENCH_DURATION (10 s), ...
bench: install
	$(BIN)/python -m bench.run

# `make loadtest`: the production server under a mixed load (LOADTEST_DURATION, LOADTEST_CONNECTIONS).
loadtest: install
	$(BIN)/python -m bench.loadtest

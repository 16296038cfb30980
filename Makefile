# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: run test lint serve serve-setup bench install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	./scripts/system-deps.sh build
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo --if-empty
	@echo
	@echo "  Raffle manager on http://127.0.0.1:$(PORT)/"
	@echo "  Log in as demo / demo-raffles"
	@echo
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

test: lint
	./scripts/system-deps.sh browser || echo "Browser tests will be skipped."
	./scripts/system-deps.sh gettext || echo "The catalog check against the code will be skipped."
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

# Translations. After adding or changing a user-facing string:
#   1. make messages   (collects every marked string into locale/es/.../django.po)
#   2. translate each new or "#, fuzzy" entry of that file, and delete the
#      "#, fuzzy" line once its msgstr is right
#   3. make messages   (compiles django.mo from the finished .po)
#   4. commit both django.po and django.mo
# rafflesite/tests/test_translations.py fails while an entry is untranslated
# or fuzzy, or while django.mo lags behind django.po. Needs GNU gettext.
MESSAGES_IGNORE := --ignore=.venv --ignore=static/vendor --ignore=staticfiles \
	--ignore=bench --ignore=*/tests/* --ignore=screenshots --ignore=node_modules

messages:
	./scripts/system-deps.sh gettext
	$(BIN)/python manage.py makemessages --locale=es --add-location=file \
		$(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages --locale=es $(MESSAGES_IGNORE)

# The app as production runs it (docs/deploy.md): gunicorn (gunicorn.conf.py)
# serving https, whitenoise, DEBUG off, every other setting from the
# environment and .env. The first run writes a random SECRET_KEY and a
# self-signed certificate for localhost to .env (scripts/serve-setup.sh).
# It starts only when `check --deploy` finds nothing, warnings included,
# with the environment gunicorn then gets. Another port:
# make serve PORT=8123.
SERVE_ENV := DEBUG=false \
	$(if $(filter command line,$(origin PORT)),BIND=127.0.0.1:$(PORT))

serve: $(VENV)/.installed serve-setup
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "  Raffle manager (production server) at the address of gunicorn's"
	@echo "  \"Listening at\" line below, https://127.0.0.1:$(PORT)/ by default."
	@echo "  The certificate is self-signed: accept the browser's warning once."
	@echo
	$(SERVE_ENV) $(BIN)/gunicorn rafflesite.wsgi -c gunicorn.conf.py

serve-setup: $(VENV)/.installed
	PYTHON=$(BIN)/python ./scripts/serve-setup.sh

clean:
	rm -rf $(VENV) staticfiles

BENCH_DATABASE_URL ?= mysql://root@127.0.0.1:3306/raffles_bench

bench: $(VENV)/.installed-dev
	./scripts/system-deps.sh bench
	case "$(BENCH_DATABASE_URL)" in *@127.0.0.1:3306/*) ./scripts/start-mariadb.sh ;; esac
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py

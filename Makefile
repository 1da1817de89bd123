# Volunteer Hub. `make run` and `make test` set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app volunteer_hub
STAMP := $(VENV)/.installed

.PHONY: run test install db clean

run: db
	@echo "Volunteer Hub on http://$(HOST):$(PORT)/ (mail is delivered in the background)"
	@VOLUNTEER_HUB_BASE_URL=$${VOLUNTEER_HUB_BASE_URL:-http://$(HOST):$(PORT)}; export VOLUNTEER_HUB_BASE_URL; \
	trap 'kill $$mailer 2>/dev/null' EXIT INT TERM; \
	$(FLASK) send-mail & mailer=$$!; \
	$(FLASK) run --host "$(HOST)" --port "$(PORT)"

db: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .coverage .pytest_cache build *.egg-info

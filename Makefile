# Volunteer Hub. `make run` and `make test` set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app volunteer_hub
STAMP := $(VENV)/.installed
# The W3C Nu HTML checker, for tests/test_html_validity.py: installed from npm
# into the git-ignored .cache/ and run with the machine's Java.
VNU_VERSION := 26.9.27
VNU_DIR := .cache/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
VNU_STAMP := $(VNU_DIR)/.installed-$(VNU_VERSION)

.PHONY: run test lint install vnu db clean

run: db
	@echo "Volunteer Hub on http://$(HOST):$(PORT)/ (mail is delivered in the background)"
	@VOLUNTEER_HUB_BASE_URL=$${VOLUNTEER_HUB_BASE_URL:-http://$(HOST):$(PORT)}; export VOLUNTEER_HUB_BASE_URL; \
	trap 'kill $$mailer 2>/dev/null' EXIT INT TERM; \
	$(FLASK) send-mail & mailer=$$!; \
	$(FLASK) run --host "$(HOST)" --port "$(PORT)"

db: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo

test: lint vnu
	VNU_JAR=$(abspath $(VNU_JAR)) $(BIN)/pytest $(PYTEST_ARGS)

# ruff: errors, bugs and import order; bandit: medium and high security
# findings (each deliberate exception is justified where it is, with nosec).
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --configfile pyproject.toml --severity-level medium --recursive volunteer_hub config.py

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

vnu: $(VNU_STAMP)

# Without npm or java (or when npm cannot install) nothing is installed and
# the HTML validity test skips, saying why; the rest of `make test` goes on.
# --ignore-scripts: the package's postinstall would fetch a Java of its own.
$(VNU_STAMP):
	@if ! command -v npm >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then \
	  echo "npm or java not found: the HTML validity test will be skipped"; \
	elif npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	      --prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION) && test -f $(VNU_JAR); then \
	  touch $@; \
	else \
	  echo "could not install vnu-jar with npm: the HTML validity test will be skipped"; \
	fi

clean:
	rm -rf $(VENV) $(VNU_DIR) .coverage .pytest_cache build *.egg-info

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
# axe-core, which the browser tests (tests/browser/) run on every page.
AXE_VERSION := 4.14.1
AXE_DIR := .cache/axe
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
AXE_STAMP := $(AXE_DIR)/.installed-$(AXE_VERSION)

.PHONY: run test lint install vnu axe db translations messages clean bench

run: db
	@echo "Volunteer Hub on http://$(HOST):$(PORT)/ (mail is delivered in the background)"
	@VOLUNTEER_HUB_BASE_URL=$${VOLUNTEER_HUB_BASE_URL:-http://$(HOST):$(PORT)}; export VOLUNTEER_HUB_BASE_URL; \
	trap 'kill $$mailer 2>/dev/null' EXIT INT TERM; \
	$(FLASK) send-mail & mailer=$$!; \
	$(FLASK) run --host "$(HOST)" --port "$(PORT)"

db: install translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo

# pytest-xdist runs the tests in one process per CPU (-n auto); pass
# PYTEST_ARGS="-n 0" for one process (to debug with --pdb, say), and
# PYTEST_ARGS=--cov for the coverage report (.ci/run does).
test: lint vnu axe translations
	VNU_JAR=$(abspath $(VNU_JAR)) AXE_JS=$(abspath $(AXE_JS)) $(BIN)/pytest -n auto $(PYTEST_ARGS)

# The browser tests, taking screenshots into build/screenshots/ as they go
# (README, "Screenshots"); .ci/run takes them in its full run.
.PHONY: screenshots
screenshots: install vnu axe translations
	VOLUNTEER_HUB_SCREENSHOTS=1 VNU_JAR=$(abspath $(VNU_JAR)) AXE_JS=$(abspath $(AXE_JS)) \
		$(BIN)/pytest -n 0 tests/browser $(PYTEST_ARGS)

# Throughput and latency under gunicorn, against a bare Flask hello world
# served the same way (bench/README.md). Needs wrk (apt-get install wrk).
# Pass options with BENCH_ARGS="--runs 3 --duration 10".
bench: install translations
	$(BIN)/python -m pip install --quiet -e '.[deploy]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Large lists under gunicorn (bench/README.md, "Large data"): the printed
# attendance list and CSV of 10,000 RSVPs, the feed of 1,000 events and its
# 304. Needs nothing but the app. Options: BENCH_ARGS="--runs 11 --profile".
.PHONY: bench-large
bench-large: install translations
	$(BIN)/python -m pip install --quiet -e '.[deploy]'
	$(BIN)/python bench/large.py $(BENCH_ARGS)

# Does what docs/deploy.md says and checks it: PostgreSQL, Redis, two
# gunicorn instances behind nginx over HTTPS, mail workers, pg_dump and
# pg_restore, flask backup, flask db upgrade; then stops and drops it all.
# Needs nginx (apt-get install nginx-light), PostgreSQL and Redis here.
.PHONY: deploy-check
deploy-check: install translations
	$(BIN)/python -m pip install --quiet -e '.[deploy]'
	$(BIN)/python deploy/check $(DEPLOY_CHECK_ARGS)

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

# Translations: compile the catalogues (.po to .mo) in translations/.
translations: install
	$(BIN)/pybabel compile -d translations -D messages --statistics
	$(BIN)/pybabel compile -d translations -D mail --statistics

# After changing texts: collect them again and merge into every catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file -o translations/messages.pot .
	$(BIN)/pybabel extract -F babel-mail.cfg --sort-by-file -o translations/mail.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages
	$(BIN)/pybabel update -i translations/mail.pot -d translations -D mail

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

axe: $(AXE_STAMP)

# Without npm the browser tests skip, saying why. Playwright drives the
# machine's Chromium (Debian's chromium package): no browser is downloaded.
$(AXE_STAMP):
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: the browser tests will be skipped"; \
	elif npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	      --prefix $(AXE_DIR) axe-core@$(AXE_VERSION) && test -f $(AXE_JS); then \
	  touch $@; \
	else \
	  echo "could not install axe-core with npm: the browser tests will be skipped"; \
	fi

clean:
	rm -rf $(VENV) $(VNU_DIR) $(AXE_DIR) .coverage .pytest_cache build *.egg-info

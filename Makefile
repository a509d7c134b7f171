# detente: `make demo` and `make test` each do the whole set-up from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= demo.db
STAMP := $(VENV)/.installed

.PHONY: install dev demo demo-data serve test lint typecheck unit browser postgres screenshots bench bench-web bench-load train clean
PORT ?= 8000
.DEFAULT_GOAL := install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Process the sample corpus into $(DB), print the events, then serve the dashboard (Ctrl-C stops).
demo: demo-data serve

demo-data: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/detente --db $(DB) ingest samples/*.txt samples/seeds  # held_out/ stays unread
	$(BIN)/detente --db $(DB) events --limit 80

serve: $(STAMP)
	$(BIN)/detente --db $(DB) serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) browser postgres
	DETENTE_REQUIRE_BROWSER=1 $(BIN)/pytest

test: lint typecheck unit

# Debian's Chromium for the end-to-end tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and fonts for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

# Debian's PostgreSQL server binaries for the store tests (each test run starts its own throw-away
# cluster on loopback in a temporary folder; no system service is started).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the store tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }

# Screenshots of every page from the demo corpus, for the README (docs/screenshots/).
screenshots: demo-data browser
	DETENTE_REQUIRE_BROWSER=1 DETENTE_E2E_DB=$(DB) DETENTE_SCREENSHOT_DIR=docs/screenshots $(BIN)/pytest tests/test_browser.py

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

# Dashboard and API latency over 100,000 synthetic events (builds bench/.web-bench.db once).
bench-web: $(STAMP)
	$(BIN)/python bench/web.py

# 50 concurrent clients for 20 s per phase, reads alone and with writes (the same store as bench-web).
bench-load: $(STAMP)
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache

# Retrain the shipped name models from the public training data in ../shared/eval, and the learned
# event layer from samples/news/*/train (by hand, not in CI).
train: $(STAMP)
	$(BIN)/python tools/train_ner.py --lang uk --iob ../shared/eval/ner-uk/v2.0/train.iob
	$(BIN)/python tools/train_ner.py --lang kk --iob ../shared/eval/kaznerd/IOB2_valid.txt
	$(BIN)/python tools/train_events.py

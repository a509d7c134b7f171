# detente: `make demo` and `make test` each do the whole set-up from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= demo.db
STAMP := $(VENV)/.installed

.PHONY: install dev demo test lint typecheck unit bench train clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/detente --db $(DB) ingest samples/*.txt samples/seeds  # held_out/ stays unread
	$(BIN)/detente --db $(DB) events --limit 80

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache

# Retrain the shipped name models from the public training data in ../shared/eval (by hand, not in CI).
train: $(STAMP)
	$(BIN)/python tools/train_ner.py --lang uk --iob ../shared/eval/ner-uk/v2.0/train.iob
	$(BIN)/python tools/train_ner.py --lang kk --iob ../shared/eval/kaznerd/IOB2_valid.txt
